// Tries to create one kind of socket and says what happened, for checking
// the seccomp filter from inside a sandbox.
//
//   socket-probe unix|unix-dgram|inet|socketpair
// Prints "ok" (exit 0) or the errno name, e.g. "EPERM" (exit 1).
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: socket-probe unix|unix-dgram|inet|socketpair\n");
    return 2;
  }
  std::string kind = argv[1];
  int rc;
  if (kind == "unix") {
    rc = socket(AF_UNIX, SOCK_STREAM, 0);
  } else if (kind == "unix-dgram") {
    rc = socket(AF_UNIX, SOCK_DGRAM, 0);
  } else if (kind == "inet") {
    rc = socket(AF_INET, SOCK_STREAM, 0);
  } else if (kind == "socketpair") {
    int sv[2];
    rc = socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  } else {
    return std::fprintf(stderr, "socket-probe: unknown kind %s\n", argv[1]), 2;
  }
  if (rc < 0) {
    const char *name = strerrorname_np(errno);
    std::printf("%s\n", name ? name : "error");
    return 1;
  }
  std::printf("ok\n");
  return 0;
}
