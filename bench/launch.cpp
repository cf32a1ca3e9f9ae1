// launch: how long `srt -- true` takes, and how much memory it peaks at,
// without network access and with it (settings with a network section start
// srt's two proxies and the in-sandbox bridge), next to bare bubblewrap and
// bare /bin/true, and `srt --backend landlock -- true` (no namespaces to
// build). Two more rows split srt's cost: `bwrap-srt`, the bwrap command
// line srt renders for `true` (with srt's system-call filter) run directly,
// and `floor`, the same through a launcher that only forks, execs and waits.
// A benchmark, not a test: it
// prints figures and judges them against the targets, but never fails on
// time; it fails only when a measured command does not exit 0.
//
//   launch [--srt PATH] [--bwrap PATH] [--runs N] [--extra 'NAME=cmd args']...
//          [--json]
//
// Commands run interleaved (one run of each in turn, N times over) so that
// machine noise lands on all of them alike.
#include "bench_common.hpp"
#include "seccomp/filter.hpp"

#include <srt/policy_json.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <optional>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

constexpr int kDefaultRuns = 30;
constexpr int kMinRuns = 20;  // below this, p10 and p90 rest on the one or two extreme runs
constexpr int kMaxRuns = 100000;
constexpr int kWarmupRounds = 3;  // page cache, dynamic loader, plugin load
constexpr int kMaxExtras = 16;
constexpr double kTargetRatio = 1.5;     // srt median wall / bwrap median wall
constexpr double kTargetLandlockRatio = 0.7;  // srt --backend landlock median wall / bwrap median wall
constexpr double kTargetSrtRssMib = 8.0;  // srt median peak RSS
constexpr int kExitExecFailed = 127;
constexpr int kExitUsage = 2;
// The benchmark's own descriptors live at or above this number, clear of the
// ones srt's bwrap command line names (--seccomp, --json-status-fd).
constexpr int kFirstOwnFd = 64;
constexpr size_t kMaxExplainBytes = 4 << 20;  // `srt policy explain --json` output
// The build tree's srt and do-nothing launcher, set by bench/meson.build.
constexpr char kDefaultSrt[] = LAUNCH_DEFAULT_SRT;
constexpr char kDefaultFloor[] = LAUNCH_DEFAULT_FLOOR;
constexpr char kRssNote[] =
    "ru_maxrss from wait4: the largest resident set among the process and the descendants it waited for; "
    "a maximum, not a sum";

struct Command {
  std::string name;
  std::vector<std::string> argv;  // argv[0] resolved to a path before any run
  std::vector<double> wall_ms;
  std::vector<double> rss_mib;
  // bwrap-srt and floor: srt's filter (a memfd, rewound before each run) goes
  // on descriptor filter_target, /dev/null on status_target.
  int filter_fd = -1;
  int filter_target = -1;
  int status_target = -1;
};

Command command(std::string name, std::vector<std::string> argv) {
  Command c;
  c.name = std::move(name);
  c.argv = std::move(argv);
  return c;
}

struct Stats {
  double median = 0, p10 = 0, p90 = 0;
};

struct Options {
  std::string srt = kDefaultSrt;
  std::string floor = kDefaultFloor;
  std::string bwrap = "bwrap";
  int runs = kDefaultRuns;
  std::vector<std::string> extras;
  bool json = false;
};

constexpr char kUsage[] =
    "usage: launch [--srt PATH] [--bwrap PATH] [--floor PATH] [--runs N (%d..%d, default %d)]\n"
    "              [--extra 'NAME=cmd args']... [--json]\n";

[[noreturn]] void usage(const char *why) {
  std::fprintf(stderr, "launch: %s\n", why);
  std::fprintf(stderr, kUsage, kMinRuns, kMaxRuns, kDefaultRuns);
  std::exit(kExitUsage);
}

