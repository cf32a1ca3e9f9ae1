// `srt [options] cmd...`: launch, forward signals, return the command's status.
#include "cli/commands.hpp"
#include "cli/control.hpp"
#include "cli/output.hpp"
#include "cli/signals.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <optional>
#include <string_view>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

namespace srt::cli {

namespace {

// After the first forwarded signal, the command has this long to exit before
// the whole sandbox is killed; a second signal kills it at once.
constexpr std::chrono::seconds kSignalGracePeriod{5};

// How long a command stopped because its control channel failed gets before
// it is killed.
constexpr std::chrono::seconds kControlFailureGrace{2};

// Each proxied connection holds a few descriptors in srt (client, upstream,
// splice pipes): 1000 concurrent tunnels do not fit the usual soft limit of
// 1024. srt raises its own soft limit to the hard one and returns the
// original to the command.
std::optional<rlimit> raise_fd_limit(bool debug) {
  rlimit original{};
  if (::getrlimit(RLIMIT_NOFILE, &original) != 0 || original.rlim_cur >= original.rlim_max) return std::nullopt;
  rlimit raised = original;
  raised.rlim_cur = original.rlim_max;
#ifdef __APPLE__
  // macOS refuses a soft limit above OPEN_MAX (its hard limit is "unlimited").
  raised.rlim_cur = std::min<rlim_t>(raised.rlim_cur, OPEN_MAX);
  if (raised.rlim_cur <= original.rlim_cur) return std::nullopt;
#endif
  if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) {
    if (debug) cli::debug(fmt::format("cannot raise the descriptor limit: {}", std::strerror(errno)));
    return std::nullopt;
  }
  return original;
}

// Prints `line` as an error unless the settings' ignoreViolations suppress
// it (then only with --debug, saying so). Returns whether it was printed.
bool report(const Sandbox &sandbox, const Command &cmd, const std::string &line, bool debug_on,
            std::string_view raw = {}) {
  if (sandbox.ignores_violation(cmd, line) || (!raw.empty() && sandbox.ignores_violation(cmd, raw))) {
    if (debug_on) debug(line + " (suppressed by ignoreViolations)");
    return false;
  }
  error(line);
  return true;
}

// One line per refused destination, so that a user sees why a download
// failed without reading debug output.
void print_refusals(const Sandbox &sandbox, const Command &cmd, bool debug_on) {
  bool unlisted = false;
  std::vector<std::pair<std::string, std::string>> deny_rules;  // deniedDomains entry, first destination it refused
  for (const auto &r : sandbox.network_refusals()) {
    std::string where = r.port ? fmt::format("{}:{}", r.host, r.port) : r.host;
    if (!report(sandbox, cmd,
                fmt::format("network: refused {} ({}){}", where, r.reason, r.count > 1 ? fmt::format(", {} times", r.count) : ""),
                debug_on))
      continue;
    bool by_deny_list = r.rule.starts_with("network.deniedDomains");
    if (!by_deny_list) unlisted = true;
    else if (std::none_of(deny_rules.begin(), deny_rules.end(), [&](const auto &d) { return d.first == r.rule; }))
      deny_rules.emplace_back(r.rule, where);
  }
  // Adding a host to allowedDomains does not help when deniedDomains names
  // it: say which entry to change.
  for (const auto &[rule, where] : deny_rules)
    error(fmt::format("network: {} is refused by {}, which wins over allowedDomains; to allow it, change that entry in {}", where,
                      rule, sandbox.settings_source()));
  if (unlisted)
    error(fmt::format("network: to allow a destination, add it to network.allowedDomains in {} (deniedDomains wins over it)",
                      sandbox.settings_source()));
}

// One line per kind of denial the OS sandbox logged (Seatbelt), as
// "sandbox: denied file-write-create /Users/me/x (touch), 3 times".
void print_violations(const Sandbox &sandbox, const Command &cmd, const Child &child, bool debug_on) {
  bool any = false;
  for (const auto &v : child.violations()) {
    std::string name = v.process.substr(0, v.process.rfind('('));
    std::string line = fmt::format("sandbox: denied {}{}{}{}", v.operation, v.target.empty() ? "" : " " + v.target,
                                   name.empty() ? "" : " (" + name + ")", v.count > 1 ? fmt::format(", {} times", v.count) : "");
    any |= report(sandbox, cmd, line, debug_on, v.line);
  }
  if (any)
    error(fmt::format("sandbox: these were denied by the policy from {}; to stop reporting one, add a part of its line to "
                      "ignoreViolations there",
                      sandbox.settings_source()));
}

}  // namespace

