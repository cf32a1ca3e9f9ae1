// The Seatbelt violation log: the plugin's marker and `log` command
// (plugins/seatbelt/violation_log.hpp) and the core's reading of the lines
// (core/src/violations/seatbelt_log.hpp), on recorded sample lines.
#include "violation_log.hpp"
#include "violations/seatbelt_log.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using srt::violations::parse_seatbelt_line;

namespace {

constexpr const char *kOurs = "SRT_1f2e3d4c5b6a_SBX";
constexpr const char *kTheirs = "SRT_a0b1c2d3e4f5_SBX";

// What `log stream --style compact --predicate '(eventMessage ENDSWITH "...")'`
// prints, one line per denial (the header lines `log` prints first included).
const std::vector<std::string> kHeader = {
    R"(Filtering the log data using "composedMessage ENDSWITH "SRT_1f2e3d4c5b6a_SBX"")",
    "Timestamp               Ty Process[PID:TID]",
};
const std::string kWriteCreate =
    "2026-11-24 10:12:03.123 E  kernel[0:1a2b] (Sandbox) Sandbox: touch(51234) deny(1) file-write-create /Users/me/outside.txt "
    "SRT_1f2e3d4c5b6a_SBX";
const std::string kNetwork =
    "2026-11-24 10:12:04.001 E  kernel[0:1a2c] (Sandbox) Sandbox: curl(4242) deny(1) network-outbound 93.184.216.34:443 "
    "SRT_1f2e3d4c5b6a_SBX";
const std::string kReadData =
    "2026-11-24 10:12:05.500 E  kernel[0:1a2d] (Sandbox) Sandbox: python3(9) deny(1) file-read-data /Users/me/.ssh/id_rsa "
    "SRT_1f2e3d4c5b6a_SBX";
const std::string kMachLookup =
    "2026-11-24 10:12:06.010 E  kernel[0:1a2e] (Sandbox) Sandbox: node(77) deny(1) mach-lookup com.apple.coreservices.launchservicesd "
    "SRT_1f2e3d4c5b6a_SBX";
const std::string kSpaces =
    "2026-11-24 10:12:07.000 E  kernel[0:1a2f] (Sandbox) Sandbox: Google Chrome He(812) deny(1) file-write-data "
    "/Users/me/Library/Application Support/Café Menu/naïve 文件.txt SRT_1f2e3d4c5b6a_SBX";
const std::string kAnotherSession =
    "2026-11-24 10:12:03.200 E  kernel[0:1a2b] (Sandbox) Sandbox: touch(61000) deny(1) file-write-create /Users/me/other.txt "
    "SRT_a0b1c2d3e4f5_SBX";
const std::vector<std::string> kNoise = {
    "2026-11-24 10:12:08.000 E  kernel[0:1a30] (Sandbox) Sandbox: mDNSResponder(211) deny(1) network-outbound /private/var/run/mDNSResponder "
    "SRT_1f2e3d4c5b6a_SBX",
    "2026-11-24 10:12:08.100 E  kernel[0:1a31] (Sandbox) Sandbox: node(77) deny(1) mach-lookup com.apple.diagnosticd SRT_1f2e3d4c5b6a_SBX",
    "2026-11-24 10:12:08.200 E  kernel[0:1a32] (Sandbox) Sandbox: node(77) deny(1) mach-lookup com.apple.analyticsd SRT_1f2e3d4c5b6a_SBX",
};
const std::vector<std::string> kMalformed = {
    "",
    "SRT_1f2e3d4c5b6a_SBX",
    " SRT_1f2e3d4c5b6a_SBX",
    // No "Sandbox:".
    "2026-11-24 10:12:09.000 E  kernel[0:1a33] touch(1) deny(1) file-write-create /x SRT_1f2e3d4c5b6a_SBX",
    // No pid, a pid that is not a number, no deny count, no operation.
    "2026-11-24 10:12:09.000 E  kernel[0:1a33] (Sandbox) Sandbox: touch deny(1) file-write-create /x SRT_1f2e3d4c5b6a_SBX",
    "2026-11-24 10:12:09.000 E  kernel[0:1a33] (Sandbox) Sandbox: touch(12a) deny(1) file-write-create /x SRT_1f2e3d4c5b6a_SBX",
    "2026-11-24 10:12:09.000 E  kernel[0:1a33] (Sandbox) Sandbox: touch(12) deny() file-write-create /x SRT_1f2e3d4c5b6a_SBX",
    "2026-11-24 10:12:09.000 E  kernel[0:1a33] (Sandbox) Sandbox: touch(12) deny(1) SRT_1f2e3d4c5b6a_SBX",
    "2026-11-24 10:12:09.000 E  kernel[0:1a33] (Sandbox) Sandbox: touch(12) allow(1) file-write-create /x SRT_1f2e3d4c5b6a_SBX",
    // The marker glued to the path, and not at the end.
    "2026-11-24 10:12:09.000 E  kernel[0:1a33] (Sandbox) Sandbox: touch(12) deny(1) file-write-create /xSRT_1f2e3d4c5b6a_SBX",
    "2026-11-24 10:12:09.000 E  kernel[0:1a33] (Sandbox) Sandbox: touch(12) deny(1) file-write-create /x SRT_1f2e3d4c5b6a_SBX more",
};
// Cut by a full pipe or a crash of `log`.
const std::vector<std::string> kTruncated = {
    "2026-11-24 10:12:03.123 E  kernel[0:1a2b] (Sandbox) Sandbox: touch(51234) deny(1) file-write-create /Users/me/outs",
    "2026-11-24 10:12:03.123 E  kernel[0:1a2b] (Sandbox) Sandbox: touch(51234) deny(1) file-write-create /Users/me/outside.txt SRT_1f2e3d",
    "2026-11-24 10:12:03.123 E  kernel[0:1a2b] (Sandbox) Sandbox: touch(512",
    "2026-11-24 10:12:03.123 E  kernel[0:1a2b] (Sandbox) Sandbox: touch(512 SRT_1f2e3d4c5b6a_SBX",
};

}  // namespace

