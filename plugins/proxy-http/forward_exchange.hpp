// One forwarded plain-HTTP exchange: the request (head rebuilt, body
// streamed) to the destination and its response back to the client, both
// directions at once. Afterwards the client connection goes back to an
// HttpSession (keep-alive) or is closed.
#pragma once

#include "client_buffer.hpp"
#include "request_head.hpp"
#include "request_target.hpp"

#include "asio.hpp"
#include "server.hpp"

#include <string>

namespace srt::proxy::http {

// `canonical_host` (from the verdict) becomes the Host field; `upstream` is
// connected to one of the verdict's addresses.
void start_forward_exchange(Server &server, Socket client, ConnectionSlot slot, ClientBuffer in, RequestHead request,
                            AbsoluteUrl url, std::string canonical_host, Socket upstream);

}  // namespace srt::proxy::http