[[noreturn]] void die_errno(const char *what) {
  std::fprintf(stderr, "launch: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

bool parse_runs(std::string_view s, int &out) {
  if (s.empty() || s.size() > 6) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < kMinRuns || v > kMaxRuns) return false;
  out = v;
  return true;
}

Options parse_options(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--json") {
      o.json = true;
    } else if (a == "--help" || a == "-h") {
      std::printf("launch: launch time and peak RSS of srt -- true (bwrap, with network, landlock), bare bwrap, srt's own bwrap\n"
                  "command line (run directly and through a do-nothing launcher) and /bin/true\n");
      std::printf(kUsage, kMinRuns, kMaxRuns, kDefaultRuns);
      std::exit(0);
    } else if (a == "--srt" && has_value) {
      o.srt = argv[++i];
    } else if (a == "--bwrap" && has_value) {
      o.bwrap = argv[++i];
    } else if (a == "--floor" && has_value) {
      o.floor = argv[++i];
    } else if (a == "--runs" && has_value) {
      if (!parse_runs(argv[++i], o.runs)) usage("--runs needs a whole number within the limits");
    } else if (a == "--extra" && has_value) {
      if (o.extras.size() >= static_cast<size_t>(kMaxExtras)) usage("too many --extra commands");
      o.extras.emplace_back(argv[++i]);
    } else {
      usage(("unknown option or missing value: " + std::string(a)).c_str());
    }
  }
  return o;
}

std::vector<std::string> split_spaces(std::string_view s) {
  std::vector<std::string> words;
  while (!s.empty()) {
    auto start = s.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    s.remove_prefix(start);
    auto end = s.find(' ');
    words.emplace_back(s.substr(0, end));
    s = end == std::string_view::npos ? std::string_view() : s.substr(end);
  }
  return words;
}

// Resolved once up front: a missing program is then reported by name, not as
// an anonymous exit 127 from a child whose stderr goes to /dev/null.
std::string resolve_program(const std::string &name) {
  if (name.find('/') != std::string::npos) {
    if (access(name.c_str(), X_OK) != 0) {
      std::fprintf(stderr, "launch: %s: %s\n", name.c_str(), std::strerror(errno));
      std::exit(1);
    }
    return name;
  }
  const char *path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  while (true) {
    auto colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  std::fprintf(stderr, "launch: %s: not found on PATH\n", name.c_str());
  std::exit(1);
}

// Settings that give the command network access (through srt's proxies).
constexpr char kNetworkSettings[] = R"({"network": {"allowedDomains": ["example.com"]}})";

std::string write_network_settings() {
  char path[] = "/tmp/srt-bench-settings-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) die_errno("mkstemp");
  ssize_t len = static_cast<ssize_t>(sizeof kNetworkSettings - 1);
  if (write(fd, kNetworkSettings, sizeof kNetworkSettings - 1) != len || close(fd) != 0) die_errno("writing the settings file");
  return path;
}

// Runs argv with stdin and stderr on /dev/null and returns its standard
// output, or nullopt (with `why`) if it could not run or did not exit 0.
std::optional<std::string> capture_stdout(std::vector<std::string> argv, int devnull, std::string &why) {
  std::vector<char *> args;
  for (std::string &w : argv) args.push_back(w.data());
  args.push_back(nullptr);
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) die_errno("pipe2");
  pid_t pid = fork();
  if (pid < 0) die_errno("fork");
  if (pid == 0) {
    if (dup2(devnull, STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0 || dup2(devnull, STDERR_FILENO) < 0)
      _exit(kExitExecFailed);
    execv(args[0], args.data());
    _exit(kExitExecFailed);
  }
  if (close(out[1]) != 0) die_errno("close");
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die_errno("reading srt's output");
    if (n == 0) break;
    if (text.size() + static_cast<size_t>(n) > kMaxExplainBytes) {
      why = "its output is larger than expected";
      break;
    }
    text.append(buf, static_cast<size_t>(n));
  }
  if (close(out[0]) != 0) die_errno("close");
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) die_errno("waitpid");
  if (!why.empty()) return std::nullopt;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    why = "it did not exit 0";
    return std::nullopt;
  }
  return text;
}

// srt's launch of `true` on the bwrap backend, as srt renders it: bwrap's
// command line and the descriptors it reads the filter from and reports on.
struct SrtLaunch {
  std::vector<std::string> argv;
  int filter_fd = -1;  // srt's system-call filter in a memfd, at or above kFirstOwnFd
  int filter_target = -1;
  int status_target = -1;
};

int target_of(const std::vector<std::string> &argv, std::string_view option) {
  for (size_t i = 0; i + 1 < argv.size() && argv[i] != "--"; ++i)
    if (argv[i] == option) {
      int fd = std::atoi(argv[i + 1].c_str());
      return fd > STDERR_FILENO && fd < kFirstOwnFd ? fd : -1;
    }
  return -1;
}

