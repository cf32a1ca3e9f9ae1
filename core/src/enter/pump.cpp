#include "enter/pump.hpp"

#include "enter/sys.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace srt::enter {
namespace {

// How much one splice() call may move; larger than the pipe so that a single
// call fills it.
constexpr std::size_t kSpliceChunk = 1 << 20;
constexpr unsigned kSpliceFlags = SPLICE_F_MOVE | SPLICE_F_NONBLOCK;

}  // namespace

PipePool::~PipePool() {
  for (auto &p : spare_) discard(p);
}

bool PipePool::take(Pipe &out) {
  if (!spare_.empty()) {
    out = spare_.back();
    spare_.pop_back();
    return true;
  }
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return false;
  // Larger pipes mean fewer wake-ups per megabyte. Over the per-user pipe
  // quota the kernel refuses (EPERM) and the default size stays, which still
  // works.
  (void)fcntl(fds[1], F_SETPIPE_SZ, kPipeBytes);
  out = {fds[0], fds[1]};
  return true;
}

void PipePool::give(Pipe &p) {
  if (p.r < 0) return;
  if (spare_.size() < kMaxSparePipes)
    spare_.push_back(p);
  else
    discard(p);
  p = {};
}

void PipePool::discard(Pipe &p) {
  close_fd(p.r);
  close_fd(p.w);
  p = {};
}

Pump::Status Pump::run(int src, int dst, PipePool &pool, int rounds) {
  if (shut_) return Status::done;
  if (error_) return Status::failed;
  if (pipe_.r < 0 && !pool.take(pipe_)) return Status::starved;
  Status status = Status::more;
  for (int round = 0; round < rounds; ++round) {
    bool progress = false;
    if (!eof_) {
      ssize_t n = splice(src, nullptr, pipe_.w, nullptr, kSpliceChunk, kSpliceFlags);
      if (n > 0) {
        buffered_ += static_cast<std::size_t>(n);
        progress = true;
      } else if (n == 0) {
        eof_ = true;
        progress = true;
      } else if (errno == EINTR) {
        progress = true;
      } else if (errno != EAGAIN) {
        // EAGAIN is either "no data" or "pipe full"; in the second case the
        // pipe holds data and the write side below drives the next step.
        error_ = errno;
        status = Status::failed;
        break;
      }
    }
    if (buffered_ > 0) {
      ssize_t n = splice(pipe_.r, nullptr, dst, nullptr, buffered_, kSpliceFlags);
      if (n > 0) {
        buffered_ -= static_cast<std::size_t>(n);
        progress = true;
      } else if (n < 0 && errno == EINTR) {
        progress = true;
      } else if (n < 0 && errno != EAGAIN) {
        error_ = errno;
        status = Status::failed;
        break;
      }
    }
    if (eof_ && buffered_ == 0) {
      // ENOTCONN: the peer is already gone; nothing is lost by not telling it.
      if (shutdown(dst, SHUT_WR) != 0 && errno != ENOTCONN) {
        error_ = errno;
        status = Status::failed;
        break;
      }
      shut_ = true;
      status = Status::done;
      break;
    }
    if (!progress) {
      status = Status::blocked;
      break;
    }
  }
  if (buffered_ == 0) pool.give(pipe_);
  return status;
}

void Pump::release(PipePool &pool) {
  if (buffered_ == 0)
    pool.give(pipe_);
  else
    PipePool::discard(pipe_);
  buffered_ = 0;
}

}  // namespace srt::enter