int run_command(const Invocation &inv) {
  Sandbox sandbox = make_sandbox(inv);
  Command cmd;
  if (inv.shell) cmd.shell = *inv.shell;
  else cmd.argv = inv.command;

  std::optional<ControlChannel> control;
  if (inv.control_fd) control.emplace(*inv.control_fd);
  SignalSource signals;  // before spawn: no signal can slip between launch and the loop
  SpawnOptions so;
  so.reap_orphans = kReapOrphans;
  so.fd_limit = raise_fd_limit(inv.debug);
  Child child = sandbox.spawn(cmd, so);
  bool pty = sandbox.settings().allowPty;

  int interrupted_by = 0;
  // A time_point plus a flag rather than an optional: GCC 12 warns falsely
  // (-Wmaybe-uninitialized) about optional<time_point>.
  std::chrono::steady_clock::time_point deadline{};
  bool has_deadline = false;
  bool control_failed = false;
  while (!child.try_wait()) {
    int control_fd = control ? control->fd() : -1;
    struct pollfd fds[3] = {{signals.fd(), POLLIN, 0}, {child.report_fd(), POLLIN, 0}, {control_fd, POLLIN, 0}};
    int timeout = -1;
    if (has_deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      timeout = left > 0 ? static_cast<int>(left) : 0;
    }
    int n = ::poll(fds, 3, timeout);  // negative fds are skipped
    if (n < 0 && errno != EINTR) throw SandboxError(fmt::format("poll: {}", std::strerror(errno)));
    if (fds[1].revents && child.report_fd() >= 0) child.handle_report();
    if (n > 0 && fds[2].revents && control_fd >= 0 && !control->on_readable(sandbox, inv.debug) && !control_failed) {
      control_failed = true;
      child.signal(SIGTERM);
      deadline = std::chrono::steady_clock::now() + kControlFailureGrace;
      has_deadline = true;
    }
    if (has_deadline && std::chrono::steady_clock::now() >= deadline) {
      if (inv.debug) debug("the command did not exit after the forwarded signal; killing the sandbox");
      child.kill();
      has_deadline = false;
    }
    if (!(fds[0].revents & POLLIN)) continue;
    CaughtSignal caught;
    while (signals.next(caught)) {
      int sig = caught.signo;
      if (sig == SIGCHLD) continue;
      if (sig == SIGWINCH) {
        if (child.started()) child.signal(SIGWINCH);
        continue;
      }
      // With allowPty the sandbox shares srt's terminal, which delivered its
      // own signals to the command already.
      if (pty && caught.from_kernel) continue;
      if (interrupted_by == 0) {
        interrupted_by = sig;
        if (inv.debug) debug(fmt::format("received signal {}; forwarding it to the sandbox", sig));
        child.signal(sig);
        deadline = std::chrono::steady_clock::now() + kSignalGracePeriod;
        has_deadline = true;
      } else {
        if (inv.debug) debug(fmt::format("received signal {} again; killing the sandbox", sig));
        child.kill();
      }
    }
  }
  ExitStatus status = child.wait();
  if (status.code != 0 || inv.debug || interrupted_by) {
    print_violations(sandbox, cmd, child, inv.debug);
    print_refusals(sandbox, cmd, inv.debug);
  }
  if (control_failed) return kExitSrtError;
  if (interrupted_by) return 128 + interrupted_by;
  if (status.setup_failed) {
    error(fmt::format("the sandbox could not be set up (the launcher exited with status {}); see the message above. "
                      "`srt backends` checks what this machine supports",
                      status.code));
    return kExitSrtError;
  }
  return status.code;
}

}  // namespace srt::cli
