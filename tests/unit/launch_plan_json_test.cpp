#include <srt/launch.hpp>
#include <srt/policy_json.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

using srt::ir::JsonError;
namespace ll = srt::landlock;

namespace {

srt::LaunchPlan confined_plan() {
  srt::LaunchPlan p;
  p.argv = {"/usr/libexec/srt/srt-enter", "--", "true"};
  p.env = {"PATH=/usr/bin", "HTTP_PROXY=http://127.0.0.1:3128"};
  p.cwd = "/home/u/project";
  p.confine.die_with_parent = true;
  p.confine.new_session = true;
  p.confine.no_new_privs = true;
  p.confine.drop_capabilities = true;
  ll::Ruleset r;
  r.abi = 7;
  r.handled_fs = ll::fs_rights(7);
  r.handled_net = ll::kConnectTcp | ll::kBindTcp;
  r.scoped = ll::kScopeAbstractUnixSocket | ll::kScopeSignal;
  r.paths = {{"/", ll::kReadDir, "default"},
             {"/home/u/project", ll::kReadFile | ll::kWriteFile | ll::kMakeDir, "filesystem.allowWrite[0] \".\""},
             {"/dev/null", ll::kReadFile | ll::kWriteFile | ll::kIoctlDev, ""}};
  r.ports = {{1080, ll::kConnectTcp, "srt: the proxy on 127.0.0.1"}, {65535, ll::kConnectTcp, ""}};
  p.confine.landlock = r;
  return p;
}

// The plan's JSON, as an object to spoil.
boost::json::object plan_json() { return srt::to_json(confined_plan()).as_object(); }
boost::json::object &landlock_json(boost::json::object &plan) { return plan["confine"].as_object()["landlock"].as_object(); }

// The fields every request has.
srt::LaunchRequest minimal_request() {
  srt::LaunchRequest r;
  r.enter_argv = {"/e", "--", "true"};
  r.enter_host_path = "/usr/libexec/srt/srt-enter";
  r.enter_sandbox_path = "/e";
  return r;
}

}  // namespace

TEST_CASE("launch plan JSON: confinement and cwd survive a round trip") {
  auto p = confined_plan();
  auto text = boost::json::serialize(srt::to_json(p));
  auto q = srt::launch_plan_from_json(boost::json::parse(text));
  CHECK(boost::json::serialize(srt::to_json(q)) == text);

  CHECK(q.argv == p.argv);
  CHECK(q.env == p.env);
  CHECK(q.cwd == "/home/u/project");
  CHECK(q.confine.die_with_parent);
  CHECK(q.confine.new_session);
  CHECK(q.confine.no_new_privs);
  CHECK(q.confine.drop_capabilities);
  REQUIRE(q.confine.landlock.has_value());
  const auto &r = *q.confine.landlock;
  CHECK(r.abi == 7);
  CHECK(r.handled_fs == ll::fs_rights(7));
  CHECK(r.handled_net == (ll::kConnectTcp | ll::kBindTcp));
  CHECK(r.scoped == (ll::kScopeAbstractUnixSocket | ll::kScopeSignal));
  REQUIRE(r.paths.size() == 3);
  CHECK(r.paths[0].path == "/");
  CHECK(r.paths[0].access == ll::kReadDir);
  CHECK(r.paths[0].why == "default");
  CHECK(r.paths[1].path == "/home/u/project");
  CHECK(r.paths[1].access == (ll::kReadFile | ll::kWriteFile | ll::kMakeDir));
  CHECK(r.paths[1].why == "filesystem.allowWrite[0] \".\"");
  CHECK(r.paths[2].path == "/dev/null");
  CHECK(r.paths[2].access == (ll::kReadFile | ll::kWriteFile | ll::kIoctlDev));
  CHECK(r.paths[2].why.empty());
  REQUIRE(r.ports.size() == 2);
  CHECK(r.ports[0].port == 1080);
  CHECK(r.ports[0].access == ll::kConnectTcp);
  CHECK(r.ports[0].why == "srt: the proxy on 127.0.0.1");
  CHECK(r.ports[1].port == 65535);
  CHECK(r.ports[1].access == ll::kConnectTcp);
}

