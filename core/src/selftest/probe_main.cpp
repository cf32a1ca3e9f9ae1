// srt-probe: one escape attempt, run inside a sandbox by `srt selftest`.
// It only tries; whether the attempt got through is judged from outside the
// sandbox (the file on the host, the listener that saw a connection), never
// from what this program says.
//
//   srt-probe write PATH                 create PATH and write to it
//   srt-probe read PATH                  copy PATH to stdout
//   srt-probe symlink-write LINK TARGET  make LINK -> TARGET, write through LINK
//   srt-probe hardlink-write LINK TARGET link TARGET as LINK, write through LINK
//   srt-probe tcp ADDRESS PORT           connect (IPv4) and send a line
//   srt-probe unix PATH                  connect to a Unix socket and send a line
//   srt-probe linger PATH MS             leave a detached process that writes PATH after MS ms
//
// Exit status: 0 the attempt went through here, 1 refused (the reason on
// stderr), 2 usage.
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <string_view>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

// The probe never execs: close-on-exec is hygiene only, where it exists.
#ifdef SOCK_CLOEXEC
constexpr int kCloexec = SOCK_CLOEXEC;
#else
constexpr int kCloexec = 0;
#endif

namespace {

constexpr char kPayload[] = "escaped by srt-probe\n";
constexpr std::size_t kMaxRead = 65536;

int refused(const char *what) {
  std::fprintf(stderr, "srt-probe: %s: %s\n", what, std::strerror(errno));
  return 1;
}

bool write_all(int fd, const char *data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

int write_file(const char *path, int flags) {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC | flags, 0644);
  if (fd < 0) return refused("open");
  bool ok = write_all(fd, kPayload, sizeof kPayload - 1);
  int saved = errno;
  ::close(fd);
  errno = saved;
  return ok ? 0 : refused("write");
}

int read_file(const char *path) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return refused("open");
  char buf[kMaxRead];
  ssize_t n = ::read(fd, buf, sizeof buf);
  int saved = errno;
  ::close(fd);
  errno = saved;
  if (n < 0) return refused("read");
  return write_all(STDOUT_FILENO, buf, static_cast<std::size_t>(n)) ? 0 : refused("write to stdout");
}

int send_line(int fd, const sockaddr *sa, socklen_t len) {
  if (fd < 0) return refused("socket");
  if (::connect(fd, sa, len) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return refused("connect");
  }
  bool ok = write_all(fd, kPayload, sizeof kPayload - 1);
  ::close(fd);
  return ok ? 0 : refused("send");
}

int leave_process(const char *path, long ms) {
  pid_t child = ::fork();
  if (child < 0) return refused("fork");
  if (child > 0) return 0;  // the probe itself exits at once
  ::setsid();               // out of the command's process group and session
  if (::fork() != 0) ::_exit(0);
  timespec ts{ms / 1000, (ms % 1000) * 1000000};
  while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
  ::_exit(write_file(path, O_CREAT | O_TRUNC));
}

}  // namespace

int main(int argc, char **argv) {
  std::string_view action = argc > 1 ? argv[1] : "";
  if (action == "write" && argc == 3) return write_file(argv[2], O_CREAT | O_TRUNC);
  if (action == "read" && argc == 3) return read_file(argv[2]);
  if (action == "symlink-write" && argc == 4) {
    if (::symlink(argv[3], argv[2]) != 0) return refused("symlink");
    return write_file(argv[2], O_TRUNC);
  }
  if (action == "hardlink-write" && argc == 4) {
    if (::link(argv[3], argv[2]) != 0) return refused("link");
    return write_file(argv[2], O_TRUNC);
  }
  if (action == "tcp" && argc == 4) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[3])));
    if (::inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1) return 2;
    return send_line(::socket(AF_INET, SOCK_STREAM | kCloexec, 0), reinterpret_cast<sockaddr *>(&sa), sizeof sa);
  }
  if (action == "unix" && argc == 3) {
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (std::strlen(argv[2]) >= sizeof sa.sun_path) return 2;
    std::strcpy(sa.sun_path, argv[2]);
    return send_line(::socket(AF_UNIX, SOCK_STREAM | kCloexec, 0), reinterpret_cast<sockaddr *>(&sa), sizeof sa);
  }
  if (action == "linger" && argc == 4) return leave_process(argv[2], std::atol(argv[3]));
  std::fprintf(stderr, "usage: srt-probe write|read|symlink-write|hardlink-write|tcp|unix|linger ARGS (see srt selftest)\n");
  return 2;
}
