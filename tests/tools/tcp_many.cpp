// Holds N TCP connections open at once, sends a distinct line on each, shuts
// each for writing, then checks that every one echoes its own line back.
//
//   tcp-many ADDRESS PORT N     (numeric IPv4 address; prints "ok N")
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: tcp-many ADDRESS PORT N\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int n = std::atoi(argv[3]);
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1) return std::fprintf(stderr, "bad address\n"), 2;
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return std::fprintf(stderr, "tcp-many: socket %d: %s\n", i, std::strerror(errno)), 1;
    if (connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
      return std::fprintf(stderr, "tcp-many: connect %d: %s\n", i, std::strerror(errno)), 1;
    fds.push_back(fd);
  }
  for (int i = 0; i < n; ++i) {
    std::string line = "connection " + std::to_string(i) + "\n";
    if (write(fds[i], line.data(), line.size()) != static_cast<ssize_t>(line.size()) || shutdown(fds[i], SHUT_WR) != 0)
      return std::fprintf(stderr, "tcp-many: send %d: %s\n", i, std::strerror(errno)), 1;
  }
  for (int i = 0; i < n; ++i) {
    std::string want = "connection " + std::to_string(i) + "\n", got;
    char buf[256];
    for (;;) {
      ssize_t r = read(fds[i], buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return std::fprintf(stderr, "tcp-many: receive %d: %s\n", i, std::strerror(errno)), 1;
      if (r == 0) break;
      got.append(buf, static_cast<size_t>(r));
    }
    if (got != want) return std::fprintf(stderr, "tcp-many: connection %d echoed [%s]\n", i, got.c_str()), 1;
    close(fds[i]);
  }
  std::printf("ok %d\n", n);
  return 0;
}
