#include "policy/mandatory_deny.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <srt/error.hpp>

#include <algorithm>
#include <atomic>
#include <set>

#include <sys/stat.h>

using namespace srt::policy;

namespace {
std::set<std::string> paths(const std::vector<MandatoryFinding> &f) {
  std::set<std::string> out;
  for (const auto &x : f) out.insert(x.path);
  return out;
}
}  // namespace

TEST_CASE("mandatory scan: names, depth, git, node_modules") {
  srt::test::TempDir t;
  t.file(".bashrc");
  t.file("a/.zshrc");
  t.file("a/b/c/.profile");
  t.file("a/b/c/d/.profile");  // below depth 3
  t.dir(".idea");
  t.file(".claude/commands/x.md");
  t.file(".claude/settings.json");
  t.dir("repo/.git/hooks");
  t.file("wt/.git", "gitdir: /elsewhere");
  t.file("node_modules/.mcp.json");
  t.file("node_modules/pkg/.bashrc");
  MandatoryScanOptions o;
  o.depth = 3;
  auto found = paths(scan_mandatory_denies(t.path(), o));
  CHECK(found.count(t / ".bashrc"));
  CHECK(found.count(t / "a/.zshrc"));
  CHECK(found.count(t / "a/b/c/.profile"));
  CHECK_FALSE(found.count(t / "a/b/c/d/.profile"));
  CHECK(found.count(t / ".idea"));
  CHECK(found.count(t / ".claude/commands"));
  CHECK_FALSE(found.count(t / ".claude/agents"));  // absent, and absent names are the compiler's business
  CHECK_FALSE(found.count(t / ".claude/settings.json"));
  CHECK(found.count(t / "repo/.git/hooks"));
  CHECK(found.count(t / "repo/.git/config"));
  CHECK(found.count(t / "repo/.gitmodules"));
  CHECK(found.count(t / "wt/.git"));
  CHECK(found.count(t / "node_modules/.mcp.json"));
  CHECK_FALSE(found.count(t / "node_modules/pkg/.bashrc"));

  o.allow_git_config = true;
  o.protect_missing_hooks = false;
  t.dir("nohooks/.git");
  found = paths(scan_mandatory_denies(t.path(), o));
  CHECK_FALSE(found.count(t / "repo/.git/config"));
  CHECK_FALSE(found.count(t / "nohooks/.git/hooks"));
  CHECK(found.count(t / "repo/.git/hooks"));
}

TEST_CASE("mandatory scan: an unreadable directory is protected whole") {
  if (::geteuid() == 0) return;  // root can read it anyway
  srt::test::TempDir t;
  auto d = t.dir("locked");
  ::chmod(d.c_str(), 0);
  MandatoryScanOptions o;
  auto found = paths(scan_mandatory_denies(t.path(), o));
  ::chmod(d.c_str(), 0700);
  CHECK(found.count(d));
}

TEST_CASE("mandatory scan: may_descend prunes directories the sandbox cannot write") {
  srt::test::TempDir t;
  t.file("ro/.bashrc");
  t.file("rw/.bashrc");
  MandatoryScanOptions o;
  o.may_descend = [&](const std::string &p) { return p != t / "ro"; };
  auto found = paths(scan_mandatory_denies(t.path(), o));
  CHECK(found.count(t / "rw/.bashrc"));
  CHECK_FALSE(found.count(t / "ro/.bashrc"));
}

TEST_CASE("mandatory scan: a wide tree is listed by several threads with the same findings, in path order") {
  srt::test::TempDir t;
  std::set<std::string> expected;
  for (int i = 0; i < 150; ++i) {
    std::string d = "d" + std::to_string(i);
    t.dir(d + "/s/x");
    if (i % 7 == 0) {
      t.file(d + "/s/.bashrc");
      expected.insert(t / (d + "/s/.bashrc"));
    }
    if (i % 11 == 0) {
      t.dir(d + "/s/x/.vscode");
      expected.insert(t / (d + "/s/x/.vscode"));
    }
    t.file(d + "/s/x/deeper/.profile");  // below depth 3
  }
  MandatoryScanOptions o;
  o.depth = 3;
  std::atomic<int> asked{0};
  o.may_descend = [&](const std::string &) {
    ++asked;
    return true;
  };
  auto found = scan_mandatory_denies(t.path(), o);
  CHECK(paths(found) == expected);
  CHECK(found.size() == expected.size());  // nothing reported twice
  CHECK(std::is_sorted(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.path < b.path; }));
  CHECK(asked == 150 * 3);  // d*, d*/s, d*/s/x
}

TEST_CASE("mandatory scan: a failure on any thread fails the scan") {
  srt::test::TempDir t;
  for (int i = 0; i < 150; ++i) t.dir("d" + std::to_string(i) + "/s");
  MandatoryScanOptions o;
  o.may_descend = [&](const std::string &p) {
    if (p == t / "d149/s") throw srt::PolicyError("stop here");
    return true;
  };
  CHECK_THROWS_WITH_AS(scan_mandatory_denies(t.path(), o), "stop here", srt::PolicyError);
}
