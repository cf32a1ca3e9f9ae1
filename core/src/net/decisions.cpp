#include "net/decisions.hpp"

#include "net/address_guard.hpp"
#include "net/host.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <cstring>

namespace srt::net {

namespace {

constexpr std::size_t kMaxAskReasonLength = 500;
// A name that resolves to more addresses than this is cut to the first ones.
constexpr std::size_t kMaxAddresses = 16;
// Distinct refused destinations remembered one by one; past this, a hostile
// command inventing names only increments a counter.
constexpr std::size_t kMaxRecordedRefusals = 1000;
constexpr const char *kNotAllowed = "host is not on the allow list";

}  // namespace

const char *to_string(Protocol p) {
  switch (p) {
    case Protocol::http: return "http";
    case Protocol::connect: return "connect";
    case Protocol::socks5: return "socks5";
  }
  return "?";
}

std::string sanitize_reason(std::string_view reason) {
  std::string out;
  for (char c : reason) {
    auto u = static_cast<unsigned char>(c);
    if (c == '<' || c == '>' || u < 0x20 || u == 0x7f) continue;
    out += c;
    if (out.size() >= kMaxAskReasonLength) break;
  }
  return out;
}

std::vector<IpAddress> system_resolve(const std::string &host, std::string &error) {
  struct addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  struct addrinfo *res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
  std::vector<IpAddress> out;
  if (rc != 0) {
    error = rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc);
    return out;
  }
  for (auto *r = res; r && out.size() < kMaxAddresses; r = r->ai_next)
    if (auto a = from_sockaddr(r->ai_addr)) out.push_back(*a);
  ::freeaddrinfo(res);
  if (out.empty()) error = "no address";
  return out;
}

Decider::Decider(std::shared_ptr<const Rules> rules, AskFn ask, ResolveFn resolve, InterfacesFn interfaces, DebugFn debug)
    : ask_(std::move(ask)),
      resolve_(std::move(resolve)),
      interfaces_(interfaces ? std::move(interfaces) : InterfacesFn(local_interface_addresses)),
      debug_(std::move(debug)),
      rules_(std::move(rules)) {}

void Decider::update(std::shared_ptr<const Rules> rules) {
  std::lock_guard lock(mu_);
  rules_ = std::move(rules);
}

Decision Decider::decide(std::string_view host, std::uint16_t port, Protocol protocol) {
  std::shared_ptr<const Rules> rules;
  {
    std::lock_guard lock(mu_);
    rules = rules_;
  }
  Decision d = decide_uncounted(host, port, std::move(rules));
  record(d, host, port, protocol);
  return d;
}

Decision Decider::decide_uncounted(std::string_view asked, std::uint16_t port, std::shared_ptr<const Rules> rules) {
  Decision d;
  std::string why;
  auto host = canonicalize_host(asked, why);
  if (!host) {
    d.reason = why;
    d.kind = "malformed";
    return d;
  }
  d.host = host->name;
  d.kind = "allowlist";
  if (port == 0) {
    d.reason = "port 0 is not a destination";
    return d;
  }
  if (const Rule *r = rules->denied_by(*host, port)) {
    d.reason = r->reason.empty() ? "host is on the deny list" : r->reason;
    d.rule = r->origin;
    return d;
  }
  if (const Rule *r = rules->allowed_by(*host, port)) {
    d.allow = true;
    d.rule = r->origin;
  } else if (rules->strict_allowlist() || !ask_) {
    d.reason = kNotAllowed;
    return d;
  } else {
    try {
      NetworkAnswer a = ask_(NetworkRequest{host->name, port});
      d.allow = a.allow;
      d.rule = "the ask callback";
      if (!a.allow) {
        d.reason = sanitize_reason(a.reason);
        if (d.reason.empty()) d.reason = "user denied";
        return d;
      }
    } catch (...) {
      d.reason = "permission prompt failed";
      return d;
    }
  }
  // IP literals were judged by the lists themselves; names are resolved once
  // here, and the proxy dials only what survived the guard.
  if (host->ip) {
    d.addresses.push_back(*host->ip);
    return d;
  }
  guard(d, port, *rules);
  return d;
}

