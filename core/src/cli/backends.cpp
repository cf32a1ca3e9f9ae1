// `srt backends`: every plugin found, and for backends whether they can run
// here and, if not, what to do.
#include "cli/commands.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace srt::cli {

int list_backends(const Invocation &inv) {
  Sandbox sandbox = make_sandbox(inv);
  ir::Policy policy = sandbox.compile();
  auto backends = sandbox.backends(policy, /*deep=*/true);
  std::string out;
  for (const auto &p : sandbox.plugins()) {
    if (p.state != "loaded") {
      out += fmt::format("{:<9} {:<10} {}\n          {}: {}\n", p.kind.empty() ? "?" : p.kind, p.name.empty() ? "?" : p.name, p.file,
                         p.state == "shadowed" ? "not used" : "failed to load", p.error);
      continue;
    }
    out += fmt::format("{:<9} {:<10} {} (ABI {}.{}) {}\n          {}\n", p.kind, p.name, p.version, p.abi_major, p.abi_minor, p.file,
                       p.summary);
    for (const auto &b : backends) {
      if (b.file != p.file) continue;
      out += b.usable ? "          usable here\n" : fmt::format("          not usable here: {}\n", b.reason);
      std::string feats;
      for (const auto &[k, v] : b.features) feats += fmt::format("{}{} {}", feats.empty() ? "" : ", ", k, v);
      if (!feats.empty()) out += "          enforces: " + feats + "\n";
      for (const auto &[k, v] : b.feature_notes) out += fmt::format("            {}: {}\n", k, v);
    }
  }
  if (out.empty()) out = "no plugins found (searched the plugin directories; run with -d to see them)\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace srt::cli
