// The HTTP proxy's pure parsers: request and response heads, bodies, request
// targets, and the heads and refusals it writes.
#include "body_reader.hpp"
#include "http_limits.hpp"
#include "request_head.hpp"
#include "request_target.hpp"
#include "response_head.hpp"
#include "responses.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace srt::proxy::http;

namespace {

struct Parsed {
  HeadStatus status;
  std::size_t consumed;
  int error_status;
  RequestHead head;
};

// Feeds `text` in pieces of `step` bytes (0: at once).
Parsed parse_request(std::string_view text, std::size_t step = 0) {
  RequestHeadParser p;
  std::size_t used = 0;
  HeadParser::Result r{HeadStatus::need_more, 0};
  while (used < text.size() && r.status == HeadStatus::need_more) {
    auto piece = text.substr(used, step ? step : text.size());
    r = p.feed(piece);
    CHECK(r.consumed <= piece.size());
    used += r.consumed;
    if (r.status == HeadStatus::need_more) CHECK(r.consumed == piece.size());
  }
  return {r.status, used, p.error().status, r.status == HeadStatus::complete ? p.take() : RequestHead{}};
}

int request_error(std::string_view text) {
  auto p = parse_request(text);
  REQUIRE(p.status == HeadStatus::invalid);
  return p.error_status;
}

}  // namespace

TEST_CASE("http parser: a simple absolute-form request") {
  auto p = parse_request("GET http://example.com/a?b=1 HTTP/1.1\r\nHost: example.com\r\nX-A:  v  \r\n\r\n");
  REQUIRE(p.status == HeadStatus::complete);
  CHECK(p.head.method == "GET");
  CHECK(p.head.target == "http://example.com/a?b=1");
  CHECK(p.head.minor_version == 1);
  REQUIRE(p.head.fields.size() == 2);
  CHECK(p.head.fields[1].name == "X-A");
  CHECK(p.head.fields[1].value == "v");
  CHECK(p.head.body.kind == BodyKind::none);
  CHECK(p.head.keep_alive);
}

