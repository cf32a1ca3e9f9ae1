// The core's network decisions: host canonicalisation, the reference's
// matching rules and decision order, and the resolved-address guard, with a
// fixed resolver so that every case is exact.
#include "net/address_guard.hpp"
#include "net/decisions.hpp"
#include "net/host.hpp"

#include <srt/policy.hpp>

#include <doctest/doctest.h>

#include <map>

using namespace srt;
using namespace srt::net;

namespace {

std::string canon(const std::string &h) {
  std::string why;
  auto c = canonicalize_host(h, why);
  return c ? c->name : "!" + why;
}

bool malformed(const std::string &h) { return canon(h).rfind("!malformed host", 0) == 0; }

ir::DomainRule rule(const std::string &pattern, ir::Effect e, std::optional<std::uint16_t> port = {}, std::string reason = {}) {
  ir::DomainRule r;
  r.pattern = pattern;
  r.port = port;
  r.effect = e;
  r.reason = e == ir::Effect::deny && reason.empty() ? "host is on the deny list" : reason;
  r.origin = pattern;
  return r;
}

IpAddress ip(const std::string &text) {
  std::string why;
  auto c = canonicalize_host(text, why);
  REQUIRE(c);
  REQUIRE(c->ip);
  return *c->ip;
}

struct Fixture {
  ir::Network net;
  std::map<std::string, std::vector<std::string>> dns;
  std::vector<std::string> interfaces{"10.1.2.3", "fe80::1"};
  AskFn ask;

  Decider decider() {
    auto resolve = [this](const std::string &h, std::string &err) {
      std::vector<IpAddress> out;
      auto it = dns.find(h);
      if (it == dns.end()) err = "Name or service not known";
      else
        for (const auto &a : it->second) out.push_back(ip(a));
      return out;
    };
    auto ifs = [this] {
      std::vector<IpAddress> out;
      for (const auto &a : interfaces) out.push_back(ip(a));
      return out;
    };
    return Decider(std::make_shared<Rules>(net), ask, resolve, ifs);
  }
};

}  // namespace

TEST_CASE("hosts: canonical form") {
  CHECK(canon("EXAMPLE.com.") == "example.com");
  CHECK(canon("127.1") == "127.0.0.1");
  CHECK(canon("0x7f.1") == "127.0.0.1");
  CHECK(canon("0x7f.0.0.1") == "127.0.0.1");
  CHECK(canon("2130706433") == "127.0.0.1");
  CHECK(canon("017700000001") == "127.0.0.1");
  CHECK(canon("[::1]") == "::1");
  CHECK(canon("::1") == "::1");
  CHECK(canon("[2001:DB8:0:0::1]") == "2001:db8::1");
  CHECK(canon("[::ffff:127.0.0.1]") == "127.0.0.1");
  CHECK(canon("[::ffff:7f00:1]") == "127.0.0.1");
  CHECK(canon("under_score.example.com") == "under_score.example.com");
  CHECK(canon("intranet") == "intranet");
}

TEST_CASE("hosts: hostile spellings are malformed") {
  CHECK(malformed(""));
  CHECK(malformed("evil.com/example.com"));
  CHECK(malformed("example.com%2f"));
  CHECK(malformed("%65xample.com"));
  CHECK(malformed("exa mple.com"));
  CHECK(malformed(std::string("example.com\r\nX-Injected: 1")));
  CHECK(malformed(std::string("example.com\0.evil", 17)));
  CHECK(malformed("exam\x01ple.com"));
  CHECK(malformed("[fe80::1%eth0]"));
  CHECK(malformed("fe80::1%25eth0"));
  CHECK(malformed("[::1"));
  CHECK(malformed("a..b.com"));
  CHECK(malformed(".example.com"));
  CHECK(malformed("example.com.."));
  CHECK(malformed("256.1.1.1"));
  CHECK(malformed("1.2.3.4.5"));
  CHECK(malformed("0x100000000"));
  CHECK(malformed(std::string(300, 'a') + ".com"));
  CHECK(malformed(std::string(64, 'a') + ".com"));  // label over 63
  CHECK(malformed("ex\xc3\xa4mple.com"));          // non-ASCII: punycode only
  CHECK(canon(std::string(63, 'a') + ".com") == std::string(63, 'a') + ".com");
}

