#include <srt/plugin.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

srt::LaunchRequest request(std::vector<std::string> env) {
  srt::LaunchRequest r;
  r.enter_argv = {"/e"};
  r.env = std::move(env);
  return r;
}

// How many entries of `env` set `name`.
long count_of(const std::vector<std::string> &env, const std::string &name) {
  return std::count_if(env.begin(), env.end(), [&](const std::string &e) { return e.substr(0, e.find('=')) == name; });
}

}  // namespace

TEST_CASE("command environment: nothing in the policy: the request's environment as it is") {
  srt::ir::Policy p;
  auto r = request({"PATH=/usr/bin", "HOME=/home/u", "EMPTY=", "B=x=y"});
  CHECK(srt::sdk::command_environment(p, r) == std::vector<std::string>{"PATH=/usr/bin", "HOME=/home/u", "EMPTY=", "B=x=y"});
}

TEST_CASE("command environment: env_unset removes, env_set replaces in place of the inherited value") {
  srt::ir::Policy p;
  p.process.env_unset = {"TOKEN", "ABSENT", "PATH_"};
  p.process.env_set = {{"TMPDIR", "/sandbox/tmp"}, {"NEW", "1"}};
  auto r = request({"PATH=/usr/bin", "TOKEN=secret", "TMPDIR=/tmp", "TOKENS=kept", "LANG=C"});
  auto env = srt::sdk::command_environment(p, r);
  // The inherited order is kept; the policy's values come after it (by name).
  CHECK(env == std::vector<std::string>{"PATH=/usr/bin", "TOKENS=kept", "LANG=C", "NEW=1", "TMPDIR=/sandbox/tmp"});
  CHECK(count_of(env, "TOKEN") == 0);
  CHECK(count_of(env, "TMPDIR") == 1);
}

TEST_CASE("command environment: the request's env_set wins over the policy and the inherited value") {
  srt::ir::Policy p;
  p.process.env_unset = {"HTTP_PROXY", "NO_PROXY"};
  p.process.env_set = {{"HTTPS_PROXY", "http://policy"}, {"TMPDIR", "/t"}};
  auto r = request({"HTTP_PROXY=http://inherited", "HTTPS_PROXY=http://inherited", "ALL_PROXY=socks5://inherited", "PATH=/bin"});
  r.env_set = {{"HTTP_PROXY", "http://127.0.0.1:3128"},
               {"HTTPS_PROXY", "http://127.0.0.1:3128"},
               {"ALL_PROXY", "socks5h://127.0.0.1:1080"},
               {"NO_PROXY", "localhost"}};
  auto env = srt::sdk::command_environment(p, r);
  CHECK(env == std::vector<std::string>{"PATH=/bin", "TMPDIR=/t", "ALL_PROXY=socks5h://127.0.0.1:1080", "HTTPS_PROXY=http://127.0.0.1:3128",
                                        "HTTP_PROXY=http://127.0.0.1:3128", "NO_PROXY=localhost"});
  for (const char *name : {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "TMPDIR", "PATH"}) {
    CAPTURE(name);
    CHECK(count_of(env, name) == 1);
  }
}

TEST_CASE("command environment: a name set by both the policy and env_unset is set once") {
  srt::ir::Policy p;
  p.process.env_unset = {"A"};
  p.process.env_set = {{"A", "policy"}};
  auto env = srt::sdk::command_environment(p, request({"A=inherited", "B=b"}));
  CHECK(env == std::vector<std::string>{"B=b", "A=policy"});
}
