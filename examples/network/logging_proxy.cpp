// An example srt network plugin: an HTTP proxy for CONNECT tunnels that asks
// srt's core about every destination (NetHost::decide), logs the verdict,
// and connects only to the addresses the verdict lists. One thread per
// connection: an example, not a production proxy (see plugins/proxy-http).
#include <srt/plugin.hpp>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <thread>

namespace {

constexpr std::size_t kMaxHead = 8192;

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto byte = [&](std::size_t i) { return i < in.size() ? static_cast<unsigned>(static_cast<unsigned char>(in[i])) : 0u; };
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    unsigned n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += i + 1 < in.size() ? kAlphabet[n >> 6 & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// The value of header `name` (lower-case) in a request head, or "".
std::string header(const std::string &head, const std::string &name) {
  std::string lower = head;
  for (auto &ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto at = lower.find("\r\n" + name + ":");
  if (at == std::string::npos) return "";
  auto begin = head.find_first_not_of(' ', at + name.size() + 3);
  return head.substr(begin, head.find("\r\n", begin) - begin);
}

bool send_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Connects to the first address that answers.
int dial(const std::vector<std::string> &addresses, std::uint16_t port) {
  for (const auto &a : addresses) {
    addrinfo hints{}, *res = nullptr;
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_socktype = SOCK_STREAM;
    if (::getaddrinfo(a.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) continue;
    int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ok = fd >= 0 && ::connect(fd, res->ai_addr, res->ai_addrlen) == 0;
    ::freeaddrinfo(res);
    if (ok) return fd;
    if (fd >= 0) ::close(fd);
  }
  return -1;
}

void relay(int a, int b) {
  char buf[16384];
  pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
  while (::poll(fds, 2, -1) > 0) {
    for (int i = 0; i < 2; ++i) {
      if (!fds[i].revents) continue;
      ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
      if (n <= 0 || !send_all(fds[1 - i].fd, {buf, static_cast<std::size_t>(n)})) return;
    }
  }
}

class LoggingProxy : public srt::sdk::Proxy {
 public:
  LoggingProxy(srt::sdk::NetHost host, const srt::sdk::ProxyConfig &config) : host_(host) {
    if (config.token) auth_ = "Basic " + base64("srt:" + *config.token);
    if (config.listen.size() != 1) throw std::runtime_error("the example proxy listens on exactly one endpoint");
    endpoint_ = config.listen[0];
    if (!endpoint_.unix_path.empty()) {
      sockaddr_un sa{};
      sa.sun_family = AF_UNIX;
      if (endpoint_.unix_path.size() >= sizeof sa.sun_path) throw std::runtime_error("socket path too long");
      endpoint_.unix_path.copy(sa.sun_path, sizeof sa.sun_path - 1);
      listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0)
        throw std::runtime_error("cannot listen on " + endpoint_.unix_path);
    } else {
      sockaddr_in sa{};  // "127.0.0.1:0": loopback, any free port
      sa.sin_family = AF_INET;
      sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t len = sizeof sa;
      listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr *>(&sa), len) != 0 ||
          ::getsockname(listen_fd_, reinterpret_cast<sockaddr *>(&sa), &len) != 0)
        throw std::runtime_error("cannot listen on 127.0.0.1");
      endpoint_.tcp = "127.0.0.1:" + std::to_string(ntohs(sa.sin_port));
    }
    if (::listen(listen_fd_, SOMAXCONN) != 0) throw std::runtime_error("listen failed");
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~LoggingProxy() override { ::close(listen_fd_); }

  std::vector<srt::sdk::ProxyConfig::Listen> endpoints() const override { return {endpoint_}; }

  void stop() override {
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      for (int fd : open_) ::shutdown(fd, SHUT_RDWR);  // wakes their poll()
      threads.swap(threads_);
    }
    for (auto &t : threads) t.join();
  }

 private:
  void accept_loop() {
    for (int fd; (fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;) {
      std::lock_guard lock(mu_);
      open_.insert(fd);
      threads_.emplace_back([this, fd] {
        try {
          serve(fd);
        } catch (const std::exception &e) {  // a malformed request ends its connection, nothing else
          host_.log(SRT_LOG_WARN, std::string("example proxy: ") + e.what());
        }
        std::lock_guard l(mu_);
        open_.erase(fd);
        ::close(fd);
      });
    }
  }

  void serve(int fd) {
    std::string head;
    char c;
    while (head.size() < kMaxHead && head.find("\r\n\r\n") == std::string::npos && ::recv(fd, &c, 1, 0) == 1) head += c;
    if (!auth_.empty() && header(head, "proxy-authorization") != auth_) {
      send_all(fd, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"srt\"\r\n\r\n");
      return;
    }
    // "CONNECT host:port HTTP/1.1"
    auto sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1), colon = head.rfind(':', sp2);
    if (head.compare(0, sp1, "CONNECT") != 0 || sp2 == std::string::npos || colon == std::string::npos || colon < sp1) {
      send_all(fd, "HTTP/1.1 405 Method Not Allowed\r\n\r\nthe example proxy carries CONNECT tunnels only\n");
      return;
    }
    std::string host = head.substr(sp1 + 1, colon - sp1 - 1);
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    auto port = static_cast<std::uint16_t>(std::stoul(head.substr(colon + 1, sp2 - colon - 1)));
    auto verdict = host_.decide(host, port, SRT_NET_CONNECT);  // blocks: DNS, the ask callback
    host_.log(SRT_LOG_INFO, "example proxy: CONNECT " + host + ":" + std::to_string(port) +
                                (verdict.allow ? " allowed" : " refused: " + verdict.reason));
    if (!verdict.allow) {
      send_all(fd, "HTTP/1.1 403 Forbidden\r\nX-Proxy-Error: blocked-by-allowlist\r\n\r\n" + verdict.reason + "\n");
      return;
    }
    int upstream = dial(verdict.addresses, port);
    if (upstream < 0) {
      send_all(fd, "HTTP/1.1 502 Bad Gateway\r\n\r\n");
      return;
    }
    if (send_all(fd, "HTTP/1.1 200 Connection Established\r\n\r\n")) relay(fd, upstream);
    ::close(upstream);
  }

  srt::sdk::NetHost host_;
  std::string auth_;
  srt::sdk::ProxyConfig::Listen endpoint_;
  int listen_fd_ = -1;
  std::thread acceptor_;
  std::mutex mu_;
  std::set<int> open_;
  std::vector<std::thread> threads_;
};

class LoggingNetwork : public srt::sdk::Network {
 public:
  std::unique_ptr<srt::sdk::Proxy> start(srt::sdk::NetHost host, const srt::sdk::ProxyConfig &config) override {
    return std::make_unique<LoggingProxy>(host, config);
  }
};

}  // namespace

SRT_NETWORK_PLUGIN(LoggingNetwork, "http", "1.0", "Example: CONNECT-only HTTP proxy that logs every decision of srt's core")
