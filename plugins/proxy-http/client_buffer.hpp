// The bytes read from one HTTP client and not yet used. It travels with the
// client socket from the head reader to a forwarded exchange and back, so
// that pipelined requests are never lost.
#pragma once

#include "http_limits.hpp"

#include <cstddef>
#include <memory>
#include <string_view>

namespace srt::proxy::http {

struct ClientBuffer {
  static constexpr std::size_t kCapacity = kClientBufferBytes;
  std::unique_ptr<char[]> data = std::make_unique<char[]>(kCapacity);
  std::size_t begin = 0;
  std::size_t end = 0;

  std::string_view pending() const { return {data.get() + begin, end - begin}; }
  bool empty() const { return begin == end; }
  void consume(std::size_t n) {
    begin += n;
    if (begin == end) begin = end = 0;
  }
  // Where the next read goes: reads happen only once every byte is used.
  char *space() { return data.get() + end; }
  std::size_t space_size() const { return kCapacity - end; }
  void filled(std::size_t n) { end += n; }
};

}  // namespace srt::proxy::http
