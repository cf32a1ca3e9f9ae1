// Threads a proxy creates take no process signal: srt's own threads handle
// them, and a SIGPIPE raised by splice() into a closed socket stays pending
// on the proxy thread instead of killing the process.
#pragma once

#include <signal.h>

namespace srt::proxy {

// Blocks every signal in the calling thread while alive, so that threads
// started meanwhile inherit the full mask; restores the mask afterwards.
class BlockAllSignals {
 public:
  BlockAllSignals() {
    sigset_t all;
    sigfillset(&all);
    restore_ = pthread_sigmask(SIG_BLOCK, &all, &old_) == 0;
  }
  ~BlockAllSignals() {
    if (restore_) (void)pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  BlockAllSignals(const BlockAllSignals &) = delete;
  BlockAllSignals &operator=(const BlockAllSignals &) = delete;

 private:
  sigset_t old_{};
  bool restore_ = false;
};

}  // namespace srt::proxy
