// proxy: what srt's two filtering proxies (the "http" and "socks5" network
// plugins) cost a connection. A benchmark, not a test: it prints figures and
// judges them against the targets, but never fails on time; it fails only
// when something it measures breaks (a transfer that does not complete, a
// plugin that does not load or start).
//
//   proxy [--bytes N[K|M|G]] [--tunnels N] [--rounds N] [--srt PATH] [--no-srt]
//         [--plugin-dir DIR] [--json] [--verbose]
//
// 1. Throughput of one bulk transfer to a sink server on 127.0.0.1: direct
//    TCP, through each proxy loaded in this process (dlopen + the C ABI of
//    core/include/srt/plugin.h), and through each proxy as a sandboxed command
//    reaches it (srt -> the in-sandbox bridge -> Unix socket -> the proxy).
// 2. Set-up latency of N concurrent tunnels (connect, tunnel answered, one
//    small echo round trip) through each in-process proxy, driven by one
//    epoll loop.
//
// Internal mode, run by the benchmark inside srt's sandbox:
//   proxy --client http|socks5 --port P --bytes N
// reads the proxy URL srt put in $HTTP_PROXY / $FTP_PROXY, sends N bytes to
// 127.0.0.1:P through it and prints the time taken.
#include <srt/plugin.h>

#include "bench_common.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dlfcn.h>
#include <fcntl.h>
#include <map>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace {

// --- Limits and defaults -----------------------------------------------------

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kGiB = 1024 * kMiB;
constexpr std::uint64_t kDefaultBytes = kGiB;
constexpr std::uint64_t kMinBytes = kMiB;
constexpr std::uint64_t kMaxBytes = 64 * kGiB;
// Sent before every measured transfer on a connection of its own, not
// counted: page cache, the proxies' threads and buffers, TCP's windows.
constexpr std::uint64_t kWarmupBytes = 16 * kMiB;
constexpr std::size_t kChunkBytes = 256 * 1024;  // the client's send and the sink's receive buffer

constexpr int kDefaultTunnels = 1000;
constexpr int kMinTunnels = 100;  // below this, p99 is the maximum
constexpr int kMaxTunnels = 10000;
// Descriptors one concurrent tunnel costs this process: the client's socket,
// the proxy's two, the echo server's one (the proxy's splice pipes are only
// made for bulk data, which a small echo is not).
constexpr rlim_t kFdsPerTunnel = 4;
constexpr rlim_t kFdsSpare = 256;  // plugins, servers, stdio, the loader
constexpr int kConnectBatch = 64;  // connects issued between two looks at the event loop
constexpr int kEpollEvents = 256;
constexpr std::size_t kEchoBytes = 32;
constexpr int kLatencyWarmupTunnels = 16;  // one after another before each burst, not counted
constexpr double kTunnelPhaseTimeoutS = 60.0;
constexpr std::size_t kMaxErrorKinds = 5;  // distinct error reasons kept per burst

// Each round measures every row once, in turn, so that machine noise lands
// on all rows alike; a row's figure is its median over the rounds.
constexpr int kDefaultRounds = 3;
constexpr int kMinRounds = 1;
constexpr int kMaxRounds = 50;

constexpr int kListenBacklog = 4096;  // the kernel caps it at net.core.somaxconn
constexpr int kIoTimeoutS = 60;       // a blocking socket that moves nothing this long has failed
constexpr std::size_t kMaxReplyHeadBytes = 8 * 1024;  // an HTTP CONNECT answer longer than this is broken
constexpr std::size_t kTokenBytes = 16;
constexpr std::size_t kMaxCapturedBytes = 64 * 1024;  // of a child's stdout and stderr
constexpr std::size_t kMaxPluginOutputBytes = 64 * 1024;

// srt in the sandbox rows: a probe run first, then one srt per transfer.
constexpr double kSrtProbeTimeoutS = 60.0;
constexpr double kSrtRunFixedTimeoutS = 60.0;           // srt start-up and tear-down
constexpr double kSrtRunSlowestMibPerS = 10.0;          // slower than this, a transfer counts as hung
constexpr double kKillGraceS = 5.0;                      // SIGTERM, then SIGKILL after this

constexpr double kTargetThroughputRatio = 0.80;  // tunnel MiB/s / direct MiB/s
// A direct transfer keeps two threads busy (client, sink), a tunnel at least
// three (client, proxy, sink; the bridge too from inside srt): with fewer
// usable CPUs than this, the tunnel rows measure the machine's cores as much
// as the proxy, and the table says so.
constexpr int kCpusForFairRatio = 4;
constexpr int kTargetTunnelErrors = 0;

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitExecFailed = 127;

// The build tree's srt and plugins, set by bench/meson.build.
constexpr char kDefaultSrt[] = PROXY_DEFAULT_SRT;
constexpr char kDefaultHttpPlugin[] = PROXY_DEFAULT_HTTP_PLUGIN;
constexpr char kDefaultSocks5Plugin[] = PROXY_DEFAULT_SOCKS5_PLUGIN;
constexpr char kHttpPluginFile[] = "srt-network-http.so";
constexpr char kSocks5PluginFile[] = "srt-network-socks5.so";

constexpr char kProxyUser[] = "srt";
constexpr char kResultPrefix[] = "srt-bench-proxy-seconds ";
constexpr char kSandboxSettings[] = R"({"network": {"allowedDomains": ["127.0.0.1"]}})";
constexpr char kLoopback[] = "127.0.0.1";

// --- Small helpers -----------------------------------------------------------

const char *g_prog = "proxy";

[[noreturn]] void die(const std::string &why) {
  std::fprintf(stderr, "%s: %s\n", g_prog, why.c_str());
  std::exit(kExitFailed);
}

[[noreturn]] void die_errno(const std::string &what) { die(what + ": " + std::strerror(errno)); }

std::string errno_text(const std::string &what) { return what + ": " + std::strerror(errno); }

double now_s() {
  timespec ts{};
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) die_errno("clock_gettime");
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void close_or_die(int fd, const char *what) {
  if (close(fd) != 0) die_errno(std::string("close ") + what);
}

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (std::size_t rest = in.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string make_token() {
  unsigned char bytes[kTokenBytes];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) die_errno("getrandom");
    got += static_cast<std::size_t>(n);
  }
  std::string hex;
  for (unsigned char b : bytes) {
    char buf[3];
    std::snprintf(buf, sizeof buf, "%02x", b);
    hex += buf;
  }
  return hex;
}

std::string last_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  auto nl = text.rfind('\n');
  return std::string(nl == std::string_view::npos ? text : text.substr(nl + 1));
}

// Linear interpolation between the closest ranks; q in [0, 1].
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

// --- Options -----------------------------------------------------------------

enum class Proto { http, socks5 };

const char *proto_name(Proto p) { return p == Proto::http ? "http" : "socks5"; }

struct Options {
  std::uint64_t bytes = kDefaultBytes;
  int tunnels = kDefaultTunnels;
  int rounds = kDefaultRounds;
  std::string srt = kDefaultSrt;
  bool no_srt = false;
  std::string http_plugin = kDefaultHttpPlugin;
  std::string socks5_plugin = kDefaultSocks5Plugin;
  bool json = false;
  bool verbose = false;
  // Internal client mode (inside srt's sandbox).
  bool client = false;
  Proto client_proto = Proto::http;
  std::uint16_t port = 0;
};

constexpr char kUsage[] =
    "usage: proxy [--bytes N[K|M|G] (%" PRIu64 " MiB..%" PRIu64 " GiB, default %" PRIu64 " MiB)]\n"
    "             [--tunnels N (%d..%d, default %d)] [--rounds N (%d..%d, default %d)]\n"
    "             [--srt PATH] [--no-srt] [--plugin-dir DIR] [--json] [--verbose]\n";

[[noreturn]] void usage(const std::string &why) {
  std::fprintf(stderr, "proxy: %s\n", why.c_str());
  std::fprintf(stderr, kUsage, kMinBytes / kMiB, kMaxBytes / kGiB, kDefaultBytes / kMiB, kMinTunnels, kMaxTunnels,
               kDefaultTunnels, kMinRounds, kMaxRounds, kDefaultRounds);
  std::exit(kExitUsage);
}

