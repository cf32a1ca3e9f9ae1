// The domain rules of a policy, ready for matching (immutable once built, so
// one instance is shared by every proxy thread and swapped whole on a live
// update).
#pragma once

#include "net/address.hpp"
#include "net/domain_pattern.hpp"
#include "net/host.hpp"

#include <srt/policy.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace srt::net {

struct Rule {
  DomainPattern pattern;
  std::optional<IpAddress> ip;  // the pattern is an IP literal
  std::string reason;           // deny rules: what the refusal says
  std::string origin;           // the settings entry, for -d and explain
};

class Rules {
 public:
  // Builds from the IR; a pattern the IR holds that does not parse throws
  // srt::PolicyError (the loader checks them, so this is a bug elsewhere).
  explicit Rules(const ir::Network &network);

  const Rule *denied_by(const CanonicalHost &host, std::uint16_t port) const;
  const Rule *allowed_by(const CanonicalHost &host, std::uint16_t port) const;
  // For resolved addresses: an IP-literal allow rule that names `a` (it
  // permits names resolving to it), or an IP-literal deny rule.
  const Rule *allowed_address(const IpAddress &a, std::uint16_t port) const;
  const Rule *denied_address(const IpAddress &a, std::uint16_t port) const;
  const std::vector<Cidr> &denied_ranges() const { return denied_ranges_; }
  bool strict_allowlist() const { return strict_; }

 private:
  std::vector<Rule> deny_, allow_;
  std::vector<Cidr> denied_ranges_;
  bool strict_ = false;
};

}  // namespace srt::net
