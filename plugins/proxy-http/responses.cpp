#include "responses.hpp"

#include "http_syntax.hpp"
#include "reason_text.hpp"

#include <algorithm>
#include <array>

namespace srt::proxy::http {
namespace {

constexpr std::string_view kAllowlistBody = "Connection blocked by network allowlist";

// RFC 9110 7.6.1 plus the fields only the proxy hop uses.
constexpr std::array<std::string_view, 9> kHopByHop = {
    "connection",        "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
    "transfer-encoding", "upgrade"};

bool dropped(std::string_view name, const std::vector<std::string> &connection_options,
             std::initializer_list<std::string_view> also) {
  for (auto h : kHopByHop)
    if (iequals(name, h)) return true;
  for (auto h : also)
    if (iequals(name, h)) return true;
  auto lower = to_lower(name);
  return std::find(connection_options.begin(), connection_options.end(), lower) != connection_options.end();
}

void append_field(std::string &out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

std::string text_response(int status, std::string_view phrase, std::string_view extra_fields, std::string_view body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(phrase) + "\r\n";
  out += "Content-Type: text/plain\r\n";
  out += extra_fields;
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Connection: close\r\n\r\n";
  out += body;
  return out;
}

bool address_refusal(const Refusal &r) { return r.kind == "address"; }

std::string guard_body(const Refusal &r) {
  return "Connection to " + sanitize_reason(r.host, kMaxReasonBodyBytes) +
         " blocked: " + sanitize_reason(r.reason, kMaxReasonBodyBytes);
}

}  // namespace

std::string_view status_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

std::string error_response(int status, std::string_view message) {
  return text_response(status, status_phrase(status), {}, std::string(message) + "\n");
}

std::string not_a_proxy_response() {
  return error_response(400,
                        "srt: this is a proxy; send requests in absolute form (GET http://host/path) or use CONNECT");
}

std::string proxy_auth_required_response() {
  return text_response(407, status_phrase(407), "Proxy-Authenticate: Basic realm=\"srt\"\r\n",
                       "srt: proxy authentication required\n");
}

std::string plain_refusal_response(const Refusal &r) {
  if (address_refusal(r))
    return text_response(403, "Forbidden", "X-Proxy-Error: blocked-by-sandbox-runtime\r\n", guard_body(r));
  std::string body = std::string(kAllowlistBody) + "\n";
  if (auto reason = sanitize_reason(r.reason, kMaxReasonBodyBytes); !reason.empty()) body += "reason: " + reason + "\n";
  return text_response(403, "Forbidden", "X-Proxy-Error: blocked-by-allowlist\r\n", body);
}

std::string connect_refusal_response(const Refusal &r) {
  auto phrase = sanitize_reason(r.reason, kMaxReasonPhraseBytes);
  if (phrase.empty()) phrase = "Forbidden";
  // The reference's exact shape: no length, the body ends with the connection.
  std::string out = "HTTP/1.1 403 " + phrase + "\r\nContent-Type: text/plain\r\n";
  if (address_refusal(r)) return out + "X-Proxy-Error: blocked-by-sandbox-runtime\r\n\r\n" + guard_body(r);
  return out + "X-Proxy-Error: blocked-by-allowlist\r\n\r\n" + std::string(kAllowlistBody);
}

std::string unreachable_response(const Refusal &r) {
  auto reason = sanitize_reason(r.reason, kMaxReasonBodyBytes);
  return error_response(
      502, "srt: cannot reach " + sanitize_reason(r.host, kMaxReasonBodyBytes) + (reason.empty() ? "" : ": " + reason));
}

std::string upstream_request_head(const RequestHead &req, const AbsoluteUrl &url, std::string_view canonical_host) {
  std::string out = req.method + " " + url.path + " HTTP/1.1\r\n";
  append_field(out, "Host", host_field_value(canonical_host, url.authority.port));
  for (const auto &f : req.fields)
    if (!dropped(f.name, req.connection, {"host", "content-length"})) append_field(out, f.name, f.value);
  if (req.body.kind == BodyKind::length) append_field(out, "Content-Length", std::to_string(req.body.length));
  if (req.body.kind == BodyKind::chunked) append_field(out, "Transfer-Encoding", "chunked");
  append_field(out, "Connection", "close");
  out += "\r\n";
  return out;
}

std::string client_response_head(const ResponseHead &resp, BodyFraming body, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " " + resp.reason + "\r\n";
  // With no body the upstream Content-Length still describes the resource
  // (HEAD, 304) and is kept; otherwise the proxy states its own framing.
  const bool keep_length = body.kind == BodyKind::none;
  for (const auto &f : resp.fields) {
    if (dropped(f.name, resp.connection, {})) continue;
    if (!keep_length && iequals(f.name, "content-length")) continue;
    append_field(out, f.name, f.value);
  }
  if (body.kind == BodyKind::length) append_field(out, "Content-Length", std::to_string(body.length));
  if (body.kind == BodyKind::chunked) append_field(out, "Transfer-Encoding", "chunked");
  if (!keep_alive) append_field(out, "Connection", "close");
  out += "\r\n";
  return out;
}

}  // namespace srt::proxy::http
