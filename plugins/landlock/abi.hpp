// Which Landlock ABI this kernel offers.
#pragma once

#include <string>

namespace srt::landlock_backend {

// The highest ABI this plugin knows how to use.
inline constexpr int kNewestKnownAbi = 7;
// Environment variable that lowers the ABI srt uses (to see what an older
// kernel would get; never raises it).
inline constexpr const char *kMaxAbiVariable = "SRT_LANDLOCK_MAX_ABI";

struct Abi {
  int version = 0;     // 0: Landlock cannot be used; see `why`
  int kernel = 0;      // what the kernel reported (before SRT_LANDLOCK_MAX_ABI)
  std::string why;
};

// Asks the kernel (landlock_create_ruleset with LANDLOCK_CREATE_RULESET_VERSION).
Abi query_abi();

}  // namespace srt::landlock_backend