bool parse_uint(std::string_view s, std::uint64_t max, std::uint64_t &out) {
  if (s.empty() || s.size() > 20) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (v > (max - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

bool parse_int(std::string_view s, int lo, int hi, int &out) {
  std::uint64_t v = 0;
  if (!parse_uint(s, static_cast<std::uint64_t>(hi), v) || v < static_cast<std::uint64_t>(lo)) return false;
  out = static_cast<int>(v);
  return true;
}

// A byte count with an optional binary suffix: 1073741824, 1024M, 1G.
bool parse_bytes(std::string_view s, std::uint64_t &out) {
  std::uint64_t unit = 1;
  if (!s.empty()) {
    switch (s.back()) {
      case 'k': case 'K': unit = 1024; break;
      case 'm': case 'M': unit = kMiB; break;
      case 'g': case 'G': unit = kGiB; break;
      default: break;
    }
    if (unit != 1) s.remove_suffix(1);
  }
  std::uint64_t v = 0;
  if (!parse_uint(s, kMaxBytes / unit, v)) return false;
  v *= unit;
  if (v < kMinBytes || v > kMaxBytes) return false;
  out = v;
  return true;
}

std::string plugin_in_dir(const std::string &dir, const char *subdir, const char *file) {
  std::string direct = dir + "/" + file;
  if (access(direct.c_str(), R_OK) == 0) return direct;
  std::string nested = dir + "/" + subdir + "/" + file;  // a build tree's plugins/ directory
  if (access(nested.c_str(), R_OK) == 0) return nested;
  usage("--plugin-dir: neither " + direct + " nor " + nested + " is readable");
}

Options parse_options(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--json") {
      o.json = true;
    } else if (a == "--verbose" || a == "-v") {
      o.verbose = true;
    } else if (a == "--no-srt") {
      o.no_srt = true;
    } else if (a == "--help" || a == "-h") {
      std::printf("proxy: throughput and tunnel set-up latency of srt's HTTP and SOCKS5 proxies\n");
      std::printf(kUsage, kMinBytes / kMiB, kMaxBytes / kGiB, kDefaultBytes / kMiB, kMinTunnels, kMaxTunnels,
                  kDefaultTunnels, kMinRounds, kMaxRounds, kDefaultRounds);
      std::exit(0);
    } else if (a == "--bytes" && has_value) {
      if (!parse_bytes(argv[++i], o.bytes)) usage("--bytes needs a byte count within the limits (suffix K, M or G)");
    } else if (a == "--tunnels" && has_value) {
      if (!parse_int(argv[++i], kMinTunnels, kMaxTunnels, o.tunnels)) usage("--tunnels needs a whole number within the limits");
    } else if (a == "--rounds" && has_value) {
      if (!parse_int(argv[++i], kMinRounds, kMaxRounds, o.rounds)) usage("--rounds needs a whole number within the limits");
    } else if (a == "--srt" && has_value) {
      o.srt = argv[++i];
    } else if (a == "--plugin-dir" && has_value) {
      std::string dir = argv[++i];
      o.http_plugin = plugin_in_dir(dir, "proxy-http", kHttpPluginFile);
      o.socks5_plugin = plugin_in_dir(dir, "proxy-socks5", kSocks5PluginFile);
    } else if (a == "--client" && has_value) {
      std::string_view p = argv[++i];
      if (p != "http" && p != "socks5") usage("--client needs http or socks5");
      o.client = true;
      o.client_proto = p == "http" ? Proto::http : Proto::socks5;
    } else if (a == "--port" && has_value) {
      int port = 0;
      if (!parse_int(argv[++i], 1, UINT16_MAX, port)) usage("--port needs a TCP port");
      o.port = static_cast<std::uint16_t>(port);
    } else {
      usage("unknown option or missing value: " + std::string(a));
    }
  }
  if (o.client && o.port == 0) usage("--client needs --port");
  return o;
}

// --- Sockets -------------------------------------------------------------------

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A listening socket on 127.0.0.1 with a kernel-chosen port.
int listen_loopback(std::uint16_t &port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die_errno("socket");
  sockaddr_in a = loopback(0);
  if (bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) die_errno("bind 127.0.0.1:0");
  if (listen(fd, kListenBacklog) != 0) die_errno("listen");
  socklen_t len = sizeof a;
  if (getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) != 0) die_errno("getsockname");
  port = ntohs(a.sin_port);
  return fd;
}

bool set_io_timeout(int fd, std::string &why) {
  timeval tv{};
  tv.tv_sec = kIoTimeoutS;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
    why = errno_text("setsockopt SO_RCVTIMEO/SO_SNDTIMEO");
    return false;
  }
  return true;
}

// A blocking connection to 127.0.0.1:port, with I/O timeouts. -1 and `why` on failure.
int connect_loopback(std::uint16_t port, std::string &why) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    why = errno_text("socket");
    return -1;
  }
  sockaddr_in a = loopback(port);
  int rc;
  do rc = connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
  while (rc != 0 && errno == EINTR);
  if (rc != 0 || !set_io_timeout(fd, why)) {
    if (rc != 0) why = errno_text("connect to 127.0.0.1:" + std::to_string(port));
    close(fd);  // already failing; its own error would hide the first
    return -1;
  }
  return fd;
}

bool send_all(int fd, const void *data, std::size_t len, std::string &why) {
  const char *p = static_cast<const char *>(data);
  while (len > 0) {
    ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why = errno == EAGAIN ? std::string("send: timed out") : errno_text("send");
      return false;
    }
    p += n;
    len -= static_cast<std::size_t>(n);
  }
  return true;
}

// Reads up to `len` bytes; 0 at end of stream, -1 and `why` on error.
ssize_t recv_some(int fd, void *buf, std::size_t len, std::string &why) {
  while (true) {
    ssize_t n = recv(fd, buf, len, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) why = errno == EAGAIN ? std::string("recv: timed out") : errno_text("recv");
    return n;
  }
}

bool recv_all(int fd, void *data, std::size_t len, std::string &why) {
  char *p = static_cast<char *>(data);
  while (len > 0) {
    ssize_t n = recv_some(fd, p, len, why);
    if (n < 0) return false;
    if (n == 0) {
      why = "the peer closed the connection early";
      return false;
    }
    p += n;
    len -= static_cast<std::size_t>(n);
  }
  return true;
}

// --- The proxy handshakes --------------------------------------------------------
//
// A tunnel is a script of steps: send a message, read the answer until it is
// complete. The same script drives the blocking clients (throughput) and the
// epoll client (latency), whose last step is the echo.

enum class Expect { http_head, socks_method, socks_auth, socks_reply, echo };
enum class Check { more, ok, bad };

struct Step {
  const char *name;
  std::string send;
  Expect expect;
};

std::vector<Step> handshake(Proto p, std::uint16_t target_port, const std::string &user, const std::string &password) {
  std::vector<Step> steps;
  std::string target = std::string(kLoopback) + ":" + std::to_string(target_port);
  if (p == Proto::http) {
    std::string req = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n";
    if (!password.empty()) req += "Proxy-Authorization: Basic " + base64(user + ":" + password) + "\r\n";
    req += "\r\n";
    steps.push_back({"CONNECT", req, Expect::http_head});
    return steps;
  }
  // RFC 1928 with RFC 1929 username/password.
  if (password.empty()) {
    steps.push_back({"greeting", std::string("\x05\x01\x00", 3), Expect::socks_method});
  } else {
    steps.push_back({"greeting", std::string("\x05\x01\x02", 3), Expect::socks_method});
    std::string auth = "\x01";
    auth += static_cast<char>(user.size());
    auth += user;
    auth += static_cast<char>(password.size());
    auth += password;
    steps.push_back({"authentication", auth, Expect::socks_auth});
  }
  std::string req("\x05\x01\x00\x01\x7f\x00\x00\x01", 8);  // CONNECT 127.0.0.1
  req += static_cast<char>(target_port >> 8);
  req += static_cast<char>(target_port & 0xff);
  steps.push_back({"CONNECT request", req, Expect::socks_reply});
  return steps;
}

