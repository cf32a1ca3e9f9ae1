#include "probe.hpp"

#include "abi.hpp"

#include <fmt/format.h>

namespace srt::landlock_backend {

sdk::ProbeResult probe(const ir::Policy &policy) {
  sdk::ProbeResult r;
  r.host_namespaces = true;
  Abi abi = query_abi();
  int v = abi.version;
  std::string have = abi.kernel == v ? fmt::format("Landlock ABI {}", v)
                                     : fmt::format("Landlock ABI {} (the kernel has {}; lowered by {})", v, abi.kernel, kMaxAbiVariable);
  auto set = [&](const char *feature, bool ok, const char *if_not, const std::string &note) {
    r.features[feature] = ok ? sdk::kEnforced : if_not;
    if (!ok) r.feature_notes[feature] = note;
  };
  set("filesystem", v >= 3, sdk::kDegraded,
      have + " cannot refuse truncating files outside the writable paths (truncate(2); needs ABI 3, Linux 6.2)");
  // What Landlock never does, whatever the ABI (docs/architecture.md, section 7).
  if (v >= 3)
    r.feature_notes["filesystem"] =
        "enforced, with Landlock's limits: names in hidden directories can be listed (not opened), and a writable directory "
        "that holds protected entries cannot gain or lose entries at its own level";
  set("network", v >= 4, sdk::kUnsupported,
      have + " cannot restrict TCP connections (needs ABI 4, Linux 6.7): the command could connect anywhere without the proxies");
  set("ipc_isolation", v >= 6, sdk::kDegraded,
      have + " cannot keep the command from signalling your other processes" +
          (policy.sockets.allow_all_unix || !policy.sockets.allow_unix_paths.empty()
               ? " or from reaching their abstract Unix sockets"
               : "") +
          " (needs ABI 6, Linux 6.12)");
  set("pid_isolation", false, sdk::kDegraded,
      "no PID namespace: the command sees this machine's processes in ps and /proc, but cannot signal, trace or read the memory of "
      "those outside the sandbox");
  r.features["pty"] = sdk::kEnforced;
  if (v < 1) {
    r.reason = abi.why;
    return r;
  }
  r.usable = true;
  return r;
}

}  // namespace srt::landlock_backend