// nullopt with `why` when srt's launch here is not bwrap running the command
// itself (e.g. settings with a network or allowPty go through srt-enter), or
// cannot be reproduced outside srt.
std::optional<SrtLaunch> srt_bwrap_launch(const Options &o, int devnull, std::string &why) {
  auto text = capture_stdout({o.srt, "policy", "explain", "--backend", "bwrap", "--json"}, devnull, why);
  if (!text) {
    why = "`srt policy explain --backend bwrap --json`: " + why;
    return std::nullopt;
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*text, ec);
  if (ec) {
    why = "srt policy explain printed no JSON";
    return std::nullopt;
  }
  const boost::json::value *plan = v.find_pointer("/explain/backend/plan", ec);
  const boost::json::object *p = plan ? plan->if_object() : nullptr;
  if (!p) {
    why = "srt rendered no bwrap launch here (see `srt policy explain --backend bwrap`)";
    return std::nullopt;
  }
  const boost::json::value *status = p->if_contains("launcher_status");
  if (!status || !status->is_string() || status->as_string() != "bwrap-json-status") {
    why = "srt starts srt-enter in the sandbox with these settings (network or allowPty)";
    return std::nullopt;
  }
  const boost::json::value *files = p->if_contains("files");
  if (files && files->is_array() && !files->as_array().empty()) {
    why = "srt's launch passes files to bwrap";
    return std::nullopt;
  }
  SrtLaunch l;
  const boost::json::value *argv = p->if_contains("argv");
  if (!argv || !argv->is_array()) {
    why = "srt's plan has no argv";
    return std::nullopt;
  }
  for (const auto &a : argv->as_array()) {
    if (!a.is_string()) {
      why = "srt's plan argv holds a non-string";
      return std::nullopt;
    }
    l.argv.emplace_back(a.as_string());
  }
  if (l.argv.size() < 2 || l.argv.back() != "<command>") {
    why = "srt's plan does not end in the command";
    return std::nullopt;
  }
  l.argv.back() = "true";
  l.filter_target = target_of(l.argv, "--seccomp");
  l.status_target = target_of(l.argv, "--json-status-fd");
  if (l.filter_target < 0 || l.status_target < 0) {
    why = "srt's plan names no --seccomp or --json-status-fd descriptor";
    return std::nullopt;
  }
  std::string program;
  try {
    srt::ir::Policy policy = srt::ir::policy_from_json(v);
    for (const auto &m : policy.filesystem.mounts)
      if (m.kind == srt::ir::Kind::missing) {
        why = "the policy has placeholders for absent paths, which only srt creates at launch";
        return std::nullopt;
      }
    program = srt::seccomp::build_program(policy, {});
  } catch (const std::exception &e) {
    why = std::string("srt's policy or filter: ") + e.what();
    return std::nullopt;
  }
  int fd = memfd_create("srt-filter", MFD_CLOEXEC);
  if (fd < 0) die_errno("memfd_create");
  if (write(fd, program.data(), program.size()) != static_cast<ssize_t>(program.size())) die_errno("writing the filter");
  l.filter_fd = fcntl(fd, F_DUPFD_CLOEXEC, kFirstOwnFd);
  if (l.filter_fd < 0 || close(fd) != 0) die_errno("moving the filter's descriptor");
  return l;
}

// The order make_commands puts the built-in commands in; bwrap-srt and floor
// follow `true` when srt's launch could be reproduced.
enum : size_t { kSrt = 0, kSrtNet = 1, kSrtLandlock = 2, kBwrap = 3, kBwrapSrt = 5, kFloor = 6 };