// Whether `got` is the complete answer to `step`. Bytes beyond the answer are
// an error: the servers here never speak first, so nothing may follow.
Check check_reply(const Step &step, std::string_view got, bool with_password, std::string &why) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(got[i]); };
  auto exact = [&](std::size_t want) {
    if (got.size() < want) return Check::more;
    if (got.size() > want) {
      why = std::string("unexpected bytes after the answer to the ") + step.name;
      return Check::bad;
    }
    return Check::ok;
  };
  switch (step.expect) {
    case Expect::http_head: {
      auto end = got.find("\r\n\r\n");
      if (end == std::string_view::npos) {
        if (got.size() <= kMaxReplyHeadBytes) return Check::more;
        why = "the CONNECT answer has no end";
        return Check::bad;
      }
      std::string_view status = got.substr(0, got.find("\r\n"));
      if (status.size() < 12 || status.substr(0, 7) != "HTTP/1." || status.substr(8, 4) != " 200") {
        why = "refused: " + std::string(status);
        return Check::bad;
      }
      return exact(end + 4);
    }
    case Expect::socks_method: {
      Check c = exact(2);
      if (c != Check::ok) return c;
      unsigned char want = with_password ? 0x02 : 0x00;
      if (byte(0) != 0x05 || byte(1) != want) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "refused: method answer %02x %02x", byte(0), byte(1));
        why = buf;
        return Check::bad;
      }
      return Check::ok;
    }
    case Expect::socks_auth: {
      Check c = exact(2);
      if (c != Check::ok) return c;
      if (byte(0) != 0x01 || byte(1) != 0x00) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "refused: authentication answer %02x %02x", byte(0), byte(1));
        why = buf;
        return Check::bad;
      }
      return Check::ok;
    }
    case Expect::socks_reply: {
      if (got.size() < 5) return Check::more;
      if (byte(0) != 0x05 || byte(1) != 0x00) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "refused: SOCKS reply %02x %02x", byte(0), byte(1));
        why = buf;
        return Check::bad;
      }
      std::size_t len;
      switch (byte(3)) {
        case 0x01: len = 4 + 4 + 2; break;
        case 0x04: len = 4 + 16 + 2; break;
        case 0x03: len = 4 + 1 + byte(4) + 2; break;
        default:
          why = "malformed SOCKS reply (address type " + std::to_string(byte(3)) + ")";
          return Check::bad;
      }
      return exact(len);
    }
    case Expect::echo: {
      Check c = exact(step.send.size());
      if (c == Check::ok && got != step.send) {
        why = "the echo came back altered";
        return Check::bad;
      }
      return c;
    }
  }
  why = "internal error: unknown step";
  return Check::bad;
}

// Runs the steps on a blocking socket.
bool run_steps(int fd, const std::vector<Step> &steps, bool with_password, std::string &why) {
  char buf[kMaxReplyHeadBytes];
  for (const Step &s : steps) {
    if (!send_all(fd, s.send.data(), s.send.size(), why)) {
      why = std::string(s.name) + ": " + why;
      return false;
    }
    std::string got;
    while (true) {
      ssize_t n = recv_some(fd, buf, sizeof buf, why);
      if (n <= 0) {
        why = std::string("answer to the ") + s.name + ": " + (n == 0 ? std::string("the proxy closed the connection") : why);
        return false;
      }
      got.append(buf, static_cast<std::size_t>(n));
      Check c = check_reply(s, got, with_password, why);
      if (c == Check::bad) return false;
      if (c == Check::ok) break;
    }
  }
  return true;
}

// --- Bulk transfer ---------------------------------------------------------------
//
// The client sends an 8-byte little-endian length, then that many bytes; the
// sink reads them all and answers one byte. The time runs from before the
// length to the answer, so it covers every byte arriving at the sink.

constexpr std::size_t kLengthBytes = 8;
constexpr char kAck = 'k';

bool transfer(int fd, std::uint64_t bytes, double &seconds, std::string &why) {
  static const std::vector<char> chunk = [] {
    std::vector<char> c(kChunkBytes);
    for (std::size_t i = 0; i < c.size(); ++i) c[i] = static_cast<char>(i * 131 + 7);
    return c;
  }();
  unsigned char header[kLengthBytes];
  for (std::size_t i = 0; i < kLengthBytes; ++i) header[i] = static_cast<unsigned char>(bytes >> (8 * i));
  double start = now_s();
  if (!send_all(fd, header, sizeof header, why)) return false;
  std::uint64_t left = bytes;
  while (left > 0) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
    if (!send_all(fd, chunk.data(), n, why)) {
      why = "after " + std::to_string((bytes - left) / kMiB) + " MiB: " + why;
      return false;
    }
    left -= n;
  }
  char ack = 0;
  if (!recv_all(fd, &ack, 1, why)) {
    why = "waiting for the sink's receipt: " + why;
    return false;
  }
  seconds = now_s() - start;
  if (ack != kAck) {
    why = "the sink's receipt is wrong";
    return false;
  }
  return true;
}

// Where a transfer goes: straight to the sink, or through a proxy's tunnel.
struct Route {
  std::uint16_t connect_port = 0;  // the sink or the proxy
  bool tunnel = false;
  Proto proto = Proto::http;
  std::string user, password;
};

bool transfer_via(const Route &r, std::uint16_t sink_port, std::uint64_t bytes, double &seconds, std::string &why) {
  int fd = connect_loopback(r.connect_port, why);
  if (fd < 0) return false;
  bool ok = true;
  if (r.tunnel) ok = run_steps(fd, handshake(r.proto, sink_port, r.user, r.password), !r.password.empty(), why);
  if (ok) ok = transfer(fd, bytes, seconds, why);
  if (close(fd) != 0 && ok) {
    why = errno_text("close");
    ok = false;
  }
  return ok;
}

// A warm-up transfer, then the measured one, each on a connection of its own.
bool measure(const Route &r, std::uint16_t sink_port, std::uint64_t bytes, double &seconds, std::string &why) {
  double ignored = 0;
  if (!transfer_via(r, sink_port, kWarmupBytes, ignored, why)) {
    why = "warm-up: " + why;
    return false;
  }
  return transfer_via(r, sink_port, bytes, seconds, why);
}

// --- Servers ---------------------------------------------------------------------

// Wakes a server thread's poll loop when the server stops.
int make_eventfd() {
  int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) die_errno("eventfd");
  return fd;
}

void signal_eventfd(int fd) {
  std::uint64_t one = 1;
  if (write(fd, &one, sizeof one) != static_cast<ssize_t>(sizeof one)) die_errno("write eventfd");
}

// The sink: reads one length-prefixed transfer per connection and answers a
// byte. A thread per connection (there are only ever a few at once); the
// threads of finished connections are joined at the next accept.
class Sink {
 public:
  Sink() : listen_fd_(listen_loopback(port_)), stop_fd_(make_eventfd()) { thread_ = std::thread([this] { accept_loop(); }); }
  Sink(const Sink &) = delete;
  Sink &operator=(const Sink &) = delete;
  ~Sink() { stop(); }

  std::uint16_t port() const { return port_; }

  void stop() {
    if (!thread_.joinable()) return;
    signal_eventfd(stop_fd_);
    thread_.join();
    for (Conn &c : conns_) c.thread.join();  // each ends within kIoTimeoutS
    conns_.clear();
    close_or_die(listen_fd_, "sink listener");
    close_or_die(stop_fd_, "eventfd");
  }

  std::vector<std::string> errors() const {
    std::lock_guard lock(mutex_);
    return errors_;
  }

