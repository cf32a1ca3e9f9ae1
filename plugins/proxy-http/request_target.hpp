// The two request-target forms a proxy serves (RFC 9112 3.2): authority-form
// for CONNECT and absolute-form http:// URIs. Standard library only (fuzzed).
// Only the structure is checked here; the host itself (characters, IP
// spellings) is judged by the core's decide().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace srt::proxy::http {

struct Authority {
  std::string host;  // without brackets for IPv6
  std::uint16_t port = 0;
};

// "host:port" or "[v6]:port"; port 1-65535 in decimal.
std::optional<Authority> parse_authority_form(std::string_view target);

struct AbsoluteUrl {
  Authority authority;  // port 80 unless given
  std::string path;     // path and query, never empty ("/" at least), no fragment
};

enum class UrlProblem { none, not_absolute, https, other_scheme, malformed };

// "http://host[:port][/path][?query][#fragment]" (scheme case-insensitive).
// No user information. A fragment is dropped.
std::optional<AbsoluteUrl> parse_absolute_url(std::string_view target, UrlProblem &problem);

// The Host field for a canonical host and port: brackets around IPv6, the
// port left out when it is 80.
std::string host_field_value(std::string_view canonical_host, std::uint16_t port);

}  // namespace srt::proxy::http