TEST_CASE("seatbelt log: this session's denials are read") {
  auto v = parse_seatbelt_line(kWriteCreate, kOurs);
  REQUIRE(v);
  CHECK(v->operation == "file-write-create");
  CHECK(v->target == "/Users/me/outside.txt");
  CHECK(v->process == "touch(51234)");
  CHECK(v->line == "touch(51234) deny(1) file-write-create /Users/me/outside.txt");
  CHECK(v->count == 1);

  v = parse_seatbelt_line(kNetwork, kOurs);
  REQUIRE(v);
  CHECK(v->operation == "network-outbound");
  CHECK(v->target == "93.184.216.34:443");
  CHECK(v->process == "curl(4242)");

  v = parse_seatbelt_line(kReadData, kOurs);
  REQUIRE(v);
  CHECK(v->operation == "file-read-data");
  CHECK(v->target == "/Users/me/.ssh/id_rsa");
  CHECK(v->process == "python3(9)");

  v = parse_seatbelt_line(kMachLookup, kOurs);
  REQUIRE(v);
  CHECK(v->operation == "mach-lookup");
  CHECK(v->target == "com.apple.coreservices.launchservicesd");
}

TEST_CASE("seatbelt log: paths with spaces and non-ASCII, process names with spaces") {
  auto v = parse_seatbelt_line(kSpaces, kOurs);
  REQUIRE(v);
  CHECK(v->process == "Google Chrome He(812)");
  CHECK(v->operation == "file-write-data");
  CHECK(v->target == "/Users/me/Library/Application Support/Café Menu/naïve 文件.txt");
}

TEST_CASE("seatbelt log: a target-less denial, a CR, trailing spaces") {
  auto v = parse_seatbelt_line("x Sandbox: sh(3) deny(1) process-fork SRT_1f2e3d4c5b6a_SBX \r", kOurs);
  REQUIRE(v);
  CHECK(v->operation == "process-fork");
  CHECK(v->target.empty());
  CHECK(v->line == "sh(3) deny(1) process-fork");
}

TEST_CASE("seatbelt log: a process name that imitates the line's structure") {
  // The command names its own processes: the first " deny(N) " after a
  // "(pid)" is the real one.
  auto v = parse_seatbelt_line("k Sandbox: a(1) deny(2) b(3) deny(1) file-read-data /p SRT_1f2e3d4c5b6a_SBX", kOurs);
  REQUIRE(v);
  CHECK(v->process == "a(1)");
  CHECK(v->operation == "b(3)");
  CHECK(v->target == "deny(1) file-read-data /p");
  v = parse_seatbelt_line("k Sandbox: x deny(2) y(3) deny(1) file-read-data /p SRT_1f2e3d4c5b6a_SBX", kOurs);
  REQUIRE(v);
  CHECK(v->process == "x deny(2) y(3)");
  CHECK(v->operation == "file-read-data");
}

