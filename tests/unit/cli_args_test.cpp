#include "cli/args.hpp"

#include <doctest/doctest.h>

using namespace srt::cli;

namespace {
Invocation parse(std::vector<std::string> a) { return parse_args(a); }
}  // namespace

TEST_CASE("cli: srt's options end at the command") {
  auto i = parse({"-d", "ls", "-la", "-s", "x"});
  CHECK(i.mode == Mode::run);
  CHECK(i.debug);
  CHECK(i.command == std::vector<std::string>{"ls", "-la", "-s", "x"});
  CHECK_FALSE(i.settings);

  i = parse({"-s", "f.json", "--backend", "bwrap", "--", "-weird-name"});
  CHECK(*i.settings == "f.json");
  CHECK(i.backend == "bwrap");
  CHECK(i.command == std::vector<std::string>{"-weird-name"});

  i = parse({"--settings=f.json", "-c", "echo hi | wc -c"});
  CHECK(*i.settings == "f.json");
  CHECK(*i.shell == "echo hi | wc -c");

  CHECK(parse({"--", "backends"}).command == std::vector<std::string>{"backends"});
}

TEST_CASE("cli: subcommands") {
  auto i = parse({"policy", "explain", "--json", "--path", "a", "--path", "b", "-s", "f"});
  CHECK(i.mode == Mode::explain);
  CHECK(i.json);
  CHECK(i.paths == std::vector<std::string>{"a", "b"});
  CHECK(*i.settings == "f");
  CHECK(parse({"-d", "backends"}).mode == Mode::backends);
  CHECK(parse({"-V"}).mode == Mode::version);
  CHECK(parse({"--help"}).mode == Mode::help);
}

TEST_CASE("cli: usage errors") {
  CHECK_THROWS_WITH_AS(parse({}), doctest::Contains("No command specified"), UsageError);
  CHECK_THROWS_WITH_AS(parse({"-c", "x", "y"}), doctest::Contains("-c takes the whole shell command line"), UsageError);
  CHECK_THROWS_AS(parse({"--bogus", "x"}), UsageError);
  CHECK_THROWS_WITH_AS(parse({"policy"}), doctest::Contains("srt policy explain"), UsageError);
  CHECK_THROWS_WITH_AS(parse({"backends", "extra"}), doctest::Contains("unexpected argument"), UsageError);
  CHECK_THROWS_AS(parse({"-s"}), UsageError);
}
