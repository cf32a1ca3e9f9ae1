#include "cli/signals.hpp"

#include "util/fd.hpp"
#include "util/platform.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <unistd.h>
#if SRT_LINUX_EXTRAS
#include <sys/signalfd.h>
#endif

namespace srt::cli {

namespace {

constexpr int kHandledSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGCHLD};

}  // namespace

#if SRT_LINUX_EXTRAS

SignalSource::SignalSource() {
  sigemptyset(&mask_);
  for (int s : kHandledSignals) sigaddset(&mask_, s);
  if (::sigprocmask(SIG_BLOCK, &mask_, &old_mask_) != 0) throw SandboxError(fmt::format("sigprocmask: {}", std::strerror(errno)));
  fd_ = ::signalfd(-1, &mask_, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd_ < 0) {
    int err = errno;
    ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
    throw SandboxError(fmt::format("signalfd: {}", std::strerror(err)));
  }
}

SignalSource::~SignalSource() {
  ::close(fd_);
  ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

bool SignalSource::next(CaughtSignal &out) {
  struct signalfd_siginfo si{};
  if (::read(fd_, &si, sizeof si) != sizeof si) return false;
  out.signo = static_cast<int>(si.ssi_signo);
  out.from_kernel = si.ssi_code == SI_KERNEL;
  return true;
}

#else

namespace {

// The pipe's write end, for the handler (one SignalSource per process).
volatile sig_atomic_t g_write_fd = -1;

void on_signal(int sig, siginfo_t *info, void *) {
  int saved = errno;
  // A terminal's signal names no sender; kill() and sigqueue() name theirs.
  // When unsure, "a process sent it" (srt then forwards it once more).
  bool from_kernel = info && info->si_pid == 0 && info->si_code != SI_USER && info->si_code != SI_QUEUE;
  CaughtSignal caught{sig, from_kernel};
  // Non-blocking: with the pipe full, a signal already waits to be read.
  (void)!::write(g_write_fd, &caught, sizeof caught);
  errno = saved;
}

}  // namespace

SignalSource::SignalSource() {
  static_assert(sizeof kHandledSignals / sizeof kHandledSignals[0] == sizeof old_actions_ / sizeof old_actions_[0]);
  int p[2];
  if (!util::cloexec_pipe(p)) throw SandboxError(fmt::format("pipe: {}", std::strerror(errno)));
  if (!util::set_nonblocking(p[0]) || !util::set_nonblocking(p[1])) {
    int err = errno;
    ::close(p[0]);
    ::close(p[1]);
    throw SandboxError(fmt::format("fcntl(O_NONBLOCK): {}", std::strerror(err)));
  }
  fd_ = p[0];
  write_fd_ = p[1];
  g_write_fd = write_fd_;
  struct sigaction sa{};
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (std::size_t i = 0; i < sizeof kHandledSignals / sizeof kHandledSignals[0]; ++i) {
    if (::sigaction(kHandledSignals[i], &sa, &old_actions_[i]) != 0) {
      int err = errno;
      while (i-- > 0) ::sigaction(kHandledSignals[i], &old_actions_[i], nullptr);
      ::close(fd_);
      ::close(write_fd_);
      g_write_fd = -1;
      throw SandboxError(fmt::format("sigaction: {}", std::strerror(err)));
    }
  }
}

SignalSource::~SignalSource() {
  for (std::size_t i = 0; i < sizeof kHandledSignals / sizeof kHandledSignals[0]; ++i)
    ::sigaction(kHandledSignals[i], &old_actions_[i], nullptr);
  g_write_fd = -1;
  ::close(write_fd_);
  ::close(fd_);
}

bool SignalSource::next(CaughtSignal &out) {
  return ::read(fd_, &out, sizeof out) == static_cast<ssize_t>(sizeof out);
}

#endif

}  // namespace srt::cli
