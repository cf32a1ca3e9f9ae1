// srt-enter: the first program srt runs inside the sandbox, and the last one
// before the user's command. It starts the network bridge (the relay from
// the sandbox's loopback proxy ports to srt's Unix sockets), restores the
// signal dispositions srt had to change for the launcher, tells srt (over an
// inherited socket, with kernel-attested credentials) that the sandbox is set
// up and which process the command is, waits for srt's go when srt starts
// its proxies meanwhile, installs the seccomp filter, then execs the command.
//
//   srt-enter [--report-fd N] [--reset-signals 1,2,15] [--own-process-group]
//             [--seccomp-fd N] [--bridge PORT=PATH]... -- command [args...]
//   srt-enter connect HOST PORT      (an SSH ProxyCommand; see connect.hpp)
//   srt-enter forward ...            (srt's host side of an external proxy; see forward.hpp)
//
// Exit status when the command cannot be started: 127 not found, 126 not
// executable, 125 srt-enter itself failed (bad usage, the bridge or the
// seccomp filter could not be set up: the command never runs without them).
#include "enter/connect.hpp"
#include "enter/options.hpp"
#include "enter/sys.hpp"
#include "util/fd.hpp"
#ifdef __linux__
#include "enter/bridge.hpp"
#include "enter/forward.hpp"
#include "enter/listeners.hpp"
#include "enter/seccomp_program.hpp"
#endif

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using namespace srt::enter;

// Must match core/src/runtime/report.hpp.
constexpr char kReadyMessage[] = "srt-enter/1 ready";
constexpr char kGoMessage[] = "srt/1 go";

bool has_space(std::string_view s) { return s.find_first_of(" \t\n") != std::string_view::npos; }

void reset_signals(const std::vector<int> &signals) {
  // srt ignores these in the launcher so that a terminal's signals do not
  // kill the sandbox's supervisor; the command gets the dispositions srt had.
  struct sigaction dfl{};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  // EINVAL: a signal whose disposition cannot change (SIGKILL, SIGSTOP).
  for (int sig : signals)
    if (sigaction(sig, &dfl, nullptr) != 0 && errno != EINVAL) die_errno("sigaction(%d)", sig);
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, nullptr) != 0) die_errno("sigprocmask");
}

void report_ready(int report_fd) {
  if (fcntl(report_fd, F_SETFD, FD_CLOEXEC) != 0) die_errno("report fd %d", report_fd);
  // On Linux the kernel attaches our credentials (srt set SO_PASSCRED),
  // translating our pid into srt's pid namespace. (macOS attests nothing:
  // there srt knows this process, it started it; runtime/report.hpp.)
  ssize_t n;
  do {
    n = srt::util::send_nosignal(report_fd, kReadyMessage, sizeof kReadyMessage - 1);
  } while (n < 0 && errno == EINTR);
  if (n < 0) die_errno("cannot report to srt");
}

// srt's answer once what the command needs outside the sandbox (its
// proxies) is up. Anything else, or srt gone: the command never starts.
void await_go(int report_fd) {
  char msg[sizeof kGoMessage];
  ssize_t n;
  do {
    n = recv(report_fd, msg, sizeof msg, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) die_errno("waiting for srt");
  if (n != static_cast<ssize_t>(sizeof kGoMessage - 1) || std::memcmp(msg, kGoMessage, sizeof kGoMessage - 1) != 0)
    die("srt ended the launch before the command started");
}

[[noreturn]] void exec_command(char **cmd) {
  execvp(cmd[0], cmd);
  int err = errno;
  if (err == ENOENT) {
    if (has_space(cmd[0]) && cmd[1] == nullptr)
      std::fprintf(stderr,
                   "srt: %s: command not found\n"
                   "srt: the command is one word with spaces in it; to run a shell command line, use: srt -c \"%s\"\n",
                   cmd[0], cmd[0]);
    else
      std::fprintf(stderr, "srt: %s: command not found\n", cmd[0]);
    std::_Exit(kExitNotFound);
  }
  std::fprintf(stderr, "srt: %s: %s\n", cmd[0], std::strerror(err));
  std::_Exit(err == EACCES || err == ENOEXEC || err == EISDIR ? kExitNotExecutable : kExitNotFound);
}

}  // namespace

int main(int argc, char **argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "connect") return run_connect(argc - 2, argv + 2);
#ifdef __linux__
  if (argc >= 2 && std::string_view(argv[1]) == "forward") run_forward(argc - 2, argv + 2);
#endif

  Options o = parse_options(argc, argv);

#ifdef __linux__
  std::optional<SeccompProgram> filter;
  if (o.seccomp_fd >= 0) filter = read_seccomp_program(o.seccomp_fd);
#else
  // Linux kernel features: srt never asks for them elsewhere.
  if (o.seccomp_fd >= 0) die("--seccomp-fd: this system has no seccomp");
  if (!o.bridges.empty()) die("--bridge: this system has no network namespaces to bridge");
#endif

  // Listening before the command starts: its first connection is queued,
  // never refused. The relay is forked before the filter is installed (it
  // must create Unix sockets) and before the signals are reset.
#ifdef __linux__
  int bridge_ready = -1;
  if (!o.bridges.empty()) {
    std::vector<Listener> listeners = open_listeners(o.bridges);
    bridge_ready = start_bridge(o.bridges, listeners);
  }
#endif

  reset_signals(o.reset_signals);

  // Without a terminal (a new session), the command leads its own process
  // group, so that srt can signal it and its children together.
  // (Already so when srt started it in a new session: a session leader
  // cannot change its group.)
  if (o.own_group && getpgrp() != getpid() && setpgid(0, 0) != 0) die_errno("setpgid");

#ifdef __linux__
  // The relay set itself up meanwhile.
  if (bridge_ready >= 0) await_bridge(bridge_ready);
#endif

  if (o.report_fd >= 0) report_ready(o.report_fd);
  if (o.await_go) await_go(o.report_fd);

  // The command gets stdin, stdout and stderr, and no other descriptor:
  // none of srt's, and none its caller left open (a descriptor is access
  // that no sandbox rule sees).
  cloexec_from(3);

#ifdef __linux__
  if (filter) apply_seccomp_program(*filter);
#endif

  exec_command(o.command);
}