 private:
  void accept_loop() {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    while (true) {
      int n = poll(fds, 2, -1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) die_errno("sink: poll");
      if (fds[1].revents) return;
      if (!fds[0].revents) continue;
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        die_errno("sink: accept");
      }
      std::erase_if(conns_, [](Conn &c) {
        if (!c.done->load()) return false;
        c.thread.join();
        return true;
      });
      auto done = std::make_shared<std::atomic<bool>>(false);
      conns_.push_back({std::thread([this, fd, done] {
                          serve(fd);
                          done->store(true);
                        }),
                        done});
    }
  }

  void serve(int fd) {
    std::string why;
    bool ok = set_io_timeout(fd, why) && receive(fd, why);
    if (close(fd) != 0 && ok) {
      why = errno_text("close");
      ok = false;
    }
    if (!ok) {
      std::lock_guard lock(mutex_);
      errors_.push_back("sink: " + why);
    }
  }

  static bool receive(int fd, std::string &why) {
    unsigned char header[kLengthBytes];
    if (!recv_all(fd, header, sizeof header, why)) return false;
    std::uint64_t left = 0;
    for (std::size_t i = 0; i < kLengthBytes; ++i) left |= static_cast<std::uint64_t>(header[i]) << (8 * i);
    std::vector<char> buf(kChunkBytes);
    while (left > 0) {
      ssize_t n = recv_some(fd, buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size())), why);
      if (n <= 0) {
        if (n == 0) why = "the connection closed " + std::to_string(left) + " bytes early";
        return false;
      }
      left -= static_cast<std::uint64_t>(n);
    }
    if (!send_all(fd, &kAck, 1, why)) return false;
    // Wait for the client to close first, so that the TIME_WAIT is on its side.
    ssize_t n = recv_some(fd, buf.data(), buf.size(), why);
    if (n > 0) {
      why = "bytes after the transfer";
      return false;
    }
    return n == 0;
  }

  std::uint16_t port_ = 0;
  int listen_fd_;
  int stop_fd_;
  std::thread thread_;
  struct Conn {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Conn> conns_;  // the accept thread's, then stop()'s
  mutable std::mutex mutex_;  // guards errors_
  std::vector<std::string> errors_;
};

// The echo server: one epoll thread, any number of connections, sends back
// what it reads.
class Echo {
 public:
  Echo() : listen_fd_(listen_loopback(port_)), stop_fd_(make_eventfd()) {
    int fl = fcntl(listen_fd_, F_GETFL);
    if (fl < 0 || fcntl(listen_fd_, F_SETFL, fl | O_NONBLOCK) != 0) die_errno("echo: fcntl O_NONBLOCK");
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) die_errno("epoll_create1");
    add(listen_fd_, EPOLLIN);
    add(stop_fd_, EPOLLIN);
    thread_ = std::thread([this] { loop(); });
  }
  Echo(const Echo &) = delete;
  Echo &operator=(const Echo &) = delete;
  ~Echo() { stop(); }

  std::uint16_t port() const { return port_; }

  void stop() {
    if (!thread_.joinable()) return;
    signal_eventfd(stop_fd_);
    thread_.join();
    for (auto &[fd, pending] : conns_) close_or_die(fd, "echo connection");
    conns_.clear();
    close_or_die(epoll_fd_, "epoll");
    close_or_die(listen_fd_, "echo listener");
    close_or_die(stop_fd_, "eventfd");
  }

 private:
  void add(int fd, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) die_errno("echo: epoll_ctl ADD");
  }

  void modify(int fd, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) != 0) die_errno("echo: epoll_ctl MOD");
  }

  void drop(int fd) {
    conns_.erase(fd);
    close_or_die(fd, "echo connection");  // closing also takes it out of the epoll set
  }

  void accept_all() {
    while (true) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        if (errno == EINTR || errno == ECONNABORTED) continue;
        die_errno("echo: accept");  // EMFILE here: the descriptor check in main was wrong
      }
      int one = 1;
      if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) die_errno("echo: TCP_NODELAY");
      conns_[fd];
      add(fd, EPOLLIN | EPOLLRDHUP);
    }
  }

  // Sends what is pending; true when all of it went.
  bool flush(int fd, std::string &pending) {
    while (!pending.empty()) {
      ssize_t n = send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
      if (n < 0) {
        pending.clear();
        return true;  // the peer went away; the next read sees it
      }
      pending.erase(0, static_cast<std::size_t>(n));
    }
    return true;
  }

  void serve(int fd, std::uint32_t events) {
    auto it = conns_.find(fd);
    if (it == conns_.end()) return;
    std::string &pending = it->second;
    if (!pending.empty()) {
      if (!flush(fd, pending)) return;
      modify(fd, EPOLLIN | EPOLLRDHUP);
    }
    if (!(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) return;
    char buf[4096];
    ssize_t n;
    do n = recv(fd, buf, sizeof buf, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      drop(fd);
      return;
    }
    pending.assign(buf, static_cast<std::size_t>(n));
    if (!flush(fd, pending)) modify(fd, EPOLLOUT);  // stop reading until it drains
  }

  void loop() {
    epoll_event events[kEpollEvents];
    while (true) {
      int n = epoll_wait(epoll_fd_, events, kEpollEvents, -1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) die_errno("echo: epoll_wait");
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == stop_fd_) return;
        if (fd == listen_fd_)
          accept_all();
        else
          serve(fd, events[i].events);
      }
    }
  }

  std::uint16_t port_ = 0;
  int listen_fd_;
  int stop_fd_;
  int epoll_fd_ = -1;
  std::thread thread_;
  std::unordered_map<int, std::string> conns_;  // fd -> bytes still to send back; the loop thread's only
};

// --- Tunnel set-up latency -----------------------------------------------------------

struct Burst {
  std::vector<double> ms;  // per successful tunnel
  int errors = 0;
  std::map<std::string, int> reasons;  // at most kMaxErrorKinds kinds, then "other"
  double wall_ms = 0;                  // first connect to last tunnel finished
};

class TunnelBurst {
 public:
  TunnelBurst(std::uint16_t proxy_port, std::vector<Step> steps, bool with_password)
      : proxy_port_(proxy_port), steps_(std::move(steps)), with_password_(with_password) {}

