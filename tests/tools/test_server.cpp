// Loopback servers for the network integration tests. Each prints its port
// (or "ready") on stdout once listening, then logs one line per thing that
// reached it to LOGFILE, so that a test can check from outside the sandbox
// whether a request arrived.
//
//   test-server http PORT LOGFILE   HTTP/1.1 on 127.0.0.1: logs the request
//                                   line and headers, answers 200 "hello from
//                                   host server" (echoes a request body's size)
//   test-server udp PORT LOGFILE    UDP on 127.0.0.1: logs each datagram
//   test-server unix PATH LOGFILE   Unix stream socket: logs each connection
//
// PORT 0 picks a free port. Single-threaded: tests send one thing at a time.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

constexpr std::size_t kMaxHead = 64 * 1024;

void log_line(const char *file, const std::string &line) {
  if (FILE *f = std::fopen(file, "a")) {
    std::fputs((line + "\n").c_str(), f);
    std::fclose(f);
  }
}

int bind_inet(int type, const char *port_text) {
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::perror("socket"), -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::atoi(port_text)));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) return std::perror("bind"), -1;
  if (type == SOCK_STREAM && listen(fd, 64) != 0) return std::perror("listen"), -1;
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
  std::printf("%d\n", ntohs(a.sin_port));
  std::fflush(stdout);
  return fd;
}

void serve_http(int c, const char *log) {
  std::string data;
  char buf[4096];
  std::size_t head_end;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = read(c, buf, sizeof buf);
    if (n <= 0 || data.size() > kMaxHead) return;
    data.append(buf, static_cast<std::size_t>(n));
  }
  std::string head = data.substr(0, head_end);
  std::string line = head;
  for (auto &ch : line)
    if (ch == '\r') ch = ' ';
    else if (ch == '\n') ch = '|';
  log_line(log, "REQUEST " + line);
  std::size_t body = 0;
  std::string lower = head;
  for (auto &ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (auto p = lower.find("\ncontent-length:"); p != std::string::npos) {
    std::size_t want = std::strtoul(lower.c_str() + p + 16, nullptr, 10);
    std::size_t have = data.size() - head_end - 4;
    while (have < want) {
      ssize_t n = read(c, buf, sizeof buf);
      if (n <= 0) break;
      have += static_cast<std::size_t>(n);
    }
    body = have;
  }
  std::string text = "hello from host server\n";
  if (body) text += "body " + std::to_string(body) + "\n";
  std::string resp = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(text.size()) +
                     "\r\nConnection: close\r\n\r\n" + text;
  (void)!write(c, resp.data(), resp.size());
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: test-server http|udp PORT LOGFILE | test-server unix PATH LOGFILE\n");
    return 2;
  }
  std::string mode = argv[1];
  const char *log = argv[3];
  if (mode == "udp") {
    int fd = bind_inet(SOCK_DGRAM, argv[2]);
    if (fd < 0) return 1;
    char buf[2048];
    for (;;) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n >= 0) log_line(log, "datagram " + std::to_string(n));
    }
  }
  int fd;
  if (mode == "unix") {
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (fd < 0 || std::strlen(argv[2]) >= sizeof a.sun_path) return std::fprintf(stderr, "bad unix socket\n"), 1;
    std::strcpy(a.sun_path, argv[2]);
    if (bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || listen(fd, 16) != 0) return std::perror("unix bind"), 1;
    std::printf("ready\n");
    std::fflush(stdout);
  } else if (mode == "http") {
    fd = bind_inet(SOCK_STREAM, argv[2]);
    if (fd < 0) return 1;
  } else {
    std::fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
  }
  for (;;) {
    int c = accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EINTR) continue;
      return std::perror("accept"), 1;
    }
    if (mode == "unix") {
      log_line(log, "connection");
      static const char msg[] = "hello\n";
      (void)!write(c, msg, sizeof msg - 1);
    } else {
      serve_http(c, log);
    }
    close(c);
  }
}
