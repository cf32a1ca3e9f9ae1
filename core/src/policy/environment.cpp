// What the sandboxed command's environment gains and loses: TMPDIR,
// SANDBOX_RUNTIME, git safe directories (GIT_CONFIG_*), denied credentials.
#include "policy/compile.hpp"

#include "policy/paths.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace srt::policy {

namespace {

// git reads at most this many safe.directory entries before the list becomes
// unwieldy; past it the reference collapses to "*", and so do we.
constexpr std::size_t kMaxSafeDirectories = 8;

}  // namespace

void compile_environment(const Settings &s, const CompileContext &c, ir::Policy &out) {
  out.process.env_set["SANDBOX_RUNTIME"] = "1";
  if (!s.filesystem.disabled) out.process.env_set["TMPDIR"] = c.tmpdir;
  if (s.credentials) {
    for (const auto &e : s.credentials->envVars) out.process.env_unset.push_back(e.name);
  }
  const auto &dirs = s.git.safeDirectories;
  if (dirs.empty()) return;
  const char *inherited = c.getenv ? c.getenv("GIT_CONFIG_COUNT") : nullptr;
  std::size_t next = 0;
  if (inherited && *inherited) {
    std::string v = inherited;
    if (v == "0") {
      if (c.debug) c.debug("git.safeDirectories: GIT_CONFIG_COUNT=0 in the environment opts out; not set");
      return;
    }
    next = static_cast<std::size_t>(std::strtoul(v.c_str(), nullptr, 10));
  }
  std::vector<std::string> values;
  if (dirs.size() > kMaxSafeDirectories) {
    values.push_back("*");
  } else {
    for (const auto &d : dirs) {
      std::string abs = expand_path(d, c.cwd, c.home);
      values.push_back(abs);
      values.push_back(abs + "/*");
    }
  }
  for (const auto &v : values) {
    out.process.env_set[fmt::format("GIT_CONFIG_KEY_{}", next)] = "safe.directory";
    out.process.env_set[fmt::format("GIT_CONFIG_VALUE_{}", next)] = v;
    ++next;
  }
  out.process.env_set["GIT_CONFIG_COUNT"] = std::to_string(next);
}

}  // namespace srt::policy
