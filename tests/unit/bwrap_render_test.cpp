#include "render.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace srt::ir;

namespace {

Policy base() {
  Policy p;
  p.process.cwd = "/w";
  p.filesystem.mounts = {{"/", Access::read_only, Kind::dir, Placeholder::none, false, "default"}};
  return p;
}

srt::LaunchRequest request() {
  srt::LaunchRequest r;
  r.enter_host_path = "/usr/libexec/srt/srt-enter";
  r.enter_sandbox_path = "/run/srt/s/enter";
  r.enter_argv = {"/run/srt/s/enter", "--", "true"};
  r.env = {"PATH=/usr/bin", "TOKEN=secret", "TMPDIR=/old"};
  r.plan_fds = {12, 13};
  return r;
}

// The index of the first occurrence of the sequence `words` in `argv`.
long find(const std::vector<std::string> &argv, std::vector<std::string> words) {
  auto it = std::search(argv.begin(), argv.end(), words.begin(), words.end());
  return it == argv.end() ? -1 : it - argv.begin();
}

}  // namespace

TEST_CASE("bwrap: namespaces, root, fresh /dev and /proc, command last") {
  auto plan = srt::bwrap::render(base(), request(), "/usr/bin/bwrap");
  const auto &a = plan.argv;
  CHECK(a[0] == "/usr/bin/bwrap");
  for (const char *flag : {"--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid", "--unshare-user", "--disable-userns"})
    CHECK(find(a, {flag}) > 0);
  CHECK(find(a, {"--ro-bind", "/", "/"}) > 0);
  CHECK(find(a, {"--ro-bind", "/", "/"}) < find(a, {"--dev", "/dev"}));
  CHECK(find(a, {"--ro-bind", "/proc/sys", "/proc/sys"}) == -1);  // not root: nothing to protect
  auto root_request = request();
  root_request.is_root = true;
  auto ra = srt::bwrap::render(base(), root_request, "/usr/bin/bwrap").argv;
  CHECK(find(ra, {"--proc", "/proc"}) < find(ra, {"--ro-bind", "/proc/sys", "/proc/sys"}));
  CHECK(find(ra, {"--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger"}) > 0);
  CHECK(find(a, {"--cap-drop", "ALL"}) > 0);
  CHECK(find(a, {"--chdir", "/w"}) > 0);
  CHECK(find(a, {"--ro-bind", "/usr/libexec/srt/srt-enter", "/run/srt/s/enter"}) > 0);
  CHECK(find(a, {"--", "/run/srt/s/enter", "--", "true"}) == static_cast<long>(a.size()) - 4);
  CHECK(plan.files.empty());
}

TEST_CASE("bwrap: mounts in IR order, hidden directories empty and read-only") {
  auto p = base();
  p.filesystem.mounts.push_back({"/w", Access::read_write, Kind::dir, Placeholder::none, false, "aw"});
  p.filesystem.mounts.push_back({"/w/.git", Access::read_write, Kind::dir, Placeholder::none, true, "pin"});
  p.filesystem.mounts.push_back({"/w/.git/hooks", Access::read_only, Kind::dir, Placeholder::none, false, "m"});
  p.filesystem.mounts.push_back({"/w/.mcp.json", Access::read_only, Kind::missing, Placeholder::file, false, "m"});
  p.filesystem.mounts.push_back({"/w/secrets", Access::hidden, Kind::dir, Placeholder::none, false, "dr"});
  p.filesystem.mounts.push_back({"/w/secrets/pub", Access::read_only, Kind::dir, Placeholder::none, false, "ar"});
  p.filesystem.mounts.push_back({"/w/key.pem", Access::hidden, Kind::file, Placeholder::none, false, "dr"});
  p.filesystem.mounts.push_back({"/dev/shm", Access::read_write, Kind::dir, Placeholder::none, false, "aw"});
  auto a = srt::bwrap::render(p, request(), "/b").argv;
  auto w = find(a, {"--bind", "/w", "/w"});
  auto git = find(a, {"--bind", "/w/.git", "/w/.git"});
  auto hooks = find(a, {"--ro-bind", "/w/.git/hooks", "/w/.git/hooks"});
  auto mcp = find(a, {"--ro-bind", "/w/.mcp.json", "/w/.mcp.json"});
  auto tmpfs = find(a, {"--tmpfs", "/w/secrets"});
  auto pub = find(a, {"--ro-bind", "/w/secrets/pub", "/w/secrets/pub"});
  auto remount = find(a, {"--remount-ro", "/w/secrets"});
  auto key = find(a, {"--ro-bind", "/dev/null", "/w/key.pem"});
  CHECK(w > 0);
  CHECK(w < git);
  CHECK(git < hooks);
  CHECK(mcp > 0);
  CHECK(tmpfs < pub);
  CHECK(pub < remount);  // the re-opened path is mounted before the tmpfs turns read-only
  CHECK(key > 0);
  CHECK(find(a, {"--bind", "/dev/shm", "/dev/shm"}) == -1);  // bwrap's /dev is fresh
}