TEST_CASE("decisions: exact names, strict subdomains, ports") {
  Fixture f;
  f.net.domain_rules = {rule("example.com", ir::Effect::allow), rule("*.github.com", ir::Effect::allow),
                        rule("api.test.com", ir::Effect::allow, 443)};
  f.dns = {{"example.com", {"93.184.216.34"}}, {"api.github.com", {"140.82.112.5"}},
           {"github.com", {"140.82.112.4"}},   {"api.test.com", {"192.0.2.10"}}};
  auto d = f.decider();
  auto ok = d.decide("example.com", 80, Protocol::http);
  CHECK(ok.allow);
  REQUIRE(ok.addresses.size() == 1);
  CHECK(ok.addresses[0].to_string() == "93.184.216.34");
  CHECK(d.decide("EXAMPLE.com.", 443, Protocol::connect).allow);
  CHECK_FALSE(d.decide("example.com.evil.com", 443, Protocol::connect).allow);
  CHECK_FALSE(d.decide("sub.example.com", 443, Protocol::connect).allow);
  CHECK(d.decide("api.github.com", 443, Protocol::connect).allow);
  CHECK_FALSE(d.decide("github.com", 443, Protocol::connect).allow);  // strict subdomains only
  CHECK_FALSE(d.decide("evilgithub.com", 443, Protocol::connect).allow);
  CHECK(d.decide("api.test.com", 443, Protocol::connect).allow);
  auto wrong_port = d.decide("api.test.com", 80, Protocol::http);
  CHECK_FALSE(wrong_port.allow);
  CHECK(wrong_port.reason == "host is not on the allow list");
  CHECK(wrong_port.kind == "allowlist");
  auto bad = d.decide("evil.com/example.com", 80, Protocol::http);
  CHECK_FALSE(bad.allow);
  CHECK(bad.kind == "malformed");
}

TEST_CASE("decisions: the deny list comes first, bare * denies everything") {
  Fixture f;
  f.net.domain_rules = {rule("*", ir::Effect::deny, {}, "no network today"), rule("example.com", ir::Effect::allow)};
  f.dns = {{"example.com", {"93.184.216.34"}}};
  auto d = f.decider();
  auto r = d.decide("example.com", 443, Protocol::connect);
  CHECK_FALSE(r.allow);
  CHECK(r.reason == "no network today");

  Fixture g;
  g.net.domain_rules = {rule("example.com", ir::Effect::deny, 22, "no ssh"), rule("example.com", ir::Effect::allow)};
  g.dns = {{"example.com", {"93.184.216.34"}}};
  auto e = g.decider();
  CHECK(e.decide("example.com", 22, Protocol::socks5).reason == "no ssh");
  CHECK(e.decide("example.com", 443, Protocol::socks5).allow);
}

TEST_CASE("decisions: IP literals in every spelling match their rule") {
  Fixture f;
  f.net.domain_rules = {rule("127.0.0.1", ir::Effect::allow), rule("[::1]", ir::Effect::allow, 8080)};
  auto d = f.decider();
  for (const char *h : {"127.0.0.1", "127.1", "0x7f.1", "0x7f.0.0.1", "2130706433", "[::ffff:127.0.0.1]", "::ffff:127.0.0.1"}) {
    auto r = d.decide(h, 18080, Protocol::http);
    CHECK_MESSAGE(r.allow, h);
    REQUIRE(r.addresses.size() == 1);
    CHECK(r.addresses[0].to_string() == "127.0.0.1");
  }
  CHECK_FALSE(d.decide("LOCALHOST", 18080, Protocol::http).allow);
  CHECK(d.decide("[::1]", 8080, Protocol::http).allow);
  CHECK_FALSE(d.decide("[::1]", 8081, Protocol::http).allow);
  CHECK_FALSE(d.decide("*.0.0.1", 80, Protocol::http).allow);
}

