// Every head and response the HTTP proxy writes: its own answers (errors,
// refusals, 407, 200 Connection Established) and the heads it forwards with
// the hop-by-hop fields removed. Standard library only.
#pragma once

#include "body_framing.hpp"
#include "request_head.hpp"
#include "request_target.hpp"
#include "response_head.hpp"

#include <string>
#include <string_view>

namespace srt::proxy::http {

std::string_view status_phrase(int status);

// A short text/plain answer ending the connection: "<message>\n".
std::string error_response(int status, std::string_view message);
// For an origin-form request: the client talked to the proxy as if it were
// the server.
std::string not_a_proxy_response();
std::string proxy_auth_required_response();
inline constexpr std::string_view kConnectEstablished = "HTTP/1.1 200 Connection Established\r\n\r\n";

// A refusal by the core (sdk::Verdict with allow == false).
struct Refusal {
  std::string host;    // as the client spelled it
  std::string reason;  // the verdict's reason, unsanitised
  std::string kind;    // "allowlist" | "address" | "malformed" | "unreachable"
};
// Plain HTTP: 403 Forbidden with the reference's fields and body plus a
// "reason:" line (or, for "address", the resolved-address guard's body).
std::string plain_refusal_response(const Refusal &r);
// CONNECT: 403 with the reason as status phrase, then the connection ends.
std::string connect_refusal_response(const Refusal &r);
// "unreachable": the host is allowed but does not resolve.
std::string unreachable_response(const Refusal &r);

// The head sent to the destination: origin-form target, Host rebuilt from the
// canonical host, hop-by-hop fields removed, framing from `body`, and
// "Connection: close" (one destination connection per request).
std::string upstream_request_head(const RequestHead &req, const AbsoluteUrl &url, std::string_view canonical_host);

// The head sent back to the client. `body` is the framing the proxy uses
// towards the client (its own Content-Length or chunked). `keep_alive`
// false adds "Connection: close".
std::string client_response_head(const ResponseHead &resp, BodyFraming body, bool keep_alive);

}  // namespace srt::proxy::http
