// srt-enter: the first program srt runs inside the sandbox, and the last one
// before the user's command. It restores the signal dispositions srt had to
// change for the launcher, tells srt (over an inherited socket, with kernel-
// attested credentials) that the sandbox is set up and which process the
// command is, then execs the command.
//
//   srt-enter [--report-fd N] [--reset-signals 1,2,15] [--own-process-group]
//             -- command [args...]
//
// Exit status when the command cannot be started: 127 not found, 126 not
// executable, 125 bad usage of srt-enter itself.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

constexpr int kExitUsage = 125;
constexpr int kExitNotExecutable = 126;
constexpr int kExitNotFound = 127;
// Must match core/src/runtime/report.hpp.
constexpr char kReadyMessage[] = "srt-enter/1 ready";

[[noreturn]] void usage(const char *why) {
  std::fprintf(stderr, "srt-enter: %s (this helper is run by srt; it is not meant to be run by hand)\n", why);
  std::_Exit(kExitUsage);
}

bool parse_int(std::string_view s, int &out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

bool has_space(std::string_view s) { return s.find_first_of(" \t\n") != std::string_view::npos; }

}  // namespace

int main(int argc, char **argv) {
  int report_fd = -1;
  bool own_group = false;
  std::vector<int> reset_signals;
  int i = 1;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--report-fd" && i + 1 < argc) {
      if (!parse_int(argv[++i], report_fd)) usage("--report-fd needs a file descriptor number");
    } else if (a == "--reset-signals" && i + 1 < argc) {
      std::string_view list = argv[++i];
      while (!list.empty()) {
        auto comma = list.find(',');
        int sig = 0;
        if (!parse_int(list.substr(0, comma), sig) || sig < 1 || sig >= NSIG) usage("--reset-signals needs signal numbers");
        reset_signals.push_back(sig);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      }
    } else if (a == "--own-process-group") {
      own_group = true;
    } else {
      usage("unknown option");
    }
  }
  if (i >= argc) usage("no command given");
  char **cmd = argv + i;

  // srt ignores these in the launcher so that a terminal's signals do not kill
  // the sandbox's supervisor; the command gets the dispositions srt had.
  struct sigaction dfl{};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int sig : reset_signals) sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);

  // Without a terminal (a new session), the command leads its own process
  // group, so that srt can signal it and its children together.
  if (own_group && setpgid(0, 0) != 0) {
    std::fprintf(stderr, "srt-enter: setpgid: %s\n", std::strerror(errno));
    return kExitUsage;
  }

  if (report_fd >= 0) {
    if (fcntl(report_fd, F_SETFD, FD_CLOEXEC) != 0) {
      std::fprintf(stderr, "srt-enter: report fd %d: %s\n", report_fd, std::strerror(errno));
      return kExitUsage;
    }
    // The kernel attaches our credentials (srt set SO_PASSCRED), translating
    // our pid into srt's pid namespace.
    ssize_t n;
    do {
      n = send(report_fd, kReadyMessage, sizeof kReadyMessage - 1, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      std::fprintf(stderr, "srt-enter: cannot report to srt: %s\n", std::strerror(errno));
      return kExitUsage;
    }
  }

  execvp(cmd[0], cmd);
  int err = errno;
  if (err == ENOENT) {
    if (has_space(cmd[0]) && argv[i + 1] == nullptr)
      std::fprintf(stderr,
                   "srt: %s: command not found\n"
                   "srt: the command is one word with spaces in it; to run a shell command line, use: srt -c \"%s\"\n",
                   cmd[0], cmd[0]);
    else
      std::fprintf(stderr, "srt: %s: command not found\n", cmd[0]);
    return kExitNotFound;
  }
  std::fprintf(stderr, "srt: %s: %s\n", cmd[0], std::strerror(err));
  return err == EACCES || err == ENOEXEC || err == EISDIR ? kExitNotExecutable : kExitNotFound;
}
