// Splits a fuzzer's input into pieces of pseudo-random sizes, so that every
// parser sees its input the way a socket delivers it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace srt::fuzz {

inline std::vector<std::string_view> split(std::string_view in, std::uint32_t seed, std::size_t max_piece) {
  std::vector<std::string_view> out;
  std::uint32_t x = seed * 2654435761u + 1;
  while (!in.empty()) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    std::size_t n = 1 + x % max_piece;
    if (n > in.size()) n = in.size();
    out.push_back(in.substr(0, n));
    in.remove_prefix(n);
  }
  return out;
}

// An invariant broke: crash so that libFuzzer keeps the input.
inline void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace srt::fuzz