std::vector<Command> make_commands(const Options &o, const std::string &net_settings, const std::optional<SrtLaunch> &srt_launch) {
  std::vector<Command> cmds;
  cmds.push_back(command("srt", {o.srt, "--", "true"}));
  cmds.push_back(command("srt+net", {o.srt, "-s", net_settings, "--", "true"}));
  cmds.push_back(command("srt-ll", {o.srt, "--backend", "landlock", "--", "true"}));
  cmds.push_back(command("bwrap", {o.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net",
                                   "--unshare-pid", "--", "true"}));
  cmds.push_back(command("true", {"/bin/true"}));
  if (srt_launch) {
    Command direct = command("bwrap-srt", srt_launch->argv);
    direct.filter_fd = srt_launch->filter_fd;
    direct.filter_target = srt_launch->filter_target;
    direct.status_target = srt_launch->status_target;
    Command floor = direct;
    floor.name = "floor";
    floor.argv.insert(floor.argv.begin(), o.floor);
    cmds.push_back(std::move(direct));
    cmds.push_back(std::move(floor));
  }
  for (const std::string &spec : o.extras) {
    auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) usage("--extra needs NAME=cmd args");
    std::string name = spec.substr(0, eq);
    for (unsigned char c : name)
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') usage("--extra NAME must be printable, without quotes");
    for (const Command &c : cmds)
      if (c.name == name) usage(("--extra name already used: " + name).c_str());
    std::vector<std::string> words = split_spaces(std::string_view(spec).substr(eq + 1));
    if (words.empty()) usage("--extra needs a command after NAME=");
    cmds.push_back(command(name, words));
  }
  for (Command &c : cmds) {
    c.argv[0] = resolve_program(c.argv[0]);
    c.wall_ms.reserve(static_cast<size_t>(o.runs));
    c.rss_mib.reserve(static_cast<size_t>(o.runs));
  }
  return cmds;
}

double now_ms() {
  timespec ts{};
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) die_errno("clock_gettime");
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::string command_line(const Command &c) {
  std::string s;
  for (const std::string &w : c.argv) s += (s.empty() ? "" : " ") + w;
  return s;
}

// One run: fork, exec with stdio on /dev/null, wait4. Records wall time and
// peak RSS; exits the benchmark if the command did not exit 0.
void run_once(Command &c, int devnull, bool record) {
  std::vector<char *> argv;
  for (std::string &w : c.argv) argv.push_back(w.data());
  argv.push_back(nullptr);

  double start = now_ms();
  pid_t pid = fork();
  if (pid < 0) die_errno("fork");
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    if (dup2(devnull, STDIN_FILENO) < 0 || dup2(devnull, STDOUT_FILENO) < 0 || dup2(devnull, STDERR_FILENO) < 0)
      _exit(kExitExecFailed);
    // The memfd's offset is shared with the parent's descriptor: each run
    // rewinds it for bwrap to read the whole filter.
    if (c.filter_fd >= 0 && (lseek(c.filter_fd, 0, SEEK_SET) != 0 || dup2(c.filter_fd, c.filter_target) < 0 ||
                             dup2(devnull, c.status_target) < 0))
      _exit(kExitExecFailed);
    execv(argv[0], argv.data());
    _exit(kExitExecFailed);
  }
  int status = 0;
  rusage ru{};
  pid_t got;
  do {
    got = wait4(pid, &status, 0, &ru);
  } while (got < 0 && errno == EINTR);
  if (got < 0) die_errno("wait4");
  double end = now_ms();

  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (WIFSIGNALED(status))
      std::fprintf(stderr, "launch: %s: killed by signal %d\n", c.name.c_str(), WTERMSIG(status));
    else
      std::fprintf(stderr, "launch: %s: exit status %d%s\n", c.name.c_str(), WEXITSTATUS(status),
                   WEXITSTATUS(status) == kExitExecFailed ? " (not found, or could not be executed)" : "");
    std::fprintf(stderr, "launch: its output was discarded; run it by hand to see why:\n  %s\n",
                 command_line(c).c_str());
    std::exit(1);
  }
  if (!record) return;
  c.wall_ms.push_back(end - start);
  c.rss_mib.push_back(static_cast<double>(ru.ru_maxrss) / 1024.0);  // ru_maxrss is in KiB
}

// Linear interpolation between the closest ranks; q in [0, 1].
double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

Stats stats(const std::vector<double> &v) { return {quantile(v, 0.5), quantile(v, 0.1), quantile(v, 0.9)}; }

const char *met(bool ok) { return ok ? "met" : "NOT met"; }

