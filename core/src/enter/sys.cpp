#include "enter/sys.hpp"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>  // close_range
#endif

namespace srt::enter {

#ifdef __linux__
namespace {
// CLOSE_RANGE_CLOEXEC (linux/close_range.h, Linux 5.11).
constexpr unsigned kCloseRangeCloexec = 1u << 2;
}  // namespace
#endif

bool parse_number(std::string_view s, int max, int &out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  out = v;
  return true;
}

bool parse_port(std::string_view s, int &out) { return parse_number(s, 65535, out) && out >= 1; }

void die(const char *format, ...) {
  std::fputs("srt-enter: ", stderr);
  va_list ap;
  va_start(ap, format);
  std::vfprintf(stderr, format, ap);
  va_end(ap);
  std::fputc('\n', stderr);
  std::_Exit(kExitUsage);
}

void die_errno(const char *format, ...) {
  int err = errno;
  std::fputs("srt-enter: ", stderr);
  va_list ap;
  va_start(ap, format);
  std::vfprintf(stderr, format, ap);
  va_end(ap);
  std::fprintf(stderr, ": %s\n", std::strerror(err));
  std::_Exit(kExitUsage);
}

bool write_all(int fd, const void *data, std::size_t size) {
  const char *p = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

void close_fd(int fd) {
  if (fd >= 0) ::close(fd);
}

void cloexec_from(int lowest) {
#ifdef __linux__
  if (syscall(SYS_close_range, static_cast<unsigned>(lowest), ~0u, kCloseRangeCloexec) == 0) return;
  // ENOSYS before Linux 5.11; EPERM under container filters that predate it.
  if (errno != ENOSYS && errno != EPERM && errno != EINVAL) die_errno("close_range");
#endif
  rlimit rl{};
  int end = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < static_cast<rlim_t>(kMaxFdScan) ? static_cast<int>(rl.rlim_cur)
                                                                                                    : kMaxFdScan;
  for (int fd = lowest; fd < end; ++fd)
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 && errno != EBADF) die_errno("marking descriptor %d close-on-exec", fd);
}

}  // namespace srt::enter