TEST_CASE("bwrap: hidden root, read-write root, pty, nested namespaces") {
  auto p = base();
  p.filesystem.mounts[0].access = Access::hidden;
  p.process.allow_pty = true;
  p.process.allow_nested_user_namespaces = true;
  auto a = srt::bwrap::render(p, request(), "/b").argv;
  CHECK(find(a, {"--ro-bind", "/", "/"}) == -1);
  CHECK(find(a, {"--remount-ro", "/"}) > 0);
  CHECK(find(a, {"--new-session"}) == -1);
  CHECK(find(a, {"--disable-userns"}) == -1);
  p.filesystem.mounts[0].access = Access::read_write;
  p.process.weaker_nested_sandbox = true;
  a = srt::bwrap::render(p, request(), "/b").argv;
  CHECK(find(a, {"--bind", "/", "/"}) > 0);
  CHECK(find(a, {"--ro-bind", "/proc", "/proc"}) > 0);
  CHECK(find(a, {"--proc", "/proc"}) == -1);
}

TEST_CASE("bwrap: environment") {
  auto p = base();
  p.process.env_set = {{"TMPDIR", "/t"}, {"SANDBOX_RUNTIME", "1"}};
  p.process.env_unset = {"TOKEN"};
  auto env = srt::bwrap::render(p, request(), "/b").env;
  CHECK(std::count(env.begin(), env.end(), "PATH=/usr/bin") == 1);
  CHECK(std::count(env.begin(), env.end(), "TMPDIR=/t") == 1);
  CHECK(std::count(env.begin(), env.end(), "TMPDIR=/old") == 0);
  CHECK(std::count(env.begin(), env.end(), "TOKEN=secret") == 0);
  CHECK(std::count(env.begin(), env.end(), "SANDBOX_RUNTIME=1") == 1);
}

TEST_CASE("bwrap: a long mount list goes through --args") {
  auto p = base();
  p.filesystem.mounts.push_back({"/w", Access::read_write, Kind::dir, Placeholder::none, false, "aw"});
  for (int i = 0; i < 2500; ++i)
    p.filesystem.mounts.push_back(
        {"/w/some/long/directory/name/file-" + std::to_string(i) + ".pem", Access::hidden, Kind::file, Placeholder::none, false, "g"});
  auto plan = srt::bwrap::render(p, request(), "/b");
  REQUIRE(plan.files.size() == 1);
  CHECK(plan.files[0].fd == 12);
  CHECK(plan.argv[1] == "--args");
  CHECK(plan.argv[2] == "12");
  CHECK(plan.argv.size() < 10);
  CHECK(plan.files[0].content.find(std::string("--unshare-net\0", 14)) != std::string::npos);
  CHECK(plan.files[0].content.find("file-2499.pem") != std::string::npos);
}

TEST_CASE("bwrap: more mounts than bubblewrap accepts is a clear error") {
  auto p = base();
  for (int i = 0; i < 3100; ++i)
    p.filesystem.mounts.push_back({"/w/f" + std::to_string(i), Access::hidden, Kind::file, Placeholder::none, false, "g"});
  CHECK_THROWS_WITH(srt::bwrap::render(p, request(), "/b"), doctest::Contains("more than the 9000 bubblewrap accepts"));
}

TEST_CASE("bwrap: offered the direct route, bwrap runs the command, installs the filter and reports") {
  auto r = request();
  r.command = {"true"};
  r.command_path = "/usr/bin/true";
  auto through_enter = srt::bwrap::render(base(), r, "/usr/bin/bwrap");
  CHECK(through_enter.launcher_status.empty());  // not offered

  r.direct = srt::LaunchRequest::Direct{4, 3};
  auto plan = srt::bwrap::render(base(), r, "/usr/bin/bwrap");
  const auto &a = plan.argv;
  CHECK(plan.launcher_status == "bwrap-json-status");
  CHECK(find(a, {"--seccomp", "4", "--json-status-fd", "3", "--", "true"}) == static_cast<long>(a.size()) - 6);
  CHECK(find(a, {"--ro-bind", "/usr/libexec/srt/srt-enter", "/run/srt/s/enter"}) == -1);

  SUBCASE("srt-enter still runs what only it can do, or report") {
    auto no_path = r;
    no_path.command_path.clear();  // not found on the host: srt-enter says "command not found"
    CHECK(srt::bwrap::render(base(), no_path, "/b").launcher_status.empty());
    auto bridged = r;
    bridged.binds.push_back({"/run/srt/sessions/x", "/run/srt/net"});
    CHECK(srt::bwrap::render(base(), bridged, "/b").launcher_status.empty());
    auto pty = base();
    pty.process.allow_pty = true;
    CHECK(srt::bwrap::render(pty, r, "/b").launcher_status.empty());
    // A command the policy hides would fail to exec: srt-enter words that.
    auto hidden = base();
    hidden.filesystem.mounts.push_back({"/usr/bin", Access::hidden, Kind::dir, Placeholder::none, false, "denyRead"});
    auto hp = srt::bwrap::render(hidden, r, "/b");
    CHECK(hp.launcher_status.empty());
    CHECK(find(hp.argv, {"--", "/run/srt/s/enter", "--", "true"}) > 0);
    hidden.filesystem.mounts.push_back({"/usr/bin/true", Access::read_only, Kind::file, Placeholder::none, false, "allowRead"});
    CHECK(srt::bwrap::render(hidden, r, "/b").launcher_status == "bwrap-json-status");
    auto hidden_root = base();
    hidden_root.filesystem.mounts[0].access = Access::hidden;
    CHECK(srt::bwrap::render(hidden_root, r, "/b").launcher_status.empty());
  }
}
