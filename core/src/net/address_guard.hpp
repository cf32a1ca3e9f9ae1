// The resolved-address guard (reference C.9): the addresses an allowed host
// *name* must not resolve to, because reaching them would bypass the allow
// list (this host's own services, the cloud metadata endpoint, ...).
#pragma once

#include "net/address.hpp"

#include <optional>
#include <string>
#include <vector>

namespace srt::net {

bool contains(const Cidr &range, const IpAddress &a);

// The IPv4 address an IPv6 address stands for: IPv4-mapped (::ffff:0:0/96),
// IPv4-compatible (::/96 but :: and ::1), NAT64 (64:ff9b::/96) and 6to4
// (2002::/16). nullopt for other addresses and for IPv4 itself.
std::optional<IpAddress> embedded_ipv4(const IpAddress &a);

// Why `a` is never dialed for a name, as the end of "resolved to ...":
// "a loopback address", "an unspecified address", "a link-local address",
// "a multicast address", "a broadcast address", "a cloud metadata address",
// "an address of this host". Empty when none applies. IPv4 classes also
// apply to the IPv6 spellings embedded_ipv4 recognises. RFC 1918 private
// space is not refused (as in the reference).
std::string refused_class(const IpAddress &a, const std::vector<IpAddress> &local_addresses);

bool is_loopback(const IpAddress &a);

// Every address configured on this host's interfaces (getifaddrs). Empty
// when they cannot be read (the loopback and unspecified classes still
// apply).
std::vector<IpAddress> local_interface_addresses();

}  // namespace srt::net
