// Blocking client sockets with timeouts, and small servers on 127.0.0.1 (or
// ::1) standing in for destinations: an echo server for tunnels and a
// scripted HTTP server for forwarded requests.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace srt::test {

using namespace std::chrono_literals;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd &&o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd &operator=(Fd &&o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Raises the soft descriptor limit to at least `n` (tests with many sockets).
inline void want_descriptors(rlim_t n) {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur >= n) return;
  r.rlim_cur = r.rlim_max < n ? r.rlim_max : n;
  ::setrlimit(RLIMIT_NOFILE, &r);
}

inline Fd connect_tcp(std::uint16_t port, const char *address = "127.0.0.1") {
  sockaddr_storage ss{};
  socklen_t len = 0;
  int family = AF_INET;
  auto *v4 = reinterpret_cast<sockaddr_in *>(&ss);
  auto *v6 = reinterpret_cast<sockaddr_in6 *>(&ss);
  if (::inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(*v4);
  } else if (::inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
    family = v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(*v6);
  } else {
    throw std::runtime_error("bad test address");
  }
  Fd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw std::runtime_error("socket failed");
  if (::connect(fd.get(), reinterpret_cast<sockaddr *>(&ss), len) != 0) return Fd();
  return fd;
}

inline Fd connect_unix(const std::string &path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof(a.sun_path) - 1);
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw std::runtime_error("socket failed");
  if (::connect(fd.get(), reinterpret_cast<sockaddr *>(&a), sizeof(a)) != 0) return Fd();
  return fd;
}

inline std::uint16_t port_of(const std::string &endpoint) {
  return static_cast<std::uint16_t>(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
}

inline bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads until `done(received)` holds, the peer ends the stream, or `timeout`.
// `eof` (if given) tells whether the stream ended.
inline std::string recv_while(int fd, const std::function<bool(const std::string &)> &done,
                              std::chrono::milliseconds timeout = 5000ms, bool *eof = nullptr) {
  std::string out;
  if (eof) *eof = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  while (!done(out)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (eof) *eof = true;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

inline std::string recv_until(int fd, std::string_view marker, std::chrono::milliseconds timeout = 5000ms) {
  return recv_while(
      fd, [&](const std::string &s) { return s.find(marker) != std::string::npos; }, timeout);
}

inline std::string recv_n(int fd, std::size_t n, std::chrono::milliseconds timeout = 5000ms) {
  return recv_while(
      fd, [&](const std::string &s) { return s.size() >= n; }, timeout);
}

// Everything until the peer closes; `closed` says whether it did in time.
inline std::string recv_to_eof(int fd, bool &closed, std::chrono::milliseconds timeout = 5000ms) {
  return recv_while(
      fd, [](const std::string &) { return false; }, timeout, &closed);
}

// A listening socket on a loopback address with an ephemeral port.
inline Fd listen_loopback(int family, std::uint16_t &port) {
  Fd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) throw std::runtime_error("socket failed");
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_storage ss{};
  socklen_t len;
  if (family == AF_INET) {
    auto *a = reinterpret_cast<sockaddr_in *>(&ss);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(*a);
  } else {
    auto *a = reinterpret_cast<sockaddr_in6 *>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = sizeof(*a);
  }
  if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&ss), len) != 0) return Fd();
  if (::listen(fd.get(), 4096) != 0) throw std::runtime_error("listen failed");
  len = sizeof(ss);
  ::getsockname(fd.get(), reinterpret_cast<sockaddr *>(&ss), &len);
  port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in *>(&ss)->sin_port
                                 : reinterpret_cast<sockaddr_in6 *>(&ss)->sin6_port);
  return fd;
}

// Echoes every byte back on each connection, many connections at once, and
// passes a half-close on: after the client's end of stream and the last echo
// it ends its own sending side.
class EchoServer {
 public:
  explicit EchoServer(int family = AF_INET) {
    listener_ = listen_loopback(family, port_);
    if (!listener_) return;  // no such loopback (IPv6 disabled)
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe failed");
    thread_ = std::thread([this] { loop(); });
  }
  ~EchoServer() {
    if (thread_.joinable()) {
      (void)!::write(wake_[1], "x", 1);
      thread_.join();
    }
    for (auto &[fd, c] : conns_) ::close(fd);
    if (wake_[0] >= 0) ::close(wake_[0]), ::close(wake_[1]);
  }
  bool ok() const { return static_cast<bool>(listener_); }
  std::uint16_t port() const { return port_; }
  std::size_t accepted() const { return accepted_.load(); }

 private:
  struct Conn {
    std::string out;
    bool eof = false;
  };

