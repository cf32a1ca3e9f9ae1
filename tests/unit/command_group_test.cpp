// What a command leaves running in its own process group ends with it, also
// without a subreaper (SpawnOptions::reap_orphans false, as on macOS): the
// launcher is the command and leads its group (the test backend starts a new
// session, as the seatbelt plan does), and srt kills that group between the
// command's exit and its reaping.
#include <srt/srt.hpp>

#include "temp_dir.hpp"
#include "test_backend.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
#include <thread>

using srt::test::TempDir;

namespace {

// Gone, or a zombie waiting for whoever inherited it.
bool ended(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z';
}

bool ends_within(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!ended(pid)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace

TEST_CASE("command group: a background job the command leaves in its group is killed when the command exits") {
  TempDir dir;
  auto sb = srt::Sandbox::from_json("{}", srt::test::test_backend_options(dir.path()));
  srt::Command c;
  // One job stays in the group; one leaves it (a new session of its own,
  // which writes its pid once it has left).
  c.argv = {"/bin/sh", "-c",
            "sleep 60 & echo $! > \"$1/in\"; setsid sh -c 'echo $$ > \"$1/out\"; exec sleep 60' sh \"$1\" & "
            "while [ ! -s \"$1/out\" ]; do sleep 0.01; done; exit 4",
            "sh", dir.path()};
  c.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "SRT_TEST_VIOLATION_DIR=" + dir.path()};
  srt::SpawnOptions so;
  so.reap_orphans = false;
  auto child = sb.spawn(c, so);
  CHECK(child.wait().code == 4);
  pid_t in = 0, out = 0;
  std::ifstream(dir / "in") >> in;
  std::ifstream(dir / "out") >> out;
  REQUIRE(in > 0);
  REQUIRE(out > 0);
  CHECK(ends_within(in, std::chrono::seconds(5)));
  // Outside the group, it is not found without a subreaper: ended here by
  // the test (with reap_orphans, srt ends it too; scenario no_leftover_processes).
  CHECK(!ended(out));
  ::kill(out, SIGKILL);
}