struct Summary {
  double ratio = 0;
  double net_ratio = 0;  // srt with proxies / bwrap
  double landlock_ratio = 0;  // srt --backend landlock / bwrap
  double srt_rss_mib = 0;
  bool ratio_met = false;
  bool net_ratio_met = false;
  bool landlock_ratio_met = false;
  bool rss_met = false;
  // The split of srt's launch (no targets): bwrap-srt/bwrap, floor/bwrap,
  // srt/floor; `split_skipped` says why they were not measured.
  bool split = false;
  double bwrap_srt_ratio = 0;
  double floor_ratio = 0;
  double srt_over_floor = 0;
  std::string split_skipped;
};

void print_table(const Options &o, const bench::Machine &m, const std::vector<Command> &cmds, const Summary &s) {
  std::printf("srt launch benchmark: %d interleaved runs per command (+%d warm-up rounds, not counted)\n", o.runs,
              kWarmupRounds);
  std::printf("machine: %s, %ld CPUs online (%d usable), %s (euid %u)\n", m.kernel.c_str(), m.cpus_online,
              m.cpus_usable, m.root ? "running as root" : "not root", m.uid);
  std::printf("commands:\n");
  for (const Command &c : cmds) std::printf("  %-8s %s\n", c.name.c_str(), command_line(c).c_str());
  std::printf("\n%-10s %11s %10s %10s %14s\n", "command", "median ms", "p10 ms", "p90 ms", "peak RSS MiB");
  for (const Command &c : cmds) {
    Stats w = stats(c.wall_ms);
    std::printf("%-10s %11.3f %10.3f %10.3f %14.2f\n", c.name.c_str(), w.median, w.p10, w.p90,
                stats(c.rss_mib).median);
  }
  std::printf("(peak RSS: median over runs of ru_maxrss from wait4, the largest resident set\n"
              " among the process and the descendants it waited for; a maximum, not a sum)\n\n");
  char target[64];
  std::snprintf(target, sizeof target, "target: ratio <= %.1f", kTargetRatio);
  std::printf("%-24s %6.2f %-4s  %-32s %s\n", "srt/bwrap median wall:", s.ratio, "", target, met(s.ratio_met));
  std::printf("%-24s %6.2f %-4s  %-32s %s\n", "srt+net/bwrap:", s.net_ratio, "", target, met(s.net_ratio_met));
  std::snprintf(target, sizeof target, "target: ratio <= %.1f", kTargetLandlockRatio);
  std::printf("%-24s %6.2f %-4s  %-32s %s\n", "srt-ll/bwrap:", s.landlock_ratio, "", target, met(s.landlock_ratio_met));
  std::snprintf(target, sizeof target, "target: srt peak RSS <= %.0f MiB", kTargetSrtRssMib);
  std::printf("%-24s %6.2f %-4s  %-32s %s\n", "srt peak RSS (higher):", s.srt_rss_mib, "MiB", target,
              met(s.rss_met));
  std::printf("\nwhere srt's launch goes (no targets):\n");
  if (!s.split) {
    std::printf("  bwrap-srt and floor not measured: %s\n", s.split_skipped.c_str());
    return;
  }
  std::printf("%-24s %6.2f       %s\n", "bwrap-srt/bwrap:", s.bwrap_srt_ratio,
              "bwrap with srt's arguments and filter: what the policy asks of bwrap");
  std::printf("%-24s %6.2f       %s\n", "floor/bwrap:", s.floor_ratio,
              "the same through a launcher that only forks, execs and waits");
  std::printf("%-24s %6.2f       %s\n", "srt/floor:", s.srt_over_floor, "what srt's own work adds to that");
}

