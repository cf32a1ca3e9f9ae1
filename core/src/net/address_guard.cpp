#include "net/address_guard.hpp"

#include <ifaddrs.h>

#include <cstring>

namespace srt::net {

namespace {

struct Range {
  const char *text;
  const char *what;
};

// Checked against the address and against the IPv4 address it embeds.
constexpr Range kRefusedRanges[] = {
    {"127.0.0.0/8", "a loopback address"},
    {"::1/128", "a loopback address"},
    {"0.0.0.0/8", "an unspecified address"},
    {"::/128", "an unspecified address"},
    {"169.254.0.0/16", "a link-local address"},
    {"fe80::/10", "a link-local address"},
    {"224.0.0.0/4", "a multicast address"},
    {"ff00::/8", "a multicast address"},
    {"255.255.255.255/32", "a broadcast address"},
    {"100.100.100.200/32", "a cloud metadata address"},
    {"168.63.129.16/32", "a cloud metadata address"},
    {"192.0.0.192/32", "a cloud metadata address"},
    {"fd00:ec2::/32", "a cloud metadata address"},
    {"fd20:ce::254/128", "a cloud metadata address"},
    {"fd00:c1::a9fe:a9fe/128", "a cloud metadata address"},
    {"fd00:42::42/128", "a cloud metadata address"},
    {"fd00:a9fe:a9fe::1/128", "a cloud metadata address"},
    {"fd00:100::100:200/128", "a cloud metadata address"},
};

const std::vector<std::pair<Cidr, const char *>> &refused_ranges() {
  static const auto ranges = [] {
    std::vector<std::pair<Cidr, const char *>> out;
    for (const auto &r : kRefusedRanges) out.emplace_back(*parse_cidr(r.text), r.what);
    return out;
  }();
  return ranges;
}

bool zero(const IpAddress &a, int from, int to) {
  for (int i = from; i < to; ++i)
    if (a.bytes[i] != 0) return false;
  return true;
}

IpAddress v4_from(const IpAddress &a, int offset) {
  IpAddress v4;
  std::memcpy(v4.bytes.data(), a.bytes.data() + offset, 4);
  return v4;
}

bool same(const IpAddress &a, const IpAddress &b) {
  return a.v6 == b.v6 && std::memcmp(a.bytes.data(), b.bytes.data(), a.v6 ? 16 : 4) == 0;
}

}  // namespace

bool contains(const Cidr &range, const IpAddress &a) {
  if (range.address.v6 != a.v6) return false;
  int full = range.prefix / 8;
  if (std::memcmp(range.address.bytes.data(), a.bytes.data(), static_cast<std::size_t>(full)) != 0) return false;
  int rest = range.prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (range.address.bytes[full] & mask) == (a.bytes[full] & mask);
}

std::optional<IpAddress> embedded_ipv4(const IpAddress &a) {
  if (!a.v6) return std::nullopt;
  if (zero(a, 0, 10) && a.bytes[10] == 0xff && a.bytes[11] == 0xff) return v4_from(a, 12);  // ::ffff:0:0/96
  if (zero(a, 0, 12) && !(zero(a, 12, 15) && a.bytes[15] <= 1)) return v4_from(a, 12);      // ::a.b.c.d
  if (a.bytes[0] == 0x00 && a.bytes[1] == 0x64 && a.bytes[2] == 0xff && a.bytes[3] == 0x9b && zero(a, 4, 12))
    return v4_from(a, 12);                                                                   // 64:ff9b::/96
  if (a.bytes[0] == 0x20 && a.bytes[1] == 0x02) return v4_from(a, 2);                        // 2002::/16
  return std::nullopt;
}

bool is_loopback(const IpAddress &a) {
  auto v4 = embedded_ipv4(a);
  const IpAddress &x = v4 ? *v4 : a;
  return x.v6 ? (zero(x, 0, 15) && x.bytes[15] == 1) : x.bytes[0] == 127;
}

std::string refused_class(const IpAddress &a, const std::vector<IpAddress> &local_addresses) {
  auto v4 = embedded_ipv4(a);
  for (const auto &[range, what] : refused_ranges())
    if (contains(range, a) || (v4 && contains(range, *v4))) return what;
  for (const auto &l : local_addresses)
    if (same(l, a) || (v4 && same(l, *v4))) return "an address of this host";
  return {};
}

std::vector<IpAddress> local_interface_addresses() {
  std::vector<IpAddress> out;
  struct ifaddrs *list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (auto *i = list; i; i = i->ifa_next)
    if (auto a = from_sockaddr(i->ifa_addr)) out.push_back(*a);
  ::freeifaddrs(list);
  return out;
}

}  // namespace srt::net
