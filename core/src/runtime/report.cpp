#include "runtime/report.hpp"

#include "util/fd.hpp"
#include "util/platform.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace srt::runtime {

namespace {

// After a non-blocking read that returned `n`: whether bytes arrived. Sets
// `eof` when the peer is gone or the read failed.
bool got_bytes(ssize_t n, bool &eof) {
  if (n < 0) {
    eof = errno != EAGAIN && errno != EWOULDBLOCK;
    return false;
  }
  eof = n == 0;
  return n > 0;
}

}  // namespace

#if SRT_LINUX_EXTRAS
// Datagrams with the sender's credentials attached by the kernel.
ReportChannel make_report_channel() {
  int sv[2];
  if (!util::cloexec_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) throw SandboxError(fmt::format("socketpair: {}", std::strerror(errno)));
  int on = 1;
  if (::setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
    int err = errno;
    ::close(sv[0]);
    ::close(sv[1]);
    throw SandboxError(fmt::format("SO_PASSCRED: {}", std::strerror(err)));
  }
  return {sv[0], sv[1]};
}

std::optional<Ready> read_report(int fd, pid_t, bool &eof) {
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
  if (!got_bytes(n, eof)) return std::nullopt;
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
#else
// macOS has neither SOCK_SEQPACKET for Unix sockets nor credentials that
// name the sender: a stream, and the pid srt knows itself (report.hpp).
ReportChannel make_report_channel() {
  int sv[2];
  if (!util::cloexec_socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) throw SandboxError(fmt::format("socketpair: {}", std::strerror(errno)));
  return {sv[0], sv[1]};
}

std::optional<Ready> read_report(int fd, pid_t launcher, bool &eof) {
  eof = false;
  char data[64];
  ssize_t n;
  do {
    n = ::recv(fd, data, sizeof data, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (!got_bytes(n, eof)) return std::nullopt;
  // srt-enter writes its one message in one send, before it execs.
  if (std::string_view(data, static_cast<std::size_t>(n)) != std::string_view(kEnterReadyMessage)) return std::nullopt;
  return Ready{launcher};
}
#endif

void send_go(int fd) {
  ssize_t n;
  do {
    n = util::send_nosignal(fd, kGoMessage, sizeof kGoMessage - 1);
  } while (n < 0 && errno == EINTR);
}

ReportChannel make_status_pipe() {
  int p[2];
  if (!util::cloexec_pipe(p)) throw SandboxError(fmt::format("pipe: {}", std::strerror(errno)));
  // Read once the launcher has exited; should anything else still hold the
  // write end, srt must not wait for it.
  if (::fcntl(p[0], F_SETFL, O_NONBLOCK) != 0) {
    int err = errno;
    ::close(p[0]);
    ::close(p[1]);
    throw SandboxError(fmt::format("fcntl(O_NONBLOCK): {}", std::strerror(err)));
  }
  return {p[0], p[1]};
}

bool launcher_started_command(int fd, const std::string &format) {
  std::string text;
  char buf[4096];
  while (text.size() < kMaxLauncherStatusBytes) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  // bwrap writes the record only when its child exec'd the command, and the
  // command's output never reaches this pipe.
  return format == "bwrap-json-status" && text.find("\"exit-code\"") != std::string::npos;
}

}  // namespace srt::runtime
