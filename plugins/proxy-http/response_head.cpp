#include "response_head.hpp"

#include "http_limits.hpp"
#include "http_syntax.hpp"

#include <algorithm>

namespace srt::proxy::http {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

ResponseHeadParser::ResponseHeadParser() : HeadParser(kMaxStatusLineBytes, 502, 502) {}

bool ResponseHeadParser::start_line(std::string_view line) {
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || (line[7] != '0' && line[7] != '1') || line[8] != ' ')
    return fail(502, "malformed status line");
  if (!is_digit(line[9]) || !is_digit(line[10]) || !is_digit(line[11])) return fail(502, "malformed status code");
  head_.minor_version = line[7] - '0';
  head_.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (head_.status < 100 || head_.status > 599) return fail(502, "status code out of range");
  auto rest = line.substr(12);
  if (!rest.empty()) {
    // Some servers omit the space when there is no reason phrase.
    if (rest.front() != ' ') return fail(502, "malformed status line");
    rest.remove_prefix(1);
    for (unsigned char c : rest)
      if (!is_field_value_char(c)) return fail(502, "control character in the reason phrase");
  }
  head_.reason = std::string(rest);
  return true;
}

bool ResponseHeadParser::finish() {
  head_.fields = std::move(fields_);
  const auto &f = head_.fields;
  const auto lengths = count_fields(f, "content-length");
  const auto codings = count_fields(f, "transfer-encoding");
  if (lengths > 1) return fail(502, "more than one Content-Length field");
  if (codings > 1) return fail(502, "more than one Transfer-Encoding field");
  if (lengths && codings) return fail(502, "both Content-Length and Transfer-Encoding");
  if (lengths) {
    const auto &v = find_field(f, "content-length")->value;
    if (v.empty() || v.size() > kMaxContentLengthDigits || !std::all_of(v.begin(), v.end(), is_digit))
      return fail(502, "invalid Content-Length");
    std::uint64_t n = 0;
    for (char c : v) n = n * 10 + static_cast<std::uint64_t>(c - '0');
    head_.content_length = n;
  }
  if (codings) {
    if (!iequals(find_field(f, "transfer-encoding")->value, "chunked")) return fail(502, "unsupported transfer coding");
    head_.chunked = true;
  }
  if (!connection_options(f, head_.connection)) return fail(502, "invalid Connection field");
  return true;
}

BodyFraming response_body(const ResponseHead &head, std::string_view method) {
  if (method == "HEAD" || head.status < 200 || head.status == 204 || head.status == 304) return {};
  if (head.chunked) return {BodyKind::chunked, 0};
  if (head.content_length) return {*head.content_length ? BodyKind::length : BodyKind::none, *head.content_length};
  return {BodyKind::until_close, 0};
}

}  // namespace srt::proxy::http