TEST_CASE("http parser: keep-alive follows the version and Connection") {
  CHECK_FALSE(parse_request("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").head.keep_alive);
  CHECK_FALSE(parse_request("GET / HTTP/1.0\r\n\r\n").head.keep_alive);
  CHECK(parse_request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").head.keep_alive);
  auto p = parse_request("GET / HTTP/1.1\r\nConnection: keep-alive, X-Foo\r\nConnection: ,te\r\n\r\n");
  REQUIRE(p.status == HeadStatus::complete);
  CHECK(p.head.connection == std::vector<std::string>{"keep-alive", "x-foo", "te"});
  CHECK(request_error("GET / HTTP/1.1\r\nConnection: a b\r\n\r\n") == 400);
}

TEST_CASE("http parser: the head ends exactly; pipelined bytes are not consumed") {
  std::string head = "CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n";
  std::string text = head + "\x16\x03\x01 tls bytes GET / HTTP/1.1\r\n\r\n";
  for (std::size_t step : {0, 1, 2, 3, 7, 64}) {
    CAPTURE(step);
    auto p = parse_request(text, step);
    REQUIRE(p.status == HeadStatus::complete);
    CHECK(p.consumed == head.size());
    CHECK(p.head.method == "CONNECT");
  }
}

TEST_CASE("http parser: every split point of valid and invalid heads gives the same result") {
  const std::string cases[] = {
      "POST http://h/x HTTP/1.1\r\nContent-Length: 5\r\nX: y\r\n\r\nhello",
      "POST http://h/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "GET http://h/ HTTP/1.1\r\nX: a\rb\r\n\r\n",
      "GET http://h/ HTTP/1.1\r\nX: a\nb\r\n\r\n",
      "GET http://h/ HTTP/1.1\r\n folded\r\n\r\n",
      "GET http://h/ HTTP/2.0\r\n\r\n",
      "\r\n\r\nGET http://h/ HTTP/1.1\r\n\r\n",
  };
  for (const auto &text : cases) {
    auto whole = parse_request(text);
    for (std::size_t cut = 1; cut < text.size(); ++cut) {
      CAPTURE(text);
      CAPTURE(cut);
      RequestHeadParser p;
      auto a = p.feed(std::string_view(text).substr(0, cut));
      HeadParser::Result b = a;
      if (a.status == HeadStatus::need_more) b = p.feed(std::string_view(text).substr(cut));
      CHECK(b.status == whole.status);
      if (whole.status == HeadStatus::complete)
        CHECK(a.consumed + (a.status == HeadStatus::need_more ? b.consumed : 0) == whole.consumed);
      if (whole.status == HeadStatus::invalid) CHECK(p.error().status == whole.error_status);
    }
  }
}

TEST_CASE("http parser: truncated heads need more at every byte") {
  std::string text = "GET http://h/p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n";
  for (std::size_t n = 0; n < text.size(); ++n) {
    CAPTURE(n);
    RequestHeadParser p;
    auto r = p.feed(std::string_view(text).substr(0, n));
    CHECK(r.status == HeadStatus::need_more);
    CHECK(r.consumed == n);
  }
}

TEST_CASE("http parser: request line rules") {
  CHECK(request_error("G(T http://h/ HTTP/1.1\r\n\r\n") == 400);
  CHECK(request_error(" GET http://h/ HTTP/1.1\r\n\r\n") == 400);
  CHECK(request_error("GET  http://h/ HTTP/1.1\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1 \r\n\r\n") == 400);
  CHECK(request_error("GET http://h/\x7f HTTP/1.1\r\n\r\n") == 400);
  CHECK(request_error(std::string("GET http://h/\0 HTTP/1.1\r\n\r\n", 26)) == 400);
  CHECK(request_error("GET http://h/\xc3\xa9 HTTP/1.1\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/\tx HTTP/1.1\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/2.0\r\n\r\n") == 505);
  CHECK(request_error("GET http://h/ HTTP/0.9\r\n\r\n") == 505);
  CHECK(request_error("GET http://h/ http/1.1\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.10\r\n\r\n") == 400);
  CHECK(request_error(std::string(kMaxMethodBytes + 1, 'A') + " http://h/ HTTP/1.1\r\n\r\n") == 400);
  CHECK(parse_request(std::string(kMaxMethodBytes, 'A') + " http://h/ HTTP/1.1\r\n\r\n").status ==
        HeadStatus::complete);
  CHECK(parse_request("M-SEARCH* http://h/ HTTP/1.1\r\n\r\n").status == HeadStatus::complete);
}

TEST_CASE("http parser: line endings are strict CRLF") {
  CHECK(request_error("GET http://h/ HTTP/1.1\n\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nA: b\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nA: b\rX: y\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\n\r\r\n") == 400);
  // A few empty lines before the request line are tolerated, not more.
  CHECK(parse_request("\r\n\r\nGET http://h/ HTTP/1.1\r\n\r\n").status == HeadStatus::complete);
  std::string many;
  for (std::size_t i = 0; i <= kMaxLeadingEmptyLines; ++i) many += "\r\n";
  CHECK(request_error(many + "GET http://h/ HTTP/1.1\r\n\r\n") == 400);
}

TEST_CASE("http parser: header field rules") {
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nA: b\r\n c\r\n\r\n") == 400);  // obs-fold
  CHECK(request_error("GET http://h/ HTTP/1.1\r\n\tA: b\r\n\r\n") == 400);      // leading tab
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nA : b\r\n\r\n") == 400);       // space before colon
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nA b: c\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nno colon\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\n: empty name\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nA\x01: b\r\n\r\n") == 400);
  CHECK(request_error(std::string("GET http://h/ HTTP/1.1\r\nA: b\0c\r\n\r\n", 33)) == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nA: b\x01\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nA: b\x7f\r\n\r\n") == 400);
  // Header injection through a value cannot happen: CR and LF end lines only as a pair.
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nA: b\rInjected: 1\r\n\r\n") == 400);
  // obs-text, tabs and colons inside values are fine.
  auto p = parse_request("GET http://h/ HTTP/1.1\r\nA: caf\xc3\xa9\tx:y\r\nB:\r\n\r\n");
  REQUIRE(p.status == HeadStatus::complete);
  CHECK(p.head.fields[0].value == "caf\xc3\xa9\tx:y");
  CHECK(p.head.fields[1].value.empty());
}

TEST_CASE("http parser: framing fields") {
  auto cl = parse_request("POST http://h/ HTTP/1.1\r\nContent-Length: 42\r\n\r\n");
  REQUIRE(cl.status == HeadStatus::complete);
  CHECK(cl.head.body.kind == BodyKind::length);
  CHECK(cl.head.body.length == 42);
  CHECK(parse_request("POST http://h/ HTTP/1.1\r\nContent-Length: 0\r\n\r\n").head.body.kind == BodyKind::none);
  auto te = parse_request("POST http://h/ HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n");
  REQUIRE(te.status == HeadStatus::complete);
  CHECK(te.head.body.kind == BodyKind::chunked);

  CHECK(request_error("POST http://h/ HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 6\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nContent-Length: +5\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nContent-Length: -1\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nContent-Length:\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nContent-Length: " + std::string(kMaxContentLengthDigits + 1, '9') +
                      "\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n") ==
        400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n") == 400);
  CHECK(request_error("POST http://h/ HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
}

TEST_CASE("http parser: oversized heads are 431") {
  CHECK(request_error("GET http://h/" + std::string(kMaxRequestLineBytes, 'a') + " HTTP/1.1\r\n\r\n") == 431);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\n" + std::string(kMaxHeaderNameBytes + 1, 'n') + ": v\r\n\r\n") == 431);
  CHECK(request_error("GET http://h/ HTTP/1.1\r\nN: " + std::string(kMaxHeaderValueBytes + 1, 'v') + "\r\n\r\n") ==
        431);
  std::string many = "GET http://h/ HTTP/1.1\r\n";
  for (std::size_t i = 0; i <= kMaxHeaderCount; ++i) many += "X" + std::to_string(i) + ": v\r\n";
  CHECK(request_error(many + "\r\n") == 431);
  std::string big = "GET http://h/ HTTP/1.1\r\n";
  while (big.size() <= kMaxHeadBytes) big += "X: " + std::string(kMaxHeaderValueBytes / 2, 'v') + "\r\n";
  CHECK(request_error(big + "\r\n") == 431);
  // An endless line is refused as soon as it passes the limit, not at its end.
  RequestHeadParser p;
  std::string chunk(4096, 'a');
  auto r = p.feed("GET http://h/");
  std::size_t fed = 0;
  while (r.status == HeadStatus::need_more && fed < 10 * kMaxHeadBytes) {
    r = p.feed(chunk);
    fed += chunk.size();
  }
  CHECK(r.status == HeadStatus::invalid);
  CHECK(fed <= kMaxRequestLineBytes + chunk.size());
}

TEST_CASE("http parser: response heads") {
  ResponseHeadParser p;
  auto r = p.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  REQUIRE(r.status == HeadStatus::complete);
  auto h = p.take();
  CHECK(h.status == 200);
  CHECK(h.reason == "OK");
  CHECK(h.content_length == 5u);
  CHECK(h.connection == std::vector<std::string>{"close"});
  CHECK(response_body(h, "GET").kind == BodyKind::length);
  CHECK(response_body(h, "HEAD").kind == BodyKind::none);

  auto parse = [](std::string_view text) {
    ResponseHeadParser q;
    auto res = q.feed(text);
    return std::make_pair(res.status, q.head());
  };
  CHECK(parse("HTTP/1.1 204\r\n\r\n").first == HeadStatus::complete);
  CHECK(response_body(parse("HTTP/1.1 204 No Content\r\n\r\n").second, "GET").kind == BodyKind::none);
  CHECK(response_body(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n").second, "GET").kind ==
        BodyKind::none);
  CHECK(response_body(parse("HTTP/1.1 100 Continue\r\n\r\n").second, "POST").kind == BodyKind::none);
  CHECK(response_body(parse("HTTP/1.1 200 OK\r\n\r\n").second, "GET").kind == BodyKind::until_close);
  CHECK(response_body(parse("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").second, "GET").kind ==
        BodyKind::chunked);
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n").first == HeadStatus::invalid);
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n").first ==
        HeadStatus::invalid);
  CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").first == HeadStatus::invalid);
  CHECK(parse("HTTP/2 200 OK\r\n\r\n").first == HeadStatus::invalid);
  CHECK(parse("HTTP/1.1 20 OK\r\n\r\n").first == HeadStatus::invalid);
  CHECK(parse("HTTP/1.1 2000 OK\r\n\r\n").first == HeadStatus::invalid);
  CHECK(parse("HTTP/1.1 099 OK\r\n\r\n").first == HeadStatus::invalid);
  CHECK(parse("HTTP/1.1 200 O\x01K\r\n\r\n").first == HeadStatus::invalid);
  CHECK(parse("HTTP/1.1 200 OK\nX: y\r\n\r\n").first == HeadStatus::invalid);
  CHECK(parse("SSH-2.0-OpenSSH\r\n\r\n").first == HeadStatus::invalid);
  ResponseHeadParser big;
  CHECK(big.feed("HTTP/1.1 200 OK\r\nX: " + std::string(kMaxHeadBytes, 'x')).status == HeadStatus::invalid);
  CHECK(big.error().status == 502);
}

TEST_CASE("http parser: Content-Length bodies stop at their end") {
  BodyReader r({BodyKind::length, 5});
  std::vector<std::string_view> out;
  auto a = r.feed("hel", out);
  CHECK(a.consumed == 3);
  CHECK_FALSE(a.done);
  auto b = r.feed("loGET next", out);
  CHECK(b.consumed == 2);
  CHECK(b.done);
  CHECK(out == std::vector<std::string_view>{"hel", "lo"});
  CHECK_FALSE(BodyReader({BodyKind::length, 5}).end_of_input());
  BodyReader until({BodyKind::until_close, 0});
  out.clear();
  CHECK(until.feed("abc", out).consumed == 3);
  CHECK(until.end_of_input());
}

TEST_CASE("http parser: chunked bodies, at every split point") {
  const std::string body =
      "5;name=value\r\nhello\r\n6\r\n world\r\nA \r\n0123456789\r\n0\r\nTrailer: t\r\nX: y\r\n\r\n";
  const std::string next = "GET http://h/ HTTP/1.1\r\n\r\n";
  const std::string text = body + next;
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    CAPTURE(cut);
    BodyReader r({BodyKind::chunked, 0});
    std::vector<std::string_view> out;
    auto a = r.feed(std::string_view(text).substr(0, cut), out);
    std::size_t used = a.consumed;
    if (!a.done) {
      CHECK(a.consumed == cut);
      auto b = r.feed(std::string_view(text).substr(cut), out);
      used += b.consumed;
      CHECK(b.done);
    }
    std::string payload;
    for (auto v : out) payload += v;
    CHECK(payload == "hello world0123456789");
    CHECK(used == body.size());
  }
}

TEST_CASE("http parser: malformed chunked bodies are refused") {
  const std::string bad[] = {
      "x\r\n",                          // not hex
      "\r\n",                           // no size
      "5\r\nhelloX\r\n",                // data not followed by CRLF
      "5\nhello\r\n",                   // bare LF after size
      "5\r\nhello\n",                   // bare LF after data
      "5;a\x01\r\nhello\r\n",           // control character in an extension
      "1234567890abcdef0\r\n",          // too many digits
      "0\r\n folded: trailer\r\n\r\n",  // obs-fold in trailers
      "0\r\nno colon\r\n\r\n",          // trailer line without a colon
      "0\r\nX: y\n\r\n",                // bare LF in trailers
      std::string("5\0\r\n", 4),        // NUL after the size
  };
  for (const auto &text : bad) {
    CAPTURE(text);
    BodyReader r({BodyKind::chunked, 0});
    std::vector<std::string_view> out;
    auto res = r.feed(text, out);
    CHECK(res.error);
    CHECK(r.failed());
  }
  BodyReader long_line({BodyKind::chunked, 0});
  std::vector<std::string_view> out;
  CHECK(long_line.feed("1;" + std::string(kMaxChunkLineBytes, 'e'), out).error);
  BodyReader long_trailer({BodyKind::chunked, 0});
  CHECK(long_trailer.feed("0\r\nX: " + std::string(kMaxTrailerBytes, 't'), out).error);
  BodyReader unfinished({BodyKind::chunked, 0});
  CHECK_FALSE(unfinished.feed("5\r\nhel", out).error);
  CHECK_FALSE(unfinished.end_of_input());
  CHECK(chunk_header(0) == "0\r\n");
  CHECK(chunk_header(255) == "ff\r\n");
  CHECK(chunk_header(65536) == "10000\r\n");
}

TEST_CASE("http parser: CONNECT targets") {
  auto a = parse_authority_form("example.com:443");
  REQUIRE(a);
  CHECK(a->host == "example.com");
  CHECK(a->port == 443);
  auto v6 = parse_authority_form("[2001:db8::1]:8443");
  REQUIRE(v6);
  CHECK(v6->host == "2001:db8::1");
  CHECK(v6->port == 8443);
  for (const char *bad : {"example.com", "example.com:", "example.com:0", "example.com:65536", "example.com:+1",
                          "example.com:1x", ":443", "[::1]", "[::1]443", "[]:443", "[::1:443", "[a%b]:1", "::1:443",
                          "user@example.com:443", "example.com/x:443", "example.com:443/", "example.com:00000443"})
    CHECK_MESSAGE(!parse_authority_form(bad), bad);
}

TEST_CASE("http parser: absolute-form URLs") {
  UrlProblem problem;
  auto u = parse_absolute_url("http://Example.com/a/b?c=d#frag", problem);
  REQUIRE(u);
  CHECK(u->authority.host == "Example.com");
  CHECK(u->authority.port == 80);
  CHECK(u->path == "/a/b?c=d");
  u = parse_absolute_url("HTTP://h:8080", problem);
  REQUIRE(u);
  CHECK(u->authority.port == 8080);
  CHECK(u->path == "/");
  u = parse_absolute_url("http://h?q", problem);
  REQUIRE(u);
  CHECK(u->path == "/?q");
  u = parse_absolute_url("http://[::1]:81/x", problem);
  REQUIRE(u);
  CHECK(u->authority.host == "::1");
  u = parse_absolute_url("http://h:/x", problem);
  REQUIRE(u);
  CHECK(u->authority.port == 80);

  CHECK_FALSE(parse_absolute_url("https://h/", problem));
  CHECK(problem == UrlProblem::https);
  CHECK_FALSE(parse_absolute_url("ftp://h/", problem));
  CHECK(problem == UrlProblem::other_scheme);
  CHECK_FALSE(parse_absolute_url("/index.html", problem));
  CHECK(problem == UrlProblem::not_absolute);
  CHECK_FALSE(parse_absolute_url("*", problem));
  CHECK(problem == UrlProblem::not_absolute);
  CHECK_FALSE(parse_absolute_url("/x?u=http://h/", problem));
  CHECK(problem == UrlProblem::not_absolute);
  for (const char *bad : {"http://user:pw@h/", "http:///x", "http://:80/", "http://h:99999/", "http://h:x/",
                          "http://[::1/", "http://a[b]/"}) {
    CHECK_MESSAGE(!parse_absolute_url(bad, problem), bad);
    CHECK(problem == UrlProblem::malformed);
  }
  CHECK(host_field_value("example.com", 80) == "example.com");
  CHECK(host_field_value("example.com", 8080) == "example.com:8080");
  CHECK(host_field_value("2001:db8::1", 80) == "[2001:db8::1]");
}

TEST_CASE("http parser: forwarded request heads lose hop-by-hop fields only") {
  auto p = parse_request(
      "POST http://WEB.test:8080/p?q HTTP/1.1\r\nHost: evil\r\nConnection: keep-alive, X-Hop\r\nKeep-Alive: 5\r\n"
      "Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic eA==\r\nTE: trailers\r\nTrailer: X\r\n"
      "Upgrade: h2c\r\nX-Hop: 1\r\nX-Keep: yes\r\nContent-Length: 3\r\n\r\n");
  REQUIRE(p.status == HeadStatus::complete);
  UrlProblem problem;
  auto url = parse_absolute_url(p.head.target, problem);
  REQUIRE(url);
  CHECK(upstream_request_head(p.head, *url, "web.test") ==
        "POST /p?q HTTP/1.1\r\nHost: web.test:8080\r\nX-Keep: yes\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
  auto c = parse_request("POST http://h/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
  REQUIRE(parse_absolute_url(c.head.target, problem));
  CHECK(upstream_request_head(c.head, *parse_absolute_url(c.head.target, problem), "h") ==
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
}

TEST_CASE("http parser: client response heads carry the proxy's framing") {
  ResponseHeadParser p;
  p.feed(
      "HTTP/1.1 200 OK\r\nConnection: close, X-Hop\r\nX-Hop: a\r\nKeep-Alive: 1\r\nTransfer-Encoding: chunked\r\n"
      "X-Keep: b\r\n\r\n");
  auto h = p.take();
  CHECK(client_response_head(h, {BodyKind::chunked, 0}, true) ==
        "HTTP/1.1 200 OK\r\nX-Keep: b\r\nTransfer-Encoding: chunked\r\n\r\n");
  CHECK(client_response_head(h, {BodyKind::until_close, 0}, false) ==
        "HTTP/1.1 200 OK\r\nX-Keep: b\r\nConnection: close\r\n\r\n");
  ResponseHeadParser q;
  q.feed("HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\n\r\n");
  CHECK(client_response_head(q.take(), {}, true) == "HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\n\r\n");
}

TEST_CASE("http parser: refusals have the reference's exact shape") {
  CHECK(connect_refusal_response({"a.test", "host is not on the allow list", "allowlist"}) ==
        "HTTP/1.1 403 host is not on the allow list\r\nContent-Type: text/plain\r\n"
        "X-Proxy-Error: blocked-by-allowlist\r\n\r\nConnection blocked by network allowlist");
  CHECK(
      connect_refusal_response({"a.test", "resolved to a loopback address", "address"}) ==
      "HTTP/1.1 403 resolved to a loopback address\r\nContent-Type: text/plain\r\n"
      "X-Proxy-Error: blocked-by-sandbox-runtime\r\n\r\nConnection to a.test blocked: resolved to a loopback address");
  const std::string body = "Connection blocked by network allowlist\nreason: host is on the deny list\n";
  CHECK(plain_refusal_response({"a.test", "host is on the deny list", "allowlist"}) ==
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nX-Proxy-Error: blocked-by-allowlist\r\n"
        "Content-Length: " +
            std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  // The reason cannot break the status line.
  auto r = connect_refusal_response(
      {"a.test", "no\r\nSet-Cookie: x=1 caf\xc3\xa9 \x01" + std::string(500, 'z'), "allowlist"});
  auto line = r.substr(0, r.find("\r\n"));
  CHECK(line.rfind("HTTP/1.1 403 noSet-Cookie: x=1 caf? ", 0) == 0);
  CHECK(line.size() <= 13 + 200);
  CHECK(r.find("\r\nSet-Cookie") == std::string::npos);
  CHECK(connect_refusal_response({"a.test", "", "allowlist"}).rfind("HTTP/1.1 403 Forbidden\r\n", 0) == 0);
}
