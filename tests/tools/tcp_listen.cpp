// A loopback TCP server for integration tests: listens on 127.0.0.1:PORT
// (0 = any free port), prints the port on stdout, then answers each
// connection with "hello\n" and appends one line per connection to LOGFILE,
// so a test can check from outside whether anything reached it.
//
//   tcp-listen PORT LOGFILE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: tcp-listen PORT LOGFILE\n");
    return 2;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::perror("socket"), 1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[1])));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) return std::perror("bind"), 1;
  if (listen(fd, 16) != 0) return std::perror("listen"), 1;
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
  std::printf("%d\n", ntohs(a.sin_port));
  std::fflush(stdout);
  for (;;) {
    int c = accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EINTR) continue;
      return std::perror("accept"), 1;
    }
    if (FILE *log = std::fopen(argv[2], "a")) {
      std::fputs("connection\n", log);
      std::fclose(log);
    }
    static const char msg[] = "hello\n";
    (void)!write(c, msg, sizeof msg - 1);
    close(c);
  }
}
