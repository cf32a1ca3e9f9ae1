// What srt reports of a launch's denials: the record (deduplicated, counted,
// bounded) and the settings' ignoreViolations filter.
#include "violations/ignore_filter.hpp"
#include "violations/record.hpp"

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

using srt::Violation;
using srt::violations::IgnoreFilter;
using srt::violations::Record;

namespace {

Violation denial(const std::string &op, const std::string &target, const std::string &process) {
  return {op, target, process, process + " deny(1) " + op + " " + target, 1};
}

}  // namespace

TEST_CASE("violation record: same operation, target and process name are one entry, counted") {
  Record r;
  r.add(denial("file-write-create", "/Users/me/x", "touch(1)"));
  r.add(denial("file-write-create", "/Users/me/x", "touch(2)"));  // another touch: same entry
  r.add(denial("file-write-create", "/Users/me/y", "touch(3)"));
  r.add(denial("file-write-create", "/Users/me/x", "cp(4)"));
  r.add(denial("file-read-data", "/Users/me/x", "touch(5)"));
  r.add(denial("file-write-create", "/Users/me/x", "touch(1)"));
  auto list = r.list();
  REQUIRE(list.size() == 4);
  CHECK(list[0].target == "/Users/me/x");
  CHECK(list[0].process == "touch(1)");  // the first one seen
  CHECK(list[0].line == "touch(1) deny(1) file-write-create /Users/me/x");
  CHECK(list[0].count == 3);
  CHECK(list[1].target == "/Users/me/y");
  CHECK(list[2].process == "cp(4)");
  CHECK(list[3].operation == "file-read-data");
  for (std::size_t i = 1; i < list.size(); ++i) CHECK(list[i].count == 1);
}

TEST_CASE("violation record: process names") {
  using srt::violations::process_name;
  CHECK(process_name("touch(1234)") == "touch");
  CHECK(process_name("Google Chrome He(812)") == "Google Chrome He");
  CHECK(process_name("a(b)(7)") == "a(b)");
  CHECK(process_name("odd(x)") == "odd(x)");
  CHECK(process_name("()") == "()");
  CHECK(process_name("") == "");
}

TEST_CASE("violation record: bounded; the rest only counted") {
  Record r;
  for (std::size_t i = 0; i < srt::violations::kMaxRecordedViolations + 10; ++i) r.add(denial("file-read-data", "/f" + std::to_string(i), "cat(1)"));
  r.add(denial("file-read-data", "/f0", "cat(2)"));  // a known one is still counted
  auto list = r.list();
  REQUIRE(list.size() == srt::violations::kMaxRecordedViolations + 1);
  CHECK(list[0].count == 2);
  CHECK(list.back().operation == srt::violations::kOtherDenials);
  CHECK(list.back().count == 10);
}

TEST_CASE("violation record: threads") {
  Record r;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&r] {
      for (int i = 0; i < 1000; ++i) r.add(denial("mach-lookup", "com.example." + std::to_string(i % 10), "node(1)"));
    });
  for (auto &t : threads) t.join();
  auto list = r.list();
  REQUIRE(list.size() == 10);
  std::uint64_t total = 0;
  for (const auto &v : list) total += v.count;
  CHECK(total == 4000);
}

TEST_CASE("ignoreViolations: the command line") {
  using srt::violations::command_line;
  CHECK(command_line({"git", "commit", "-m", "a b"}, std::nullopt) == "git commit -m a b");
  CHECK(command_line({}, std::string("npm test && git push")) == "npm test && git push");
  CHECK(command_line({"ignored"}, std::string("sh string")) == "sh string");
  CHECK(command_line({}, std::nullopt).empty());
}

