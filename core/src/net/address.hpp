// IP address and CIDR parsing with the spellings the domain grammar accepts.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace srt::net {

struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // v4 uses the first 4
  std::string to_string() const;         // canonical: dotted quad / RFC 5952
};

// Host canonicalisation of IPv4 as WHATWG URL hosts do: 1 to 4 dot-separated
// parts, each decimal, 0x-hex or 0-prefixed octal, the last part filling the
// remaining bytes ("127.1" -> 127.0.0.1, "0x7f.1", "2130706433"). Returns
// nullopt when `host` is not IPv4 in any of these spellings; sets
// `*malformed` when it looks numeric but is out of range (a host to refuse).
std::optional<IpAddress> parse_ipv4_whatwg(std::string_view host, bool *malformed = nullptr);

// A plain IPv6 literal without brackets ("::1", "2001:db8::1").
std::optional<IpAddress> parse_ipv6(std::string_view text);

// The address of an AF_INET or AF_INET6 socket address; nullopt for others.
std::optional<IpAddress> from_sockaddr(const struct sockaddr *sa);

// "10.0.0.0/8", "fd00::/8", "192.0.2.1" (a /32), "::1" (a /128).
struct Cidr {
  IpAddress address;
  int prefix = 0;
};
std::optional<Cidr> parse_cidr(std::string_view text);

}  // namespace srt::net
