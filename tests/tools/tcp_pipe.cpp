// A TCP client that keeps half-close: copies stdin to the connection, shuts
// the connection for writing at EOF, and copies the connection to stdout
// until the peer closes (like `nc -N`).
//
//   tcp-pipe ADDRESS PORT     (numeric IPv4 or IPv6 address)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

// 0 on EOF, errno on failure.
int copy(int in, int out) {
  static char buf[1 << 17];
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return 0;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return errno;
      done += w;
    }
  }
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: tcp-pipe ADDRESS PORT\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  sockaddr_storage ss{};
  socklen_t len;
  auto port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  auto *v4 = reinterpret_cast<sockaddr_in *>(&ss);
  auto *v6 = reinterpret_cast<sockaddr_in6 *>(&ss);
  if (inet_pton(AF_INET, argv[1], &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = port;
    len = sizeof *v4;
  } else if (inet_pton(AF_INET6, argv[1], &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = port;
    len = sizeof *v6;
  } else {
    return std::fprintf(stderr, "tcp-pipe: not a numeric address: %s\n", argv[1]), 2;
  }
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::perror("tcp-pipe: socket"), 1;
  if (connect(fd, reinterpret_cast<sockaddr *>(&ss), len) != 0) return std::perror("tcp-pipe: connect"), 1;
  pid_t child = fork();
  if (child < 0) return std::perror("tcp-pipe: fork"), 1;
  if (child == 0) {
    int err = copy(0, fd);
    if (err) std::fprintf(stderr, "tcp-pipe: sending: %s\n", std::strerror(err));
    if (!err && shutdown(fd, SHUT_WR) != 0) err = errno;
    _exit(err ? 1 : 0);
  }
  int err = copy(fd, 1);
  if (err) std::fprintf(stderr, "tcp-pipe: receiving: %s\n", std::strerror(err));
  int status = 0;
  if (err) kill(child, SIGTERM);
  waitpid(child, &status, 0);
  return err == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