TEST_CASE("ignoreViolations: '*' applies to every command, other keys to command lines containing them") {
  std::map<std::string, std::vector<std::string>> rules = {
      {"*", {"/usr/bin"}},
      {"git", {"/tmp/git-cache"}},
      {"npm test", {"network-outbound"}},
  };
  IgnoreFilter git(rules, "git push origin", "/home/me");
  CHECK(git.ignores("ls(1) deny(1) file-read-data /usr/bin/ls"));
  CHECK(git.ignores("git(2) deny(1) file-write-create /tmp/git-cache/x"));
  CHECK_FALSE(git.ignores("curl(3) deny(1) network-outbound 1.2.3.4:443"));
  CHECK_FALSE(git.ignores("git(2) deny(1) file-write-create /tmp/other"));

  // Substring of the command line, not a word: "digit" contains "git".
  IgnoreFilter digit(rules, "./digit --run", "/home/me");
  CHECK(digit.ignores("x(1) deny(1) file-write-create /tmp/git-cache/x"));

  IgnoreFilter npm(rules, "npm test -- --watch", "/home/me");
  CHECK_FALSE(npm.ignores("network: refused evil.com:443 (host is not on the allow list)"));
  CHECK(npm.ignores("curl(3) deny(1) network-outbound 1.2.3.4:443"));
  CHECK_FALSE(npm.ignores("git(2) deny(1) file-write-create /tmp/git-cache/x"));

  IgnoreFilter other(rules, "make", "/home/me");
  CHECK(other.ignores("make(1) deny(1) file-read-data /usr/bin/cc"));
  CHECK_FALSE(other.ignores("curl(3) deny(1) network-outbound 1.2.3.4:443"));
  CHECK_FALSE(other.empty());

  // Case-sensitive, as in the reference.
  CHECK_FALSE(IgnoreFilter(rules, "GIT push", "/home/me").ignores("/tmp/git-cache/x"));
}

TEST_CASE("ignoreViolations: the network exit-summary lines are filtered like any other") {
  std::map<std::string, std::vector<std::string>> rules = {{"*", {"evil.com"}}, {"curl", {"refused tracker.example:443"}}};
  IgnoreFilter f(rules, "curl https://x", "/home/me");
  CHECK(f.ignores("network: refused evil.com:443 (host is not on the allow list)"));
  CHECK(f.ignores("network: refused tracker.example:443 (host is on the deny list), 3 times"));
  CHECK_FALSE(f.ignores("network: refused good.example:443 (host is not on the allow list)"));
}

TEST_CASE("ignoreViolations: '~' stands for the home directory (the reference matched it literally)") {
  IgnoreFilter f({{"*", {"~/.cache"}}}, "make", "/Users/me");
  CHECK(f.ignores("make(1) deny(1) file-write-create /Users/me/.cache/x"));
  CHECK_FALSE(f.ignores("make(1) deny(1) file-write-create ~/.cache/x"));  // literally: no
  CHECK_FALSE(f.ignores("make(1) deny(1) file-write-create /Users/other/.cache/x"));

  IgnoreFilter home({{"*", {"~"}}}, "make", "/Users/me");
  CHECK(home.ignores("make(1) deny(1) file-write-create /Users/me/x"));
  CHECK_FALSE(home.ignores("make(1) deny(1) file-write-create /tmp/x"));

  using srt::violations::expand_home;
  CHECK(expand_home("~/a", "/Users/me") == "/Users/me/a");
  CHECK(expand_home("~/a", "/Users/me/") == "/Users/me/a");
  CHECK(expand_home("~", "/Users/me") == "/Users/me");
  CHECK(expand_home("~/", "/Users/me") == "/Users/me/");
  CHECK(expand_home("~/a", "/") == "/a");
  CHECK(expand_home("~other/a", "/Users/me") == "~other/a");  // not ours to guess
  CHECK(expand_home("/a/~/b", "/Users/me") == "/a/~/b");
  CHECK(expand_home("~/a", "") == "~/a");  // no home known: as written
}

TEST_CASE("ignoreViolations: nothing configured, empty patterns") {
  IgnoreFilter none({}, "make", "/Users/me");
  CHECK(none.empty());
  CHECK_FALSE(none.ignores("anything"));
  CHECK_FALSE(IgnoreFilter().ignores(""));
  // An empty pattern would hide every report: it matches nothing.
  IgnoreFilter empty({{"*", {""}}}, "make", "/Users/me");
  CHECK(empty.empty());
  CHECK_FALSE(empty.ignores("make(1) deny(1) file-write-create /x"));
}
