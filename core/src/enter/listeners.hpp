// The bridge's listening sockets, created by srt-enter itself before the
// command starts, so that the command can connect at once: the kernel queues
// connections until the relay accepts them.
#pragma once

#include "enter/options.hpp"

#include <vector>

namespace srt::enter {

// The kernel caps this at net.core.somaxconn (4096 by default in a new
// network namespace). Programs that open many connections at once must not
// see refusals.
inline constexpr int kListenBacklog = 4096;

struct Listener {
  int fd = -1;              // non-blocking, close-on-exec
  std::size_t bridge = 0;   // index into the BridgeSpec list
};

// For every bridge: 127.0.0.1:PORT (required) and [::1]:PORT with
// IPV6_V6ONLY (skipped when the sandbox has no IPv6). Dies (kExitUsage) when
// the IPv4 socket cannot be set up.
std::vector<Listener> open_listeners(const std::vector<BridgeSpec> &bridges);

}  // namespace srt::enter
