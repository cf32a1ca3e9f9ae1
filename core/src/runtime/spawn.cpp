#include "runtime/spawn.hpp"

#include "util/fd.hpp"
#include "util/platform.hpp"
#include "util/strings.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>
#if SRT_LINUX_EXTRAS
#include <sys/syscall.h>  // close_range
#endif
#include <sys/wait.h>

namespace srt::runtime {

namespace {

// The highest descriptor number a target may be (LaunchPlan files are at
// most fd 1000).
constexpr int kMaxTargetFd = 1000;
#if SRT_LINUX_EXTRAS
// The child's stack until it execs: a few frames of system calls.
constexpr std::size_t kChildStackBytes = 64 * 1024;
#endif
// How many descriptors are marked one by one where close_range is missing
// (Linux before 5.11, macOS).
constexpr int kMaxFdScan = 65536;
#if SRT_LINUX_EXTRAS
// CLOSE_RANGE_CLOEXEC (linux/close_range.h, Linux 5.11).
constexpr unsigned kCloseRangeCloexec = 1u << 2;
#endif

// What the child tells the parent when it cannot exec.
enum class Step : int { setup, cwd, confine, exec };
struct ChildError {
  Step step;
  int err;
};

[[noreturn]] void child_fail(int error_pipe, int err, Step step = Step::setup) {
  ChildError e{step, err};
  ssize_t n;
  do {
    n = ::write(error_pipe, &e, sizeof e);
  } while (n < 0 && errno == EINTR);
  ::_exit(127);
}

}  // namespace

std::vector<int> free_fd_numbers(int from, std::size_t count) {
  std::vector<int> out;
  for (int fd = from; out.size() < count; ++fd) {
    // A close-on-exec descriptor of srt's own is replaced in the child by
    // the one placed there; only what the launcher would inherit is in the way.
    int flags = ::fcntl(fd, F_GETFD);
    if ((flags < 0 && errno == EBADF) || (flags >= 0 && (flags & FD_CLOEXEC))) out.push_back(fd);
  }
  return out;
}

namespace {

// What the child of spawn() works from: everything allocated before it runs.
struct ChildPlan {
  const SpawnSpec *spec;
  const char *program;
  char **argv;
  char **envp;
  int *parked;  // one slot per spec->fds entry
  int park_from;
  int error_pipe;
};

// The child. On Linux it runs on its own stack in srt's memory (CLONE_VM |
// CLONE_VFORK: srt's thread waits until it execs or exits); on macOS in a
// forked copy. Async-signal-safe calls only, and no writes to memory srt
// uses afterwards.
int child_main(void *arg) {
  const ChildPlan &c = *static_cast<const ChildPlan *>(arg);
  const SpawnSpec &spec = *c.spec;
  // Handlers srt's process installed would run here, in its memory.
  struct sigaction dfl{};
  sigemptyset(&dfl.sa_mask);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction cur{};
    if (::sigaction(sig, nullptr, &cur) == 0 && cur.sa_handler != SIG_DFL && cur.sa_handler != SIG_IGN)
      ::sigaction(sig, &dfl, nullptr);
  }
  // Before the targets are placed: dup2 makes them inheritable again.
#if SRT_LINUX_EXTRAS
  bool marked = !spec.close_other_fds || ::syscall(SYS_close_range, 3u, ~0u, kCloseRangeCloexec) == 0;
  if (!marked && errno != ENOSYS && errno != EINVAL) child_fail(c.error_pipe, errno);
#else
  bool marked = !spec.close_other_fds;
#endif
  if (!marked) {
    rlimit rl{};
    int end = ::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < static_cast<rlim_t>(kMaxFdScan) ? static_cast<int>(rl.rlim_cur)
                                                                                                      : kMaxFdScan;
    for (int fd = 3; fd < end; ++fd) (void)::fcntl(fd, F_SETFD, FD_CLOEXEC);  // EBADF for the many not open
  }
  bool new_session = spec.confine && spec.confine->new_session;
  if (spec.new_process_group && !new_session && ::setpgid(0, 0) != 0) child_fail(c.error_pipe, errno);
  std::size_t n = spec.fds.size();
  for (std::size_t i = 0; i < n; ++i)
    if ((c.parked[i] = ::fcntl(spec.fds[i].first, F_DUPFD_CLOEXEC, c.park_from)) < 0) child_fail(c.error_pipe, errno);
  for (std::size_t i = 0; i < n; ++i)
    if (::dup2(c.parked[i], spec.fds[i].second) < 0) child_fail(c.error_pipe, errno);
  for (std::size_t i = 0; i < n; ++i) ::close(c.parked[i]);
  // Last: a lower limit could refuse the descriptors just placed.
  if (spec.fd_limit && ::setrlimit(RLIMIT_NOFILE, &*spec.fd_limit) != 0) child_fail(c.error_pipe, errno);
  struct sigaction sa{};
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = SIG_IGN;
  for (int sig : spec.ignore_signals) ::sigaction(sig, &sa, nullptr);
  if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) child_fail(c.error_pipe, errno, Step::cwd);
  if (spec.confine)
    if (int err = apply_confinement(*spec.confine); err != 0) child_fail(c.error_pipe, err, Step::confine);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execve(c.program, c.argv, c.envp);
  child_fail(c.error_pipe, errno, Step::exec);
}

}  // namespace

