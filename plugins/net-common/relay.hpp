// The bidirectional byte relay behind every tunnel (HTTP CONNECT, SOCKS5).
#pragma once

#include "asio.hpp"
#include "connection_slot.hpp"

#include <string>

namespace srt::proxy {

// Moves bytes both ways between `client` and `upstream` (both bound to the
// same strand) until both directions have ended. An end of stream from one
// side is passed on as a shutdown of sending on the other (half-close); a
// reset or error on either closes both. `to_upstream_first` (bytes the
// client sent before the tunnel was up) is written to `upstream` first.
// Each direction holds a bounded buffer, or on Linux a pipe for splice().
void start_relay(Socket client, Socket upstream, std::string to_upstream_first, ConnectionSlot slot);

}  // namespace srt::proxy
