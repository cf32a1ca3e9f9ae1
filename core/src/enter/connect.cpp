#include "enter/connect.hpp"

#include "enter/proxy_url.hpp"
#include "enter/stream_copy.hpp"
#include "enter/sys.hpp"
#include "util/fd.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace srt::enter {
namespace {

// The proxy's answer up to the blank line; srt's proxy sends a few dozen
// bytes.
constexpr std::size_t kMaxResponseHead = 16 * 1024;
// DNS names are at most 253 bytes; IPv6 literals are shorter.
constexpr std::size_t kMaxHostLength = 253;
constexpr int kExitFailed = 1;

[[noreturn]] void connect_usage(const char *why) {
  std::fprintf(stderr, "srt-enter connect: %s\nusage: srt-enter connect HOST PORT (an SSH ProxyCommand: %%h %%p)\n", why);
  std::_Exit(kExitUsage);
}

// HOST goes into the request line and a header: anything that could end or
// split them is refused.
bool valid_host(std::string_view h) {
  if (h.empty() || h.size() > kMaxHostLength) return false;
  for (unsigned char c : h)
    if (c <= 0x20 || c == 0x7f) return false;
  return true;
}

// The proxy's status line goes to the user's terminal: no control bytes.
std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  return out;
}

int connect_loopback(std::uint16_t port) {
  int fd = srt::util::cloexec_socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
    int err = errno;
    close_fd(fd);
    errno = err;
    return -1;
  }
  return fd;
}

// Reads the response head. Bytes after it already belong to the tunnel
// (e.g. the SSH server's banner) and are returned in `rest`.
bool read_head(int fd, std::string &head, std::string &rest, std::string &why) {
  std::string buf;
  char chunk[4096];
  for (;;) {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why = std::string("reading the proxy's answer: ") + std::strerror(errno);
      return false;
    }
    if (n == 0) {
      why = "the proxy closed the connection without answering";
      return false;
    }
    std::size_t scan_from = buf.size() >= 3 ? buf.size() - 3 : 0;
    buf.append(chunk, static_cast<std::size_t>(n));
    if (auto end = buf.find("\r\n\r\n", scan_from); end != std::string::npos) {
      head = buf.substr(0, end);
      rest = buf.substr(end + 4);
      return true;
    }
    if (buf.size() > kMaxResponseHead) {
      why = "the proxy's answer has no end of header within " + std::to_string(kMaxResponseHead) + " bytes";
      return false;
    }
  }
}

// "HTTP/1.1 200 Connection established" -> 200; -1 when malformed.
int status_code(std::string_view line) {
  if (line.substr(0, 7) != "HTTP/1." || line.size() < 12 || line[8] != ' ') return -1;
  int code = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return -1;
    code = code * 10 + (line[i] - '0');
  }
  if (line.size() > 12 && line[12] != ' ') return -1;
  return code;
}

// Joins stdin/stdout to the tunnel: a child copies stdin -> socket, this
// process socket -> stdout. Each end's EOF is passed on as a half-close, and
// the other direction keeps going until it ends too.
int relay(int sock, const std::string &target) {
  pid_t child = fork();
  if (child < 0) {
    std::fprintf(stderr, "srt: tunnel to %s: fork: %s\n", target.c_str(), std::strerror(errno));
    return kExitFailed;
  }
  if (child == 0) {
    close_fd(STDOUT_FILENO);
    int err = copy_stream(STDIN_FILENO, sock);
    if (err == 0 && shutdown(sock, SHUT_WR) != 0 && errno != ENOTCONN) err = errno;
    if (err != 0 && err != EPIPE && err != ECONNRESET)
      std::fprintf(stderr, "srt: tunnel to %s: %s\n", target.c_str(), std::strerror(err));
    std::_Exit(err == 0 ? 0 : kExitFailed);
  }
  close_fd(STDIN_FILENO);
  int err = copy_stream(sock, STDOUT_FILENO);
  // The reader of our stdout (ssh) learns that the server is done.
  close_fd(STDOUT_FILENO);
  if (err != 0) {
    if (err != EPIPE && err != ECONNRESET)
      std::fprintf(stderr, "srt: tunnel to %s: %s\n", target.c_str(), std::strerror(err));
    // Nobody is left to read what the child would still send.
    (void)kill(child, SIGTERM);
  }
  close_fd(sock);
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return kExitFailed;
  }
  bool child_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return err == 0 && child_ok ? 0 : kExitFailed;
}

}  // namespace

int run_connect(int argc, char **argv) {
  if (argc != 2) connect_usage("expected HOST and PORT");
  std::string_view host = argv[0];
  int port = 0;
  if (!valid_host(host)) connect_usage("HOST is empty, too long, or has spaces or control characters");
  if (!parse_port(argv[1], port)) connect_usage("PORT must be a number from 1 to 65535");

  const char *url = std::getenv("HTTP_PROXY");
  if (url == nullptr || *url == '\0') url = std::getenv("http_proxy");
  if (url == nullptr || *url == '\0') connect_usage("HTTP_PROXY is not set (run this inside srt's sandbox)");
  ProxyUrl proxy;
  std::string why;
  if (!parse_proxy_url(url, proxy, why)) {
    std::fprintf(stderr, "srt-enter connect: HTTP_PROXY is unusable: %s\n", why.c_str());
    return kExitUsage;
  }

  // A closed peer must show up as EPIPE, not kill us mid-message.
  struct sigaction ign{};
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  if (sigaction(SIGPIPE, &ign, nullptr) != 0) {
    std::perror("srt-enter connect: sigaction");
    return kExitUsage;
  }

  std::string authority = host.find(':') != std::string_view::npos && host.front() != '['
                              ? "[" + std::string(host) + "]:" + std::to_string(port)
                              : std::string(host) + ":" + std::to_string(port);
  int sock = connect_loopback(proxy.port);
  if (sock < 0) {
    std::fprintf(stderr, "srt: cannot reach the proxy at 127.0.0.1:%u: %s\n", proxy.port, std::strerror(errno));
    return kExitFailed;
  }
  std::string request = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
  if (proxy.has_credentials)
    request += "Proxy-Authorization: Basic " + base64(proxy.user + ":" + proxy.password) + "\r\n";
  request += "\r\n";
  if (!write_all(sock, request.data(), request.size())) {
    std::fprintf(stderr, "srt: sending to the proxy: %s\n", std::strerror(errno));
    return kExitFailed;
  }

  std::string head, rest;
  if (!read_head(sock, head, rest, why)) {
    std::fprintf(stderr, "srt: proxy tunnel to %s: %s\n", authority.c_str(), why.c_str());
    return kExitFailed;
  }
  std::string_view status_line = std::string_view(head).substr(0, head.find("\r\n"));
  if (status_code(status_line) != 200) {
    std::fprintf(stderr, "srt: proxy refused %s: %s\n", authority.c_str(), printable(status_line).c_str());
    return kExitFailed;
  }
  if (!rest.empty() && !write_all(STDOUT_FILENO, rest.data(), rest.size())) {
    std::fprintf(stderr, "srt: tunnel to %s: %s\n", authority.c_str(), std::strerror(errno));
    return kExitFailed;
  }
  return relay(sock, authority);
}

}  // namespace srt::enter
