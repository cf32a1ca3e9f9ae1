// One direction of a relayed connection: bytes move from a source socket
// into a kernel pipe and from the pipe to the destination socket with
// splice(), so they never enter user space. The pipe is the connection's
// buffer in that direction (at most kPipeBytes), and is borrowed from a pool
// only while it holds data, so an idle connection costs two fds, not six.
//
// Both sockets must be non-blocking. Single-threaded; SIGPIPE must be
// ignored (splice into a closed socket raises it).
#pragma once

#include <cstddef>
#include <vector>

namespace srt::enter {

// The bound on buffered bytes per connection and direction (one pipe). The
// kernel may give less (per-user pipe limits); it never gives more.
inline constexpr int kPipeBytes = 256 * 1024;
// Empty pipes kept for reuse; the rest are closed.
inline constexpr std::size_t kMaxSparePipes = 64;

struct Pipe {
  int r = -1;
  int w = -1;
};

class PipePool {
 public:
  PipePool() = default;
  PipePool(const PipePool &) = delete;
  PipePool &operator=(const PipePool &) = delete;
  ~PipePool();

  // A spare pipe or a new one. False, errno set, when none can be made now
  // (fd or memory limits); the caller retries later.
  bool take(Pipe &out);
  // Takes back an *empty* pipe.
  void give(Pipe &p);
  // Closes a pipe that may still hold data.
  static void discard(Pipe &p);

 private:
  std::vector<Pipe> spare_;
};

class Pump {
 public:
  enum class Status {
    blocked,  // waits for the source to be readable or the destination writable
    more,     // still moving data when the round budget ran out: run again soon
    starved,  // needs a pipe and none could be made: run again later
    done,     // source at EOF, everything delivered, destination shut for writing
    failed,   // a socket error; error() says which
  };

  // Moves data from src to dst until blocked or `rounds` splice pairs.
  // After EOF on src and an empty pipe, shuts dst for writing (the half-close
  // travels on) and reports done from then on.
  Status run(int src, int dst, PipePool &pool, int rounds);
  bool done() const { return shut_; }
  int error() const { return error_; }
  // Returns the pipe to the pool (or closes it when it holds data).
  void release(PipePool &pool);

 private:
  Pipe pipe_;
  std::size_t buffered_ = 0;
  bool eof_ = false;
  bool shut_ = false;
  int error_ = 0;
};

}  // namespace srt::enter
