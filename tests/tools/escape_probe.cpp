// Tries one thing a sandboxed command must not be able to do and prints what
// happened. Exit 0: it worked (an escape, when run in a sandbox); 1: the
// system refused it (the message says how); 2: bad usage. Tests check the
// effect from outside as well.
//
//   escape-probe tcp PORT            connect to 127.0.0.1:PORT
//   escape-probe fastopen PORT       TCP Fast Open (sendto MSG_FASTOPEN) to 127.0.0.1:PORT
//   escape-probe mptcp PORT          an MPTCP connection to 127.0.0.1:PORT
//   escape-probe udp PORT            send a UDP datagram to 127.0.0.1:PORT
//   escape-probe raw | netlink | packet | sysv | keyring
//   escape-probe listen              listen() on an unbound TCP socket (binds a port implicitly)
//   escape-probe bind PORT           bind 127.0.0.1:PORT
//   escape-probe abstract NAME       connect to the abstract Unix socket @NAME
//   escape-probe signal PID          send SIGTERM to PID
//   escape-probe abstract-listen NAME LOGFILE   (outside) listen on @NAME, log each connection
//   escape-probe landlock-abi        print the kernel's Landlock ABI (exit 1: none)
#include <arpa/inet.h>
#include <cerrno>
#include <cstddef>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <string>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

constexpr int kMptcp = 262;  // IPPROTO_MPTCP

int refused(const char *what) {
  std::printf("refused: %s: %s\n", what, std::strerror(errno));
  return 1;
}

int worked(const char *what) {
  std::printf("WORKED: %s\n", what);
  return 0;
}

sockaddr_in loopback(const char *port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::atoi(port)));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

}  // namespace

static int probe(int argc, char **argv) {
  if (argc < 2) return 2;
  std::string what = argv[1];
  const char *arg = argc > 2 ? argv[2] : "0";
  if (what == "tcp" || what == "mptcp" || what == "fastopen") {
    int s = socket(AF_INET, SOCK_STREAM, what == "mptcp" ? kMptcp : 0);
    if (s < 0) return refused("socket");
    auto a = loopback(arg);
    if (what == "fastopen") {
      if (sendto(s, "x", 1, MSG_FASTOPEN, reinterpret_cast<sockaddr *>(&a), sizeof a) < 0) return refused("sendto MSG_FASTOPEN");
      return worked("sendto MSG_FASTOPEN");
    }
    if (connect(s, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) return refused("connect");
    (void)write(s, "escaped\n", 8);
    return worked("connect");
  }
  if (what == "udp") {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) return refused("socket(AF_INET, SOCK_DGRAM)");
    auto a = loopback(arg);
    if (sendto(s, "escaped\n", 8, 0, reinterpret_cast<sockaddr *>(&a), sizeof a) < 0) return refused("sendto");
    return worked("sendto");
  }
  if (what == "raw") return socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) < 0 ? refused("socket(SOCK_RAW)") : worked("socket(SOCK_RAW)");
  if (what == "netlink")
    return socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) < 0 ? refused("socket(AF_NETLINK)") : worked("socket(AF_NETLINK)");
  if (what == "packet") return socket(AF_PACKET, SOCK_RAW, 0) < 0 ? refused("socket(AF_PACKET)") : worked("socket(AF_PACKET)");
  if (what == "sysv") return shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600) < 0 ? refused("shmget") : worked("shmget");
  if (what == "keyring") return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0) < 0 ? refused("keyctl") : worked("keyctl");
  if (what == "listen" || what == "bind") {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return refused("socket");
    if (what == "bind") {
      auto a = loopback(arg);
      if (bind(s, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) return refused("bind");
      return worked("bind");
    }
    if (listen(s, 1) != 0) return refused("listen");
    sockaddr_in a{};
    socklen_t len = sizeof a;
    getsockname(s, reinterpret_cast<sockaddr *>(&a), &len);
    std::printf("listening on port %d\n", ntohs(a.sin_port));
    return worked("listen");
  }
  if (what == "abstract") {
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0) return refused("socket(AF_UNIX)");
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::size_t n = std::strlen(arg);
    if (n + 1 > sizeof a.sun_path) return 2;
    std::memcpy(a.sun_path + 1, arg, n);
    if (connect(s, reinterpret_cast<sockaddr *>(&a), static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + n)) != 0)
      return refused("connect to the abstract socket");
    return worked("connect to the abstract socket");
  }
  if (what == "abstract-listen") {
    if (argc != 4) return 2;
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::size_t n = std::strlen(arg);
    if (s < 0 || n + 1 > sizeof a.sun_path) return 2;
    std::memcpy(a.sun_path + 1, arg, n);
    if (bind(s, reinterpret_cast<sockaddr *>(&a), static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + n)) != 0 ||
        listen(s, 8) != 0)
      return refused("abstract listen");
    std::printf("ready\n");
    std::fflush(stdout);
    for (;;) {
      int c = accept(s, nullptr, nullptr);
      if (c < 0) continue;
      if (FILE *f = std::fopen(argv[3], "a")) {
        std::fputs("connection\n", f);
        std::fclose(f);
      }
      close(c);
    }
  }
  if (what == "landlock-abi") {
    long abi = syscall(444 /* landlock_create_ruleset */, nullptr, 0, 1u /* LANDLOCK_CREATE_RULESET_VERSION */);
    if (abi < 0) return refused("landlock_create_ruleset");
    std::printf("%ld\n", abi);
    return 0;
  }
  if (what == "signal") return kill(std::atoi(arg), SIGTERM) != 0 ? refused("kill") : worked("kill");
  return 2;
}

// _exit: in a sanitizer build LeakSanitizer's exit-time check stops the
// process with ptrace, which the sandbox this tool runs in refuses by design
// (whatever ASAN_OPTIONS the test run sets).
int main(int argc, char **argv) {
  int status = probe(argc, argv);
  std::fflush(stdout);
  _exit(status);
}
