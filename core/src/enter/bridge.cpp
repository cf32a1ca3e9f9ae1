#include "enter/bridge.hpp"

#include "enter/relay.hpp"
#include "enter/sys.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace srt::enter {
namespace {

// The longest start-up error the relay sends back.
constexpr std::size_t kMaxRelayMessage = 512;

[[noreturn]] void relay_fail(int ready_fd, const char *what) {
  std::string msg = std::string(what) + ": " + std::strerror(errno);
  (void)write_all(ready_fd, msg.data(), msg.size());
  std::_Exit(1);
}

// Closes every fd from 3 up except those in `keep`, so that the relay holds no copy of the
// report channel, the terminal or anything else srt-enter inherited.
void close_all_but(std::vector<int> keep, int ready_fd) {
  std::sort(keep.begin(), keep.end());
  unsigned lo = 3;
  keep.push_back(-1);  // sentinel: up to the end
  for (int k : keep) {
    unsigned hi = k < 0 ? ~0u : static_cast<unsigned>(k) - 1;
    if (k >= 0 && static_cast<unsigned>(k) < lo) continue;
    if (lo <= hi && syscall(SYS_close_range, lo, hi, 0) != 0) {
      // ENOSYS before Linux 5.9; EPERM under container filters that predate it.
      if (errno != ENOSYS && errno != EPERM) relay_fail(ready_fd, "close_range");
      rlimit rl{};
      int end = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < static_cast<rlim_t>(kMaxFdScan)
                    ? static_cast<int>(rl.rlim_cur)
                    : kMaxFdScan;
      // EBADF for the many numbers that are not open.
      for (unsigned fd = lo; fd <= hi && fd < static_cast<unsigned>(end); ++fd) (void)close(static_cast<int>(fd));
    }
    if (k >= 0) lo = static_cast<unsigned>(k) + 1;
  }
}

// The relay's process hygiene, then its loop. Runs in the grandchild.
[[noreturn]] void become_relay(const std::vector<BridgeSpec> &bridges, const std::vector<Listener> &listeners,
                               int owner_pidfd, int ready_fd) {
  // The command runs as the same uid: without this it could ptrace the relay
  // or read its memory through /proc/PID/mem.
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) relay_fail(ready_fd, "prctl(PR_SET_DUMPABLE)");
  // Out of the command's session and process group: terminal signals and
  // `kill 0` from the command do not reach it.
  if (setsid() < 0) relay_fail(ready_fd, "setsid");
  struct sigaction ign{};
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  // splice() into a socket whose peer has gone raises SIGPIPE.
  if (sigaction(SIGPIPE, &ign, nullptr) != 0) relay_fail(ready_fd, "sigaction(SIGPIPE)");

  std::vector<int> keep{ready_fd};
  if (owner_pidfd >= 0) keep.push_back(owner_pidfd);
  for (const auto &l : listeners) keep.push_back(l.fd);
  close_all_but(keep, ready_fd);
  // stdin/stdout/stderr are the command's terminal or pipes: holding them
  // would keep a reader of the command's output from seeing EOF.
  // (A kept fd can be below 3 when srt-enter started with stdio closed.)
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd <= 2; ++fd) {
    if (std::find(keep.begin(), keep.end(), fd) != keep.end() || fd == null) continue;
    if (null < 0)
      close_fd(fd);
    else if (dup2(null, fd) < 0)
      relay_fail(ready_fd, "dup2(/dev/null)");
  }
  if (null > 2) close_fd(null);

  std::vector<RelayListener> relay_listeners;
  for (const auto &l : listeners) {
    RelayListener r;
    r.fd = l.fd;
    auto *un = reinterpret_cast<sockaddr_un *>(&r.upstream);
    un->sun_family = AF_UNIX;
    const std::string &path = bridges[l.bridge].path;  // length checked in options.cpp
    std::memcpy(un->sun_path, path.c_str(), path.size() + 1);
    r.upstream_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
    relay_listeners.push_back(r);
  }
  run_relay(std::move(relay_listeners), owner_pidfd, ready_fd);
}

}  // namespace

int start_bridge(const std::vector<BridgeSpec> &bridges, std::vector<Listener> &listeners) {
  // This process becomes the command (execvp keeps the pid): the relay
  // watches this pidfd and exits with the command, even when no pid
  // namespace would end it. Kernels before 5.3 have no pidfd; there the pid
  // namespace is what ends the relay.
  int owner = static_cast<int>(syscall(SYS_pidfd_open, getpid(), 0));
  if (owner < 0 && errno != ENOSYS) die_errno("bridge: pidfd_open");
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) die_errno("bridge: pipe2");

  // CLONE_PARENT: the relay is our sibling, a child of the sandbox's init,
  // so the command never finds an unknown child in wait() — one fork, where
  // a double fork would cost a second one and a wait at every launch. (This
  // process is single-threaded, so the raw clone needs none of fork()'s
  // bookkeeping; with no new stack the child runs on a copy of ours.)
  pid_t relay = static_cast<pid_t>(syscall(SYS_clone, CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  if (relay < 0) die_errno("bridge: clone");
  if (relay == 0) {
    close_fd(ready[0]);
    become_relay(bridges, listeners, owner, ready[1]);
  }
  close_fd(ready[1]);
  close_fd(owner);
  for (auto &l : listeners) {
    close_fd(l.fd);
    l.fd = -1;
  }
  return ready[0];
}

void await_bridge(int ready_fd) {
  char msg[kMaxRelayMessage];
  std::size_t got = 0;
  for (;;) {
    ssize_t n = read(ready_fd, msg + got, sizeof msg - 1 - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die_errno("bridge: reading the relay's start-up status");
    if (n == 0 || got + static_cast<std::size_t>(n) == sizeof msg - 1) {
      got += static_cast<std::size_t>(n);
      break;
    }
    got += static_cast<std::size_t>(n);
  }
  close_fd(ready_fd);
  msg[got] = '\0';
  if (got == 0) die("bridge: the relay exited while starting");
  if (!(got == 1 && msg[0] == 'R')) die("bridge: the relay could not start: %s", msg);
}

}  // namespace srt::enter
