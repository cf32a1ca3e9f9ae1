#include "enter/options.hpp"

#include "enter/sys.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <sys/un.h>

namespace srt::enter {
namespace {

BridgeSpec parse_bridge(std::string_view arg) {
  auto eq = arg.find('=');
  int port = 0;
  if (eq == std::string_view::npos || !parse_port(arg.substr(0, eq), port))
    usage("--bridge needs PORT=PATH with a port from 1 to 65535");
  BridgeSpec b;
  b.port = static_cast<std::uint16_t>(port);
  b.path = std::string(arg.substr(eq + 1));
  // The path goes into sockaddr_un, NUL-terminated.
  if (b.path.empty() || b.path[0] != '/' || b.path.size() >= sizeof(sockaddr_un{}.sun_path))
    usage("--bridge needs an absolute Unix socket path shorter than 108 bytes");
  return b;
}

}  // namespace

void usage(const char *why) {
  std::fprintf(stderr, "srt-enter: %s (this helper is run by srt; it is not meant to be run by hand)\n", why);
  std::_Exit(kExitUsage);
}

Options parse_options(int argc, char **argv) {
  Options o;
  int i = 1;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    bool has_value = i + 1 < argc;
    if (a == "--report-fd" && has_value) {
      if (!parse_number(argv[++i], kMaxFd, o.report_fd)) usage("--report-fd needs a file descriptor number");
    } else if (a == "--reset-signals" && has_value) {
      std::string_view list = argv[++i];
      while (!list.empty()) {
        auto comma = list.find(',');
        int sig = 0;
        if (!parse_number(list.substr(0, comma), NSIG - 1, sig) || sig < 1 || sig >= NSIG) usage("--reset-signals needs signal numbers");
        o.reset_signals.push_back(sig);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      }
    } else if (a == "--await-go") {
      o.await_go = true;
    } else if (a == "--own-process-group") {
      o.own_group = true;
    } else if (a == "--seccomp-fd" && has_value) {
      if (!parse_number(argv[++i], kMaxFd, o.seccomp_fd)) usage("--seccomp-fd needs a file descriptor number");
    } else if (a == "--bridge" && has_value) {
      BridgeSpec b = parse_bridge(argv[++i]);
      for (const auto &other : o.bridges)
        if (other.port == b.port) usage("--bridge: the same port is given twice");
      if (o.bridges.size() >= kMaxBridges) usage("too many --bridge options");
      o.bridges.push_back(std::move(b));
    } else {
      usage("unknown option");
    }
  }
  if (i >= argc) usage("no command given");
  if (o.seccomp_fd >= 0 && o.seccomp_fd == o.report_fd) usage("--seccomp-fd and --report-fd are the same descriptor");
  if (o.await_go && o.report_fd < 0) usage("--await-go needs --report-fd");
  o.command = argv + i;
  return o;
}

}  // namespace srt::enter
