// Connects to the first of a verdict's addresses that answers, each attempt
// bounded by a timeout. The only way the proxies open upstream connections.
#pragma once

#include "asio.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace srt::proxy {

// `done` runs on `ex` with the connected socket (bound to `ex`), or with the
// error of the last attempt (asio::error::timed_out for a timeout) and a
// closed socket. Addresses that do not parse are skipped.
using DialFn = std::function<void(const error_code &, Socket)>;
void dial(Executor ex, std::vector<std::string> addresses, std::uint16_t port, std::chrono::milliseconds timeout,
          DialFn done);

}  // namespace srt::proxy
