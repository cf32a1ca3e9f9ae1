// Which accepted settings keys this build does not (fully) enforce, and what
// happens instead. Reported by `srt policy explain`; never silent.
#include "policy/compile.hpp"

#include <fmt/format.h>

namespace srt::policy {

namespace {

struct KeyNote {
  const char *key;
  const char *status;
  const char *detail;
};

constexpr const char *kNotInProxies =
    "srt's proxies do not implement this yet: allowed destinations are reached directly from this host, and the key has no "
    "effect";

constexpr KeyNote kKeyNotes[] = {
    {"network.mitmProxy", "not-yet-enforced", kNotInProxies},
    {"network.allowPlaintextHeaderSet", "not-yet-enforced", kNotInProxies},
    {"network.stripResponseHeaders", "not-yet-enforced", kNotInProxies},
    {"network.refuseOpaqueTunnels", "not-yet-enforced", kNotInProxies},
    {"network.requireHostMatch", "not-yet-enforced", kNotInProxies},
    {"network.ambiguousRequestTarget", "not-yet-enforced", kNotInProxies},
    {"network.tlsTerminate", "not-yet-enforced", kNotInProxies},
    {"network.parentProxy", "not-yet-enforced", kNotInProxies},
    {"network.allowUnixSockets", "not-applicable",
     "path-scoped Unix socket rules are applied by the seatbelt backend (macOS) only; on Linux see network.allowAllUnixSockets"},
    {"network.allowMachLookup", "not-applicable", "applied by the seatbelt backend (macOS) only: Linux has no mach services"},
    {"enableWeakerNetworkIsolation", "not-applicable", "applied by the seatbelt backend (macOS) only"},
    {"allowAppleEvents", "not-applicable", "applied by the seatbelt backend (macOS) only"},
    {"ripgrep", "ignored", "srt finds mandatory-deny paths in-process; ripgrep is never run"},
    {"seccomp", "ignored", "srt builds its seccomp filter in-process; no external helper is run"},
    {"socatPath", "ignored", "srt relays in-process; socat is never run"},
    {"javaAgentJarPath", "ignored",
     "srt points the JVM at its proxies with the standard proxy properties in JAVA_TOOL_OPTIONS; no agent is loaded"},
    {"windows", "not-applicable", "a Windows setting"},
    {"credentials.awsPairs", "not-yet-enforced", "request re-signing needs TLS termination in the proxies, not built yet"},
    {"credentials.sigv4", "not-yet-enforced", "request re-signing needs TLS termination in the proxies, not built yet"},
    {"credentials.allowPlaintextInject", "not-yet-enforced", "credential injection needs TLS termination in the proxies, not built yet"},
};

}  // namespace

std::vector<ir::Note> settings_notes(const Settings &s) {
  std::vector<ir::Note> notes;
  for (const auto &k : kKeyNotes)
    if (s.present.count(k.key)) notes.push_back({k.key, k.status, k.detail});
  if (s.credentials) {
    for (std::size_t i = 0; i < s.credentials->files.size(); ++i)
      if (s.credentials->files[i].mode == "mask")
        notes.push_back({fmt::format("credentials.files[{}]", i), "stricter",
                         "masking needs TLS termination in the proxies, not built yet; until then the file is hidden (read-denied) instead"});
    for (std::size_t i = 0; i < s.credentials->envVars.size(); ++i)
      if (s.credentials->envVars[i].mode == "mask")
        notes.push_back({fmt::format("credentials.envVars[{}]", i), "stricter",
                         "masking needs TLS termination in the proxies, not built yet; until then the variable is removed instead"});
  }
  return notes;
}

}  // namespace srt::policy
