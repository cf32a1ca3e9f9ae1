// A stream server for bridge tests, one process per connection:
//
//   stream-server unix:PATH|tcp:PORT echo|count|connect [LOGFILE]
//
// echo     sends back everything it receives; at EOF it finishes sending,
//          then closes (so the client's half-close must have travelled).
// count    reads to EOF, then answers with the byte count in decimal (only
//          possible when the client's half-close arrived while its read side
//          stayed open).
// connect  an HTTP CONNECT proxy stand-in: appends each request head to
//          LOGFILE, answers 403 to targets starting with "denied.", else 200
//          followed at once by "BANNER <target>\n" and then echoes.
//
// Prints "ready" on stdout once listening.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

bool write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

void echo(int c) {
  static char buf[1 << 16];
  for (;;) {
    ssize_t n = read(c, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (!write_all(c, buf, static_cast<size_t>(n))) return;
  }
  shutdown(c, SHUT_WR);
}

void count(int c) {
  static char buf[1 << 16];
  unsigned long long total = 0;
  for (;;) {
    ssize_t n = read(c, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    total += static_cast<unsigned long long>(n);
  }
  std::string s = std::to_string(total) + "\n";
  write_all(c, s.data(), s.size());
}

void connect_proxy(int c, const char *log) {
  std::string head;
  char ch;
  while (head.size() < 16384 && head.find("\r\n\r\n") == std::string::npos) {
    ssize_t n = read(c, &ch, 1);
    if (n <= 0) return;
    head += ch;
  }
  if (FILE *f = std::fopen(log, "a")) {
    std::fputs(head.c_str(), f);
    std::fclose(f);
  }
  // "CONNECT target HTTP/1.1"
  std::string target = head.substr(8, head.find(' ', 8) - 8);
  if (target.rfind("denied.", 0) == 0) {
    std::string r = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";
    write_all(c, r.data(), r.size());
    return;
  }
  std::string r = "HTTP/1.1 200 Connection established\r\n\r\nBANNER " + target + "\n";
  write_all(c, r.data(), r.size());
  echo(c);
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: stream-server unix:PATH|tcp:PORT echo|count|connect [LOGFILE]\n");
    return 2;
  }
  std::string where = argv[1], mode = argv[2];
  const char *log = argc > 3 ? argv[3] : "/dev/null";
  int fd;
  if (where.rfind("unix:", 0) == 0) {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::string path = where.substr(5);
    if (path.size() >= sizeof a.sun_path) return std::fprintf(stderr, "path too long\n"), 2;
    std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
    unlink(path.c_str());
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) return std::perror("bind"), 1;
  } else if (where.rfind("tcp:", 0) == 0) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(std::atoi(where.c_str() + 4)));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) return std::perror("bind"), 1;
  } else {
    return std::fprintf(stderr, "stream-server: bad address %s\n", argv[1]), 2;
  }
  if (listen(fd, 4096) != 0) return std::perror("listen"), 1;
  signal(SIGCHLD, SIG_IGN);  // children reap themselves
  signal(SIGPIPE, SIG_IGN);
  std::printf("ready\n");
  std::fflush(stdout);
  for (;;) {
    int c = accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return std::perror("accept"), 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
      close(fd);
      if (mode == "echo")
        echo(c);
      else if (mode == "count")
        count(c);
      else
        connect_proxy(c, log);
      _exit(0);
    }
    close(c);
  }
}
