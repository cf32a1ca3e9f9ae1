#include "net/address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <cstring>
#include <string>
#include <vector>

namespace srt::net {

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (!inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf)) return {};
  return buf;
}

namespace {

// One part of a WHATWG IPv4 host; nullopt when not a number at all.
std::optional<std::uint64_t> parse_part(std::string_view p, bool *overflow) {
  if (p.empty()) return std::nullopt;
  int base = 10;
  if (p.size() >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    base = 16;
    p.remove_prefix(2);
  } else if (p.size() >= 2 && p[0] == '0') {
    base = 8;
    p.remove_prefix(1);
  }
  std::uint64_t v = 0;
  for (char c : p) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && std::isxdigit(static_cast<unsigned char>(c))) d = std::tolower(c) - 'a' + 10;
    else return std::nullopt;
    if (d >= base) return std::nullopt;
    v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    if (v > 0xffffffffull) *overflow = true;
  }
  return v;
}

}  // namespace

std::optional<IpAddress> parse_ipv4_whatwg(std::string_view host, bool *malformed) {
  if (malformed) *malformed = false;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty()) return std::nullopt;
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    auto dot = host.find('.', start);
    parts.push_back(host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  // Only a host whose last part is numeric is an IPv4 address; anything else
  // is a domain name.
  bool overflow = false;
  if (!parse_part(parts.back(), &overflow)) return std::nullopt;
  if (parts.size() > 4) {
    if (malformed) *malformed = true;
    return std::nullopt;
  }
  std::vector<std::uint64_t> nums;
  for (auto p : parts) {
    auto n = parse_part(p, &overflow);
    if (!n) {
      if (malformed) *malformed = true;
      return std::nullopt;
    }
    nums.push_back(*n);
  }
  for (std::size_t i = 0; i + 1 < nums.size(); ++i)
    if (nums[i] > 255) overflow = true;
  std::uint64_t last_limit = 1ull << (8 * (5 - nums.size()));
  if (overflow || nums.back() >= last_limit) {
    if (malformed) *malformed = true;
    return std::nullopt;
  }
  std::uint64_t value = nums.back();
  for (std::size_t i = 0; i + 1 < nums.size(); ++i) value += nums[i] << (8 * (3 - i));
  IpAddress a;
  a.bytes[0] = static_cast<std::uint8_t>(value >> 24);
  a.bytes[1] = static_cast<std::uint8_t>(value >> 16);
  a.bytes[2] = static_cast<std::uint8_t>(value >> 8);
  a.bytes[3] = static_cast<std::uint8_t>(value);
  return a;
}

std::optional<IpAddress> parse_ipv6(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN || text.find('%') != std::string_view::npos) return std::nullopt;
  std::string s(text);
  IpAddress a;
  a.v6 = true;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  return a;
}

std::optional<IpAddress> from_sockaddr(const sockaddr *sa) {
  if (!sa) return std::nullopt;
  IpAddress a;
  if (sa->sa_family == AF_INET) {
    std::memcpy(a.bytes.data(), &reinterpret_cast<const sockaddr_in *>(sa)->sin_addr, 4);
  } else if (sa->sa_family == AF_INET6) {
    a.v6 = true;
    std::memcpy(a.bytes.data(), &reinterpret_cast<const sockaddr_in6 *>(sa)->sin6_addr, 16);
  } else {
    return std::nullopt;
  }
  return a;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  auto slash = text.find('/');
  auto addr_text = text.substr(0, slash);
  Cidr c;
  std::string s(addr_text);
  if (inet_pton(AF_INET, s.c_str(), c.address.bytes.data()) == 1) {
    c.prefix = 32;
  } else if (auto v6 = parse_ipv6(addr_text)) {
    c.address = *v6;
    c.prefix = 128;
  } else {
    return std::nullopt;
  }
  if (slash != std::string_view::npos) {
    auto p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3) return std::nullopt;
    int n = 0;
    for (char ch : p) {
      if (ch < '0' || ch > '9') return std::nullopt;
      n = n * 10 + (ch - '0');
    }
    if (n > c.prefix) return std::nullopt;
    c.prefix = n;
  }
  return c;
}

}  // namespace srt::net