void print_json(const Options &o, const bench::Machine &m, const std::vector<Command> &cmds, const Summary &s) {
  std::printf("{\"runs\": %d, \"warmup_rounds\": %d, \"interleaved\": true,\n", o.runs, kWarmupRounds);
  std::printf(" \"machine\": {\"kernel\": %s, \"cpus_online\": %ld, \"cpus_usable\": %d, \"root\": %s, \"euid\": %u},\n",
              bench::json_string(m.kernel).c_str(), m.cpus_online, m.cpus_usable, m.root ? "true" : "false", m.uid);
  std::printf(" \"rss_note\": %s,\n \"commands\": [", bench::json_string(kRssNote).c_str());
  for (size_t i = 0; i < cmds.size(); ++i) {
    const Command &c = cmds[i];
    Stats w = stats(c.wall_ms);
    std::string argv;
    for (const std::string &a : c.argv) argv += (argv.empty() ? "" : ", ") + bench::json_string(a);
    std::printf("%s\n  {\"name\": %s, \"argv\": [%s], \"wall_ms\": {\"median\": %.3f, \"p10\": %.3f, \"p90\": %.3f}, "
                "\"peak_rss_mib_median\": %.2f}",
                i == 0 ? "" : ",", bench::json_string(c.name).c_str(), argv.c_str(), w.median, w.p10, w.p90,
                stats(c.rss_mib).median);
  }
  std::printf("],\n \"srt_over_bwrap_wall_ratio\": %.3f, \"ratio_target\": %.1f, \"ratio_met\": %s,\n", s.ratio,
              kTargetRatio, s.ratio_met ? "true" : "false");
  std::printf(" \"srt_net_over_bwrap_wall_ratio\": %.3f, \"net_ratio_met\": %s,\n", s.net_ratio,
              s.net_ratio_met ? "true" : "false");
  std::printf(" \"srt_landlock_over_bwrap_wall_ratio\": %.3f, \"landlock_ratio_target\": %.1f, \"landlock_ratio_met\": %s,\n",
              s.landlock_ratio, kTargetLandlockRatio, s.landlock_ratio_met ? "true" : "false");
  std::printf(" \"srt_peak_rss_mib\": %.2f, \"srt_peak_rss_target_mib\": %.1f, \"srt_peak_rss_met\": %s,\n",
              s.srt_rss_mib, kTargetSrtRssMib, s.rss_met ? "true" : "false");
  if (s.split)
    std::printf(" \"bwrap_srt_over_bwrap_wall_ratio\": %.3f, \"floor_over_bwrap_wall_ratio\": %.3f, "
                "\"srt_over_floor_wall_ratio\": %.3f}\n",
                s.bwrap_srt_ratio, s.floor_ratio, s.srt_over_floor);
  else
    std::printf(" \"split_not_measured\": %s}\n", bench::json_string(s.split_skipped).c_str());
}

}  // namespace

int main(int argc, char **argv) {
  Options o = parse_options(argc, argv);
  bench::Machine m = bench::machine([](const char *what) { die_errno(what); });

  int opened = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (opened < 0) die_errno("/dev/null");
  int devnull = fcntl(opened, F_DUPFD_CLOEXEC, kFirstOwnFd);
  if (devnull < 0 || close(opened) != 0) die_errno("moving /dev/null's descriptor");

  Summary s;
  auto srt_launch = srt_bwrap_launch(o, devnull, s.split_skipped);
  std::string net_settings = write_network_settings();
  std::vector<Command> cmds = make_commands(o, net_settings, srt_launch);

  for (int round = 0; round < kWarmupRounds + o.runs; ++round)
    for (Command &c : cmds) run_once(c, devnull, round >= kWarmupRounds);
  if (close(devnull) != 0) die_errno("close /dev/null");
  if (srt_launch && close(srt_launch->filter_fd) != 0) die_errno("close the filter");
  if (unlink(net_settings.c_str()) != 0) die_errno("removing the settings file");

  double bwrap = stats(cmds[kBwrap].wall_ms).median;
  s.ratio = stats(cmds[kSrt].wall_ms).median / bwrap;
  s.net_ratio = stats(cmds[kSrtNet].wall_ms).median / bwrap;
  s.landlock_ratio = stats(cmds[kSrtLandlock].wall_ms).median / bwrap;
  s.srt_rss_mib = std::max(stats(cmds[kSrt].rss_mib).median, stats(cmds[kSrtNet].rss_mib).median);
  s.ratio_met = s.ratio <= kTargetRatio;
  s.net_ratio_met = s.net_ratio <= kTargetRatio;
  s.landlock_ratio_met = s.landlock_ratio <= kTargetLandlockRatio;
  s.rss_met = s.srt_rss_mib <= kTargetSrtRssMib;
  if (srt_launch) {
    s.split = true;
    double floor = stats(cmds[kFloor].wall_ms).median;
    s.bwrap_srt_ratio = stats(cmds[kBwrapSrt].wall_ms).median / bwrap;
    s.floor_ratio = floor / bwrap;
    s.srt_over_floor = stats(cmds[kSrt].wall_ms).median / floor;
  }

  if (o.json)
    print_json(o, m, cmds, s);
  else
    print_table(o, m, cmds, s);
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) die_errno("writing stdout");
  return 0;
}