TEST_CASE("decisions: localhost pattern") {
  Fixture f;
  f.net.domain_rules = {rule("localhost", ir::Effect::allow)};
  f.dns = {{"localhost", {"127.0.0.1", "::1"}}, {"sub.localhost", {"127.0.0.1"}}};
  auto d = f.decider();
  auto r = d.decide("LOCALHOST.", 18080, Protocol::http);
  CHECK(r.allow);
  CHECK(r.addresses.size() == 2);
  CHECK_FALSE(d.decide("sub.localhost", 18080, Protocol::http).allow);
  CHECK_FALSE(d.decide("127.0.0.1", 18080, Protocol::http).allow);
  f.dns = {{"localhost", {"192.0.2.1"}}};
  auto e = f.decider();
  auto hijacked = e.decide("localhost", 80, Protocol::http);
  CHECK_FALSE(hijacked.allow);
  CHECK(hijacked.kind == "address");
}

TEST_CASE("decisions: strictAllowlist and the ask callback") {
  Fixture f;
  f.net.domain_rules = {rule("example.com", ir::Effect::allow)};
  f.dns = {{"asked.com", {"192.0.2.5"}}, {"example.com", {"192.0.2.6"}}};
  int asked = 0;
  f.ask = [&](const NetworkRequest &r) {
    const std::string &host = r.host;
    ++asked;
    if (host == "asked.com") return NetworkAnswer{true, ""};
    if (host == "throws.com") throw std::runtime_error("prompt crashed");
    return NetworkAnswer{false, "<b>not\ttoday</b>"};
  };
  {
    auto d = f.decider();
    CHECK(d.decide("asked.com", 443, Protocol::connect).allow);
    auto no = d.decide("other.com", 443, Protocol::connect);
    CHECK_FALSE(no.allow);
    CHECK(no.reason == "bnottoday/b");
    CHECK(d.decide("throws.com", 443, Protocol::connect).reason == "permission prompt failed");
    CHECK(d.decide("example.com", 443, Protocol::connect).allow);
    CHECK(asked == 3);  // listed hosts are not asked
  }
  f.net.strict_allowlist = true;
  auto s = f.decider();
  auto strict = s.decide("asked.com", 443, Protocol::connect);
  CHECK_FALSE(strict.allow);
  CHECK(strict.reason == "host is not on the allow list");
  CHECK(asked == 3);
  CHECK(sanitize_reason(std::string(600, 'x')).size() == 500);
}

TEST_CASE("resolved-address guard") {
  Fixture f;
  f.net.domain_rules = {rule("loop.test", ir::Effect::allow),  rule("meta.test", ir::Effect::allow),
                        rule("mixed.test", ir::Effect::allow), rule("self.test", ir::Effect::allow),
                        rule("map.test", ir::Effect::allow),   rule("nat64.test", ir::Effect::allow),
                        rule("6to4.test", ir::Effect::allow),  rule("ranged.test", ir::Effect::allow),
                        rule("carve.test", ir::Effect::allow), rule("127.0.0.1", ir::Effect::allow, 18080),
                        rule("private.test", ir::Effect::allow), rule("gone.test", ir::Effect::allow),
                        rule("deniedip.test", ir::Effect::allow), rule("192.0.2.99", ir::Effect::deny)};
  f.net.denied_resolved_addresses = {"198.51.100.0/24"};
  f.dns = {{"loop.test", {"127.0.0.1", "::1"}},
           {"meta.test", {"169.254.169.254"}},
           {"mixed.test", {"127.0.0.2", "192.0.2.7"}},
           {"self.test", {"10.1.2.3"}},
           {"map.test", {"::ffff:127.0.0.1"}},
           {"nat64.test", {"64:ff9b::7f00:1"}},
           {"6to4.test", {"2002:a9fe:a9fe::1"}},
           {"ranged.test", {"198.51.100.20"}},
           {"carve.test", {"127.0.0.1"}},
           {"private.test", {"192.168.1.10"}},
           {"deniedip.test", {"192.0.2.99"}}};
  auto d = f.decider();
  auto loop = d.decide("loop.test", 80, Protocol::http);
  CHECK_FALSE(loop.allow);
  CHECK(loop.kind == "address");
  CHECK(loop.reason == "resolved to a loopback address");
  CHECK(d.decide("meta.test", 80, Protocol::http).reason == "resolved to a link-local address");
  auto mixed = d.decide("mixed.test", 443, Protocol::connect);
  CHECK(mixed.allow);  // the refused address is dropped, the other dialed
  REQUIRE(mixed.addresses.size() == 1);
  CHECK(mixed.addresses[0].to_string() == "192.0.2.7");
  CHECK(d.decide("self.test", 80, Protocol::http).reason == "resolved to an address of this host");
  CHECK(d.decide("map.test", 80, Protocol::http).reason == "resolved to a loopback address");
  CHECK(d.decide("nat64.test", 80, Protocol::http).reason == "resolved to a loopback address");
  CHECK(d.decide("6to4.test", 80, Protocol::http).reason == "resolved to a link-local address");
  CHECK(d.decide("ranged.test", 80, Protocol::http).reason == "resolved to an address in network.deniedResolvedAddresses");
  CHECK(d.decide("carve.test", 18080, Protocol::http).allow);   // the literal 127.0.0.1:18080 is allowed
  CHECK_FALSE(d.decide("carve.test", 18081, Protocol::http).allow);
  CHECK(d.decide("private.test", 80, Protocol::http).allow);   // RFC 1918 is not refused by default
  CHECK_FALSE(d.decide("deniedip.test", 80, Protocol::http).allow);
  // Deny over allow for addresses too.
  Fixture g;
  g.net.domain_rules = {rule("both.test", ir::Effect::allow), rule("192.0.2.50", ir::Effect::deny),
                        rule("192.0.2.50", ir::Effect::allow), rule("198.51.100.9", ir::Effect::allow)};
  g.net.denied_resolved_addresses = {"198.51.100.0/24"};
  g.dns = {{"both.test", {"192.0.2.50", "198.51.100.9"}}};
  auto both = g.decider().decide("both.test", 80, Protocol::http);
  CHECK_FALSE(both.allow);
  CHECK(both.kind == "address");
  auto gone = d.decide("gone.test", 80, Protocol::http);
  CHECK_FALSE(gone.allow);
  CHECK(gone.kind == "unreachable");
}

