#include "net/domain_pattern.hpp"

#include "net/address.hpp"
#include "util/strings.hpp"

namespace srt::net {

namespace {

// Host names are limited to what DNS can carry (RFC 1035).
constexpr std::size_t kMaxHostLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

bool valid_label(std::string_view l) {
  if (l.empty() || l.size() > kMaxLabelLength) return false;
  for (char c : l) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool valid_hostname(std::string_view h, std::string &why) {
  if (h.size() > kMaxHostLength) {
    why = "host names are at most 253 characters";
    return false;
  }
  if (h.front() == '.' || h.back() == '.') {
    why = "a host name cannot start or end with a dot";
    return false;
  }
  for (auto &label : util::split(h, '.')) {
    if (!valid_label(label)) {
      why = "host names may only contain letters, digits, '-', '_' and dots between non-empty labels";
      return false;
    }
  }
  return true;
}

std::optional<std::uint16_t> parse_port(std::string_view p) {
  if (p.empty() || p.size() > 5 || p[0] == '0') return std::nullopt;
  unsigned v = 0;
  for (char c : p) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

}  // namespace

std::string DomainPattern::to_string() const {
  switch (kind) {
    case Kind::any: return "*";
    case Kind::subdomains: return "*." + host;
    case Kind::exact: return ipv6 ? "[" + host + "]" : host;
  }
  return host;
}

std::optional<DomainPattern> parse_domain_pattern(std::string_view text, bool deny_list, std::string &why) {
  DomainPattern out;
  if (text.empty()) {
    why = "an empty string is not a domain pattern";
    return std::nullopt;
  }
  if (text.find("://") != std::string_view::npos || text.find('/') != std::string_view::npos) {
    why = "write a host name such as \"example.com\", not a URL or a path";
    return std::nullopt;
  }
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      why = "spaces, control characters and non-ASCII characters are not allowed (use the punycode form of international names)";
      return std::nullopt;
    }
  }
  std::string_view host = text;
  std::string_view port_text;
  bool has_port = false;
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) {
      why = "an IPv6 address needs a closing ']'";
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        why = "only \":port\" may follow a bracketed IPv6 address";
        return std::nullopt;
      }
      has_port = true;
      port_text = rest.substr(1);
    }
    auto a = parse_ipv6(host);
    if (!a) {
      why = "not a valid IPv6 address between the brackets";
      return std::nullopt;
    }
    out.ipv6 = true;
    out.host = a->to_string();
  } else {
    auto colon = text.rfind(':');
    if (colon != std::string_view::npos) {
      host = text.substr(0, colon);
      if (host.find(':') != std::string_view::npos) {
        why = "IPv6 addresses must be written in brackets, e.g. \"[2001:db8::1]\" or \"[::1]:443\"";
        return std::nullopt;
      }
      has_port = true;
      port_text = text.substr(colon + 1);
    }
  }
  if (has_port) {
    out.port = parse_port(port_text);
    if (!out.port) {
      why = "the port must be a number from 1 to 65535";
      return std::nullopt;
    }
  }
  if (out.ipv6) return out;

  std::string h = util::to_lower(host);
  if (h.empty()) {
    why = "the host part is empty";
    return std::nullopt;
  }
  if (h == "*") {
    if (!deny_list) {
      why = "a bare \"*\" is only allowed in deniedDomains; to allow every host, there is no wildcard (list the hosts)";
      return std::nullopt;
    }
    out.kind = DomainPattern::Kind::any;
    return out;
  }
  if (util::starts_with(h, "*.")) {
    std::string rest = h.substr(2);
    if (rest.find('*') != std::string::npos || rest.find('.') == std::string::npos || rest.empty()) {
      why = "a wildcard needs at least two labels after \"*.\", e.g. \"*.example.com\" (not \"*.com\")";
      return std::nullopt;
    }
    if (!valid_hostname(rest, why)) return std::nullopt;
    bool malformed = false;
    if (parse_ipv4_whatwg(rest, &malformed) || malformed) {
      why = "a wildcard cannot be combined with an IP address";
      return std::nullopt;
    }
    out.kind = DomainPattern::Kind::subdomains;
    out.host = rest;
    return out;
  }
  if (h.find('*') != std::string::npos) {
    why = "\"*\" is only allowed as a whole first label, e.g. \"*.example.com\"";
    return std::nullopt;
  }
  bool malformed = false;
  if (auto v4 = parse_ipv4_whatwg(h, &malformed)) {
    out.host = v4->to_string();
    return out;
  }
  if (malformed) {
    why = "looks like an IPv4 address but is out of range";
    return std::nullopt;
  }
  if (h != "localhost" && h.find('.') == std::string::npos) {
    why = "a host name must contain a dot (\"localhost\" is the only exception)";
    return std::nullopt;
  }
  if (!valid_hostname(h, why)) return std::nullopt;
  out.host = h;
  return out;
}

}  // namespace srt::net