TEST_CASE("launch plan JSON: each confinement step is read on its own") {
  srt::LaunchPlan p;
  p.argv = {"/bin/x"};
  SUBCASE("nothing: no confine object, nothing read back") {
    auto j = srt::to_json(p);
    CHECK(!j.as_object().contains("confine"));
    CHECK(!j.as_object().contains("cwd"));
    auto q = srt::launch_plan_from_json(j);
    CHECK(q.confine.empty());
    CHECK(!q.confine.landlock);
    CHECK(q.cwd.empty());
  }
  SUBCASE("one flag, no ruleset") {
    p.confine.new_session = true;
    auto q = srt::launch_plan_from_json(srt::to_json(p));
    CHECK(!q.confine.empty());
    CHECK(q.confine.new_session);
    CHECK(!q.confine.die_with_parent);
    CHECK(!q.confine.no_new_privs);
    CHECK(!q.confine.drop_capabilities);
    CHECK(!q.confine.landlock);
  }
  SUBCASE("an empty ruleset is still a ruleset") {
    p.confine.no_new_privs = true;
    p.confine.landlock = ll::Ruleset{};
    auto q = srt::launch_plan_from_json(srt::to_json(p));
    REQUIRE(q.confine.landlock.has_value());
    CHECK(q.confine.landlock->paths.empty());
    CHECK(q.confine.landlock->ports.empty());
    CHECK(q.confine.landlock->handled_fs == 0);
  }
  SUBCASE("masks use all 64 bits") {
    p.confine.no_new_privs = true;
    ll::Ruleset r;
    r.abi = 99;
    r.handled_fs = ~0ull;
    r.handled_net = 1ull << 63;
    r.paths = {{"/x", ~0ull, "all"}};
    p.confine.landlock = r;
    auto text = boost::json::serialize(srt::to_json(p));
    auto q = srt::launch_plan_from_json(boost::json::parse(text));
    REQUIRE(q.confine.landlock.has_value());
    CHECK(q.confine.landlock->abi == 99);
    CHECK(q.confine.landlock->handled_fs == ~0ull);
    CHECK(q.confine.landlock->handled_net == (1ull << 63));
    CHECK(q.confine.landlock->paths.at(0).access == ~0ull);
  }
}

TEST_CASE("launch plan JSON: malformed confinement is refused") {
  SUBCASE("a ruleset without no_new_privs") {
    auto o = plan_json();
    o["confine"].as_object()["no_new_privs"] = false;
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.confine.landlock: needs no_new_privs"), JsonError);
    o["confine"].as_object().erase("no_new_privs");
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("needs no_new_privs"), JsonError);
  }
  SUBCASE("a relative ruleset path") {
    auto o = plan_json();
    landlock_json(o)["paths"].as_array()[1].as_object()["path"] = "home/u/project";
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.confine.landlock.paths[1].path: expected an absolute path"),
                         JsonError);
    landlock_json(o)["paths"].as_array()[1].as_object()["path"] = "";
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.confine.landlock.paths[1].path"), JsonError);
  }
  SUBCASE("a relative cwd") {
    auto o = plan_json();
    o["cwd"] = "project";
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.cwd: expected an absolute path"), JsonError);
    o["cwd"] = 3;
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.cwd"), JsonError);
  }
  SUBCASE("port 0 or beyond 65535") {
    auto o = plan_json();
    landlock_json(o)["ports"].as_array()[0].as_object()["port"] = 0;
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.confine.landlock.ports[0].port: expected a port number"),
                         JsonError);
    landlock_json(o)["ports"].as_array()[0].as_object()["port"] = 65536;
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.confine.landlock.ports[0].port"), JsonError);
  }
  SUBCASE("a negative or missing mask") {
    auto o = plan_json();
    landlock_json(o)["handled_fs"] = -1;
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.confine.landlock.handled_fs: expected a non-negative integer"),
                         JsonError);
    landlock_json(o)["handled_fs"] = 1;
    landlock_json(o)["paths"].as_array()[0].as_object().erase("access");
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.confine.landlock.paths[0].access: missing"), JsonError);
  }
  SUBCASE("flags that are not booleans") {
    auto o = plan_json();
    o["confine"].as_object()["drop_capabilities"] = 1;
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.confine.drop_capabilities"), JsonError);
  }
}

TEST_CASE("launch request JSON: proxy ports survive a round trip") {
  auto r = minimal_request();
  r.proxy_ports = {3128, 1, 65535, 3128};
  auto text = boost::json::serialize(srt::to_json(r));
  auto q = srt::launch_request_from_json(boost::json::parse(text));
  CHECK(q.proxy_ports == std::vector<std::uint16_t>{3128, 1, 65535, 3128});
  CHECK(boost::json::serialize(srt::to_json(q)) == text);

  r.proxy_ports.clear();
  CHECK(srt::launch_request_from_json(srt::to_json(r)).proxy_ports.empty());
  auto o = srt::to_json(r).as_object();
  o.erase("proxy_ports");
  CHECK(srt::launch_request_from_json(o).proxy_ports.empty());

  o["proxy_ports"] = boost::json::array{8080, 0};
  CHECK_THROWS_WITH_AS(srt::launch_request_from_json(o), doctest::Contains("request.proxy_ports[1]: expected a port number"), JsonError);
  o["proxy_ports"] = boost::json::array{70000};
  CHECK_THROWS_WITH_AS(srt::launch_request_from_json(o), doctest::Contains("request.proxy_ports[0]"), JsonError);
  o["proxy_ports"] = 8080;
  CHECK_THROWS_WITH_AS(srt::launch_request_from_json(o), doctest::Contains("request.proxy_ports: expected an array"), JsonError);
}

