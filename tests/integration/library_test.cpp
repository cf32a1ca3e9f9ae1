// The library API as an embedder uses it: settings from a JSON string, a
// command spawned with its own stdout, its status, and a refused write
// checked from outside. Runs real bwrap; exits 77 (skip) when bwrap cannot
// run here, or 1 under CI=true.
#include <srt/srt.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const std::string &what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

std::string read_fd(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

// A one-request-per-connection HTTP server on 127.0.0.1 that counts what
// reached it.
class TinyServer {
 public:
  TinyServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr *>(&a), &len) != 0)
      std::abort();
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) return;  // the listening socket was shut down
        std::string head;
        char buf[1024];
        ssize_t n;
        while (head.find("\r\n\r\n") == std::string::npos && (n = ::read(c, buf, sizeof buf)) > 0) head.append(buf, static_cast<std::size_t>(n));
        ++requests_;
        static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n";
        (void)!::write(c, resp, sizeof resp - 1);
        ::close(c);
      }
    });
  }
  ~TinyServer() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  int requests() const { return requests_; }

 private:
  int fd_ = -1, port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

// Runs `shell` in `sandbox` and returns its stdout.
std::string run(srt::Sandbox &sandbox, const std::string &shell) {
  int pipefd[2];
  if (::pipe(pipefd) != 0) std::abort();
  srt::SpawnOptions so;
  so.stdout_fd = pipefd[1];
  srt::Command cmd;
  cmd.shell = shell;
  auto child = sandbox.spawn(cmd, so);
  ::close(pipefd[1]);
  std::string out = read_fd(pipefd[0]);
  ::close(pipefd[0]);
  child.wait();
  return out;
}

// The network through the library: the ask callback, a live update, the
// refusal record.
void network_api(const srt::Options &base) {
  TinyServer server;
  std::mutex mu;
  std::vector<std::string> asked;
  srt::Options o = base;
  o.ask = [&](const srt::NetworkRequest &r) {
    std::lock_guard lock(mu);
    asked.push_back(r.host + ":" + std::to_string(r.port));
    return srt::NetworkAnswer{r.host == "localhost", "the embedder said no"};
  };
  auto sandbox = srt::Sandbox::from_json(R"({"network": {"allowedDomains": []}})", o);
  std::string curl = "curl -sS -i --max-time 10 --noproxy '' -x \"$HTTP_PROXY\" http://";
  std::string port = std::to_string(server.port());
  std::string out = run(sandbox, curl + "localhost:" + port + "/ ; " + curl + "127.0.0.1:" + port + "/");
  check(out.find("200 OK") != std::string::npos, "the ask callback allowed localhost");
  check(out.find("the embedder said no") != std::string::npos, "the ask callback's reason reached the client");
  check(server.requests() == 1, "only the allowed request reached the server (got " + std::to_string(server.requests()) + ")");
  {
    std::lock_guard lock(mu);
    check(asked.size() == 2, "the ask callback was asked twice (got " + std::to_string(asked.size()) + ")");
  }
  auto notes = sandbox.update(srt::Sandbox::from_json(
      R"({"network": {"allowedDomains": ["localhost"], "deniedDomains": ["localhost"]}, "filesystem": {"allowWrite": ["."]}})", o).settings());
  check(notes.size() == 1 && notes[0].find("filesystem rules are not live") != std::string::npos, "update says what is not live");
  out = run(sandbox, curl + "localhost:" + port + "/");
  check(out.find("403") != std::string::npos && server.requests() == 1, "after the update the deny list refuses localhost");
  auto refusals = sandbox.network_refusals();
  bool found = false;
  for (const auto &r : refusals)
    if (r.host == "localhost" && r.reason == "host is on the deny list") found = true;
  check(refusals.size() == 2 && found, "network_refusals lists both refused destinations");
}

}  // namespace

int main() {
  if (std::system("bwrap --unshare-user --unshare-pid --unshare-net --ro-bind / / --proc /proc --dev /dev true 2>/dev/null") != 0) {
    std::puts("SKIP: bubblewrap cannot create namespaces here");
    const char *ci = std::getenv("CI");
    return ci && std::string(ci) == "true" ? 1 : 77;
  }
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/srt-lib-XXXXXX";
  fs::path dir = ::mkdtemp(tmpl);
  fs::create_directories(dir / "out");
  ::setenv("TMPDIR", dir.c_str(), 1);
  ::setenv("HOME", dir.c_str(), 1);

  srt::Options o;
  o.plugin_dirs = {SRT_BWRAP_PLUGIN_DIR, SRT_HTTP_PLUGIN_DIR, SRT_SOCKS5_PLUGIN_DIR};
  o.enter_path = SRT_ENTER_PATH;
  o.cwd = dir.string();
  try {
    auto sandbox = srt::Sandbox::from_json(R"({"filesystem": {"allowWrite": ["./out"]}})", o);
    check(sandbox.settings().filesystem.allowWrite.size() == 1, "settings from a JSON string");
    auto policy = sandbox.compile();
    check(sandbox.choose_backend(policy) == "bwrap", "auto chooses bwrap");

    int pipefd[2];
    if (::pipe(pipefd) != 0) return 1;
    srt::SpawnOptions so;
    so.stdout_fd = pipefd[1];
    srt::Command cmd;
    cmd.shell = "echo hello; echo inside > out/f; echo outside > not-allowed; exit 7";
    auto child = sandbox.spawn(cmd, so);
    ::close(pipefd[1]);
    std::string out = read_fd(pipefd[0]);
    ::close(pipefd[0]);
    auto status = child.wait();
    check(out == "hello\n", "the command's stdout reached the embedder's pipe (got \"" + out + "\")");
    check(!status.setup_failed && status.code == 7, "exit status 7 (got " + std::to_string(status.code) + ")");
    check(fs::exists(dir / "out/f"), "the allowed write reached the host");
    check(!fs::exists(dir / "not-allowed"), "the refused write did not");

    bool threw = false;
    try {
      srt::Sandbox::from_json(R"({"network": {"allowedDomains": ["*.com"]}})", o);
    } catch (const srt::SettingsError &e) {
      threw = std::string(e.what()).find("network.allowedDomains[0]") != std::string::npos;
    }
    check(threw, "invalid settings raise SettingsError naming the JSON path");
    network_api(o);
  } catch (const std::exception &e) {
    check(false, std::string("unexpected exception: ") + e.what());
  }
  fs::remove_all(dir);
  return failures ? 1 : 0;
}
