#include "runtime/confine.hpp"

#include "util/strings.hpp"

#include <srt/error.hpp>
#include <srt/landlock.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace srt::runtime {

namespace {

// Exec must never hand capabilities back to a uid-0 command.
// CLOSE_RANGE_CLOEXEC (linux/close_range.h).
constexpr unsigned kCloseRangeCloexec = 1u << 2;
constexpr unsigned long kLockedSecurebits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                                            SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;

int cap_last() {
  int fd = ::open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    char buf[16] = {};
    ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n > 0) {
      int v = std::atoi(buf);
      if (v > 0 && v < 64) return v;
    }
  }
  return CAP_LAST_CAP;
}

bool has_effective(int cap) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (::syscall(SYS_capget, &hdr, data) != 0) return false;
  return (data[cap / 32].effective >> (cap % 32)) & 1u;
}

int add_path_rule(int ruleset, const landlock::PathRule &rule, std::uint64_t handled,
                  const std::function<void(const std::string &)> &debug) {
  int fd = ::open(rule.path.c_str(), O_PATH | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    int err = errno;
    // Gone since the plan was made, or out of this user's reach anyway: the
    // rule would grant nothing.
    if (err == ENOENT || err == ENOTDIR || err == EACCES || err == ELOOP) {
      if (debug) debug(fmt::format("landlock: {} left out ({})", util::quoted(rule.path), std::strerror(err)));
      return 0;
    }
    return err;
  }
  struct stat st{};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return err;
  }
  std::uint64_t access = rule.access & handled;
  if (!S_ISDIR(st.st_mode)) access &= landlock::kFileRights;
  // A symbolic link grants nothing: access is checked where it leads.
  if (access == 0 || S_ISLNK(st.st_mode)) {
    ::close(fd);
    return 0;
  }
  landlock::PathBeneathAttr attr{access, fd};
  long rc = ::syscall(landlock::kSysAddRule, ruleset, landlock::kRulePathBeneath, &attr, 0);
  int err = errno;
  ::close(fd);
  return rc == 0 ? 0 : err;
}

}  // namespace

PreparedConfinement::~PreparedConfinement() {
  if (landlock_fd >= 0) ::close(landlock_fd);
}

void prepare_confinement(const LaunchPlan::Confinement &plan, PreparedConfinement &out,
                         const std::function<void(const std::string &)> &debug) {
  out.die_with_parent = plan.die_with_parent;
  out.parent = ::getpid();
  out.new_session = plan.new_session;
  out.no_new_privs = plan.no_new_privs;
  out.drop_capabilities = plan.drop_capabilities;
  if (plan.drop_capabilities) {
    out.cap_last = cap_last();
    if (::geteuid() == 0 && !has_effective(CAP_SETPCAP))
      throw SandboxError(
          "srt runs as root without CAP_SETPCAP, so it cannot drop the capabilities of the sandboxed command for good "
          "(exec would give them back to uid 0); run srt as another user or with CAP_SETPCAP");
  }
  if (!plan.landlock) return;
  const auto &r = *plan.landlock;
  landlock::RulesetAttr attr{r.handled_fs, r.handled_net, r.scoped};
  long fd = ::syscall(landlock::kSysCreateRuleset, &attr, sizeof attr, 0);
  if (fd < 0)
    throw SandboxError(fmt::format("landlock_create_ruleset (filesystem {}, network {}, scopes {}): {}", landlock::fs_names(r.handled_fs),
                                   landlock::net_names(r.handled_net), landlock::scope_names(r.scoped), std::strerror(errno)));
  out.landlock_fd = static_cast<int>(fd);
  for (const auto &rule : r.paths)
    if (int err = add_path_rule(out.landlock_fd, rule, r.handled_fs, debug); err != 0)
      throw SandboxError(fmt::format("landlock: cannot add the rule {} on {}: {}", landlock::fs_names(rule.access), util::quoted(rule.path),
                                     std::strerror(err)));
  for (const auto &rule : r.ports) {
    landlock::NetPortAttr pa{rule.access & r.handled_net, rule.port};
    if (pa.allowed_access == 0) continue;
    if (::syscall(landlock::kSysAddRule, out.landlock_fd, landlock::kRuleNetPort, &pa, 0) != 0)
      throw SandboxError(fmt::format("landlock: cannot add the rule {} on TCP port {}: {}", landlock::net_names(rule.access), rule.port,
                                     std::strerror(errno)));
  }
}

void prepare_direct_exec(const std::string &program, PreparedConfinement &out) {
  if (program.empty() || program.size() % sizeof(sock_filter) != 0 || program.size() / sizeof(sock_filter) > BPF_MAXINSNS)
    throw SandboxError(fmt::format("the system-call filter is not a valid BPF program ({} bytes)", program.size()));
  out.filter.resize(program.size() / sizeof(sock_filter));
  std::memcpy(out.filter.data(), program.data(), program.size());
  out.filter_prog.len = static_cast<unsigned short>(out.filter.size());
  out.filter_prog.filter = out.filter.data();
  out.close_fds = true;
}

int apply_confinement(const PreparedConfinement &c) {
  if (c.die_with_parent) {
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) return errno;
    if (::getppid() != c.parent) return ESRCH;  // srt died before the prctl
  }
  if (c.new_session && ::setsid() < 0) return errno;
  if (c.no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
  if (c.drop_capabilities) {
    if (::geteuid() == 0) {
      if (::prctl(PR_SET_SECUREBITS, kLockedSecurebits, 0, 0, 0) != 0) return errno;
      for (int cap = 0; cap <= c.cap_last; ++cap)
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) return errno;
    }
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) return errno;
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[2] = {};
    if (::syscall(SYS_capset, &hdr, none) != 0) return errno;
  }
  if (c.landlock_fd >= 0 && ::syscall(landlock::kSysRestrictSelf, c.landlock_fd, 0) != 0) return errno;
  // (Linux 5.11; Landlock's network rules need 6.7.)
  if (c.close_fds && ::syscall(SYS_close_range, 3u, ~0u, kCloseRangeCloexec) != 0) return errno;
  if (!c.filter.empty() && ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &c.filter_prog, 0, 0) != 0) return errno;
  return 0;
}

}  // namespace srt::runtime
