#include "net/rules.hpp"

#include "net/address_guard.hpp"
#include "util/strings.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

namespace srt::net {

namespace {

bool port_matches(const DomainPattern &p, std::uint16_t port) { return !p.port || *p.port == port; }

bool host_matches(const Rule &r, const CanonicalHost &h) {
  switch (r.pattern.kind) {
    case DomainPattern::Kind::any: return true;
    case DomainPattern::Kind::subdomains:
      // Strict subdomains only, and never an IP literal.
      return !h.ip && h.name.size() > r.pattern.host.size() + 1 && util::ends_with(h.name, "." + r.pattern.host);
    case DomainPattern::Kind::exact: return r.ip ? (h.ip && h.name == r.ip->to_string()) : (!h.ip && h.name == r.pattern.host);
  }
  return false;
}

const Rule *first_match(const std::vector<Rule> &rules, const CanonicalHost &h, std::uint16_t port) {
  for (const auto &r : rules)
    if (port_matches(r.pattern, port) && host_matches(r, h)) return &r;
  return nullptr;
}

const Rule *first_address(const std::vector<Rule> &rules, const IpAddress &a, std::uint16_t port) {
  CanonicalHost h{a.to_string(), a};
  if (auto v4 = embedded_ipv4(a); v4 && a.bytes[10] == 0xff) h = {v4->to_string(), *v4};  // mapped: the v4 rule
  for (const auto &r : rules)
    if (r.ip && port_matches(r.pattern, port) && host_matches(r, h)) return &r;
  return nullptr;
}

}  // namespace

Rules::Rules(const ir::Network &network) : strict_(network.strict_allowlist) {
  for (const auto &ir_rule : network.domain_rules) {
    bool deny = ir_rule.effect == ir::Effect::deny;
    std::string why;
    auto p = parse_domain_pattern(ir_rule.pattern, deny, why);
    if (!p) throw PolicyError(fmt::format("domain rule {}: {}", util::quoted(ir_rule.pattern), why));
    Rule r;
    r.pattern = *p;
    r.pattern.port = ir_rule.port;
    if (p->kind == DomainPattern::Kind::exact) {
      std::string ignored;
      if (auto c = canonicalize_host(p->ipv6 ? "[" + p->host + "]" : p->host, ignored); c && c->ip) r.ip = c->ip;
    }
    r.reason = ir_rule.reason;
    r.origin = ir_rule.origin;
    (deny ? deny_ : allow_).push_back(std::move(r));
  }
  for (const auto &text : network.denied_resolved_addresses) {
    auto c = parse_cidr(text);
    if (!c) throw PolicyError(fmt::format("deniedResolvedAddresses: {} is not an IP address or CIDR range", util::quoted(text)));
    denied_ranges_.push_back(*c);
  }
}

const Rule *Rules::denied_by(const CanonicalHost &h, std::uint16_t port) const { return first_match(deny_, h, port); }
const Rule *Rules::allowed_by(const CanonicalHost &h, std::uint16_t port) const { return first_match(allow_, h, port); }
const Rule *Rules::allowed_address(const IpAddress &a, std::uint16_t port) const { return first_address(allow_, a, port); }
const Rule *Rules::denied_address(const IpAddress &a, std::uint16_t port) const { return first_address(deny_, a, port); }

}  // namespace srt::net
