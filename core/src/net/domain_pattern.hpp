// The domain pattern grammar of allowedDomains / deniedDomains (compatible
// with the TypeScript srt): "example.com", "*.example.com" (strict
// subdomains), "localhost", IPv4 literals, bracketed IPv6 literals, each with
// an optional ":port"; bare "*" and "*:port" only in deny lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace srt::net {

struct DomainPattern {
  enum class Kind { exact, subdomains, any };
  Kind kind = Kind::exact;
  std::string host;  // lower-case; for subdomains the part after "*."; IPv6 without brackets
  std::optional<std::uint16_t> port;
  bool ipv6 = false;
  std::string to_string() const;  // canonical spelling, without the port
};

// Parses one pattern. `deny_list` admits the bare "*" forms. On failure returns
// nullopt and sets `why` to a sentence saying what is wrong and what to write.
std::optional<DomainPattern> parse_domain_pattern(std::string_view text, bool deny_list, std::string &why);

}  // namespace srt::net