void Decider::guard(Decision &d, std::uint16_t port, const Rules &rules) {
  std::string error;
  auto resolved = resolve_ ? resolve_(d.host, error) : std::vector<IpAddress>{};
  if (resolved.empty()) {
    d.allow = false;
    d.kind = "unreachable";
    d.reason = fmt::format("cannot resolve {}: {}", d.host, error.empty() ? "no resolver" : error);
    return;
  }
  bool local_name = d.host == "localhost" || (d.host.size() > 10 && d.host.ends_with(".localhost"));
  std::vector<IpAddress> local;
  bool local_read = false;
  std::string first_refusal;
  for (const auto &a : resolved) {
    // Explicit denials first (deny over allow, as for names); an IP literal
    // on the allow list then permits names that resolve to it, past the
    // built-in classes.
    std::string refused;
    auto v4 = embedded_ipv4(a);
    if (const Rule *r = rules.denied_address(a, port)) {
      refused = fmt::format("resolved to a denied address ({})", r->origin);
    } else if (std::any_of(rules.denied_ranges().begin(), rules.denied_ranges().end(),
                           [&](const Cidr &range) { return contains(range, a) || (v4 && contains(range, *v4)); })) {
      refused = "resolved to an address in network.deniedResolvedAddresses";
    } else if (rules.allowed_address(a, port)) {
      // allowed
    } else if (local_name) {
      if (!is_loopback(a)) refused = "localhost resolved to a non-loopback address";
    } else {
      if (!local_read) {
        local = interfaces_ ? interfaces_() : std::vector<IpAddress>{};
        local_read = true;
      }
      if (auto what = refused_class(a, local); !what.empty()) refused = "resolved to " + what;
    }
    if (refused.empty()) d.addresses.push_back(a);
    else if (first_refusal.empty()) first_refusal = refused;
  }
  if (d.addresses.empty()) {
    d.allow = false;
    d.kind = "address";
    d.reason = first_refusal;
  }
}

void Decider::record(const Decision &d, std::string_view asked, std::uint16_t port, Protocol protocol) {
  std::string host = d.host.empty() ? sanitize_reason(asked.substr(0, 80)) : d.host;
  if (debug_) {
    std::string where;
    for (const auto &a : d.addresses) where += (where.empty() ? " -> " : ", ") + a.to_string();
    debug_(d.allow ? fmt::format("network: allow {} {}:{}{} ({})", to_string(protocol), host, port, where, d.rule)
                   : fmt::format("network: deny {} {}:{}: {}{}", to_string(protocol), host, port, d.reason,
                                 d.rule.empty() ? "" : " (" + d.rule + ")"));
  }
  std::lock_guard lock(mu_);
  if (d.allow) {
    ++allowed_;
    return;
  }
  auto key = std::make_tuple(host, port, d.reason);
  auto it = refusal_index_.find(key);
  if (it == refusal_index_.end() && refusals_.size() >= kMaxRecordedRefusals) {
    ++unrecorded_;
  } else if (it == refusal_index_.end()) {
    refusal_index_.emplace(key, refusals_.size());
    refusals_.push_back({host, port, d.reason, 1, d.rule});
  } else {
    ++refusals_[it->second].count;
  }
}

std::vector<NetworkRefusal> Decider::refusals() const {
  std::lock_guard lock(mu_);
  auto out = refusals_;
  if (unrecorded_) out.push_back({"(other destinations)", 0, "refused, not recorded one by one", unrecorded_, ""});
  return out;
}

std::uint64_t Decider::allowed_count() const {
  std::lock_guard lock(mu_);
  return allowed_;
}

}  // namespace srt::net
