// The network types of the library API (srt/srt.hpp): the ask callback and
// the record of refused destinations. Plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace srt {

// A destination no rule decided, for the ask callback.
struct NetworkRequest {
  std::string host;  // canonical: lower-case name or IP address
  std::uint16_t port = 0;
};
struct NetworkAnswer {
  bool allow = false;
  std::string reason;  // for a refusal: what the command's client is told
};
// Consulted for destinations neither list decides (never under
// strictAllowlist). Called from the proxies' threads, possibly several at
// once; may block (a user prompt); an exception is a refusal.
using AskFn = std::function<NetworkAnswer(const NetworkRequest &)>;

// One refused destination and how often it was refused.
struct NetworkRefusal {
  std::string host;
  std::uint16_t port = 0;
  std::string reason;
  std::uint64_t count = 0;
  // The settings entry that refused it (e.g. `network.deniedDomains[0]
  // "evil.example"`); empty when no list named it.
  std::string rule;
};

}  // namespace srt
