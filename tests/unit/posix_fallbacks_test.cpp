// The portable POSIX path of the core, the one macOS runs (util/platform.hpp),
// built and run here on Linux: descriptors made close-on-exec without the
// atomic flags, the signal pipe, the report stream, the unlinked file that
// stands in for a memfd, and spawn by fork. This file is compiled only into
// `posix-fallback-tests`, where those sources are built with
// SRT_POSIX_FALLBACKS (spawn_test.cpp and mandatory_deny_test.cpp run there
// too, against the same build).
#include "cli/signals.hpp"
#include "runtime/report.hpp"
#include "runtime/spawn.hpp"
#include "temp_dir.hpp"
#include "util/fd.hpp"
#include "util/platform.hpp"

#include <srt/error.hpp>

#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static_assert(SRT_LINUX_EXTRAS == 0, "this file tests the portable path: build it with SRT_POSIX_FALLBACKS");

namespace {

bool cloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

int wait_status(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

TEST_CASE("posix fallbacks: every descriptor srt makes is close-on-exec") {
  int p[2];
  REQUIRE(srt::util::cloexec_pipe(p));
  CHECK(cloexec(p[0]));
  CHECK(cloexec(p[1]));
  int sv[2];
  REQUIRE(srt::util::cloexec_socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  CHECK(cloexec(sv[0]));
  CHECK(cloexec(sv[1]));
  int listener = srt::util::cloexec_socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  CHECK(cloexec(listener));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0);
  REQUIRE(::listen(listener, 1) == 0);
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr *>(&sa), &len) == 0);
  int client = srt::util::cloexec_socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(::connect(client, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0);
  int accepted = srt::util::cloexec_accept(listener);
  REQUIRE(accepted >= 0);
  CHECK(cloexec(accepted));
  CHECK(srt::util::set_nonblocking(p[0]));
  char c;
  CHECK(::read(p[0], &c, 1) < 0);
  CHECK(errno == EAGAIN);
  for (int fd : {p[0], p[1], sv[0], sv[1], listener, client, accepted}) ::close(fd);
}

TEST_CASE("posix fallbacks: the signal pipe delivers each signal once, says who sent it, and restores the handlers") {
  struct sigaction before{};
  REQUIRE(::sigaction(SIGHUP, nullptr, &before) == 0);
  {
    srt::cli::SignalSource signals;
    srt::cli::CaughtSignal caught;
    CHECK_FALSE(signals.next(caught));
    REQUIRE(::kill(::getpid(), SIGHUP) == 0);
    REQUIRE(::kill(::getpid(), SIGWINCH) == 0);
    REQUIRE(signals.next(caught));
    CHECK(caught.signo == SIGHUP);
    CHECK_FALSE(caught.from_kernel);  // kill(): a process sent it
    REQUIRE(signals.next(caught));
    CHECK(caught.signo == SIGWINCH);
    CHECK_FALSE(signals.next(caught));
    CHECK(cloexec(signals.fd()));
  }
  struct sigaction after{};
  REQUIRE(::sigaction(SIGHUP, nullptr, &after) == 0);
  CHECK((after.sa_handler == before.sa_handler));
}

TEST_CASE("posix fallbacks: the report stream names the launcher, never a pid the sandbox sends") {
  auto channel = srt::runtime::make_report_channel();
  bool eof = false;
  CHECK_FALSE(srt::runtime::read_report(channel.parent_fd, 4242, eof));  // nothing yet
  CHECK_FALSE(eof);
  // Anything but the exact message is no report.
  const char wrong[] = "srt-enter/1 ready 1";
  REQUIRE(::write(channel.child_fd, wrong, sizeof wrong - 1) == static_cast<ssize_t>(sizeof wrong - 1));
  CHECK_FALSE(srt::runtime::read_report(channel.parent_fd, 4242, eof));
  CHECK_FALSE(eof);
  REQUIRE(srt::util::send_nosignal(channel.child_fd, srt::runtime::kEnterReadyMessage, sizeof srt::runtime::kEnterReadyMessage - 1) > 0);
  auto ready = srt::runtime::read_report(channel.parent_fd, 4242, eof);
  REQUIRE(ready);
  CHECK(ready->pid == 4242);
  ::close(channel.child_fd);
  CHECK_FALSE(srt::runtime::read_report(channel.parent_fd, 4242, eof));
  CHECK(eof);
  ::close(channel.parent_fd);
}

TEST_CASE("posix fallbacks: the memfd stand-in is unlinked, read-only and holds the content") {
  std::string content(100000, 'x');
  content += "end";
  int fd = srt::runtime::make_memfd("test", content);
  REQUIRE(fd >= 0);
  CHECK(cloexec(fd));
  struct stat st{};
  REQUIRE(::fstat(fd, &st) == 0);
  CHECK(st.st_nlink == 0);  // no name anyone could open it by
  CHECK(static_cast<std::size_t>(st.st_size) == content.size());
  CHECK(::write(fd, "y", 1) < 0);  // no descriptor that writes is left
  std::string back(content.size(), '\0');
  std::size_t got = 0;
  while (got < back.size()) {
    ssize_t n = ::read(fd, back.data() + got, back.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  CHECK(back == content);
  ::close(fd);
}

TEST_CASE("posix fallbacks: spawn by fork runs the program with its layout and says exactly what failed") {
  srt::test::TempDir dir;
  int out[2];
  REQUIRE(srt::util::cloexec_pipe(out));
  srt::runtime::SpawnSpec spec;
  spec.argv = {"/bin/sh", "-c", "pwd; echo $A; exit 3"};
  spec.env = {"A=b"};
  spec.cwd = dir.path();
  spec.fds = {{out[1], 1}};
  spec.close_other_fds = true;
  spec.new_process_group = true;
  pid_t pid = srt::runtime::spawn(spec);
  ::close(out[1]);
  int status = wait_status(pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 3);
  char buf[4096] = {};
  ssize_t n = ::read(out[0], buf, sizeof buf - 1);
  ::close(out[0]);
  CHECK(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0) == dir.path() + "\nb\n");

  srt::runtime::SpawnSpec missing;
  missing.argv = {dir.path() + "/no-such-program"};
  try {
    srt::runtime::spawn(missing);
    FAIL("spawned a program that does not exist");
  } catch (const srt::runtime::ExecError &e) {
    CHECK(e.err == ENOENT);
  }
  srt::runtime::SpawnSpec bad_cwd;
  bad_cwd.argv = {"/bin/true"};
  bad_cwd.cwd = dir.path() + "/gone";
  CHECK_THROWS_WITH_AS(srt::runtime::spawn(bad_cwd), doctest::Contains("cannot enter the working directory"), srt::SandboxError);
}
