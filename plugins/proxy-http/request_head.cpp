#include "request_head.hpp"

#include "http_limits.hpp"
#include "http_syntax.hpp"

#include <algorithm>

namespace srt::proxy::http {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

RequestHeadParser::RequestHeadParser() : HeadParser(kMaxRequestLineBytes, 400, 431) {}

bool RequestHeadParser::start_line(std::string_view line) {
  auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return fail(400, "malformed request line");
  auto method = line.substr(0, sp1);
  if (!is_token(method) || method.size() > kMaxMethodBytes) return fail(400, "invalid method");
  auto rest = line.substr(sp1 + 1);
  auto sp2 = rest.find(' ');
  if (sp2 == std::string_view::npos) return fail(400, "malformed request line");
  auto target = rest.substr(0, sp2);
  if (target.empty()) return fail(400, "empty request target");
  for (unsigned char c : target)
    if (c <= 0x20 || c >= 0x7F) return fail(400, "invalid character in the request target");
  auto version = rest.substr(sp2 + 1);
  if (version == "HTTP/1.1") {
    head_.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    head_.minor_version = 0;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && is_digit(version[5]) && version[6] == '.' &&
             is_digit(version[7])) {
    return fail(505, "HTTP version not supported");
  } else {
    return fail(400, "malformed request line");
  }
  head_.method = std::string(method);
  head_.target = std::string(target);
  return true;
}

bool RequestHeadParser::finish() {
  head_.fields = std::move(fields_);
  const auto &f = head_.fields;
  if (count_fields(f, "host") > 1) return fail(400, "more than one Host field");
  const auto lengths = count_fields(f, "content-length");
  const auto codings = count_fields(f, "transfer-encoding");
  if (lengths > 1) return fail(400, "more than one Content-Length field");
  if (codings > 1) return fail(400, "more than one Transfer-Encoding field");
  if (lengths && codings) return fail(400, "both Content-Length and Transfer-Encoding");
  if (lengths) {
    const auto &v = find_field(f, "content-length")->value;
    if (v.empty() || v.size() > kMaxContentLengthDigits || !std::all_of(v.begin(), v.end(), is_digit))
      return fail(400, "invalid Content-Length");
    std::uint64_t n = 0;
    for (char c : v) n = n * 10 + static_cast<std::uint64_t>(c - '0');
    head_.body = {n ? BodyKind::length : BodyKind::none, n};
  }
  if (codings) {
    if (head_.minor_version == 0) return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (!iequals(find_field(f, "transfer-encoding")->value, "chunked")) return fail(400, "unsupported transfer coding");
    head_.body = {BodyKind::chunked, 0};
  }
  if (!connection_options(f, head_.connection)) return fail(400, "invalid Connection field");
  auto has = [&](const char *o) {
    return std::find(head_.connection.begin(), head_.connection.end(), o) != head_.connection.end();
  };
  head_.keep_alive = head_.minor_version == 1 ? !has("close") : has("keep-alive");
  return true;
}

}  // namespace srt::proxy::http