TEST_CASE("seatbelt log: control characters are not passed on to a terminal") {
  auto v = parse_seatbelt_line("k Sandbox: t(1) deny(1) file-write-create /tmp/\x1b[2Jx\x07 SRT_1f2e3d4c5b6a_SBX", kOurs);
  REQUIRE(v);
  CHECK(v->target == "/tmp/?[2Jx?");
  CHECK(v->line.find('\x1b') == std::string::npos);
}

TEST_CASE("seatbelt log: another session's lines, noise, headers, malformed and truncated lines are dropped") {
  CHECK_FALSE(parse_seatbelt_line(kAnotherSession, kOurs));
  CHECK(parse_seatbelt_line(kAnotherSession, kTheirs));
  CHECK_FALSE(parse_seatbelt_line(kWriteCreate, kTheirs));
  for (const auto &line : kHeader) CHECK_FALSE(parse_seatbelt_line(line, kOurs));
  for (const auto &line : kNoise) CHECK_FALSE(parse_seatbelt_line(line, kOurs));
  for (const auto &line : kMalformed) CHECK_FALSE(parse_seatbelt_line(line, kOurs));
  for (const auto &line : kTruncated) CHECK_FALSE(parse_seatbelt_line(line, kOurs));
  // No marker, no match: an empty marker would otherwise accept everything.
  CHECK_FALSE(parse_seatbelt_line(kWriteCreate, ""));
  // Over-long lines.
  std::string long_line = "k Sandbox: t(1) deny(1) file-read-data /" + std::string(srt::violations::kMaxSeatbeltLineBytes, 'a') + " " + kOurs;
  CHECK_FALSE(parse_seatbelt_line(long_line, kOurs));
  // A noise service as a prefix of a real one is not noise.
  CHECK(parse_seatbelt_line("k Sandbox: n(7) deny(1) mach-lookup com.apple.diagnosticd.x SRT_1f2e3d4c5b6a_SBX", kOurs));
}

TEST_CASE("seatbelt marker: fixed form, from the caller's random bits") {
  namespace sb = srt::seatbelt;
  CHECK(sb::session_marker(0x1f2e3d4c5b6aull) == kOurs);
  CHECK(sb::session_marker(0) == "SRT_000000000000_SBX");
  CHECK(sb::session_marker(~0ull) == "SRT_ffffffffffff_SBX");
  CHECK(sb::session_marker(0xabcd000000000001ull) == "SRT_000000000001_SBX");  // the low 48 bits
  CHECK(sb::is_session_marker(sb::session_marker(0x123456789abcull)));
  CHECK(sb::is_session_marker(kOurs));
  CHECK_FALSE(sb::is_session_marker("SRT_1F2E3D4C5B6A_SBX"));
  CHECK_FALSE(sb::is_session_marker("SRT_1f2e3d4c5b6_SBX"));
  CHECK_FALSE(sb::is_session_marker("SRT_1f2e3d4c5b6ag_SBX"));
  CHECK_FALSE(sb::is_session_marker("XRT_1f2e3d4c5b6a_SBX"));
  CHECK_FALSE(sb::is_session_marker(""));
  CHECK(sb::deny_default_rule(kOurs) == "(deny default (with message \"SRT_1f2e3d4c5b6a_SBX\"))");
  // A line the profile's marker produces is read back by the core.
  std::string marker = sb::session_marker(0xfeedfacecafeull);
  CHECK(parse_seatbelt_line("k Sandbox: ls(2) deny(1) file-read-data /Users/me " + marker, marker));
}

TEST_CASE("seatbelt log command: an argv, the marker in the predicate") {
  auto argv = srt::seatbelt::log_stream_argv(kOurs);
  CHECK(argv == std::vector<std::string>{"/usr/bin/log", "stream", "--style", "compact", "--predicate",
                                         "(eventMessage ENDSWITH \"SRT_1f2e3d4c5b6a_SBX\")"});
  CHECK(srt::seatbelt::log_stream_argv("a\"b\\c").back() == "(eventMessage ENDSWITH \"a\\\"b\\\\c\")");
}
