#include "ruleset.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

using namespace srt::ir;
namespace ll = srt::landlock;
using srt::landlock_backend::build_ruleset;
using srt::landlock_backend::kDevice;
using srt::landlock_backend::kRead;
using srt::landlock_backend::kWrite;

namespace {

constexpr std::uint64_t kRW = kRead | kWrite;
// The devices bubblewrap's --dev gives, which the ruleset grants on the host's /dev.
const char *const kDevNodes[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx"};

Mount mount(const std::string &path, Access access, const std::string &origin, Kind kind = Kind::dir) {
  return {path, access, kind, Placeholder::none, false, origin};
}

// "/" read-only, then `deeper`.
Policy policy(std::vector<Mount> deeper = {}) {
  Policy p;
  p.process.cwd = "/";
  p.filesystem.mounts = {mount("/", Access::read_only, "default")};
  for (auto &m : deeper) p.filesystem.mounts.push_back(std::move(m));
  return p;
}

srt::LaunchRequest request() {
  srt::LaunchRequest r;
  r.enter_argv = {"/usr/bin/true"};
  r.enter_host_path = "/usr/bin/true";
  r.enter_sandbox_path = "/usr/bin/true";
  return r;
}

bool at_or_under(const std::string &path, const std::string &dir) {
  if (dir == "/") return !path.empty() && path[0] == '/';
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

// The rules whose path is exactly `path`.
std::vector<ll::PathRule> rules_on(const ll::Ruleset &r, const std::string &path) {
  std::vector<ll::PathRule> out;
  for (const auto &p : r.paths)
    if (p.path == path) out.push_back(p);
  return out;
}

// The access of the one rule on `path`; 0 when there is none. Fails the test
// when there are several.
std::uint64_t rule_access(const ll::Ruleset &r, const std::string &path) {
  auto on = rules_on(r, path);
  CAPTURE(path);
  CHECK(on.size() <= 1);
  return on.empty() ? 0 : on.front().access;
}

// The paths of the rules at or under `dir`.
std::set<std::string> rule_paths_under(const ll::Ruleset &r, const std::string &dir) {
  std::set<std::string> out;
  for (const auto &p : r.paths)
    if (at_or_under(p.path, dir)) out.insert(p.path);
  return out;
}

// What the rules let a process do at `path`: Landlock grants on a directory
// cover everything beneath it, so this is the union of the rules on `path`
// and on its ancestors.
std::uint64_t effective(const ll::Ruleset &r, const std::string &path) {
  std::uint64_t a = 0;
  for (const auto &p : r.paths)
    if (at_or_under(path, p.path)) a |= p.access;
  return a;
}

// Every right of any rule at or under `dir`.
std::uint64_t any_rule_under(const ll::Ruleset &r, const std::string &dir) {
  std::uint64_t a = 0;
  for (const auto &p : r.paths)
    if (at_or_under(p.path, dir)) a |= p.access;
  return a;
}

std::string names(std::uint64_t access) { return ll::fs_names(access); }

}  // namespace

TEST_CASE("landlock ruleset: a read-write directory with nothing restricted beneath it is one rule") {
  srt::test::TempDir t;
  std::string d = t.dir("w");
  t.dir("w/a/b");
  t.file("w/f");
  t.file("outside");
  auto p = policy({mount(d, Access::read_write, "filesystem.allowWrite[0]")});

  for (int abi : {1, 2, 3, 5, 7}) {
    CAPTURE(abi);
    auto r = build_ruleset(p, request(), abi);
    CHECK(r.abi == abi);
    CHECK(rule_paths_under(r, d) == std::set<std::string>{d});
    auto on = rules_on(r, d);
    REQUIRE(on.size() == 1);
    CHECK(names(on[0].access) == names(kRW & ll::fs_rights(abi)));
    CHECK(on[0].why == "filesystem.allowWrite[0]");
    // Outside D nothing is writable.
    CHECK(names(effective(r, t.path()) & kWrite) == "none");
    CHECK(names(effective(r, t / "outside") & kWrite) == "none");
    CHECK(names(effective(r, t / "outside") & kRead) == names(kRead));
  }
  // The literal rights at the newest ABI, in case the constants drift.
  auto r7 = build_ruleset(p, request(), 7);
  CHECK(rule_access(r7, d) == ((1ull << 15) - 1));  // every right up to truncate, not ioctl_dev
}

TEST_CASE("landlock ruleset: a read-only path inside a read-write directory splits it") {
  srt::test::TempDir t;
  std::string d = t.dir("w");
  t.file("w/a/deep/file");
  t.file("w/f");
  t.file("w/p/x");
  t.dir("w/p/sub");
  std::string pp = d + "/p";
  auto p = policy({mount(d, Access::read_write, "filesystem.allowWrite[0]"), mount(pp, Access::read_only, "filesystem.denyWrite[0]")});

  auto r = build_ruleset(p, request(), 7);
  // D itself keeps no write right (a rule on it would cover D/p).
  for (const auto &rule : rules_on(r, d)) CHECK(names(rule.access & ~kRead) == "none");
  CHECK(names(effective(r, d) & kWrite) == "none");
  CHECK(names(effective(r, d) & kRead) == names(kRead));
  // Each other entry gets D's rights: the directory all of them, the file
  // those a file can have.
  CHECK(names(rule_access(r, d + "/a")) == names(kRW));
  CHECK(names(rule_access(r, d + "/f")) == names((kRW) & ll::kFileRights));
  CHECK(rule_access(r, d + "/f") == (ll::kExecute | ll::kReadFile | ll::kWriteFile | ll::kTruncate));
  CHECK(rules_on(r, d + "/a").at(0).why == "filesystem.allowWrite[0]");
  // What is beneath an entry is covered by the entry's rule: no more rules.
  CHECK(rule_paths_under(r, d) == std::set<std::string>{d + "/a", d + "/f"});
  // D/p: readable, never writable.
  CHECK(names(any_rule_under(r, pp) & kWrite) == "none");
  CHECK(names(effective(r, pp) & kWrite) == "none");
  CHECK(names(effective(r, pp + "/x") & kWrite) == "none");
  CHECK(names(effective(r, pp + "/sub") & kWrite) == "none");
  CHECK(names(effective(r, pp + "/x") & kRead) == names(kRead));
  for (const auto &rule : r.paths)
    if (at_or_under(rule.path, pp) || at_or_under(pp, rule.path)) CHECK_MESSAGE((rule.access & ll::kWriteFile) == 0, rule.path);
  // The rest of D stays writable.
  CHECK(names(effective(r, d + "/a/deep/file") & kWrite) == names(kWrite));

  // At ABI 1 the same split, with only the rights ABI 1 knows.
  auto r1 = build_ruleset(p, request(), 1);
  CHECK(rule_paths_under(r1, d) == std::set<std::string>{d + "/a", d + "/f"});
  CHECK(names(rule_access(r1, d + "/a")) == names(kRW & ll::fs_rights(1)));
  CHECK(rule_access(r1, d + "/f") == (ll::kExecute | ll::kReadFile | ll::kWriteFile));
}

TEST_CASE("landlock ruleset: a hidden path in a read-only area keeps its names listable, its contents unreadable") {
  srt::test::TempDir t;
  std::string parent = t.dir("ro");
  std::string h = t.dir("ro/h");
  t.file("ro/h/secret");
  t.file("ro/h/sub/file");
  t.dir("ro/sib/inner");
  t.file("ro/sibfile");
  std::string key = t.file("ro/key.pem");
  auto p = policy({mount(h, Access::hidden, "filesystem.denyRead[0]"), mount(key, Access::hidden, "filesystem.denyRead[1]", Kind::file)});

  for (int abi : {1, 7}) {
    CAPTURE(abi);
    auto r = build_ruleset(p, request(), abi);
    // Nothing at or under H (or the hidden file) is readable.
    CHECK(names(any_rule_under(r, h) & ll::kReadFile) == "none");
    CHECK(rule_paths_under(r, h).empty());
    CHECK(rule_paths_under(r, key).empty());
    for (const std::string &path : {h, h + "/secret", h + "/sub", h + "/sub/file", key}) {
      CAPTURE(path);
      CHECK(names(effective(r, path) & (ll::kReadFile | ll::kExecute | kWrite)) == "none");
    }
    // The parent: names listable, files unreadable.
    CHECK((effective(r, parent) & ll::kReadDir) != 0);
    CHECK(names(effective(r, parent) & (ll::kReadFile | ll::kExecute | kWrite)) == "none");
    // The siblings: everything read-only gives.
    CHECK(names(rule_access(r, parent + "/sib")) == names(kRead));
    CHECK(names(rule_access(r, parent + "/sibfile")) == names(ll::kReadFile | ll::kExecute));
    CHECK(rules_on(r, parent + "/sib").at(0).why == "default");
    CHECK(rule_paths_under(r, parent) == std::set<std::string>{parent + "/sib", parent + "/sibfile"});
  }
}

TEST_CASE("landlock ruleset: a symbolic link in a split directory gets no rule") {
  srt::test::TempDir t;
  std::string d = t.dir("w");
  t.dir("w/real");
  t.file("w/file");
  t.dir("w/p");
  t.symlink("real", "w/to-dir");
  t.symlink("file", "w/to-file");
  t.symlink("/nonexistent/target", "w/dangling");
  t.symlink("/etc", "w/to-etc");
  auto p = policy({mount(d, Access::read_write, "aw"), mount(d + "/p", Access::hidden, "dr")});

  auto r = build_ruleset(p, request(), 7);
  for (const char *link : {"to-dir", "to-file", "dangling", "to-etc"}) {
    CAPTURE(link);
    CHECK(rules_on(r, d + "/" + link).empty());
  }
  CHECK(rule_paths_under(r, d) == std::set<std::string>{d + "/real", d + "/file"});
  CHECK(names(rule_access(r, d + "/real")) == names(kRW));
  // /etc stays as the root mount says, read-only, whatever the link in D says.
  CHECK(names(effective(r, "/etc/passwd") & kWrite) == "none");
}

TEST_CASE("landlock ruleset: /dev gives the devices bubblewrap's --dev gives and nothing else") {
  auto plain = policy();
  auto with_dev_mounts =
      policy({mount("/dev", Access::read_write, "filesystem.allowWrite[0]"), mount("/dev/shm", Access::read_write, "filesystem.allowWrite[1]"),
              mount("/dev/sda", Access::read_only, "filesystem.allowRead[0]", Kind::file)});

  for (int abi : {1, 4, 5, 7}) {
    CAPTURE(abi);
    auto r = build_ruleset(plain, request(), abi);
    for (const char *dev : kDevNodes) {
      CAPTURE(dev);
      CHECK(names(rule_access(r, dev)) == names(kDevice & ll::fs_rights(abi)));
    }
    // Not the host's devpts: it holds the user's other terminals.
    CHECK(names(effective(r, "/dev/pts/0")) == names(ll::kReadDir));
    CHECK(rule_paths_under(r, "/dev") == std::set<std::string>{"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
                                                               "/dev/tty", "/dev/ptmx"});
    // The names in /dev are listable, no other device opens.
    CHECK(names(effective(r, "/dev")) == names(ll::kReadDir));
    CHECK(names(effective(r, "/dev/sda")) == names(ll::kReadDir));
    CHECK(names(effective(r, "/dev/shm/x")) == names(ll::kReadDir));
    // "/" itself: listable only (a grant on it would cover /dev).
    CHECK(names(rule_access(r, "/")) == names(ll::kReadDir));

    // Mounts under /dev in the IR change nothing.
    auto r2 = build_ruleset(with_dev_mounts, request(), abi);
    REQUIRE(r2.paths.size() == r.paths.size());
    for (std::size_t i = 0; i < r.paths.size(); ++i) {
      CHECK(r2.paths[i].path == r.paths[i].path);
      CHECK(r2.paths[i].access == r.paths[i].access);
    }
    CHECK(rules_on(r2, "/dev/shm").empty());
    CHECK(rules_on(r2, "/dev/sda").empty());
  }
  auto r5 = build_ruleset(plain, request(), 5);
  CHECK((rule_access(r5, "/dev/null") & ll::kIoctlDev) != 0);
  CHECK(rule_access(r5, "/dev/null") == (ll::kReadFile | ll::kWriteFile | ll::kTruncate | ll::kIoctlDev));
  auto r4 = build_ruleset(plain, request(), 4);
  CHECK(rule_access(r4, "/dev/null") == (ll::kReadFile | ll::kWriteFile | ll::kTruncate));
}

TEST_CASE("landlock ruleset: rights, network and scopes follow the ABI") {
  srt::test::TempDir t;
  std::string d = t.dir("w");
  t.dir("w/a");
  t.file("w/f");
  t.dir("w/p");
  t.dir("h");
  auto p = policy({mount(d, Access::read_write, "aw"), mount(d + "/p", Access::read_only, "dw"), mount(t / "h", Access::hidden, "dr")});
  auto req = request();
  req.proxy_ports = {3128, 1080, 3128};

  SUBCASE("ABI 1: filesystem rights of ABI 1 only, no network, no scopes") {
    auto r = build_ruleset(p, req, 1);
    CHECK(r.abi == 1);
    CHECK(r.handled_fs == ll::fs_rights(1));
    CHECK(r.handled_fs == ((1ull << 13) - 1));
    CHECK(r.handled_net == 0);
    CHECK(r.scoped == 0);
    CHECK(r.ports.empty());
    REQUIRE(!r.paths.empty());
    for (const auto &rule : r.paths) {
      CAPTURE(rule.path);
      CHECK((rule.access & (ll::kRefer | ll::kTruncate | ll::kIoctlDev)) == 0);
      CHECK((rule.access & ~ll::fs_rights(1)) == 0);
      CHECK(rule.access != 0);
    }
    CHECK(names(rule_access(r, d + "/a")) == names(kRW & ll::fs_rights(1)));
  }
  SUBCASE("ABI 2 adds refer, ABI 3 truncate") {
    auto r2 = build_ruleset(p, req, 2);
    CHECK(r2.handled_fs == (ll::fs_rights(1) | ll::kRefer));
    CHECK((rule_access(r2, d + "/a") & ll::kRefer) != 0);
    CHECK((rule_access(r2, d + "/a") & ll::kTruncate) == 0);
    auto r3 = build_ruleset(p, req, 3);
    CHECK((rule_access(r3, d + "/a") & ll::kTruncate) != 0);
    CHECK(r3.handled_net == 0);
    CHECK(r3.ports.empty());
  }
  SUBCASE("ABI 4: TCP connect and bind handled, one port rule per proxy port") {
    auto r = build_ruleset(p, req, 4);
    CHECK(r.handled_net == (ll::kConnectTcp | ll::kBindTcp));
    CHECK(r.scoped == 0);
    REQUIRE(r.ports.size() == 2);
    CHECK(r.ports[0].port == 1080);
    CHECK(r.ports[1].port == 3128);
    for (const auto &port : r.ports) CHECK(port.access == ll::kConnectTcp);
  }
  SUBCASE("ABI 6 and 7: scopes") {
    CHECK(build_ruleset(p, req, 5).scoped == 0);
    for (int abi : {6, 7}) {
      CAPTURE(abi);
      auto r = build_ruleset(p, req, abi);
      CHECK(r.scoped == (ll::kScopeAbstractUnixSocket | ll::kScopeSignal));
      CHECK(r.handled_fs == ll::fs_rights(abi));
      CHECK(r.handled_net == (ll::kConnectTcp | ll::kBindTcp));
      std::set<std::uint16_t> ports;
      for (const auto &port : r.ports) {
        CHECK(port.access == ll::kConnectTcp);
        ports.insert(port.port);
      }
      CHECK(ports == std::set<std::uint16_t>{1080, 3128});
      CHECK(r.ports.size() == 2);
      for (const auto &rule : r.paths) CHECK((rule.access & ~ll::fs_rights(abi)) == 0);
    }
  }
  SUBCASE("allowLocalBinding leaves bind unhandled") {
    p.sockets.allow_local_binding = true;
    auto r = build_ruleset(p, req, 7);
    CHECK(r.handled_net == ll::kConnectTcp);
    CHECK(r.ports.size() == 2);
  }
  SUBCASE("no proxy: connect is handled and nothing is allowed") {
    auto r = build_ruleset(p, request(), 7);
    CHECK(r.handled_net == (ll::kConnectTcp | ll::kBindTcp));
    CHECK(r.ports.empty());
  }
}

TEST_CASE("landlock ruleset: srt-enter stays runnable wherever it is installed") {
  srt::test::TempDir t;
  std::string h = t.dir("hid");
  std::string enter = t.file("hid/libexec/srt-enter");
  t.file("hid/libexec/other");
  std::string ro_enter = t.file("ro/srt-enter");
  auto p = policy({mount(h, Access::hidden, "filesystem.denyRead[0]")});

  SUBCASE("inside a hidden directory: one rule for the file itself") {
    auto req = request();
    req.enter_host_path = enter;
    for (int abi : {1, 7}) {
      CAPTURE(abi);
      auto r = build_ruleset(p, req, abi);
      auto on = rules_on(r, enter);
      REQUIRE(on.size() == 1);
      CHECK(on[0].access == (ll::kReadFile | ll::kExecute));
      CHECK(on[0].why.find("srt-enter") != std::string::npos);
      CHECK(rule_paths_under(r, h) == std::set<std::string>{enter});
      // Its neighbours stay hidden.
      CHECK(names(effective(r, h + "/libexec/other") & ll::kReadFile) == "none");
      CHECK(names(effective(r, h + "/libexec") & ll::kReadFile) == "none");
    }
  }
  SUBCASE("where the policy already lets it be read and run: no rule of its own") {
    for (const std::string &path : {std::string("/usr/bin/true"), ro_enter}) {
      CAPTURE(path);
      auto req = request();
      req.enter_host_path = path;
      auto r = build_ruleset(p, req, 7);
      CHECK(rules_on(r, path).empty());
      for (const auto &rule : r.paths) CHECK(rule.why.find("srt-enter") == std::string::npos);
      CHECK((effective(r, path) & (ll::kReadFile | ll::kExecute)) == (ll::kReadFile | ll::kExecute));
    }
  }
  SUBCASE("a hidden mount on the helper itself: srt's entry wins") {
    std::string sibling = t.file("ro/other");
    auto q = policy({mount(ro_enter, Access::hidden, "filesystem.denyRead[0]", Kind::file)});
    auto req = request();
    req.enter_host_path = ro_enter;
    auto r = build_ruleset(q, req, 7);
    // The hidden mount no longer splits its directory: the helper is
    // readable and runnable through the rule its directory gets.
    CHECK((effective(r, ro_enter) & (ll::kReadFile | ll::kExecute)) == (ll::kReadFile | ll::kExecute));
    CHECK(names(effective(r, ro_enter) & kWrite) == "none");
    CHECK(names(effective(r, sibling)) == names(kRead));
    // Hidden without the helper: the file is split off.
    auto r2 = build_ruleset(q, request(), 7);
    CHECK(names(effective(r2, ro_enter) & ll::kReadFile) == "none");
    CHECK(names(rule_access(r2, sibling)) == names(ll::kReadFile | ll::kExecute));
  }
}

TEST_CASE("landlock ruleset: filesystem.disabled gives read and write everywhere but /dev") {
  srt::test::TempDir t;
  std::string h = t.dir("h");
  t.file("h/secret");
  Policy p;
  p.process.cwd = "/";
  p.filesystem.restricted = false;
  p.filesystem.mounts = {mount("/", Access::read_write, "filesystem.disabled: no filesystem restrictions"),
                         // Not looked at when the filesystem is not restricted.
                         mount(h, Access::hidden, "ignored")};

  for (int abi : {1, 7}) {
    CAPTURE(abi);
    auto r = build_ruleset(p, request(), abi);
    auto rw = kRW & ll::fs_rights(abi);
    CHECK(names(rule_access(r, "/")) == names(ll::kReadDir));
    // Every top-level entry but /dev gets everything (files what a file can have).
    std::size_t checked = 0;
    for (const auto &e : std::filesystem::directory_iterator("/")) {
      std::string path = e.path().string();
      if (path == "/dev") continue;
      CAPTURE(path);
      if (e.is_symlink()) {
        CHECK(rules_on(r, path).empty());
      } else if (e.is_directory()) {
        CHECK(names(rule_access(r, path)) == names(rw));
        ++checked;
      } else {
        CHECK(names(rule_access(r, path)) == names(rw & ll::kFileRights));
      }
    }
    CHECK(checked > 3);
    CHECK(names(effective(r, h + "/secret")) == names(rw));
    CHECK(names(effective(r, "/usr/bin/true")) == names(rw));
    // Nothing beneath the top level but /dev's devices.
    for (const auto &rule : r.paths) {
      CAPTURE(rule.path);
      if (rule.path == "/" || at_or_under(rule.path, "/dev")) continue;
      CHECK(rule.path.find('/', 1) == std::string::npos);
    }
    CHECK(names(rule_access(r, "/dev/null")) == names(kDevice & ll::fs_rights(abi)));
    CHECK(names(effective(r, "/dev/sda")) == names(ll::kReadDir));
    CHECK(rules_on(r, "/dev").empty());
  }
}

TEST_CASE("landlock ruleset: a restricted policy without its root entry grants nothing; odd helper paths are ignored") {
  Policy p;
  p.filesystem.restricted = true;
  srt::LaunchRequest req;
  req.enter_argv = {"/x"};
  for (const char *enter : {"", "srt-enter", "/"}) {
    CAPTURE(enter);
    req.enter_host_path = enter;
    auto r = build_ruleset(p, req, 7);
    // Only /dev's fixed set: no path outside it, whatever it would allow.
    for (const auto &rule : r.paths) {
      CAPTURE(rule.path);
      CHECK((rule.path == "/dev" || rule.path.rfind("/dev/", 0) == 0));
    }
    CHECK(names(effective(r, "/etc/passwd")) == "none");
  }
}
