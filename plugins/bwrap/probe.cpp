#include "probe.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <csignal>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace srt::bwrap {

namespace {

constexpr const char *kInstallHint = "apt-get install bubblewrap";
// A deep probe that takes longer than this is reported as hanging.
constexpr int kDeepProbeTimeoutMs = 5000;
// The stack of the child that tries a user namespace (it only returns).
constexpr std::size_t kProbeStackBytes = 16 * 1024;

std::string read_sysctl(const char *path) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char buf[64] = {};
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  std::string s(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool executable(const std::string &p) {
  struct stat st{};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

int child_returns(void *) { return 0; }

// Does a seccomp filter apply to srt (mode 2)? Only then can a policy beyond
// the sysctls refuse user namespaces. A filter that refuses the question
// itself is one: check for real.
bool under_seccomp_filter() {
  int mode = ::prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
  return mode != 0;
}

// Creates a user namespace once, in a child that exits at once: the sysctls
// do not show a seccomp policy (Docker's default, many CI runners) that
// refuses it. Creating and tearing down a namespace costs about a
// millisecond, so this runs only under a seccomp filter.
std::string try_user_namespace() {
  if (!under_seccomp_filter()) return {};
  // On this thread's stack: with CLONE_VFORK this frame outlives the child.
  alignas(16) char stack[kProbeStackBytes];
  pid_t pid = ::clone(child_returns, stack + sizeof stack, CLONE_NEWUSER | CLONE_VM | CLONE_VFORK | SIGCHLD, nullptr);
  if (pid < 0)
    return std::string("cannot create a user namespace here (clone: ") + std::strerror(errno) +
           "; a container's seccomp policy or a sandbox srt runs in forbids it); use --backend landlock";
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return {};
}

// Why user namespaces cannot be created here, or empty.
std::string userns_blocker() {
  if (read_sysctl("/proc/sys/user/max_user_namespaces") == "0")
    return "user namespaces are disabled: sysctl user.max_user_namespaces=0 (set it to a positive number)";
  if (::geteuid() != 0) {
    if (read_sysctl("/proc/sys/kernel/unprivileged_userns_clone") == "0")
      return "unprivileged user namespaces disabled: sysctl kernel.unprivileged_userns_clone=0 (set it to 1, or use --backend landlock)";
    if (read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1")
      return "AppArmor restricts unprivileged user namespaces: sysctl kernel.apparmor_restrict_unprivileged_userns=1 "
             "(set it to 0, or allow bwrap in an AppArmor profile)";
  }
  return try_user_namespace();
}

// Runs bwrap once with the namespaces srt uses; returns its error output or
// empty on success.
std::string try_run(const std::string &bwrap) {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  const char *argv[] = {bwrap.c_str(), "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc",
                        "--ro-bind",    "/",              "/",             "--proc",        "/proc",
                        "--dev",        "/dev",           "--",            "/bin/true",     nullptr};
  pid_t pid = ::fork();
  if (pid < 0) return std::string("fork: ") + std::strerror(errno);
  if (pid == 0) {
    ::dup2(pipefd[1], 2);
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
    }
    ::execv(argv[0], const_cast<char *const *>(argv));
    ::_exit(127);
  }
  ::close(pipefd[1]);
  std::string err;
  char buf[512];
  struct pollfd pfd{pipefd[0], POLLIN, 0};
  while (::poll(&pfd, 1, kDeepProbeTimeoutMs) > 0) {
    ssize_t n = ::read(pipefd[0], buf, sizeof buf);
    if (n <= 0) break;
    err.append(buf, static_cast<std::size_t>(n));
  }
  ::close(pipefd[0]);
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return "bwrap did not finish within 5 s";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  while (!err.empty() && err.back() == '\n') err.pop_back();
  return err.empty() ? "bwrap failed without a message" : err;
}

}  // namespace

std::optional<std::string> find_bwrap(const ir::Policy &policy, std::string &why) {
  if (auto b = policy.backend_options.find("bwrap"); b != policy.backend_options.end()) {
    if (auto p = b->second.find("path"); p != b->second.end()) {
      if (executable(p->second)) return p->second;
      why = "bwrapPath " + p->second + " is not an executable file (there is no fallback to PATH when bwrapPath is set)";
      return std::nullopt;
    }
  }
  const char *path = std::getenv("PATH");
  std::string dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    auto end = dirs.find(':', start);
    std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty() && dir[0] == '/') {
      std::string candidate = dir + "/bwrap";
      if (executable(candidate)) return candidate;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  why = std::string("bwrap: not found in PATH — ") + kInstallHint;
  return std::nullopt;
}

sdk::ProbeResult probe(const ir::Policy &policy, bool deep) {
  sdk::ProbeResult r;
  r.features = {{"filesystem", sdk::kEnforced},
                {"network", sdk::kEnforced},
                {"ipc_isolation", sdk::kEnforced},
                {"pid_isolation", sdk::kEnforced},
                {"pty", sdk::kEnforced}};
  auto bwrap = find_bwrap(policy, r.reason);
  if (!bwrap) return r;
  r.reason = userns_blocker();
  if (!r.reason.empty()) return r;
  if (deep) {
    auto err = try_run(*bwrap);
    if (!err.empty()) {
      r.reason = *bwrap + " cannot create the sandbox's namespaces here: " + err;
      return r;
    }
  }
  r.usable = true;
  return r;
}

}  // namespace srt::bwrap
