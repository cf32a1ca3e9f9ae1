// srt-enter's command line (normal mode; `srt-enter connect` is connect.hpp):
//
//   srt-enter [--report-fd N [--await-go]] [--reset-signals 1,2,15] [--own-process-group]
//             [--seccomp-fd N] [--bridge PORT=PATH]... -- command [args...]
//
// Malformed arguments end the process with kExitUsage.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace srt::enter {

// Limits on what srt passes; far above what it needs.
inline constexpr std::size_t kMaxBridges = 16;

// Listen on 127.0.0.1:port (and [::1]:port) inside the sandbox and relay each
// connection to the Unix socket at `path` (bind-mounted from the host).
struct BridgeSpec {
  std::uint16_t port = 0;
  std::string path;
};

struct Options {
  int report_fd = -1;
  // After reporting, wait for srt's go on the report fd before the command
  // starts (srt starts its proxies while the sandbox is being built).
  bool await_go = false;
  bool own_group = false;
  std::vector<int> reset_signals;
  int seccomp_fd = -1;
  std::vector<BridgeSpec> bridges;
  char **command = nullptr;  // argv tail, null-terminated
};

Options parse_options(int argc, char **argv);

// Prints why with a hint that srt runs this helper, exits kExitUsage.
[[noreturn]] void usage(const char *why);

}  // namespace srt::enter
