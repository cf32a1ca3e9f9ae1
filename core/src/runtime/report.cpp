#include "runtime/report.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace srt::runtime {

ReportChannel make_report_channel() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    throw SandboxError(fmt::format("socketpair: {}", std::strerror(errno)));
  int on = 1;
  if (::setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
    int err = errno;
    ::close(sv[0]);
    ::close(sv[1]);
    throw SandboxError(fmt::format("SO_PASSCRED: {}", std::strerror(err)));
  }
  return {sv[0], sv[1]};
}

std::optional<Ready> read_report(int fd, bool &eof) {
  eof = false;
  char data[64];
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(struct ucred))];
  struct iovec iov{data, sizeof data};
  struct msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    eof = errno != EAGAIN && errno != EWOULDBLOCK;
    return std::nullopt;
  }
  if (n == 0) {
    eof = true;
    return std::nullopt;
  }
  if (std::string_view(data, static_cast<std::size_t>(n)) != std::string_view(kEnterReadyMessage)) return std::nullopt;
  for (auto *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
      struct ucred cred{};
      std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
      if (cred.pid > 0) return Ready{cred.pid};
    }
  }
  return std::nullopt;
}

}  // namespace srt::runtime
