// Listening sockets from a proxy's configuration (POSIX only, no Asio).
#pragma once

#include "unique_fd.hpp"

#include <srt/plugin.hpp>

#include <sys/types.h>

#include <string>

namespace srt::proxy {

struct Listener {
  UniqueFd fd;                      // listening, non-blocking, close-on-exec
  int family = 0;                   // AF_UNIX, AF_INET or AF_INET6
  sdk::ProxyConfig::Listen actual;  // as configured; for TCP with the actual port
  // The socket file this listener created, removed again by remove_socket_file.
  dev_t dev = 0;
  ino_t ino = 0;
};

// Creates the socket. A Unix socket is created with mode 0600; an existing
// path is replaced only when it is a socket. TCP takes "address:port" or
// "[v6address]:port" with a numeric address; port 0 picks a free port.
// Throws std::runtime_error saying what failed.
Listener open_listener(const sdk::ProxyConfig::Listen &where);

// Removes the Unix socket file `l` created, unless something else took its
// place meanwhile. Never throws.
void remove_socket_file(const Listener &l) noexcept;

}  // namespace srt::proxy