TEST_CASE("guard classes") {
  std::vector<IpAddress> none;
  CHECK(refused_class(ip("0.0.0.0"), none) == "an unspecified address");
  CHECK(refused_class(ip("[::]"), none) == "an unspecified address");
  CHECK(refused_class(ip("224.0.0.1"), none) == "a multicast address");
  CHECK(refused_class(ip("[ff02::1]"), none) == "a multicast address");
  CHECK(refused_class(ip("255.255.255.255"), none) == "a broadcast address");
  CHECK(refused_class(ip("100.100.100.200"), none) == "a cloud metadata address");
  CHECK(refused_class(ip("[fd00:ec2::254]"), none) == "a cloud metadata address");
  CHECK(refused_class(ip("[fe80::1234]"), none) == "a link-local address");
  CHECK(refused_class(ip("[::127.0.0.1]"), none) == "a loopback address");  // IPv4-compatible
  CHECK(refused_class(ip("8.8.8.8"), none).empty());
  CHECK(refused_class(ip("[2001:db8::1]"), none).empty());
}

TEST_CASE("decisions: live update and the refusal record") {
  Fixture f;
  f.dns = {{"example.com", {"192.0.2.1"}}};
  auto d = f.decider();
  CHECK_FALSE(d.decide("example.com", 443, Protocol::connect).allow);
  CHECK_FALSE(d.decide("example.com", 443, Protocol::socks5).allow);
  CHECK_FALSE(d.decide("other.com", 80, Protocol::http).allow);
  ir::Network opened;
  opened.domain_rules = {rule("example.com", ir::Effect::allow)};
  d.update(std::make_shared<Rules>(opened));
  CHECK(d.decide("example.com", 443, Protocol::connect).allow);
  auto r = d.refusals();
  REQUIRE(r.size() == 2);
  CHECK(r[0].host == "example.com");
  CHECK(r[0].port == 443);
  CHECK(r[0].count == 2);
  CHECK(r[1].host == "other.com");
  CHECK(d.allowed_count() == 1);
  for (int i = 0; i < 1100; ++i) d.decide("n" + std::to_string(i) + ".com", 80, Protocol::http);
  auto many = d.refusals();
  CHECK(many.size() == 1001);
  CHECK(many.back().count == 102);
}
