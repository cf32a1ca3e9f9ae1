// Validation and canonical form of a destination host as a client spelled
// it, before any rule is matched (the reference's isValidHost and
// canonicalizeHost).
#pragma once

#include "net/address.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace srt::net {

struct CanonicalHost {
  std::string name;               // lower-case, no trailing dot; an address in canonical text
  std::optional<IpAddress> ip;    // set when the host is an IP literal
};

// Canonicalises `host`: ASCII lower-case, one trailing dot dropped, IPv4 in
// any WHATWG spelling ("127.1", "0x7f.1", "2130706433") to a dotted quad,
// IPv6 (bracketed or not) compressed, IPv4-mapped IPv6 to IPv4. Returns
// nullopt and sets `why` for a host to refuse: empty, longer than a DNS name,
// characters outside [A-Za-z0-9._-] (percent signs, control characters,
// slashes, spaces), empty or over-long labels, out-of-range numbers.
std::optional<CanonicalHost> canonicalize_host(std::string_view host, std::string &why);

}  // namespace srt::net
