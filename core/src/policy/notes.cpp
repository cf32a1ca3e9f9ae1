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

constexpr const char *kNoNetwork =
    "this build starts no proxy, so the sandbox has no network at all; the rule is accepted and will be enforced by the "
    "network plugins";

constexpr KeyNote kKeyNotes[] = {
    {"network.allowedDomains", "stricter",
     "this build starts no proxy: the sandbox has no network at all, so allowed domains are not reachable yet"},
    {"network.deniedDomains", "stricter", kNoNetwork},
    {"network.deniedDomainReasons", "not-yet-enforced", kNoNetwork},
    {"network.strictAllowlist", "stricter", kNoNetwork},
    {"network.deniedResolvedAddresses", "stricter", kNoNetwork},
    {"network.httpProxyPort", "not-yet-enforced", "external proxies are not used yet; the sandbox has no network at all"},
    {"network.socksProxyPort", "not-yet-enforced", "external proxies are not used yet; the sandbox has no network at all"},
    {"network.mitmProxy", "not-yet-enforced", kNoNetwork},
    {"network.allowPlaintextHeaderSet", "not-yet-enforced", kNoNetwork},
    {"network.stripResponseHeaders", "not-yet-enforced", kNoNetwork},
    {"network.refuseOpaqueTunnels", "not-yet-enforced", kNoNetwork},
    {"network.requireHostMatch", "not-yet-enforced", kNoNetwork},
    {"network.ambiguousRequestTarget", "not-yet-enforced", kNoNetwork},
    {"network.tlsTerminate", "not-yet-enforced", kNoNetwork},
    {"network.parentProxy", "not-yet-enforced", kNoNetwork},
    {"network.allowUnixSockets", "not-applicable",
     "path-scoped Unix socket rules are a Seatbelt (macOS) feature; on Linux see network.allowAllUnixSockets"},
    {"network.allowLocalBinding", "not-applicable",
     "on Linux the sandbox has its own loopback interface, where binding works without this key"},
    {"network.allowMachLookup", "not-applicable", "mach-lookup rules exist only on macOS (Seatbelt)"},
    {"ignoreViolations", "not-yet-enforced", "this build records no violations yet, so there is nothing to filter"},
    {"enableWeakerNetworkIsolation", "not-applicable", "a macOS (Seatbelt) setting"},
    {"allowAppleEvents", "not-applicable", "a macOS (Seatbelt) setting"},
    {"ripgrep", "ignored", "srt finds mandatory-deny paths in-process; ripgrep is never run"},
    {"seccomp", "ignored", "srt builds its seccomp filter in-process; no external helper is run"},
    {"socatPath", "ignored", "srt relays in-process; socat is never run"},
    {"javaAgentJarPath", "not-yet-enforced", "JVM proxy settings come with the network plugins"},
    {"windows", "not-applicable", "a Windows setting"},
    {"credentials.awsPairs", "not-yet-enforced", "request re-signing needs the network plugins"},
    {"credentials.sigv4", "not-yet-enforced", "request re-signing needs the network plugins"},
    {"credentials.allowPlaintextInject", "not-yet-enforced", "credential injection needs the network plugins"},
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
                         "masking needs the network plugins; until then the file is hidden (read-denied) instead"});
    for (std::size_t i = 0; i < s.credentials->envVars.size(); ++i)
      if (s.credentials->envVars[i].mode == "mask")
        notes.push_back({fmt::format("credentials.envVars[{}]", i), "stricter",
                         "masking needs the network plugins; until then the variable is removed instead"});
  }
  if (!s.network.allowAllUnixSockets)
    notes.push_back({"network.allowAllUnixSockets", "not-yet-enforced",
                     "false (the default) means Unix sockets are blocked; this build has no seccomp filter yet, so the "
                     "command can still connect to Unix sockets it can read (e.g. /run/docker.sock)"});
  return notes;
}

}  // namespace srt::policy
