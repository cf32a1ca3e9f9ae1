// Internal (non-ABI) knobs of a proxy: the defaults from limits.hpp, which
// tests replace with short timeouts.
#pragma once

#include "limits.hpp"

#include <chrono>
#include <cstddef>

namespace srt::proxy {

struct Timeouts {
  std::chrono::milliseconds request_head = kRequestHeadTimeout;
  std::chrono::milliseconds keep_alive_idle = kKeepAliveIdleTimeout;
  std::chrono::milliseconds connect = kConnectTimeout;
  std::chrono::milliseconds exchange_idle = kExchangeIdleTimeout;
};

struct Options {
  Timeouts timeouts;
  std::size_t max_connections = kMaxConnections;
};

}  // namespace srt::proxy