  Burst run(int count) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) die_errno("epoll_create1");
    tunnels_.assign(static_cast<std::size_t>(count), Tunnel{});
    double first = now_s();
    for (std::size_t i = 0; i < tunnels_.size(); ++i) {
      start(i);
      if ((i + 1) % kConnectBatch == 0) poll_events(0);
    }
    double deadline = first + kTunnelPhaseTimeoutS;
    while (open_ > 0) {
      double left = deadline - now_s();
      if (left <= 0) break;
      poll_events(static_cast<int>(std::ceil(left * 1000)));
    }
    Burst b;
    double last = first;
    for (Tunnel &t : tunnels_) {
      if (t.phase != Phase::done && t.phase != Phase::failed)
        fail(t, "timed out after " + std::to_string(static_cast<int>(kTunnelPhaseTimeoutS)) + " s in the " +
                    (t.phase == Phase::connecting ? std::string("TCP connect") : std::string(steps_[t.step].name)));
      if (t.phase == Phase::done) {
        b.ms.push_back((t.end - t.start) * 1e3);
        last = std::max(last, t.end);
      } else {
        ++b.errors;
        last = std::max(last, t.end);
        std::string key = b.reasons.size() < kMaxErrorKinds || b.reasons.count(t.why) ? t.why : std::string("other");
        ++b.reasons[key];
      }
    }
    b.wall_ms = (last - first) * 1e3;
    // All tunnels were held open until now: the proxy served them at once.
    for (Tunnel &t : tunnels_)
      if (t.fd >= 0) close_or_die(t.fd, "tunnel");
    close_or_die(epoll_, "epoll");
    return b;
  }

 private:
  enum class Phase { connecting, sending, receiving, done, failed };
  struct Tunnel {
    int fd = -1;
    Phase phase = Phase::connecting;
    std::size_t step = 0;
    std::size_t sent = 0;
    std::string got;
    double start = 0, end = 0;
    std::string why;
  };

  void fail(Tunnel &t, std::string why) {
    if (t.phase != Phase::done && t.phase != Phase::failed) --open_;
    t.phase = Phase::failed;
    t.end = now_s();
    t.why = std::move(why);
  }

  void start(std::size_t i) {
    Tunnel &t = tunnels_[i];
    t.start = now_s();
    ++open_;
    t.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (t.fd < 0) return fail(t, errno_text("socket"));
    int one = 1;
    if (setsockopt(t.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) return fail(t, errno_text("TCP_NODELAY"));
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = i;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, t.fd, &ev) != 0) die_errno("epoll_ctl ADD");
    sockaddr_in a = loopback(proxy_port_);
    if (connect(t.fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0) {
      t.phase = Phase::sending;
      drive(t, EPOLLOUT);
    } else if (errno != EINPROGRESS) {
      fail(t, errno_text("connect"));
    }
  }

  void poll_events(int timeout_ms) {
    epoll_event events[kEpollEvents];
    int n = epoll_wait(epoll_, events, kEpollEvents, timeout_ms);
    if (n < 0 && errno == EINTR) return;
    if (n < 0) die_errno("epoll_wait");
    for (int i = 0; i < n; ++i) drive(tunnels_[events[i].data.u64], events[i].events);
  }

  // Edge-triggered: moves the tunnel on until it would block.
  void drive(Tunnel &t, std::uint32_t events) {
    char buf[kMaxReplyHeadBytes];
    while (true) {
      switch (t.phase) {
        case Phase::done:
        case Phase::failed:
          return;
        case Phase::connecting: {
          if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
          int err = 0;
          socklen_t len = sizeof err;
          if (getsockopt(t.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return fail(t, errno_text("SO_ERROR"));
          if (err != 0) return fail(t, std::string("connect: ") + std::strerror(err));
          t.phase = Phase::sending;
          break;
        }
        case Phase::sending: {
          const std::string &msg = steps_[t.step].send;
          ssize_t n = send(t.fd, msg.data() + t.sent, msg.size() - t.sent, MSG_NOSIGNAL);
          if (n < 0) {
            if (errno == EINTR) break;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            return fail(t, std::string(steps_[t.step].name) + ": " + errno_text("send"));
          }
          t.sent += static_cast<std::size_t>(n);
          if (t.sent == msg.size()) {
            t.phase = Phase::receiving;
            t.got.clear();
          }
          break;
        }
        case Phase::receiving: {
          ssize_t n = recv(t.fd, buf, sizeof buf, 0);
          if (n < 0) {
            if (errno == EINTR) break;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            return fail(t, std::string("answer to the ") + steps_[t.step].name + ": " + errno_text("recv"));
          }
          if (n == 0) return fail(t, std::string("the proxy closed the connection before answering the ") + steps_[t.step].name);
          t.got.append(buf, static_cast<std::size_t>(n));
          std::string why;
          Check c = check_reply(steps_[t.step], t.got, with_password_, why);
          if (c == Check::bad) return fail(t, why);
          if (c == Check::ok) {
            if (++t.step == steps_.size()) {
              t.end = now_s();
              t.phase = Phase::done;
              --open_;
              return;
            }
            t.sent = 0;
            t.phase = Phase::sending;
          }
          break;
        }
      }
    }
  }

  std::uint16_t proxy_port_;
  std::vector<Step> steps_;
  bool with_password_;
  int epoll_ = -1;
  std::vector<Tunnel> tunnels_;
  int open_ = 0;  // tunnels neither done nor failed
};

// --- The plugins, in process -----------------------------------------------------------

bool g_verbose = false;

void host_log(void *, int32_t level, srt_str message) {
  if (!g_verbose) return;
  static const char *const kLevels[] = {"debug", "info", "warn", "error"};
  const char *name = level >= 0 && level <= SRT_LOG_ERROR ? kLevels[level] : "?";
  std::fprintf(stderr, "proxy: plugin %s: %.*s\n", name, static_cast<int>(message.data ? message.len : 0),
               message.data ? message.data : "");
}

const srt_host_v1 g_host = {sizeof(srt_host_v1), SRT_PLUGIN_ABI_MAJOR, SRT_PLUGIN_ABI_MINOR, nullptr, &host_log};

void sink_append(void *ctx, const char *data, std::size_t len) {
  auto *s = static_cast<std::string *>(ctx);
  if (s->size() < kMaxPluginOutputBytes) s->append(data, std::min(len, kMaxPluginOutputBytes - s->size()));
}

// The core's decisions, reduced to: 127.0.0.1 is allowed (and connected to
// as 127.0.0.1), nothing else is.
std::atomic<int> g_decisions{0};

int32_t net_decide(void *, srt_str host, uint16_t, int32_t, srt_sink *verdict) {
  g_decisions.fetch_add(1, std::memory_order_relaxed);
  std::string_view h(host.data ? host.data : "", host.data ? host.len : 0);
  std::string_view text = h == kLoopback
                              ? std::string_view(R"({"allow":true,"host":"127.0.0.1","addresses":["127.0.0.1"]})")
                              : std::string_view(R"({"allow":false,"reason":"the benchmark allows only 127.0.0.1","kind":"allowlist"})");
  if (verdict && verdict->append) verdict->append(verdict->ctx, text.data(), text.size());
  return SRT_OK;
}

const srt_net_host_v1 g_net_host = {sizeof(srt_net_host_v1), nullptr, &net_decide, &host_log};

constexpr std::size_t kMinDescriptorSize = offsetof(srt_plugin_v1, table) + sizeof(void *);
constexpr std::size_t kMinNetworkTableSize = offsetof(srt_network_v1, stop) + sizeof(void *);

// The "tcp" endpoint's port in {"endpoints": [{"tcp": "127.0.0.1:41234"}]}.
bool endpoint_port(const std::string &json, std::uint16_t &port) {
  auto key = json.find("\"tcp\"");
  if (key == std::string::npos) return false;
  auto open = json.find('"', json.find(':', key + 5));
  if (open == std::string::npos) return false;
  auto close_quote = json.find('"', open + 1);
  if (close_quote == std::string::npos) return false;
  std::string addr = json.substr(open + 1, close_quote - open - 1);
  auto colon = addr.rfind(':');
  int p = 0;
  if (colon == std::string::npos || !parse_int(std::string_view(addr).substr(colon + 1), 1, UINT16_MAX, p)) return false;
  port = static_cast<std::uint16_t>(p);
  return true;
}

class Plugin {
 public:
  Plugin(const std::string &path, const char *expected_name) : path_(path) {
    void *lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);  // never closed: the ABI says plugins stay loaded
    if (!lib) die("cannot load " + path + ": " + dlerror());
    dlerror();
    auto entry = reinterpret_cast<srt_plugin_entry_v1_fn>(dlsym(lib, SRT_PLUGIN_ENTRY_V1_SYMBOL));
    if (!entry) die(path + ": no " SRT_PLUGIN_ENTRY_V1_SYMBOL);
    std::string error;
    srt_sink err{&error, &sink_append};
    const srt_plugin_v1 *d = nullptr;
    int32_t status = entry(&g_host, &d, &err);
    if (status != SRT_OK || !d) die(path + ": entry point failed (status " + std::to_string(status) + "): " + error);
    if (d->struct_size < kMinDescriptorSize) die(path + ": descriptor smaller than ABI 1.0's");
    if (d->abi_major != SRT_PLUGIN_ABI_MAJOR) die(path + ": built for plugin ABI " + std::to_string(d->abi_major));
    if (d->kind != SRT_PLUGIN_NETWORK) die(path + ": not a network plugin");
    if (!d->name || std::string_view(d->name) != expected_name)
      die(path + ": plugin name is " + (d->name ? d->name : "(none)") + ", expected " + expected_name);
    table_ = static_cast<const srt_network_v1 *>(d->table);
    if (!table_ || table_->struct_size < kMinNetworkTableSize || !table_->start || !table_->stop)
      die(path + ": network function table missing or too small");
    self_ = d->self;
    name_ = d->name;
    version_ = d->version ? d->version : "";
  }
  Plugin(const Plugin &) = delete;
  Plugin &operator=(const Plugin &) = delete;
  ~Plugin() {
    std::string why;
    if (!stop(why)) std::fprintf(stderr, "proxy: %s\n", why.c_str());
  }

  // Starts the proxy on 127.0.0.1:0 with `token` as the password.
  void start(const std::string &token) {
    std::string config = R"({"listen": [{"tcp": "127.0.0.1:0"}], "token": )" + bench::json_string(token) + "}";
    std::string out, error;
    srt_sink out_sink{&out, &sink_append}, err_sink{&error, &sink_append};
    int32_t status = table_->start(self_, &g_net_host, srt_str{config.data(), config.size()}, &instance_, &out_sink, &err_sink);
    if (status != SRT_OK) die("plugin \"" + name_ + "\" could not start (status " + std::to_string(status) + "): " + error);
    if (!endpoint_port(out, port_)) {
      stop(error);
      die("plugin \"" + name_ + "\" answered no TCP endpoint: " + out);
    }
  }

  // Stops the proxy (once). False and `why` when it did not stop cleanly.
  bool stop(std::string &why) {
    if (!instance_) return true;
    std::string error;
    srt_sink err{&error, &sink_append};
    int32_t status = table_->stop(self_, instance_, &err);
    instance_ = nullptr;
    if (status == SRT_OK) return true;
    why = "plugin \"" + name_ + "\" did not stop cleanly (status " + std::to_string(status) + "): " + error;
    return false;
  }

  std::uint16_t port() const { return port_; }
  const std::string &path() const { return path_; }
  const std::string &name() const { return name_; }
  const std::string &version() const { return version_; }

 private:
  std::string path_;
  const srt_network_v1 *table_ = nullptr;
  void *self_ = nullptr;
  std::string name_, version_;
  void *instance_ = nullptr;
  std::uint16_t port_ = 0;
};

