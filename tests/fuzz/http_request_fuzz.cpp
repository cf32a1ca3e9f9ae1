// libFuzzer target for the HTTP proxy's parsers: request and response heads,
// bodies, request targets and the credential check. Each input is parsed at
// once and in random pieces; both must agree, and what a complete head holds
// must be safe to forward.
#include "fuzz_chunks.hpp"

#include "body_reader.hpp"
#include "http_limits.hpp"
#include "proxy_auth.hpp"
#include "request_head.hpp"
#include "request_target.hpp"
#include "response_head.hpp"

#include <string>

using namespace srt::proxy::http;
using srt::fuzz::require;

namespace {

struct Outcome {
  HeadStatus status;
  std::size_t consumed;
  int error_status;
};

template <class Parser>
Outcome parse(Parser &p, const std::vector<std::string_view> &pieces) {
  std::size_t used = 0;
  HeadParser::Result r{HeadStatus::need_more, 0};
  for (auto piece : pieces) {
    r = p.feed(piece);
    require(r.consumed <= piece.size());
    used += r.consumed;
    if (r.status != HeadStatus::need_more) {
      require(p.feed("more").consumed == 0);  // nothing after the end
      break;
    }
    require(r.consumed == piece.size());
  }
  require(p.size() <= kMaxHeadBytes);
  return {r.status, used, r.status == HeadStatus::invalid ? p.error().status : 0};
}

bool clean(std::string_view s) {
  for (unsigned char c : s)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

void check_request_head(const RequestHead &h) {
  require(!h.method.empty() && h.method.size() <= kMaxMethodBytes && clean(h.method));
  require(!h.target.empty() && clean(h.target) && h.target.find(' ') == std::string::npos);
  require(h.fields.size() <= kMaxHeaderCount);
  for (const auto &f : h.fields) {
    require(!f.name.empty() && f.name.size() <= kMaxHeaderNameBytes && clean(f.name));
    require(f.value.size() <= kMaxHeaderValueBytes && clean(f.value));
    require(f.name.find(':') == std::string::npos);
  }
  require(!(h.body.kind == BodyKind::chunked && h.minor_version == 0));
  auto authority = parse_authority_form(h.target);
  if (authority) require(authority->port != 0 && !authority->host.empty() && clean(authority->host));
  UrlProblem problem;
  auto url = parse_absolute_url(h.target, problem);
  if (url) {
    require(problem == UrlProblem::none);
    require(!url->path.empty() && url->path[0] == '/' && url->path.find('#') == std::string::npos);
    require(url->authority.host.find_first_of("@/") == std::string::npos);
  }
}

// The body after a complete head, at once and in pieces: same payload,
// same end.
void check_body(BodyFraming framing, std::string_view rest, std::uint32_t seed) {
  BodyReader whole(framing);
  std::vector<std::string_view> a;
  auto wr = whole.feed(rest, a);
  require(wr.consumed <= rest.size());
  BodyReader pieces(framing);
  std::vector<std::string_view> b;
  std::size_t used = 0;
  BodyReader::Result pr{0, pieces.done(), false};
  for (auto piece : srt::fuzz::split(rest, seed, 17)) {
    if (pr.done || pr.error) break;
    pr = pieces.feed(piece, b);
    used += pr.consumed;
  }
  std::string pa, pb;
  for (auto v : a) pa += v;
  for (auto v : b) pb += v;
  require(wr.error == pr.error);
  if (!wr.error) {
    require(wr.done == pr.done);
    require(pa == pb);
    if (wr.done) require(wr.consumed == used);
  }
  require(pa.size() <= rest.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint32_t seed = data[0];
  const std::string_view in(reinterpret_cast<const char *>(data) + 1, size - 1);

  RequestHeadParser at_once;
  auto a = parse(at_once, {in});
  RequestHeadParser in_pieces;
  auto b = parse(in_pieces, srt::fuzz::split(in, seed, 64));
  require(a.status == b.status && a.error_status == b.error_status);
  if (a.status == HeadStatus::complete) {
    require(a.consumed == b.consumed);
    check_request_head(at_once.head());
    check_body(at_once.head().body, in.substr(a.consumed), seed);
  }
  if (a.status == HeadStatus::invalid) require(a.error_status == 400 || a.error_status == 431 || a.error_status == 505);

  ResponseHeadParser response;
  auto r = parse(response, srt::fuzz::split(in, seed + 1, 64));
  if (r.status == HeadStatus::complete) {
    const auto &h = response.head();
    require(h.status >= 100 && h.status <= 599 && clean(h.reason));
    check_body(response_body(h, "GET"), in.substr(r.consumed), seed);
  }
  if (r.status == HeadStatus::invalid) require(r.error_status == 502);

  // Raw chunked bodies and credential values straight from the input.
  check_body({BodyKind::chunked, 0}, in, seed);
  (void)srt::proxy::basic_authorization_ok(in, "token");
  return 0;
}
