// A backend whose own rules keep absent protected paths absent (its probe
// says keeps_absent_paths, as Seatbelt's does) gets no placeholders: a
// launch leaves no empty .vscode, .mcp.json or denied name in the user's
// tree, during the run or after it. (Backends that need placeholders are
// covered by the integration scenarios: placeholders_after_kill,
// concurrent_launches.)
#include <srt/srt.hpp>

#include "temp_dir.hpp"
#include "test_backend.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using srt::test::TempDir;

TEST_CASE("absent paths: a backend that keeps them absent by its rules gets no placeholders on the host") {
  TempDir dir;
  // The test backend's probe says keeps_absent_paths.
  auto sb = srt::Sandbox::from_json(R"({"filesystem": {"allowWrite": ["."], "denyWrite": ["./missing/deep"]}})",
                                    srt::test::test_backend_options(dir.path()));

  // The compiled policy still protects them: the backend's rules need them.
  auto policy = sb.compile();
  int absent = 0;
  for (const auto &m : policy.filesystem.mounts)
    if (m.kind == srt::ir::Kind::missing) ++absent;
  CHECK(absent >= 5);  // .claude .idea .mcp.json .vscode missing

  srt::Command c;
  const std::string names = ".claude .idea .mcp.json .vscode missing";
  // Exits 0 only if none of the names exists while the command runs.
  c.argv = {"/bin/sh", "-c", "cd \"$1\" && for n in " + names + "; do [ ! -e \"$n\" ] || exit 9; done", "sh", dir.path()};
  c.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "SRT_TEST_VIOLATION_DIR=" + dir.path()};
  auto child = sb.spawn(c);
  CHECK(child.wait().code == 0);
  for (const char *n : {".claude", ".idea", ".mcp.json", ".vscode", "missing"})
    CHECK_MESSAGE(!std::filesystem::exists(dir / n), n);
}