  void loop() {
    std::vector<pollfd> fds;
    for (;;) {
      fds.clear();
      fds.push_back({wake_[0], POLLIN, 0});
      fds.push_back({listener_.get(), POLLIN, 0});
      for (auto &[fd, c] : conns_)
        fds.push_back({fd, static_cast<short>((c.eof ? 0 : POLLIN) | (c.out.empty() ? 0 : POLLOUT)), 0});
      if (::poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) return;
      if (fds[0].revents) return;
      if (fds[1].revents & POLLIN) {
        for (;;) {
          int c = ::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
          if (c < 0) break;
          conns_[c] = Conn{};
          ++accepted_;
        }
      }
      for (std::size_t i = 2; i < fds.size(); ++i) {
        int fd = fds[i].fd;
        auto it = conns_.find(fd);
        if (it == conns_.end() || !fds[i].revents) continue;
        Conn &c = it->second;
        bool dead = false;
        if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
          char buf[65536];
          ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
          if (n > 0) c.out.append(buf, static_cast<std::size_t>(n));
          else if (n == 0) c.eof = true;
          else if (errno != EAGAIN && errno != EINTR) dead = true;
        }
        if (!dead && !c.out.empty()) {
          ssize_t n = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
          if (n > 0) c.out.erase(0, static_cast<std::size_t>(n));
          else if (n < 0 && errno != EAGAIN && errno != EINTR) dead = true;
        }
        if (!dead && c.eof && c.out.empty()) {
          ::shutdown(fd, SHUT_WR);
          dead = true;
        }
        if (dead) {
          ::close(fd);
          conns_.erase(it);
        }
      }
    }
  }

  Fd listener_;
  std::uint16_t port_ = 0;
  int wake_[2] = {-1, -1};
  std::map<int, Conn> conns_;
  std::atomic<std::size_t> accepted_{0};
  std::thread thread_;
};

// What the scripted HTTP server received on one connection.
struct ReceivedRequest {
  std::string head;  // up to and including the empty line
  std::string body;  // decoded (chunked framing removed)
  bool chunked = false;
};

// Serves one request per connection, one connection at a time: reads the
// head and the body (Content-Length or chunked), records them, writes the
// next scripted response and closes.
class HttpUpstream {
 public:
  explicit HttpUpstream(std::vector<std::string> responses) : responses_(std::move(responses)) {
    listener_ = listen_loopback(AF_INET, port_);
    thread_ = std::thread([this] { loop(); });
  }
  ~HttpUpstream() {
    stop_ = true;
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  std::vector<ReceivedRequest> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  void loop() {
    std::size_t next = 0;
    while (!stop_) {
      pollfd p{listener_.get(), POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      Fd c(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!c) continue;
      ReceivedRequest r;
      std::string data = recv_until(c.get(), "\r\n\r\n");
      auto end = data.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      r.head = data.substr(0, end + 4);
      std::string rest = data.substr(end + 4);
      std::string lower = r.head;
      for (auto &ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (auto cl = lower.find("\r\ncontent-length: "); cl != std::string::npos) {
        std::size_t n = std::stoul(lower.substr(cl + 18));
        if (rest.size() < n) rest += recv_n(c.get(), n - rest.size());
        r.body = rest.substr(0, n);
      } else if (lower.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
        r.chunked = true;
        // The proxy ends a chunked body with an empty last chunk, no trailers.
        if (!rest.ends_with("0\r\n\r\n"))
          rest += recv_while(c.get(), [&](const std::string &s) { return (rest + s).ends_with("0\r\n\r\n"); });
        std::size_t pos = 0;
        for (;;) {
          auto eol = rest.find("\r\n", pos);
          if (eol == std::string::npos) break;
          std::size_t size = std::stoul(rest.substr(pos, eol - pos), nullptr, 16);
          if (size == 0) break;
          r.body += rest.substr(eol + 2, size);
          pos = eol + 2 + size + 2;
        }
      }
      {
        std::lock_guard lock(mutex_);
        received_.push_back(r);
      }
      if (next < responses_.size()) send_all(c.get(), responses_[next++]);
      ::shutdown(c.get(), SHUT_WR);
      recv_while(
          c.get(), [](const std::string &) { return false; }, 200ms);
    }
  }

  std::vector<std::string> responses_;
  Fd listener_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> received_;
  std::thread thread_;
};

// Removes chunked framing from a response body (test side, trusting).
inline std::string dechunk(std::string_view s) {
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    auto eol = s.find("\r\n", pos);
    if (eol == std::string_view::npos) break;
    std::size_t size = std::stoul(std::string(s.substr(pos, eol - pos)), nullptr, 16);
    if (size == 0) break;
    out += s.substr(eol + 2, size);
    pos = eol + 2 + size + 2;
  }
  return out;
}

}  // namespace srt::test
