#include "runtime/forwarder.hpp"

#include "runtime/session.hpp"
#include "runtime/spawn.hpp"
#include "util/fd.hpp"
#include "util/strings.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>
#include <vector>

namespace srt::runtime {

namespace {

constexpr int kBacklog = 4096;
// Where the helper finds its descriptors (spawn places them there).
constexpr int kReadyFd = 3;
constexpr int kFirstListenerFd = 4;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  Fd(Fd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  int get() const { return fd_; }

 private:
  int fd_;
};

Fd listen_unix(const std::string &path) {
  sockaddr_un a{};
  if (path.size() >= sizeof a.sun_path) throw SandboxError(fmt::format("socket path too long: {}", util::quoted(path)));
  Fd fd(util::cloexec_socket(AF_UNIX, SOCK_STREAM, 0));
  if (fd.get() < 0) throw SandboxError(fmt::format("socket: {}", std::strerror(errno)));
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  // The session directory is srt's own (0700), so the socket's mode is not
  // what keeps other users out.
  if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(fd.get(), kBacklog) != 0)
    throw SandboxError(fmt::format("cannot listen on {}: {}", util::quoted(path), std::strerror(errno)));
  return fd;
}

}  // namespace

Forwarder::Forwarder(const std::string &enter, const std::string &session_dir, std::optional<std::uint16_t> http_port,
                     std::optional<std::uint16_t> socks_port) {
  std::vector<Fd> listeners;
  SpawnSpec spec;
  spec.argv = {enter, "forward", "--ready-fd", std::to_string(kReadyFd)};
  int target = kFirstListenerFd;
  for (const auto &[port, name] : {std::pair{http_port, kHttpSocketName}, std::pair{socks_port, kSocksSocketName}}) {
    if (!port) continue;
    listeners.push_back(listen_unix(session_dir + "/" + name));
    spec.fds.emplace_back(listeners.back().get(), target);
    spec.argv.insert(spec.argv.end(), {"--to", fmt::format("{}={}", target, *port)});
    ++target;
  }
  int ready[2];
  if (!util::cloexec_pipe(ready)) throw SandboxError(fmt::format("pipe: {}", std::strerror(errno)));
  Fd ready_read(ready[0]), ready_write(ready[1]);
  Fd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (null.get() < 0) throw SandboxError(fmt::format("cannot open /dev/null: {}", std::strerror(errno)));
  spec.fds.emplace_back(ready_write.get(), kReadyFd);
  spec.fds.emplace_back(null.get(), 0);
  spec.fds.emplace_back(null.get(), 1);  // stderr stays srt's: the helper's fatal errors
  pid_ = spawn(spec);
  { Fd closing(std::move(ready_write)); }

  char msg[512];
  std::size_t got = 0;
  for (;;) {
    ssize_t n = ::read(ready_read.get(), msg + got, sizeof msg - 1 - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || (got += static_cast<std::size_t>(n)) == sizeof msg - 1) break;
  }
  msg[got] = '\0';
  if (!(got == 1 && msg[0] == 'R')) {
    stop();
    throw SandboxError(fmt::format("cannot relay to the external proxy (srt-enter forward): {}",
                                   got ? msg : "it exited while starting (see the message above)"));
  }
}

Forwarder::~Forwarder() { stop(); }

void Forwarder::stop() noexcept {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int st;
  while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

}  // namespace srt::runtime
