#include "net/host.hpp"

#include "util/strings.hpp"

namespace srt::net {

namespace {

// RFC 1035 limits; the reference refuses hosts over 255 characters, DNS
// cannot carry more than 253.
constexpr std::size_t kMaxHostLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

// ::ffff:a.b.c.d (mapped) names an IPv4 destination: match it as one.
IpAddress unmap(const IpAddress &a) {
  if (!a.v6) return a;
  for (int i = 0; i < 10; ++i)
    if (a.bytes[i] != 0) return a;
  if (a.bytes[10] != 0xff || a.bytes[11] != 0xff) return a;
  IpAddress v4;
  for (int i = 0; i < 4; ++i) v4.bytes[i] = a.bytes[12 + i];
  return v4;
}

}  // namespace

std::optional<CanonicalHost> canonicalize_host(std::string_view host, std::string &why) {
  if (host.empty()) {
    why = "malformed host: empty";
    return std::nullopt;
  }
  if (host.size() > kMaxHostLength + 2) {  // brackets or a trailing dot
    why = "malformed host: longer than 253 characters";
    return std::nullopt;
  }
  std::string_view inner = host;
  bool bracketed = false;
  if (inner.front() == '[') {
    if (inner.back() != ']') {
      why = "malformed host: unbalanced '['";
      return std::nullopt;
    }
    inner = inner.substr(1, inner.size() - 2);
    bracketed = true;
  }
  if (bracketed || inner.find(':') != std::string_view::npos) {
    auto a = parse_ipv6(inner);  // refuses zone ids ("%eth0")
    if (!a) {
      why = "malformed host: not a valid IPv6 address";
      return std::nullopt;
    }
    CanonicalHost out;
    out.ip = unmap(*a);
    out.name = out.ip->to_string();
    return out;
  }
  std::string h = util::to_lower(inner);
  for (char c : h) {
    if (!name_char(c)) {
      why = "malformed host: characters other than letters, digits, '-', '_' and '.'";
      return std::nullopt;
    }
  }
  if (h.back() == '.') h.pop_back();
  if (h.empty() || h.size() > kMaxHostLength) {
    why = "malformed host: empty or longer than 253 characters";
    return std::nullopt;
  }
  bool malformed = false;
  if (auto v4 = parse_ipv4_whatwg(h, &malformed)) {
    CanonicalHost out;
    out.ip = *v4;
    out.name = v4->to_string();
    return out;
  }
  if (malformed) {
    why = "malformed host: a number out of range for an IPv4 address";
    return std::nullopt;
  }
  for (const auto &label : util::split(h, '.')) {
    if (label.empty() || label.size() > kMaxLabelLength) {
      why = "malformed host: an empty label or one longer than 63 characters";
      return std::nullopt;
    }
  }
  return CanonicalHost{std::move(h), std::nullopt};
}

}  // namespace srt::net
