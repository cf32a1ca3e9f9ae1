// The signals `srt cmd` handles (forwarded to the command, or noted), as a
// descriptor its poll loop watches. Linux: a signalfd (the signals are
// blocked, so none is lost between launch and the loop). macOS: a handler
// that writes each signal to a non-blocking pipe.
//
// One per process, on the thread that polls; the constructor throws
// SandboxError, the destructor restores what was there before.
#pragma once

#include "util/platform.hpp"

#include <csignal>

namespace srt::cli {

struct CaughtSignal {
  int signo = 0;
  // Sent by the kernel (a terminal's ^C reaching every process of its
  // foreground group), not by a process with kill().
  bool from_kernel = false;
};

class SignalSource {
 public:
  SignalSource();
  ~SignalSource();
  SignalSource(const SignalSource &) = delete;
  SignalSource &operator=(const SignalSource &) = delete;

  int fd() const { return fd_; }
  // The next pending signal; false when there is none (non-blocking).
  bool next(CaughtSignal &out);

 private:
  int fd_ = -1;
#if SRT_LINUX_EXTRAS
  sigset_t mask_, old_mask_;
#else
  int write_fd_ = -1;
  struct sigaction old_actions_[6];
#endif
};

}  // namespace srt::cli
