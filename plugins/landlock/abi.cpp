#include "abi.hpp"

#include <srt/landlock.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

namespace srt::landlock_backend {

Abi query_abi() {
  Abi a;
  long v = ::syscall(landlock::kSysCreateRuleset, nullptr, 0, landlock::kCreateRulesetVersion);
  if (v < 0) {
    int err = errno;
    if (err == ENOSYS)
      a.why = "this kernel has no Landlock (needs Linux 5.13 or later built with CONFIG_SECURITY_LANDLOCK); use --backend bwrap";
    else if (err == EOPNOTSUPP)
      a.why = "Landlock is built into this kernel but not enabled at boot (add \"landlock\" to the lsm= kernel parameter); "
              "use --backend bwrap";
    else
      a.why = std::string("landlock_create_ruleset: ") + std::strerror(err);
    return a;
  }
  a.kernel = static_cast<int>(v);
  a.version = std::min(a.kernel, kNewestKnownAbi);
  if (const char *cap = std::getenv(kMaxAbiVariable); cap && *cap) {
    char *end = nullptr;
    long n = std::strtol(cap, &end, 10);
    if (*end != '\0' || n < 0 || n > kNewestKnownAbi) {
      a.version = 0;
      a.why = std::string(kMaxAbiVariable) + "=" + cap + " is not a Landlock ABI number (0-" + std::to_string(kNewestKnownAbi) + ")";
      return a;
    }
    a.version = std::min<int>(a.version, static_cast<int>(n));
    if (a.version == 0) a.why = std::string("Landlock disabled by ") + kMaxAbiVariable + "=0";
  }
  return a;
}

}  // namespace srt::landlock_backend
