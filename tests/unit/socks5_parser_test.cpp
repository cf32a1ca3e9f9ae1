// The SOCKS5 proxy's pure handshake parser (RFC 1928, RFC 1929).
#include "socks5_handshake.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace srt::proxy::socks5;
using Event = Handshake::Event;

namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

const std::string kGreetingNoAuth = bytes({5, 1, 0});
const std::string kGreetingUserPass = bytes({5, 2, 0, 2});
std::string auth(const std::string &user, const std::string &pass) {
  return bytes({1, static_cast<int>(user.size())}) + user + bytes({static_cast<int>(pass.size())}) + pass;
}
const std::string kConnectV4 = bytes({5, 1, 0, 1, 127, 0, 0, 1, 0x1F, 0x90});
const std::string kConnectDomain = bytes({5, 1, 0, 3, 9}) + "echo.test" + bytes({0x01, 0xBB});
const std::string kConnectV6 = bytes({5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 80});

// Runs a whole handshake as a session would, collecting events.
struct Run {
  std::vector<Event> events;
  std::size_t consumed = 0;
};
Run run(Handshake &h, std::string_view in, bool accept = true) {
  Run r;
  for (;;) {
    auto s = h.feed(in.substr(r.consumed));
    r.consumed += s.consumed;
    r.events.push_back(s.event);
    if (s.event == Event::credentials && accept) {
      h.accept_credentials();
      continue;
    }
    if (s.event == Event::method_selected && h.method() != kNoAcceptableMethod) continue;
    return r;
  }
}

}  // namespace

TEST_CASE("socks5 parser: no-auth greeting then IPv4 CONNECT") {
  Handshake h(false);
  auto r = run(h, kGreetingNoAuth + kConnectV4 + "payload");
  CHECK(r.events == std::vector<Event>{Event::method_selected, Event::request});
  CHECK(h.method() == kNoAuth);
  CHECK(h.address_type() == kIPv4);
  CHECK(h.host() == "127.0.0.1");
  CHECK(h.port() == 8080);
  CHECK(r.consumed == kGreetingNoAuth.size() + kConnectV4.size());  // the payload stays
}

TEST_CASE("socks5 parser: domain and IPv6 requests") {
  Handshake d(false);
  run(d, kGreetingNoAuth + kConnectDomain);
  CHECK(d.address_type() == kDomain);
  CHECK(d.host() == "echo.test");
  CHECK(d.port() == 443);
  Handshake v6(false);
  run(v6, kGreetingNoAuth + kConnectV6);
  CHECK(v6.address_type() == kIPv6);
  CHECK(v6.host() == "::1");
  CHECK(v6.port() == 80);
  // The domain is passed on as sent (the core judges it).
  Handshake odd(false);
  run(odd, kGreetingNoAuth + bytes({5, 1, 0, 3, 3, 'a', 0, 'b', 0, 1}));
  CHECK(odd.host() == std::string("a\0b", 3));
}

TEST_CASE("socks5 parser: method selection with and without a token") {
  Handshake with_token(true);
  CHECK(with_token.feed(kGreetingNoAuth).event == Event::method_selected);
  CHECK(with_token.method() == kNoAcceptableMethod);
  Handshake no_token_userpass_only(false);
  no_token_userpass_only.feed(bytes({5, 1, 2}));
  CHECK(no_token_userpass_only.method() == kNoAcceptableMethod);
  Handshake none(false);
  none.feed(bytes({5, 0}));
  CHECK(none.method() == kNoAcceptableMethod);
  Handshake both(true);
  both.feed(kGreetingUserPass);
  CHECK(both.method() == kUserPassword);
}

TEST_CASE("socks5 parser: user/password sub-negotiation") {
  Handshake h(true);
  auto r = run(h, kGreetingUserPass + auth("srt.abc", "tok") + kConnectDomain);
  CHECK(r.events == std::vector<Event>{Event::method_selected, Event::credentials, Event::request});
  CHECK(h.user() == "srt.abc");
  CHECK(h.password() == "tok");
  Handshake empty(true);
  run(empty, kGreetingUserPass + auth("", ""), false);
  CHECK(empty.user().empty());
  CHECK(empty.password().empty());
  Handshake long_names(true);
  run(long_names, kGreetingUserPass + auth(std::string(255, 'u'), std::string(255, 'p')), false);
  CHECK(long_names.user().size() == 255);
  CHECK(long_names.password().size() == 255);
  // Without accept_credentials, no request is parsed.
  Handshake refused(true);
  auto rr = run(refused, kGreetingUserPass + auth("srt", "bad") + kConnectV4, false);
  CHECK(rr.events.back() == Event::credentials);
}

