// runtime::spawn's descriptor layout: what the child still needs after
// placing the targets (the Landlock ruleset, its error pipe) survives even
// when a target has its number.
#include "runtime/confine.hpp"
#include "runtime/spawn.hpp"

#include <srt/landlock.hpp>

#include <doctest/doctest.h>

#include <fcntl.h>
#include <string>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

int landlock_abi() { return static_cast<int>(::syscall(srt::landlock::kSysCreateRuleset, nullptr, 0, srt::landlock::kCreateRulesetVersion)); }

}  // namespace

TEST_CASE("spawn: a target on the Landlock ruleset's number does not replace it") {
  if (landlock_abi() < 1) {
    MESSAGE("this kernel has no Landlock; nothing to check");
    return;
  }
  srt::LaunchPlan::Confinement plan;
  plan.no_new_privs = true;
  plan.landlock = srt::landlock::Ruleset{1, srt::landlock::kWriteFile, 0, 0, {}, {}};
  srt::runtime::PreparedConfinement prepared;
  srt::runtime::prepare_confinement(plan, prepared, {});
  REQUIRE(prepared.landlock_fd >= 3);
  int source = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(source >= 0);
  srt::runtime::SpawnSpec spec;
  spec.argv = {"/bin/true"};
  spec.fds.emplace_back(source, prepared.landlock_fd);  // the number the ruleset has now
  spec.confine = &prepared;
  pid_t pid = -1;
  CHECK_NOTHROW(pid = srt::runtime::spawn(spec));
  ::close(source);
  if (pid > 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
}

TEST_CASE("spawn: with close_other_fds only the placed descriptors reach the program") {
  // Not close-on-exec: a caller's leftover (above the few ls opens itself).
  int opened = ::open("/dev/null", O_RDONLY);
  int inherited = ::fcntl(opened, F_DUPFD, 50);
  ::close(opened);
  int source = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out[2];
  REQUIRE(inherited >= 0);
  REQUIRE(source >= 0);
  REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  auto run = [&](bool close_others) {
    srt::runtime::SpawnSpec spec;
    spec.argv = {"/bin/sh", "-c", "ls /proc/self/fd | tr '\\n' ' '"};
    spec.fds = {{source, 7}, {out[1], 1}};
    spec.close_other_fds = close_others;
    pid_t pid = srt::runtime::spawn(spec);
    int status = 0;
    ::waitpid(pid, &status, 0);
    char buf[256] = {};
    ssize_t n = ::read(out[0], buf, sizeof buf - 1);
    return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  };
  std::string with = run(true);
  CHECK(with.find("7 ") != std::string::npos);
  CHECK(with.find(std::to_string(inherited) + " ") == std::string::npos);
  CHECK(run(false).find(std::to_string(inherited) + " ") != std::string::npos);  // the check can fail
  ::close(inherited);
  ::close(source);
  ::close(out[0]);
  ::close(out[1]);
}