// --- srt, for the sandbox rows ----------------------------------------------------------

struct ChildResult {
  bool ran = false;      // fork and exec worked and it ended within the time
  int status = 0;        // from waitpid
  bool timed_out = false;
  std::string out, err;  // the first kMaxCapturedBytes of each
  std::string why;       // when !ran
};

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// Waits up to `seconds` for pid; false if it is still running.
bool wait_for(pid_t pid, double seconds, int &status) {
  double deadline = now_s() + seconds;
  while (true) {
    pid_t got = waitpid(pid, &status, WNOHANG);
    if (got == pid) return true;
    if (got < 0 && errno != EINTR) die_errno("waitpid");
    if (now_s() >= deadline) return false;
    timespec pause{0, 10'000'000};
    if (nanosleep(&pause, nullptr) != 0 && errno != EINTR) die_errno("nanosleep");  // an early wake-up is harmless
  }
}

// Runs argv with stdin on /dev/null and stdout and stderr captured; kills it
// (SIGTERM, then SIGKILL) after `timeout_s`.
ChildResult run_child(std::vector<std::string> argv, double timeout_s) {
  ChildResult r;
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) die_errno("pipe2");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) die_errno("pipe2");
  int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0) die_errno("/dev/null");
  std::vector<char *> args;
  for (std::string &a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) die_errno("fork");
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    if (dup2(devnull, STDIN_FILENO) < 0 || dup2(out_pipe[1], STDOUT_FILENO) < 0 || dup2(err_pipe[1], STDERR_FILENO) < 0)
      _exit(kExitExecFailed);
    execv(args[0], args.data());
    _exit(kExitExecFailed);
  }
  close_or_die(devnull, "/dev/null");
  close_or_die(out_pipe[1], "pipe");
  close_or_die(err_pipe[1], "pipe");

  double deadline = now_s() + timeout_s;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string *texts[2] = {&r.out, &r.err};
  int open_pipes = 2;
  while (open_pipes > 0) {
    double left = deadline - now_s();
    if (left <= 0) {
      r.timed_out = true;
      break;
    }
    int n = poll(fds, 2, static_cast<int>(std::ceil(left * 1000)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die_errno("poll");
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !fds[i].revents) continue;
      char buf[4096];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) die_errno("read from a child");
      if (got == 0) {
        close_or_die(fds[i].fd, "pipe");
        fds[i].fd = -1;
        --open_pipes;
        continue;
      }
      std::string &t = *texts[i];
      if (t.size() < kMaxCapturedBytes) t.append(buf, std::min(static_cast<std::size_t>(got), kMaxCapturedBytes - t.size()));
    }
  }
  for (pollfd &p : fds)
    if (p.fd >= 0) close_or_die(p.fd, "pipe");

  if (r.timed_out) {
    if (kill(pid, SIGTERM) != 0 && errno != ESRCH) die_errno("kill");
    if (!wait_for(pid, kKillGraceS, r.status)) {
      if (kill(pid, SIGKILL) != 0 && errno != ESRCH) die_errno("kill");
      if (!wait_for(pid, kKillGraceS, r.status)) die("a child ignores SIGKILL");
    }
    r.why = "timed out after " + std::to_string(static_cast<int>(timeout_s)) + " s";
    return r;
  }
  pid_t got;
  do got = waitpid(pid, &r.status, 0);
  while (got < 0 && errno == EINTR);
  if (got < 0) die_errno("waitpid");
  if (WIFEXITED(r.status) && WEXITSTATUS(r.status) == kExitExecFailed && r.err.empty()) {
    r.why = argv[0] + ": could not be executed";
    return r;
  }
  r.ran = true;
  return r;
}

std::string self_path() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n < 0) die_errno("readlink /proc/self/exe");
  return std::string(buf, static_cast<std::size_t>(n));
}

std::string write_settings() {
  char path[] = "/tmp/srt-bench-proxy-settings-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) die_errno("mkstemp");
  ssize_t len = static_cast<ssize_t>(sizeof kSandboxSettings - 1);
  if (write(fd, kSandboxSettings, sizeof kSandboxSettings - 1) != len) die_errno("writing the settings file");
  close_or_die(fd, "the settings file");
  return path;
}

// Why srt cannot run a networked command here, or "" when it can.
std::string probe_srt(const Options &o, const std::string &settings, bool verbose) {
  if (access(o.srt.c_str(), X_OK) != 0) return errno_text(o.srt);
  ChildResult r = run_child({o.srt, "-s", settings, "--", "/bin/true"}, kSrtProbeTimeoutS);
  if (verbose && !r.err.empty()) std::fprintf(stderr, "proxy: srt probe said:\n%s", r.err.c_str());
  if (!r.ran) return "srt -s SETTINGS -- /bin/true: " + r.why;
  if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0) {
    std::string line = last_line(r.err);
    return "srt -s SETTINGS -- /bin/true: " + describe_status(r.status) + (line.empty() ? "" : ": " + line);
  }
  return "";
}

// One transfer from inside the sandbox: srt runs this binary in client mode.
bool measure_in_srt(const Options &o, const std::string &settings, Proto p, std::uint16_t sink_port, double &seconds,
                    std::string &why) {
  double timeout = kSrtRunFixedTimeoutS +
                   static_cast<double>(o.bytes + kWarmupBytes) / static_cast<double>(kMiB) / kSrtRunSlowestMibPerS;
  ChildResult r = run_child({o.srt, "-s", settings, "--", self_path(), "--client", proto_name(p), "--port",
                             std::to_string(sink_port), "--bytes", std::to_string(o.bytes)},
                            timeout);
  if (o.verbose && !r.err.empty()) std::fprintf(stderr, "proxy: srt (%s client) said:\n%s", proto_name(p), r.err.c_str());
  if (!r.ran) {
    why = r.why;
    return false;
  }
  auto at = r.out.find(kResultPrefix);
  if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0 || at == std::string::npos) {
    std::string line = last_line(r.err);
    why = "srt " + describe_status(r.status) + (line.empty() ? "" : ": " + line);
    return false;
  }
  char *end = nullptr;
  const char *num = r.out.c_str() + at + sizeof kResultPrefix - 1;
  seconds = std::strtod(num, &end);
  if (end == num || !(seconds > 0)) {
    why = "unreadable result from the client: " + last_line(r.out);
    return false;
  }
  return true;
}

// --- Client mode (inside srt's sandbox) -----------------------------------------------