TEST_CASE("launch plan JSON: the violation log survives a round trip, and is absent unless asked for") {
  srt::LaunchPlan p;
  p.argv = {"/usr/bin/sandbox-exec"};
  auto j = srt::to_json(p);
  CHECK(!j.as_object().contains("violation_log"));
  CHECK(!srt::launch_plan_from_json(j).violation_log);

  p.violation_log = srt::LaunchPlan::ViolationLog{
      {"/usr/bin/log", "stream", "--style", "compact", "--predicate", "(eventMessage ENDSWITH \"SRT_1f2e3d4c5b6a_SBX\")"},
      "SRT_1f2e3d4c5b6a_SBX",
      "seatbelt"};
  auto text = boost::json::serialize(srt::to_json(p));
  auto q = srt::launch_plan_from_json(boost::json::parse(text));
  REQUIRE(q.violation_log.has_value());
  CHECK(q.violation_log->argv == p.violation_log->argv);
  CHECK(q.violation_log->marker == "SRT_1f2e3d4c5b6a_SBX");
  CHECK(q.violation_log->format == "seatbelt");
  CHECK(boost::json::serialize(srt::to_json(q)) == text);
}

TEST_CASE("launch plan JSON: a malformed violation log is refused, naming where") {
  srt::LaunchPlan p;
  p.argv = {"/usr/bin/sandbox-exec"};
  p.violation_log = srt::LaunchPlan::ViolationLog{{"/usr/bin/log", "stream"}, "SRT_1f2e3d4c5b6a_SBX", "seatbelt"};
  auto good = srt::to_json(p).as_object();
  auto log_of = [](boost::json::object &o) -> boost::json::object & { return o["violation_log"].as_object(); };
  CHECK_NOTHROW(srt::launch_plan_from_json(good));

  SUBCASE("a relative or missing program") {
    auto o = good;
    log_of(o)["argv"] = boost::json::array{"log", "stream"};
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.violation_log.argv[0]: expected an absolute path"), JsonError);
    log_of(o)["argv"] = boost::json::array{};
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.violation_log.argv[0]"), JsonError);
    log_of(o)["argv"] = boost::json::array{"/usr/bin/log", 3};
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.violation_log.argv[1]"), JsonError);
    log_of(o).erase("argv");
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.violation_log.argv: missing"), JsonError);
  }
  SUBCASE("no marker") {
    auto o = good;
    log_of(o)["marker"] = "";
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.violation_log.marker: must not be empty"), JsonError);
    log_of(o)["marker"] = "SRT_x\n";
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.violation_log.marker: must not contain control"), JsonError);
    log_of(o).erase("marker");
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.violation_log.marker"), JsonError);
  }
  SUBCASE("an unknown format") {
    auto o = good;
    log_of(o)["format"] = "journald";
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o),
                         doctest::Contains("plan.violation_log.format: unknown format \"journald\" (known: seatbelt)"), JsonError);
    log_of(o).erase("format");
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.violation_log.format"), JsonError);
  }
  SUBCASE("not an object") {
    auto o = good;
    o["violation_log"] = "log stream";
    CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(o), doctest::Contains("plan.violation_log: expected an object"), JsonError);
  }
}

TEST_CASE("launch JSON: the offer to skip srt-enter and the launcher's status format survive a round trip") {
  auto r = minimal_request();
  CHECK(!srt::to_json(r).as_object().contains("direct"));
  CHECK(!srt::launch_request_from_json(srt::to_json(r)).direct);
  r.direct = srt::LaunchRequest::Direct{4, 3};
  auto q = srt::launch_request_from_json(boost::json::parse(boost::json::serialize(srt::to_json(r))));
  REQUIRE(q.direct.has_value());
  CHECK(q.direct->filter_fd == 4);
  CHECK(q.direct->status_fd == 3);
  auto o = srt::to_json(r).as_object();
  o["direct"].as_object().erase("status_fd");
  CHECK_THROWS_WITH_AS(srt::launch_request_from_json(o), doctest::Contains("request.direct.status_fd"), JsonError);

  srt::LaunchPlan p;
  p.argv = {"/usr/bin/bwrap"};
  CHECK(!srt::to_json(p).as_object().contains("launcher_status"));
  p.launcher_status = "bwrap-json-status";
  CHECK(srt::launch_plan_from_json(boost::json::parse(boost::json::serialize(srt::to_json(p)))).launcher_status == "bwrap-json-status");
  auto po = srt::to_json(p).as_object();
  po["launcher_status"] = "carrier-pigeon";
  CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(po), doctest::Contains("plan.launcher_status: unknown format \"carrier-pigeon\""), JsonError);
  po["launcher_status"] = "bwrap-json-status";
  po["confine"] = boost::json::object{{"no_new_privs", true}, {"syscall_filter", true}};
  CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(po), doctest::Contains("not with plan.confine.syscall_filter"), JsonError);
}
