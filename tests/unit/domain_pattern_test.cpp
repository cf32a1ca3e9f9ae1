#include "net/address.hpp"
#include "net/domain_pattern.hpp"

#include <doctest/doctest.h>

using srt::net::DomainPattern;
using srt::net::parse_domain_pattern;

namespace {
std::optional<DomainPattern> parse(const std::string &s, bool deny = false) {
  std::string why;
  return parse_domain_pattern(s, deny, why);
}
}  // namespace

TEST_CASE("domain patterns: the reference grammar") {
  auto exact = parse("Example.COM");
  REQUIRE(exact);
  CHECK(exact->kind == DomainPattern::Kind::exact);
  CHECK(exact->host == "example.com");
  CHECK(parse("localhost"));
  CHECK_FALSE(parse("intranet"));  // a dot-less name other than localhost
  auto wild = parse("*.github.com");
  REQUIRE(wild);
  CHECK(wild->kind == DomainPattern::Kind::subdomains);
  CHECK(wild->host == "github.com");
  CHECK_FALSE(parse("*.com"));
  CHECK_FALSE(parse("*."));
  CHECK_FALSE(parse("foo*.com"));
  CHECK_FALSE(parse("*"));
  CHECK(parse("*", true));
  CHECK(parse("*:22", true)->port == 22);
  CHECK(parse("example.com:443")->port == 443);
  CHECK_FALSE(parse("example.com:0"));
  CHECK_FALSE(parse("example.com:65536"));
  CHECK_FALSE(parse("example.com:08"));
  CHECK_FALSE(parse(".example.com"));
  CHECK_FALSE(parse("example.com."));
  CHECK_FALSE(parse("https://example.com"));
  CHECK_FALSE(parse("example.com/path"));
  CHECK_FALSE(parse(""));
}

TEST_CASE("domain patterns: IP literals are canonical") {
  CHECK(parse("127.0.0.1")->host == "127.0.0.1");
  CHECK(parse("127.1")->host == "127.0.0.1");
  CHECK(parse("0x7f.0.0.1")->host == "127.0.0.1");
  CHECK(parse("127.0.0.1:3000")->port == 3000);
  auto v6 = parse("[2001:DB8:0:0::1]:443");
  REQUIRE(v6);
  CHECK(v6->ipv6);
  CHECK(v6->host == "2001:db8::1");
  CHECK(v6->port == 443);
  CHECK(parse("[::1]"));
  CHECK_FALSE(parse("::1"));
  CHECK_FALSE(parse("2001:db8::1"));
  CHECK_FALSE(parse("[::1"));
  CHECK_FALSE(parse("[not-v6]"));
  CHECK_FALSE(parse("256.0.0.1"));
  CHECK_FALSE(parse("*.127.0.0.1"));
}

TEST_CASE("domain patterns: hostile spellings are refused") {
  CHECK_FALSE(parse("example.com.evil.com:"));
  CHECK_FALSE(parse("evil.com/example.com"));
  CHECK_FALSE(parse("exa mple.com"));
  CHECK_FALSE(parse("example.com\r\nX: y"));
  CHECK_FALSE(parse("ex%41mple.com"));
  CHECK_FALSE(parse("[fe80::1%eth0]"));
  CHECK_FALSE(parse("b\xc3\xbcro.de"));  // non-ASCII: write the punycode form
  CHECK_FALSE(parse(std::string(300, 'a') + ".com"));
  CHECK_FALSE(parse(std::string(64, 'a') + ".com"));  // a label over 63 characters
  std::string why;
  CHECK_FALSE(parse_domain_pattern("*.com", false, why));
  CHECK(why.find("*.example.com") != std::string::npos);
}

TEST_CASE("addresses: WHATWG IPv4 forms and CIDR ranges") {
  using srt::net::parse_cidr;
  using srt::net::parse_ipv4_whatwg;
  CHECK(parse_ipv4_whatwg("2130706433")->to_string() == "127.0.0.1");
  CHECK(parse_ipv4_whatwg("0177.0.0.1")->to_string() == "127.0.0.1");
  CHECK(parse_ipv4_whatwg("10.1")->to_string() == "10.0.0.1");
  CHECK(parse_ipv4_whatwg("127.0.0.1.")->to_string() == "127.0.0.1");
  CHECK_FALSE(parse_ipv4_whatwg("example.com"));
  bool malformed = false;
  CHECK_FALSE(parse_ipv4_whatwg("1.2.3.4.5", &malformed));
  CHECK(malformed);
  CHECK_FALSE(parse_ipv4_whatwg("0x100000000", &malformed));
  CHECK(malformed);
  CHECK(parse_cidr("10.0.0.0/8")->prefix == 8);
  CHECK(parse_cidr("192.0.2.7")->prefix == 32);
  CHECK(parse_cidr("fd00::/8")->prefix == 8);
  CHECK(parse_cidr("::1")->prefix == 128);
  CHECK_FALSE(parse_cidr("10.0.0.0/33"));
  CHECK_FALSE(parse_cidr("[::1]"));
  CHECK_FALSE(parse_cidr("10.0.0.0/"));
}
