// The violation monitor's plumbing, for real on Linux: a test backend
// (tests/plugins/violation_log.cpp) asks srt to watch a "log" that prints
// recorded Seatbelt lines; srt starts it before the command, reads and
// records this session's denials, stops it after the command, and the
// library reports them (Child::violations, Sandbox::ignores_violation).
#include <srt/srt.hpp>

#include "temp_dir.hpp"
#include "test_backend.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

using srt::test::TempDir;

namespace {

struct Logged {
  std::mutex mu;
  std::vector<std::string> lines;
  bool has(const std::string &needle) {
    std::lock_guard lock(mu);
    for (const auto &l : lines)
      if (l.find(needle) != std::string::npos) return true;
    return false;
  }
};

srt::Sandbox sandbox(const TempDir &dir, Logged &logged, const std::string &settings = "{}") {
  srt::Options o = srt::test::test_backend_options(dir.path());
  o.debug = true;
  o.log = [&logged](srt::LogLevel level, const std::string &line) {
    std::lock_guard lock(logged.mu);
    logged.lines.push_back((level == srt::LogLevel::warn ? "warn: " : "") + line);
  };
  return srt::Sandbox::from_json(settings, o);
}

std::string home() {
  const char *h = std::getenv("HOME");
  return h && h[0] == '/' ? h : "/";
}

// Waits until the log has printed its lines, then exits 3 (at most ~10 s).
srt::Command waiting_command(const TempDir &dir, const std::string &mode = "") {
  srt::Command c;
  c.argv = {"/bin/sh", "-c", "i=0; while [ ! -e \"$SRT_TEST_VIOLATION_DIR/ready\" ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done; exit 3"};
  c.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "HOME=" + home(), "SRT_TEST_VIOLATION_DIR=" + dir.path(),
                                   "SRT_TEST_VIOLATION_MODE=" + mode};
  return c;
}

}  // namespace

TEST_CASE("violation monitor: this session's denials are recorded, counted and reported; the log is stopped") {
  TempDir dir;
  Logged logged;
  auto sb = sandbox(dir, logged);
  auto cmd = waiting_command(dir);
  auto child = sb.spawn(cmd);
  CHECK(child.wait().code == 3);
  auto v = child.violations();
  REQUIRE(v.size() == 3);
  CHECK(v[0].operation == "file-write-create");
  CHECK(v[0].target == "/Users/me/outside.txt");
  CHECK(v[0].process == "touch(51234)");
  CHECK(v[0].line == "touch(51234) deny(1) file-write-create /Users/me/outside.txt");
  CHECK(v[0].count == 2);
  CHECK(v[1].operation == "network-outbound");
  CHECK(v[1].target == "93.184.216.34:443");
  CHECK(v[1].count == 1);
  CHECK(v[2].operation == "file-read-data");
  CHECK(v[2].process == "python3(9)");
  // Started before the command, ended by srt (SIGTERM) after it.
  CHECK(logged.has("violation log: started /bin/sh"));
  CHECK(logged.has("violation log: /bin/sh ended by signal 15"));
  CHECK(logged.has("violation log: curl(4242) deny(1) network-outbound 93.184.216.34:443"));
  CHECK_FALSE(logged.has("theirs.txt"));
  CHECK_FALSE(logged.has("warn: cannot watch"));
  // The record stays after the command.
  CHECK(child.violations().size() == 3);
}

TEST_CASE("violation monitor: ignoreViolations decides what is reported") {
  TempDir dir;
  Logged logged;
  auto sb = sandbox(dir, logged,
                    R"({"ignoreViolations": {"*": ["93.184.216.34"], "SRT_TEST_VIOLATION_DIR/ready": ["outside.txt"],
                        "not-in-the-command": ["file-read-data"], "sh -c": ["~/.ssh"]}})");
  auto cmd = waiting_command(dir);
  auto child = sb.spawn(cmd);
  CHECK(child.wait().code == 3);
  auto v = child.violations();  // recorded all the same: reporting is filtered, not the record
  REQUIRE(v.size() == 3);
  CHECK(sb.ignores_violation(cmd, v[0].line));  // key found in the command line
  CHECK(sb.ignores_violation(cmd, v[1].line));  // "*"
  CHECK(sb.ignores_violation(cmd, v[2].line));  // "~/.ssh" is the home directory's
  CHECK(sb.ignores_violation(cmd, "network: refused 93.184.216.34:443 (host is not on the allow list)"));
  CHECK_FALSE(sb.ignores_violation(cmd, "network: refused evil.com:443 (host is not on the allow list)"));
  // Another command line: only "*" applies.
  srt::Command other;
  other.shell = "make all";
  CHECK(sb.ignores_violation(other, v[1].line));
  CHECK_FALSE(sb.ignores_violation(other, v[0].line));
  CHECK_FALSE(sb.ignores_violation(other, v[2].line));
}

TEST_CASE("violation monitor: a log that cannot start is a warning, and the command runs") {
  TempDir dir;
  Logged logged;
  auto sb = sandbox(dir, logged);
  auto cmd = waiting_command(dir, "missing");
  cmd.argv = {"/bin/sh", "-c", "exit 3"};
  auto child = sb.spawn(cmd);
  CHECK(child.wait().code == 3);
  CHECK(child.violations().empty());
  CHECK(logged.has("warn: cannot watch the sandbox's log of denials"));
  CHECK(logged.has("/nonexistent/srt-test/log"));
}

TEST_CASE("violation monitor: a log that ignores SIGTERM is killed") {
  TempDir dir;
  Logged logged;
  auto sb = sandbox(dir, logged);
  auto cmd = waiting_command(dir, "stubborn");
  auto child = sb.spawn(cmd);
  auto start = std::chrono::steady_clock::now();
  CHECK(child.wait().code == 3);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK(child.violations().size() == 3);
  CHECK(logged.has("violation log: /bin/sh ended by signal 9"));
}
