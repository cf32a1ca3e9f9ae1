// `srt selftest`: real escape attempts (srt-probe) run inside the chosen
// backend's sandbox, each judged from outside: a file on the host, a
// listener that saw a connection. The acceptance test for a backend,
// srt's own or a third party's (docs/plugins.md).
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "runtime/locations.hpp"
#include "util/fd.hpp"

#include <srt/error.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <thread>

namespace srt::cli {

namespace {

namespace fs = std::filesystem;

// How long a lingering process waits before it writes, and how long the
// check waits after the sandbox is gone.
constexpr int kLingerMs = 300;
constexpr auto kLingerCheck = std::chrono::milliseconds(kLingerMs + 700);
// How long a listener is given to see a connection the probe made.
constexpr int kConnectionWaitMs = 200;
constexpr const char *kOriginal = "original\n";

std::string read_all(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path &p, const std::string &text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw SandboxError(fmt::format("selftest: cannot write {}", p.string()));
}

// The host's side of the probes: a scratch tree and two listeners.
class Scratch {
 public:
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "srt-selftest-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw SandboxError(fmt::format("selftest: mkdtemp {}: {}", tmpl, std::strerror(errno)));
    root = fs::canonical(tmpl);
    fs::create_directories(root / "work" / "locked");
    fs::create_directories(root / "outside");
    write_text(root / "outside" / "victim", kOriginal);
    write_text(root / "outside" / "victim2", kOriginal);
    std::random_device rd;
    token = fmt::format("srt-selftest-secret-{:08x}{:08x}", rd(), rd());
    write_text(root / "secret", token + "\n");
    tcp_fd = listen_tcp();
    unix_fd = listen_unix((root / "outside" / "sock").string());
  }
  ~Scratch() {
    if (tcp_fd >= 0) ::close(tcp_fd);
    if (unix_fd >= 0) ::close(unix_fd);
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  Scratch(const Scratch &) = delete;
  Scratch &operator=(const Scratch &) = delete;

  // Whether a connection reached `fd` (accepting and closing it).
  static bool connected(int fd) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, kConnectionWaitMs) <= 0) return false;
    int c = util::cloexec_accept(fd);
    if (c >= 0) ::close(c);
    return c >= 0;
  }

  fs::path root;
  std::string token;
  int tcp_fd = -1, unix_fd = -1;
  std::uint16_t tcp_port = 0;

 private:
  int listen_tcp() {
    int fd = util::cloexec_socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&sa), len) != 0 || ::listen(fd, 8) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&sa), &len) != 0)
      throw SandboxError(fmt::format("selftest: cannot listen on 127.0.0.1: {}", std::strerror(errno)));
    tcp_port = ntohs(sa.sin_port);
    return fd;
  }
  static int listen_unix(const std::string &path) {
    int fd = util::cloexec_socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path) throw SandboxError(fmt::format("selftest: socket path too long: {}", path));
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0 || ::listen(fd, 8) != 0)
      throw SandboxError(fmt::format("selftest: cannot listen on {}: {}", path, std::strerror(errno)));
    return fd;
  }
};

struct Probe {
  std::string what;
  std::string feature;  // the probe's ProbeResult feature
  std::vector<std::string> args;
  std::function<bool(const std::string &out)> escaped;  // judged from outside, after the run
};

std::vector<Probe> probes(const Scratch &s) {
  auto at = [&](const char *rel) { return (s.root / rel).string(); };
  auto unchanged = [](fs::path p) { return [p](const std::string &) { return read_all(p) != kOriginal; }; };
  auto exists = [](fs::path p) { return [p](const std::string &) { return fs::exists(fs::symlink_status(p)); }; };
  return {
      {"write outside allowWrite", "filesystem", {"write", at("outside/new")}, exists(s.root / "outside" / "new")},
      {"write a denyWrite path inside allowWrite", "filesystem", {"write", at("work/locked/new")},
       exists(s.root / "work" / "locked" / "new")},
      {"read a denyRead file", "filesystem", {"read", at("secret")},
       [token = s.token](const std::string &out) { return out.find(token) != std::string::npos; }},
      {"write through a symlink to outside", "filesystem", {"symlink-write", at("work/link"), at("outside/victim")},
       unchanged(s.root / "outside" / "victim")},
      {"write through a hard link to outside", "filesystem", {"hardlink-write", at("work/hard"), at("outside/victim2")},
       unchanged(s.root / "outside" / "victim2")},
      {"direct TCP connection to 127.0.0.1", "network", {"tcp", "127.0.0.1", std::to_string(s.tcp_port)},
       [fd = s.tcp_fd](const std::string &) { return Scratch::connected(fd); }},
      {"connect to a Unix socket of the host", "ipc_isolation", {"unix", at("outside/sock")},
       [fd = s.unix_fd](const std::string &) { return Scratch::connected(fd); }},
      {"leave a process running after exit", "pid_isolation", {"linger", at("work/survivor"), std::to_string(kLingerMs)},
       [p = s.root / "work" / "survivor"](const std::string &) {
         std::this_thread::sleep_for(kLingerCheck);
         return fs::exists(p);
       }},
  };
}

