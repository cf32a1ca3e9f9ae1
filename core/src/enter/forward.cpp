#include "enter/forward.hpp"

#include "enter/options.hpp"
#include "enter/relay.hpp"
#include "enter/sys.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <string_view>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace srt::enter {
namespace {

// A descriptor srt handed over: a listening socket, made non-blocking and
// close-on-exec as the relay expects.
void check_listener(int fd) {
  int listening = 0;
  socklen_t len = sizeof listening;
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening)
    die("forward: descriptor %d is not a listening socket", fd);
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) die_errno("forward: fd %d", fd);
}

}  // namespace

void run_forward(int argc, char **argv) {
  int ready_fd = -1;
  std::vector<RelayListener> listeners;
  for (int i = 0; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--ready-fd" && i + 1 < argc) {
      if (!parse_number(argv[++i], kMaxFd, ready_fd) || ready_fd < 3) usage("forward: --ready-fd needs a descriptor >= 3");
    } else if (a == "--to" && i + 1 < argc) {
      std::string_view spec = argv[++i];
      auto eq = spec.find('=');
      int fd = -1, port = 0;
      if (eq == std::string_view::npos || !parse_number(spec.substr(0, eq), kMaxFd, fd) || fd < 3 ||
          !parse_port(spec.substr(eq + 1), port))
        usage("forward: --to needs FD=PORT (a listening socket >= 3, a port from 1 to 65535)");
      check_listener(fd);
      RelayListener l;
      l.fd = fd;
      auto *in = reinterpret_cast<sockaddr_in *>(&l.upstream);
      in->sin_family = AF_INET;
      in->sin_port = htons(static_cast<std::uint16_t>(port));
      in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      l.upstream_len = sizeof(sockaddr_in);
      listeners.push_back(l);
    } else {
      usage("forward: unknown argument");
    }
  }
  if (ready_fd < 0 || listeners.empty()) usage("forward: needs --ready-fd and at least one --to");
  if (listeners.size() > kMaxBridges) usage("forward: too many --to");
  struct sigaction ign{};
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  // splice() into a socket whose peer has gone raises SIGPIPE.
  if (sigaction(SIGPIPE, &ign, nullptr) != 0) die_errno("forward: sigaction(SIGPIPE)");
  // Ends with srt. A parent that is already gone (re-parented) ends it now.
  pid_t parent = getppid();
  int owner = static_cast<int>(syscall(SYS_pidfd_open, parent, 0));
  if (owner < 0 || parent == 1) die_errno("forward: pidfd_open(srt)");
  run_relay(std::move(listeners), owner, ready_fd);
}

}  // namespace srt::enter
