// Descriptors created close-on-exec on every platform. Linux sets the flag
// atomically (pipe2, SOCK_CLOEXEC, accept4); macOS has no such flags, so
// there it is set right after creation. The window that leaves is covered
// where it matters: everything srt spawns marks all descriptors above 2
// close-on-exec before exec (SpawnSpec::close_other_fds).
//
// Each returns -1 (or false) with errno set, as the system calls do; callers
// turn that into their own error.
#pragma once

#include <sys/socket.h>

namespace srt::util {

bool cloexec_pipe(int fds[2]);
int cloexec_socket(int domain, int type, int protocol);
bool cloexec_socketpair(int domain, int type, int protocol, int fds[2]);
int cloexec_accept(int listener);

// Sets O_NONBLOCK on `fd`. Returns false with errno set.
bool set_nonblocking(int fd);

// send() that never raises SIGPIPE (MSG_NOSIGNAL on Linux; on macOS the
// socket must have SO_NOSIGPIPE, which cloexec_socketpair sets).
long send_nosignal(int fd, const void *data, unsigned long size);

}  // namespace srt::util