TEST_CASE("socks5 parser: refusals carry the right reply") {
  auto fail_of = [](const std::string &request) {
    Handshake h(false);
    auto r = run(h, kGreetingNoAuth + request);
    REQUIRE(r.events.back() == Event::failed);
    return h.failure_reply();
  };
  CHECK(fail_of(bytes({5, 2, 0, 1, 127, 0, 0, 1, 0, 80})) == kCommandNotSupported);  // BIND
  CHECK(fail_of(bytes({5, 3, 0, 1, 0, 0, 0, 0, 0, 0})) == kCommandNotSupported);     // UDP ASSOCIATE
  CHECK(fail_of(bytes({5, 9, 0, 1})) == kCommandNotSupported);
  CHECK(fail_of(bytes({5, 1, 0, 2})) == kAddressTypeNotSupported);
  CHECK(fail_of(bytes({5, 1, 0, 0xFF})) == kAddressTypeNotSupported);
  CHECK(fail_of(bytes({5, 1, 1, 1})) == 0);            // reserved byte set: malformed
  CHECK(fail_of(bytes({4, 1, 0, 1})) == 0);            // wrong version
  CHECK(fail_of(bytes({5, 1, 0, 3, 0, 0, 80})) == 0);  // empty domain
  Handshake v4(false);
  CHECK(v4.feed(bytes({4, 1, 0, 80, 127, 0, 0, 1, 0})).event == Event::failed);  // SOCKS4
  CHECK(v4.failure_reply() == 0);
  Handshake bad_auth_version(true);
  auto r = run(bad_auth_version, kGreetingUserPass + bytes({5, 3, 's', 'r', 't', 0}));
  CHECK(r.events.back() == Event::failed);
  // Once failed, nothing more is consumed.
  CHECK(bad_auth_version.feed("more").consumed == 0);
}

TEST_CASE("socks5 parser: every truncation needs more, every split gives the same result") {
  const std::string full = kGreetingUserPass + auth("srt", "secret") + kConnectV6;
  Handshake whole(true);
  auto expected = run(whole, full);
  REQUIRE(expected.events.back() == Event::request);
  for (std::size_t cut = 0; cut <= full.size(); ++cut) {
    CAPTURE(cut);
    Handshake h(true);
    auto first = run(h, full.substr(0, cut));
    CHECK(first.consumed == cut);
    if (cut == full.size()) {
      CHECK(first.events.back() == Event::request);
      continue;
    }
    CHECK(first.events.back() == Event::need_more);
    auto second = run(h, full.substr(cut));
    CHECK(first.consumed + second.consumed == full.size());
    CHECK(second.events.back() == Event::request);
    CHECK(h.host() == "::1");
    CHECK(h.user() == "srt");
  }
  for (const auto &request : {kConnectV4, kConnectDomain}) {
    for (std::size_t cut = 0; cut < request.size(); ++cut) {
      Handshake h(false);
      run(h, kGreetingNoAuth);
      auto part = h.feed(request.substr(0, cut));
      CHECK(part.event == Event::need_more);
      CHECK(h.feed(request.substr(cut)).event == Event::request);
    }
  }
}

TEST_CASE("socks5 parser: replies and IPv6 text") {
  CHECK(reply_bytes(kNotAllowed) == bytes({5, 2, 0, 1, 0, 0, 0, 0, 0, 0}));
  CHECK(reply_bytes(kCommandNotSupported) == bytes({5, 7, 0, 1, 0, 0, 0, 0, 0, 0}));
  const std::uint8_t v4[] = {127, 0, 0, 1};
  CHECK(reply_bytes(kSucceeded, v4, 0x1234) == bytes({5, 0, 0, 1, 127, 0, 0, 1, 0x12, 0x34}));
  std::uint8_t v6[16] = {};
  v6[15] = 1;
  CHECK(reply_bytes(kSucceeded, v6, 80) == bytes({5, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 80}));
  auto text = [](std::initializer_list<unsigned> groups) {
    std::array<std::uint8_t, 16> a{};
    std::size_t i = 0;
    for (auto g : groups) {
      a[i++] = static_cast<std::uint8_t>(g >> 8);
      a[i++] = static_cast<std::uint8_t>(g & 0xFF);
    }
    return ipv6_text(a);
  };
  CHECK(text({0, 0, 0, 0, 0, 0, 0, 0}) == "::");
  CHECK(text({0, 0, 0, 0, 0, 0, 0, 1}) == "::1");
  CHECK(text({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}) == "2001:db8::1");
  CHECK(text({0x2001, 0xdb8, 0, 1, 0, 0, 0, 1}) == "2001:db8:0:1::1");
  CHECK(text({0x2001, 0, 0, 1, 0, 0, 0, 0}) == "2001:0:0:1::");
  CHECK(text({1, 0, 1, 1, 1, 1, 1, 1}) == "1:0:1:1:1:1:1:1");
  CHECK(text({0, 0, 0, 0, 0, 0xffff, 0x7f00, 1}) == "::ffff:7f00:1");
}
