#include "enter/listeners.hpp"

#include "enter/sys.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <sys/socket.h>

namespace srt::enter {
namespace {

int new_listener(int family) {
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  // A previous sandbox in the same namespace is impossible, but a relay that
  // restarts (or TIME_WAIT from the command's own connections) must not stop
  // the bind.
  int one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0)) {
    int err = errno;
    close_fd(fd);
    errno = err;
    return -1;
  }
  return fd;
}

int listen_v4(std::uint16_t port) {
  int fd = new_listener(AF_INET);
  if (fd < 0) die_errno("bridge: socket(AF_INET)");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
    if (errno == EADDRNOTAVAIL) die_errno("bridge: cannot listen on 127.0.0.1:%u (no loopback interface?)", port);
    die_errno("bridge: cannot listen on 127.0.0.1:%u", port);
  }
  if (listen(fd, kListenBacklog) != 0) die_errno("bridge: listen on 127.0.0.1:%u", port);
  return fd;
}

// -1 when the sandbox has no IPv6 loopback; anything else unexpected is fatal.
int listen_v6(std::uint16_t port) {
  int fd = new_listener(AF_INET6);
  if (fd < 0) {
    if (errno == EAFNOSUPPORT) return -1;
    die_errno("bridge: socket(AF_INET6)");
  }
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  a.sin6_addr = in6addr_loopback;
  if (bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
    // No ::1 on lo (IPv6 disabled in the namespace).
    if (errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT) {
      close_fd(fd);
      return -1;
    }
    die_errno("bridge: cannot listen on [::1]:%u", port);
  }
  if (listen(fd, kListenBacklog) != 0) die_errno("bridge: listen on [::1]:%u", port);
  return fd;
}

}  // namespace

std::vector<Listener> open_listeners(const std::vector<BridgeSpec> &bridges) {
  std::vector<Listener> out;
  for (std::size_t i = 0; i < bridges.size(); ++i) {
    out.push_back({listen_v4(bridges[i].port), i});
    if (int fd = listen_v6(bridges[i].port); fd >= 0) out.push_back({fd, i});
  }
  return out;
}

}  // namespace srt::enter