std::string percent_decode(std::string_view s, bool &ok) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  ok = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) {
      ok = false;
      return out;
    }
    out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
    i += 2;
  }
  return out;
}

// SCHEME://USER:PASSWORD@HOST:PORT, HOST being the sandbox's loopback.
bool parse_proxy_url(std::string_view url, Proto p, Route &r, std::string &why) {
  std::vector<std::string_view> schemes =
      p == Proto::http ? std::vector<std::string_view>{"http://"} : std::vector<std::string_view>{"socks5h://", "socks5://"};
  bool scheme_ok = false;
  for (std::string_view s : schemes)
    if (url.substr(0, s.size()) == s) {
      url.remove_prefix(s.size());
      scheme_ok = true;
      break;
    }
  if (!scheme_ok) {
    why = "unexpected scheme";
    return false;
  }
  url = url.substr(0, url.find('/'));
  auto at = url.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = url.substr(0, at);
    url.remove_prefix(at + 1);
    auto colon = userinfo.find(':');
    bool ok1 = true, ok2 = true;
    r.user = percent_decode(userinfo.substr(0, colon), ok1);
    if (colon != std::string_view::npos) r.password = percent_decode(userinfo.substr(colon + 1), ok2);
    if (!ok1 || !ok2) {
      why = "bad percent-encoding in the credentials";
      return false;
    }
  }
  auto colon = url.rfind(':');
  int port = 0;
  if (colon == std::string_view::npos || !parse_int(url.substr(colon + 1), 1, UINT16_MAX, port)) {
    why = "no port";
    return false;
  }
  std::string_view host = url.substr(0, colon);
  if (host != "localhost" && host != kLoopback) {
    why = "the proxy is not on the sandbox's 127.0.0.1";
    return false;
  }
  r.connect_port = static_cast<std::uint16_t>(port);
  r.tunnel = true;
  r.proto = p;
  return true;
}

int client_main(const Options &o) {
  g_prog = "proxy --client";
  const char *names[2] = {o.client_proto == Proto::http ? "HTTP_PROXY" : "FTP_PROXY",
                          o.client_proto == Proto::http ? "http_proxy" : "ftp_proxy"};
  const char *url = nullptr;
  for (const char *n : names)
    if ((url = std::getenv(n)) && *url) break;
  if (!url || !*url) die(std::string(names[0]) + " is not set (run this inside srt's sandbox, which sets it)");
  Route r;
  std::string why;
  if (!parse_proxy_url(url, o.client_proto, r, why)) die(std::string(names[0]) + " is unusable: " + why);
  double seconds = 0;
  if (!measure(r, o.port, o.bytes, seconds, why)) die(std::string(proto_name(o.client_proto)) + " transfer: " + why);
  std::printf("%s%.9f\n", kResultPrefix, seconds);
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) die_errno("writing stdout");
  return 0;
}

// --- Descriptor limit ----------------------------------------------------------------

// Soft RLIMIT_NOFILE up to the hard limit; returns the new soft limit.
rlim_t raise_nofile() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) die_errno("getrlimit RLIMIT_NOFILE");
  if (rl.rlim_cur != rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) die_errno("setrlimit RLIMIT_NOFILE");
  }
  return rl.rlim_cur;
}

// --- Report ------------------------------------------------------------------------------

struct Row {
  const char *key;    // (a) ... (e)
  const char *name;   // for JSON
  const char *label;  // for the table
  bool tunnel = false;
  bool sandbox = false;
  Proto proto = Proto::http;
  std::vector<double> mib_s;  // one per round
  std::string status = "ok";  // ok, skipped, failed
  std::string note;           // why skipped or failed
  double median() const { return quantile(mib_s, 0.5); }
};

struct LatencyRow {
  const char *name;
  const char *label;
  Burst burst;
};

const char *met(bool ok) { return ok ? "met" : "NOT met"; }

void print_table(const Options &o, const bench::Machine &m, const Plugin &http, const Plugin &socks, const std::vector<Row> &rows,
                 const std::vector<LatencyRow> &lat, rlim_t nofile) {
  std::printf("srt proxy benchmark: %" PRIu64 " MiB per transfer (+%" PRIu64 " MiB warm-up each, not counted), %d round%s; "
              "%d concurrent tunnels\n",
              o.bytes / kMiB, kWarmupBytes / kMiB, o.rounds, o.rounds == 1 ? "" : "s", o.tunnels);
  std::printf("machine: %s, %ld CPUs online (%d usable), %s (euid %u), RLIMIT_NOFILE %llu\n", m.kernel.c_str(),
              m.cpus_online, m.cpus_usable, m.root ? "running as root" : "not root", m.uid,
              static_cast<unsigned long long>(nofile));
  std::printf("plugins: %s %s (%s), %s %s (%s)\n", http.name().c_str(), http.version().c_str(), http.path().c_str(),
              socks.name().c_str(), socks.version().c_str(), socks.path().c_str());
  std::printf("srt:     %s\n\n", o.no_srt ? "(not used: --no-srt)" : o.srt.c_str());

  double direct = rows[0].status == "ok" ? rows[0].median() : 0;
  std::printf("throughput, client -> sink on 127.0.0.1%s\n", o.rounds > 1 ? " (median of rounds; min..max)" : "");
  std::printf("  %-50s %10s %9s   %s\n", "", "MiB/s", "/direct", "target");
  char target[64];
  std::snprintf(target, sizeof target, ">= %.2f", kTargetThroughputRatio);
  for (const Row &r : rows) {
    std::string label = std::string(r.key) + " " + r.label;
    if (r.status != "ok") {
      std::printf("  %-50s %10s %9s   %s: %s\n", label.c_str(), "-", "-", r.status.c_str(), r.note.c_str());
      continue;
    }
    double v = r.median();
    std::string spread;
    if (o.rounds > 1) {
      char buf[64];
      auto [lo, hi] = std::minmax_element(r.mib_s.begin(), r.mib_s.end());
      std::snprintf(buf, sizeof buf, "  (%.0f..%.0f)", *lo, *hi);
      spread = buf;
    }
    if (!r.tunnel) {
      std::printf("  %-50s %10.1f %9.2f   %s%s\n", label.c_str(), v, 1.0, "(baseline)", spread.c_str());
    } else if (direct > 0) {
      double ratio = v / direct;
      std::printf("  %-50s %10.1f %9.2f   %s %s%s\n", label.c_str(), v, ratio, target, met(ratio >= kTargetThroughputRatio),
                  spread.c_str());
    } else {
      std::printf("  %-50s %10.1f %9s   %s%s\n", label.c_str(), v, "-", "(no baseline)", spread.c_str());
    }
  }

  if (m.cpus_usable < kCpusForFairRatio)
    std::printf("  note: %d usable CPUs; a tunnel keeps more threads busy (client, proxy, sink) than a direct\n"
                "  transfer (client, sink), so below %d CPUs the ratios are bounded by the cores, not only the proxy\n",
                m.cpus_usable, kCpusForFairRatio);

  std::printf("\n%d concurrent tunnels: TCP connect to the proxy -> tunnel answered -> %zu-byte echo round trip\n",
              o.tunnels, kEchoBytes);
  std::printf("  %-22s %9s %9s %9s %8s %13s   %s\n", "", "p50 ms", "p99 ms", "max ms", "errors", "burst wall ms",
              "target: 0 errors");
  for (const LatencyRow &l : lat) {
    const Burst &b = l.burst;
    bool any = !b.ms.empty();
    std::printf("  %-22s %9.2f %9.2f %9.2f %8d %13.1f   %s\n", l.label, any ? quantile(b.ms, 0.5) : 0.0,
                any ? quantile(b.ms, 0.99) : 0.0, any ? *std::max_element(b.ms.begin(), b.ms.end()) : 0.0, b.errors,
                b.wall_ms, met(b.errors <= kTargetTunnelErrors));
    for (const auto &[why, count] : b.reasons) std::printf("      %d x %s\n", count, why.c_str());
  }
}

