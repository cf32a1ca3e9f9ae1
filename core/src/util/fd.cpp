#include "util/fd.hpp"

#include "util/platform.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace srt::util {

namespace {

#if !SRT_LINUX_EXTRAS
// Closes `fd` and returns false, keeping the errno that made it fail.
bool give_up(int fd) {
  int err = errno;
  ::close(fd);
  errno = err;
  return false;
}

bool mark_cloexec(int fd) { return ::fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 || give_up(fd); }
#endif

}  // namespace

bool cloexec_pipe(int fds[2]) {
#if SRT_LINUX_EXTRAS
  return ::pipe2(fds, O_CLOEXEC) == 0;
#else
  if (::pipe(fds) != 0) return false;
  if (!mark_cloexec(fds[0])) return give_up(fds[1]);
  if (!mark_cloexec(fds[1])) return give_up(fds[0]);
  return true;
#endif
}

int cloexec_socket(int domain, int type, int protocol) {
#if SRT_LINUX_EXTRAS
  return ::socket(domain, type | SOCK_CLOEXEC, protocol);
#else
  int fd = ::socket(domain, type, protocol);
  if (fd < 0) return -1;
  return mark_cloexec(fd) ? fd : -1;
#endif
}

bool cloexec_socketpair(int domain, int type, int protocol, int fds[2]) {
#if SRT_LINUX_EXTRAS
  return ::socketpair(domain, type | SOCK_CLOEXEC, protocol, fds) == 0;
#else
  if (::socketpair(domain, type, protocol, fds) != 0) return false;
#ifdef SO_NOSIGPIPE  // (not on Linux, where the unit tests build this path)
  int on = 1;
  for (int i = 0; i < 2; ++i)
    if (::setsockopt(fds[i], SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on) != 0) {
      ::close(fds[1 - i]);
      return give_up(fds[i]);
    }
#endif
  if (!mark_cloexec(fds[0])) return give_up(fds[1]);
  if (!mark_cloexec(fds[1])) return give_up(fds[0]);
  return true;
#endif
}

int cloexec_accept(int listener) {
#if SRT_LINUX_EXTRAS
  return ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
#else
  int fd = ::accept(listener, nullptr, nullptr);
  if (fd < 0) return -1;
  return mark_cloexec(fd) ? fd : -1;
#endif
}

bool set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

long send_nosignal(int fd, const void *data, unsigned long size) {
#if SRT_LINUX_EXTRAS
  return ::send(fd, data, size, MSG_NOSIGNAL);
#else
  return ::send(fd, data, size, 0);
#endif
}

}  // namespace srt::util
