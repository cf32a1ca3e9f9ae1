// The relay's event loop: accepts connections on its listeners and relays
// each, in both directions, to the listener's upstream — for the bridge, from
// the sandbox's loopback to the Unix socket of srt's proxy; for `srt-enter
// forward`, from a Unix socket on the host to an external proxy's TCP port. Runs in its own process
// (bridge.hpp), single-threaded, on one epoll set.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <vector>

namespace srt::enter {

// Connections relayed at once; further connections wait in the listen
// backlog. Lowered at start-up when the fd limit cannot hold this many.
inline constexpr int kMaxConnections = 4096;

struct RelayListener {
  int fd = -1;  // listening, non-blocking, close-on-exec; owned by the relay
  sockaddr_storage upstream{};  // a Unix socket (the bridge) or TCP (srt-enter forward)
  socklen_t upstream_len = 0;
};

// Sets up the loop, then writes one byte 'R' to `ready_fd` and closes it, or,
// when set-up fails, writes the reason and exits. Then serves until
// `owner_pidfd` (a pidfd of the command's process, or -1) reports that the
// command has exited, and exits. Never returns.
[[noreturn]] void run_relay(std::vector<RelayListener> listeners, int owner_pidfd, int ready_fd);

}  // namespace srt::enter