pid_t spawn(const SpawnSpec &spec) {
  if (spec.argv.empty()) throw SandboxError("spawn: empty argv");
  std::vector<char *> argv, envp;
  for (const auto &a : spec.argv) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto &e : spec.env) envp.push_back(const_cast<char *>(e.c_str()));
  envp.push_back(nullptr);
  // The child parks every source above every target before laying out the
  // targets, so that no dup2 clobbers a source not yet placed. The parking
  // numbers are whatever the kernel gives (no fixed number: it could lie
  // above the soft descriptor limit), stored in memory allocated here.
  int park_from = 3;
  for (const auto &[src, target] : spec.fds) {
    if (target < 0 || target > kMaxTargetFd) throw SandboxError(fmt::format("spawn: fd target {} out of range", target));
    park_from = std::max(park_from, target + 1);
  }
  std::vector<int> parked(spec.fds.size(), -1);

  int err_pipe[2];
  if (!util::cloexec_pipe(err_pipe)) throw SandboxError(fmt::format("pipe: {}", std::strerror(errno)));
  // What the child still uses after placing the targets must not sit on a
  // target (a dup2 would replace it): moved above them all.
  auto raise = [park_from](int &fd) {
    if (fd < 0 || fd >= park_from) return true;
    int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, park_from);
    if (moved < 0) return false;
    ::close(fd);
    fd = moved;
    return true;
  };
  if (!raise(err_pipe[1]) || (spec.confine && !raise(spec.confine->landlock_fd))) {
    int err = errno;
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
    throw SandboxError(fmt::format("fcntl(F_DUPFD_CLOEXEC): {}", std::strerror(err)));
  }
  ChildPlan plan{&spec, spec.program.empty() ? argv[0] : spec.program.c_str(), argv.data(), envp.data(), parked.data(), park_from,
                 err_pipe[1]};

  // No signal may run a handler in the child before it resets them.
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
#if SRT_LINUX_EXTRAS
  // CLONE_VM | CLONE_VFORK, as posix_spawn does: no copy of srt's page
  // tables and no copy-on-write faults afterwards.
  std::vector<char> stack(kChildStackBytes);
  pid_t pid = ::clone(child_main, stack.data() + stack.size(), CLONE_VM | CLONE_VFORK | SIGCHLD, &plan);
#else
  pid_t pid = ::fork();
  if (pid == 0) child_main(&plan);
#endif
  int clone_err = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) {
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
    throw SandboxError(fmt::format("cannot start a process: {}", std::strerror(clone_err)));
  }
  ::close(err_pipe[1]);
  ChildError child_err{};
  ssize_t got;
  do {
    got = ::read(err_pipe[0], &child_err, sizeof child_err);
  } while (got < 0 && errno == EINTR);
  ::close(err_pipe[0]);
  if (got == sizeof child_err) {
    int status;
    ::waitpid(pid, &status, 0);
    if (child_err.step == Step::cwd)
      throw SandboxError(fmt::format("cannot enter the working directory {}: {}", util::quoted(spec.cwd), std::strerror(child_err.err)));
    if (child_err.step == Step::confine)
      throw SandboxError(fmt::format("cannot confine {} (new session, no_new_privs, capabilities, Landlock): {}; the command was not run",
                                     util::quoted(spec.argv[0]), std::strerror(child_err.err)));
    if (child_err.step == Step::exec)
      throw ExecError(fmt::format("cannot run {}: {}", util::quoted(spec.program.empty() ? spec.argv[0] : spec.program), std::strerror(child_err.err)), child_err.err);
    throw SandboxError(fmt::format("cannot run {}: {}", util::quoted(spec.program.empty() ? spec.argv[0] : spec.program), std::strerror(child_err.err)));
  }
  return pid;
}

}  // namespace srt::runtime
