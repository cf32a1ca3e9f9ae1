// The network decision: may the sandbox reach host:port, and at which
// addresses. Every network plugin asks this one place (through the host
// table's `decide`), so the rules, the ask callback, live updates and the
// record of what was refused are the same for HTTP and SOCKS5.
//
// Threads: decide() may be called from any number of threads at once;
// update() swaps the rules atomically (connections already decided keep
// their verdict, new ones see the new rules).
#pragma once

#include "net/address.hpp"
#include "net/rules.hpp"

#include <srt/network.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace srt::net {

using srt::AskFn;
using srt::NetworkAnswer;
using srt::NetworkRefusal;

enum class Protocol { http, connect, socks5 };
const char *to_string(Protocol p);

struct Decision {
  bool allow = false;
  std::string host;                    // canonical (empty when malformed)
  std::vector<IpAddress> addresses;    // when allowed: dial these, in order
  std::string reason;                  // when refused
  std::string kind;                    // "allowlist" | "address" | "malformed" | "unreachable"
  std::string rule;                    // the settings entry that decided, if any
};

// The library's ask callback (srt::AskFn): consulted for hosts no list
// decides, unless strictAllowlist. May block (a user prompt); may throw (a
// refusal).
// Resolves a name (all addresses, in the resolver's order). Sets `error` and
// returns nothing when it cannot.
using ResolveFn = std::function<std::vector<IpAddress>(const std::string &host, std::string &error)>;
using InterfacesFn = std::function<std::vector<IpAddress>()>;
using DebugFn = std::function<void(const std::string &)>;

// getaddrinfo (blocking), TCP, both families.
std::vector<IpAddress> system_resolve(const std::string &host, std::string &error);

class Decider {
 public:
  Decider(std::shared_ptr<const Rules> rules, AskFn ask = {}, ResolveFn resolve = system_resolve,
          InterfacesFn interfaces = {}, DebugFn debug = {});

  Decision decide(std::string_view host, std::uint16_t port, Protocol protocol);
  void update(std::shared_ptr<const Rules> rules);

  // Every refusal so far, in first-seen order.
  std::vector<NetworkRefusal> refusals() const;
  std::uint64_t allowed_count() const;

 private:
  Decision decide_uncounted(std::string_view host, std::uint16_t port, std::shared_ptr<const Rules> rules);
  void guard(Decision &d, std::uint16_t port, const Rules &rules);
  void record(const Decision &d, std::string_view asked, std::uint16_t port, Protocol protocol);

  AskFn ask_;
  ResolveFn resolve_;
  InterfacesFn interfaces_;
  DebugFn debug_;
  mutable std::mutex mu_;
  std::shared_ptr<const Rules> rules_;
  std::vector<NetworkRefusal> refusals_;
  std::map<std::tuple<std::string, std::uint16_t, std::string>, std::size_t> refusal_index_;
  std::uint64_t allowed_ = 0;
  std::uint64_t unrecorded_ = 0;
};

// The ask callback's reason as the refusal carries it: at most 500
// characters, no '<' '>', no control characters.
std::string sanitize_reason(std::string_view reason);

}  // namespace srt::net