std::string settings_json(const Scratch &s) {
  boost::json::object fsys{{"allowWrite", boost::json::array{(s.root / "work").string()}},
                           {"denyWrite", boost::json::array{(s.root / "work" / "locked").string()}},
                           {"denyRead", boost::json::array{(s.root / "secret").string()}}};
  // The network section starts the proxies (nothing allowed); acceptWeaker
  // lets a backend that claims less run, so that the table shows it.
  boost::json::object root{{"filesystem", fsys},
                           {"network", boost::json::object{{"allowedDomains", boost::json::array{}}, {"deniedDomains", boost::json::array{}}}},
                           {"srt", boost::json::object{{"acceptWeaker", boost::json::array{"filesystem", "network", "ipc_isolation"}}}}};
  return boost::json::serialize(root);
}

}  // namespace

int selftest(const Invocation &inv) {
  Scratch scratch;
  std::string probe_path = (fs::path(runtime::locate(inv.plugin_dirs).enter).parent_path() / "srt-probe").string();
  if (::access(probe_path.c_str(), X_OK) != 0)
    throw SandboxError(fmt::format("srt's probe program is missing at {}; reinstall srt", probe_path));
  Options o;
  o.backend = inv.backend;
  o.plugin_dirs = inv.plugin_dirs;
  o.debug = inv.debug;
  o.log = stderr_log();
  o.cwd = (scratch.root / "work").string();
  Sandbox sandbox = Sandbox::from_json(settings_json(scratch), o);
  ir::Policy policy = sandbox.compile();
  std::string name = inv.backend.empty() ? sandbox.choose_backend(policy) : inv.backend;
  std::optional<BackendStatus> status;
  for (auto &b : sandbox.backends(policy, false))
    if (b.name == name) status = b;
  if (!status) throw SandboxError(fmt::format("no backend plugin \"{}\" found (see `srt backends`)", name));
  if (!status->usable) throw SandboxError(fmt::format("backend \"{}\" is not usable here: {}", name, status->reason));

  std::printf("srt selftest: backend %s %s (%s)\n", name.c_str(), status->version.c_str(), status->file.c_str());
  std::printf("%-42s %-14s %-12s %s\n", "escape attempt", "feature", "claimed", "result");
  int failures = 0, unclaimed_escapes = 0;
  for (auto &p : probes(scratch)) {
    fs::path out_file = scratch.root / "probe.out";
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (out < 0 || null < 0) throw SandboxError(fmt::format("selftest: cannot open {}: {}", out_file.string(), std::strerror(errno)));
    Command cmd;
    cmd.argv = {probe_path};
    cmd.argv.insert(cmd.argv.end(), p.args.begin(), p.args.end());
    SpawnOptions so;
    so.stdout_fd = out;
    so.stderr_fd = inv.debug ? -1 : null;
    so.reap_orphans = kReapOrphans;  // as `srt -- cmd` does
    Child child = sandbox.spawn(cmd, so);
    ExitStatus st = child.wait();
    ::close(out);
    ::close(null);
    if (st.setup_failed) throw SandboxError(fmt::format("selftest: backend \"{}\" could not set up the sandbox for: {}", name, p.what));
    bool escaped = p.escaped(read_all(out_file));
    auto f = status->features.find(p.feature);
    std::string level = f == status->features.end() ? "unsupported" : f->second;
    bool claimed = level == "enforced";
    std::printf("%-42s %-14s %-12s %s\n", p.what.c_str(), p.feature.c_str(), level.c_str(),
                escaped ? (claimed ? "NOT BLOCKED" : "not blocked") : "blocked");
    if (escaped && claimed) ++failures;
    if (escaped && !claimed) ++unclaimed_escapes;
  }
  if (failures)
    std::printf("FAILED: %d escape(s) got through what backend %s claims to enforce\n", failures, name.c_str());
  else
    std::printf("passed: every escape of what backend %s claims to enforce was blocked%s\n", name.c_str(),
                unclaimed_escapes ? " (others got through where it says it does not enforce)" : "");
  return failures ? 1 : 0;
}

}  // namespace srt::cli
