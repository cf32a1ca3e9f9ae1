#include "enter/stream_copy.hpp"

#include "enter/sys.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace srt::enter {
namespace {

#ifdef __linux__
constexpr std::size_t kSpliceChunk = 1 << 20;
#endif
constexpr std::size_t kCopyBuffer = 64 * 1024;

}  // namespace

int copy_stream(int in, int out) {
#ifdef __linux__
  for (;;) {
    ssize_t n = splice(in, nullptr, out, nullptr, kSpliceChunk, SPLICE_F_MOVE);
    if (n > 0) continue;
    if (n == 0) return 0;
    if (errno == EINTR) continue;
    // Neither side is a pipe (a file, a terminal), or a side splice does not
    // support: nothing was moved, carry on the slow way.
    if (errno == EINVAL) break;
    return errno;
  }
#endif
  static char buf[kCopyBuffer];
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return 0;
    if (!write_all(out, buf, static_cast<std::size_t>(n))) return errno;
  }
}

}  // namespace srt::enter
