#include <srt/launch.hpp>
#include <srt/policy_json.hpp>

#include <doctest/doctest.h>

using namespace srt::ir;

TEST_CASE("IR JSON: round trip keeps every field") {
  Policy p;
  p.filesystem.mounts = {{"/", Access::read_only, Kind::dir, Placeholder::none, false, "default"},
                         {"/w", Access::read_write, Kind::dir, Placeholder::none, false, "filesystem.allowWrite[0] \".\""},
                         {"/w/.git", Access::read_write, Kind::dir, Placeholder::none, true, "pin"},
                         {"/w/.mcp.json", Access::read_only, Kind::missing, Placeholder::file, false, "mandatory"},
                         {"/h/.ssh", Access::hidden, Kind::dir, Placeholder::none, false, "filesystem.denyRead[0]"}};
  p.filesystem.path_rules = {{Op::read, Effect::deny, "/h/**/*.pem", true, "x", {"/h/**/node_modules"}}};
  p.network.domain_rules = {{"evil.com", 22, Effect::deny, "no ssh", "o1"}, {"example.com", std::nullopt, Effect::allow, "", "o2"}};
  p.network.strict_allowlist = true;
  p.network.http_proxy_port = 8080;
  p.sockets.allow_unix_paths = {"/tmp/a.sock"};
  p.process.cwd = "/w";
  p.process.allow_pty = true;
  p.process.allow_mach_lookup = {"com.apple.coreservices.*"};
  p.process.weaker_network_isolation = true;
  p.process.allow_apple_events = true;
  p.process.env_set = {{"TMPDIR", "/t"}};
  p.process.env_unset = {"TOKEN"};
  p.backend_options["bwrap"]["path"] = "/usr/bin/bwrap";
  p.notes = {{"network.allowedDomains", "stricter", "why"}};
  p.warnings = {"w"};

  auto text = boost::json::serialize(to_json(p));
  Policy q = policy_from_json_text(text);
  CHECK(boost::json::serialize(to_json(q)) == text);
  CHECK(q.filesystem.mounts[3].placeholder == Placeholder::file);
  CHECK(q.filesystem.mounts[2].pin);
  CHECK(*q.network.domain_rules[0].port == 22);
  CHECK(q.backend_options.at("bwrap").at("path") == "/usr/bin/bwrap");
  CHECK(q.filesystem.path_rules[0].except == std::vector<std::string>{"/h/**/node_modules"});
  CHECK(q.process.allow_mach_lookup == std::vector<std::string>{"com.apple.coreservices.*"});
  CHECK(q.process.weaker_network_isolation);
  CHECK(q.process.allow_apple_events);
}

TEST_CASE("IR JSON: malformed input names the JSON path") {
  CHECK_THROWS_WITH_AS(policy_from_json_text("{"), doctest::Contains("not valid JSON"), JsonError);
  CHECK_THROWS_WITH_AS(policy_from_json_text(R"({"version": 99})"), doctest::Contains("policy.version: 99 is not supported"), JsonError);
  std::string bad = R"({"version":1,"filesystem":{"restricted":true,"mounts":[{"path":"/","access":"rw","kind":"dir"}]},
                        "network":{"proxied":false},"sockets":{},"process":{"cwd":"/"}})";
  CHECK_THROWS_WITH_AS(policy_from_json_text(bad), doctest::Contains("filesystem.mounts[0].access: unknown value \"rw\""), JsonError);
  std::string relative = R"({"version":1,"filesystem":{"restricted":true,"mounts":[{"path":"x","access":"hidden","kind":"dir"}]},
                        "network":{"proxied":false},"sockets":{},"process":{"cwd":"/"}})";
  CHECK_THROWS_WITH_AS(policy_from_json_text(relative), doctest::Contains("absolute"), JsonError);
}

TEST_CASE("launch request and plan JSON") {
  srt::LaunchRequest r;
  r.enter_argv = {"/e", "--", "true"};
  r.enter_host_path = "/usr/libexec/srt/srt-enter";
  r.enter_sandbox_path = "/e";
  r.env = {"A=b"};
  r.inherited_fds = {3};
  r.is_root = true;
  auto r2 = srt::launch_request_from_json(srt::to_json(r));
  CHECK(r2.enter_argv == r.enter_argv);
  CHECK(r2.inherited_fds == r.inherited_fds);
  CHECK(r2.is_root);

  srt::LaunchPlan p;
  p.argv = {"/usr/bin/bwrap", "--args", "10"};
  p.files = {{10, "args", std::string("a\0b\0", 4)}};
  r.plan_fds = {10};
  auto p2 = srt::launch_plan_from_json(srt::to_json(p));
  CHECK(p2.files.at(0).content.size() == 4);
  boost::json::object bad = srt::to_json(p).as_object();
  bad["files"].as_array()[0].as_object()["fd"] = 2;
  CHECK_THROWS_WITH_AS(srt::launch_plan_from_json(bad), doctest::Contains("plan.files[0].fd"), JsonError);
  bad["argv"] = boost::json::array{"relative"};
  CHECK_THROWS_AS(srt::launch_plan_from_json(bad), JsonError);
}