void print_json(const Options &o, const bench::Machine &m, const Plugin &http, const Plugin &socks, const std::vector<Row> &rows,
                const std::vector<LatencyRow> &lat, rlim_t nofile) {
  std::printf("{\"bytes\": %" PRIu64 ", \"warmup_bytes\": %" PRIu64 ", \"rounds\": %d, \"tunnels\": %d, \"echo_bytes\": %zu,\n",
              o.bytes, kWarmupBytes, o.rounds, o.tunnels, kEchoBytes);
  std::printf(" \"machine\": {\"kernel\": %s, \"cpus_online\": %ld, \"cpus_usable\": %d, \"root\": %s, \"euid\": %u, "
              "\"nofile\": %llu},\n",
              bench::json_string(m.kernel).c_str(), m.cpus_online, m.cpus_usable, m.root ? "true" : "false", m.uid,
              static_cast<unsigned long long>(nofile));
  std::printf(" \"plugins\": {\"http\": %s, \"socks5\": %s}, \"srt\": %s,\n", bench::json_string(http.path()).c_str(),
              bench::json_string(socks.path()).c_str(), o.no_srt ? "null" : bench::json_string(o.srt).c_str());
  std::printf(" \"throughput_target_ratio\": %.2f,\n \"throughput\": [", kTargetThroughputRatio);
  double direct = rows[0].status == "ok" ? rows[0].median() : 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row &r = rows[i];
    std::printf("%s\n  {\"name\": %s, \"status\": %s", i ? "," : "", bench::json_string(r.name).c_str(), bench::json_string(r.status).c_str());
    if (r.status == "ok") {
      std::string all;
      for (double v : r.mib_s) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%.1f", all.empty() ? "" : ", ", v);
        all += buf;
      }
      std::printf(", \"mib_s\": %.1f, \"mib_s_rounds\": [%s]", r.median(), all.c_str());
      if (r.tunnel && direct > 0) {
        double ratio = r.median() / direct;
        std::printf(", \"ratio\": %.3f, \"ratio_met\": %s", ratio, ratio >= kTargetThroughputRatio ? "true" : "false");
      }
    } else {
      std::printf(", \"reason\": %s", bench::json_string(r.note).c_str());
    }
    std::printf("}");
  }
  std::printf("],\n \"tunnel_latency\": [");
  for (std::size_t i = 0; i < lat.size(); ++i) {
    const Burst &b = lat[i].burst;
    bool any = !b.ms.empty();
    std::string reasons;
    for (const auto &[why, count] : b.reasons)
      reasons += (reasons.empty() ? "" : ", ") + std::string("{\"count\": ") + std::to_string(count) +
                 ", \"reason\": " + bench::json_string(why) + "}";
    std::printf("%s\n  {\"name\": %s, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"ok\": %zu, \"errors\": %d, "
                "\"errors_met\": %s, \"burst_wall_ms\": %.1f, \"error_reasons\": [%s]}",
                i ? "," : "", bench::json_string(lat[i].name).c_str(), any ? quantile(b.ms, 0.5) : 0.0,
                any ? quantile(b.ms, 0.99) : 0.0, any ? *std::max_element(b.ms.begin(), b.ms.end()) : 0.0, b.ms.size(),
                b.errors, b.errors <= kTargetTunnelErrors ? "true" : "false", b.wall_ms, reasons.c_str());
  }
  std::printf("]}\n");
}

}  // namespace

int main(int argc, char **argv) {
  Options o = parse_options(argc, argv);
  g_verbose = o.verbose;
  if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) die_errno("signal SIGPIPE");
  if (o.client) return client_main(o);

  rlim_t nofile = raise_nofile();
  rlim_t needed = static_cast<rlim_t>(o.tunnels) * kFdsPerTunnel + kFdsSpare;
  if (nofile != RLIM_INFINITY && nofile < needed)
    usage("--tunnels " + std::to_string(o.tunnels) + " needs about " + std::to_string(needed) +
          " descriptors; RLIMIT_NOFILE allows " + std::to_string(nofile) + " (raise the hard limit or ask for fewer)");
  bench::Machine m = bench::machine([](const char *what) { die_errno(what); });

  std::string token = make_token();
  Plugin http(o.http_plugin, "http");
  Plugin socks(o.socks5_plugin, "socks5");
  http.start(token);
  socks.start(token);
  Sink sink;
  Echo echo;

  // 1. Throughput.
  std::vector<Row> rows = {
      {"(a)", "direct", "direct TCP", false, false, Proto::http, {}, "ok", ""},
      {"(b)", "http_connect", "HTTP CONNECT, plugin in-process", true, false, Proto::http, {}, "ok", ""},
      {"(c)", "socks5", "SOCKS5 CONNECT, plugin in-process", true, false, Proto::socks5, {}, "ok", ""},
      {"(d)", "srt_http_connect", "HTTP CONNECT from inside srt (bridge :3128)", true, true, Proto::http, {}, "ok", ""},
      {"(e)", "srt_socks5", "SOCKS5 from inside srt (bridge :1080)", true, true, Proto::socks5, {}, "ok", ""},
  };
  std::string settings;
  if (o.no_srt) {
    for (Row &r : rows)
      if (r.sandbox) {
        r.status = "skipped";
        r.note = "--no-srt";
      }
  } else {
    settings = write_settings();
    std::string why = probe_srt(o, settings, o.verbose);
    if (!why.empty())
      for (Row &r : rows)
        if (r.sandbox) {
          r.status = "skipped";
          r.note = "srt cannot run a sandboxed command here: " + why;
        }
  }
  for (int round = 0; round < o.rounds; ++round) {
    for (Row &r : rows) {
      if (r.status != "ok") continue;
      double seconds = 0;
      std::string why;
      bool ok;
      if (r.sandbox) {
        ok = measure_in_srt(o, settings, r.proto, sink.port(), seconds, why);
      } else {
        Route route;
        route.tunnel = r.tunnel;
        route.proto = r.proto;
        route.connect_port = !r.tunnel ? sink.port() : r.proto == Proto::http ? http.port() : socks.port();
        route.user = kProxyUser;
        route.password = token;
        ok = measure(route, sink.port(), o.bytes, seconds, why);
      }
      if (!ok) {
        r.status = "failed";
        r.note = why;
        continue;
      }
      r.mib_s.push_back(static_cast<double>(o.bytes) / static_cast<double>(kMiB) / seconds);
    }
  }
  if (!settings.empty() && unlink(settings.c_str()) != 0) die_errno("removing the settings file");

  // 2. Tunnel set-up latency.
  std::string echo_payload(kEchoBytes, '\0');
  for (std::size_t i = 0; i < kEchoBytes; ++i) echo_payload[i] = static_cast<char>('a' + i % 26);
  std::vector<LatencyRow> lat;
  for (Proto p : {Proto::http, Proto::socks5}) {
    std::vector<Step> steps = handshake(p, echo.port(), kProxyUser, token);
    steps.push_back({"echo", echo_payload, Expect::echo});
    std::uint16_t port = p == Proto::http ? http.port() : socks.port();
    TunnelBurst(port, steps, true).run(kLatencyWarmupTunnels);
    Burst b = TunnelBurst(port, steps, true).run(o.tunnels);
    lat.push_back({p == Proto::http ? "http_connect" : "socks5", p == Proto::http ? "HTTP CONNECT" : "SOCKS5 CONNECT",
                   std::move(b)});
  }

  bool broken = false;
  std::string why;
  for (Plugin *pl : {&http, &socks})
    if (!pl->stop(why)) {
      std::fprintf(stderr, "proxy: %s\n", why.c_str());
      broken = true;
    }
  sink.stop();
  echo.stop();
  for (const std::string &e : sink.errors()) {
    if (o.verbose) std::fprintf(stderr, "proxy: %s\n", e.c_str());
  }
  for (const Row &r : rows)
    if (r.status == "failed") broken = true;

  if (o.json)
    print_json(o, m, http, socks, rows, lat, nofile);
  else
    print_table(o, m, http, socks, rows, lat, nofile);
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) die_errno("writing stdout");
  return broken ? kExitFailed : 0;
}
