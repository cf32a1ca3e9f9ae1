#include "listener.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace srt::proxy {
namespace {

constexpr mode_t kSocketMode = 0600;

[[noreturn]] void fail(const std::string &what, int err) { throw std::runtime_error(what + ": " + std::strerror(err)); }

UniqueFd new_socket(int family) {
#ifdef SOCK_CLOEXEC
  UniqueFd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) fail("cannot create a socket", errno);
#else
  UniqueFd fd(::socket(family, SOCK_STREAM, 0));
  if (!fd) fail("cannot create a socket", errno);
  if (::fcntl(fd.get(), F_SETFD, FD_CLOEXEC) != 0) fail("cannot set close-on-exec on a socket", errno);
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK) != 0)
    fail("cannot make a socket non-blocking", errno);
#endif
  return fd;
}

void start_listening(const UniqueFd &fd, const std::string &where) {
  if (::listen(fd.get(), SOMAXCONN) != 0) fail("cannot listen on " + where, errno);
}

Listener open_unix(const std::string &path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path[0] != '/') throw std::runtime_error("proxy socket path must be absolute: " + path);
  if (path.size() >= sizeof(addr.sun_path)) throw std::runtime_error("proxy socket path is too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);

  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode))
      throw std::runtime_error("refusing to replace " + path + ": it exists and is not a socket");
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("cannot remove the stale socket " + path, errno);
  } else if (errno != ENOENT) {
    fail("cannot inspect " + path, errno);
  }

  Listener l;
  l.fd = new_socket(AF_UNIX);
  l.family = AF_UNIX;
  l.actual.unix_path = path;
  // On Linux the file bind() creates takes the socket's mode: set it first so
  // that the file is never reachable by others, not even briefly. Elsewhere
  // fchmod on a socket may fail; the chmod below covers it.
  (void)::fchmod(l.fd.get(), kSocketMode);
  if (::bind(l.fd.get(), reinterpret_cast<const sockaddr *>(&addr), sizeof(addr)) != 0)
    fail("cannot bind the proxy socket " + path, errno);
  if (::lstat(path.c_str(), &st) != 0) fail("cannot inspect the new socket " + path, errno);
  if (!S_ISSOCK(st.st_mode)) throw std::runtime_error("the new socket " + path + " was replaced");
  if ((st.st_mode & 07777) != kSocketMode && ::chmod(path.c_str(), kSocketMode) != 0) {
    int err = errno;
    (void)::unlink(path.c_str());
    fail("cannot restrict the mode of " + path, err);
  }
  l.dev = st.st_dev;
  l.ino = st.st_ino;
  try {
    start_listening(l.fd, path);
  } catch (...) {
    remove_socket_file(l);
    throw;
  }
  return l;
}

std::uint16_t parse_port(const std::string &text, const std::string &spec) {
  if (text.empty() || text.size() > 5) throw std::runtime_error("bad port in proxy listen address: " + spec);
  unsigned long v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') throw std::runtime_error("bad port in proxy listen address: " + spec);
    v = v * 10 + static_cast<unsigned long>(c - '0');
  }
  if (v > 65535) throw std::runtime_error("bad port in proxy listen address: " + spec);
  return static_cast<std::uint16_t>(v);
}

Listener open_tcp(const std::string &spec) {
  auto colon = spec.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("proxy listen address needs a port: " + spec);
  std::string host = spec.substr(0, colon);
  std::uint16_t port = parse_port(spec.substr(colon + 1), spec);
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);

  sockaddr_storage ss{};
  socklen_t len = 0;
  int family = 0;
  auto *v4 = reinterpret_cast<sockaddr_in *>(&ss);
  auto *v6 = reinterpret_cast<sockaddr_in6 *>(&ss);
  if (!bracketed && ::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    family = v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    family = v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(sockaddr_in6);
  } else {
    throw std::runtime_error("proxy listen address needs a numeric IP address: " + spec);
  }

  Listener l;
  l.fd = new_socket(family);
  l.family = family;
  int one = 1;
  // A restarted proxy must be able to take its port back at once.
  if (::setsockopt(l.fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0)
    fail("cannot set SO_REUSEADDR on " + spec, errno);
  if (::bind(l.fd.get(), reinterpret_cast<const sockaddr *>(&ss), len) != 0) fail("cannot bind " + spec, errno);
  start_listening(l.fd, spec);

  sockaddr_storage bound{};
  socklen_t blen = sizeof(bound);
  if (::getsockname(l.fd.get(), reinterpret_cast<sockaddr *>(&bound), &blen) != 0)
    fail("cannot read the bound address of " + spec, errno);
  char text[INET6_ADDRSTRLEN] = {};
  std::uint16_t actual = 0;
  if (family == AF_INET) {
    const auto *b = reinterpret_cast<const sockaddr_in *>(&bound);
    if (!::inet_ntop(AF_INET, &b->sin_addr, text, sizeof(text))) fail("cannot format " + spec, errno);
    actual = ntohs(b->sin_port);
    l.actual.tcp = std::string(text) + ":" + std::to_string(actual);
  } else {
    const auto *b = reinterpret_cast<const sockaddr_in6 *>(&bound);
    if (!::inet_ntop(AF_INET6, &b->sin6_addr, text, sizeof(text))) fail("cannot format " + spec, errno);
    actual = ntohs(b->sin6_port);
    l.actual.tcp = "[" + std::string(text) + "]:" + std::to_string(actual);
  }
  return l;
}

}  // namespace

Listener open_listener(const sdk::ProxyConfig::Listen &where) {
  if (!where.unix_path.empty()) return open_unix(where.unix_path);
  return open_tcp(where.tcp);
}

void remove_socket_file(const Listener &l) noexcept {
  if (l.actual.unix_path.empty() || l.ino == 0) return;
  struct stat st {};
  if (::lstat(l.actual.unix_path.c_str(), &st) != 0) return;
  if (!S_ISSOCK(st.st_mode) || st.st_dev != l.dev || st.st_ino != l.ino) return;
  // Best effort: a file that cannot be removed is only left behind.
  (void)::unlink(l.actual.unix_path.c_str());
}

}  // namespace srt::proxy
