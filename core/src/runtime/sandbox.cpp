// srt::Sandbox and srt::Child: settings -> policy -> backend -> launch ->
// supervision -> cleanup.
#include <srt/srt.hpp>

#include "net/decisions.hpp"
#include "plugin/backend.hpp"
#include "plugin/registry.hpp"
#include "policy/compile.hpp"
#include "policy/paths.hpp"
#include "runtime/child_state.hpp"
#include "runtime/command_path.hpp"
#include "runtime/confine.hpp"
#include "runtime/forwarder.hpp"
#include "runtime/locations.hpp"
#include "runtime/proxies.hpp"
#include "runtime/proxy_env.hpp"
#include "runtime/report.hpp"
#include "runtime/runtime_dir.hpp"
#include "runtime/session.hpp"
#include "runtime/spawn.hpp"
#include "runtime/violation_monitor.hpp"
#include "srt_config.hpp"
#include "util/strings.hpp"
#include "violations/ignore_filter.hpp"
#ifdef __linux__
#include "seccomp/filter.hpp"
#include "seccomp/program_cache.hpp"
#endif

#include <srt/policy_json.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

extern char **environ;

namespace srt {

const char *version() { return SRT_VERSION; }

#ifdef __linux__
namespace {

seccomp::Profile seccomp_profile(bool host_namespaces) {
  seccomp::Profile p;
  p.host_namespaces = host_namespaces;
  return p;
}

}  // namespace

std::vector<SyscallRule> syscall_filter(const ir::Policy &policy, bool host_namespaces) {
  std::vector<SyscallRule> out;
  for (const auto &r : seccomp::describe(policy, seccomp_profile(host_namespaces))) out.push_back({r.syscalls, r.when, r.action});
  return out;
}
#else
// Seccomp is Linux's; elsewhere the backend's own sandbox covers sockets.
std::vector<SyscallRule> syscall_filter(const ir::Policy &, bool) { return {}; }
#endif

namespace {

// The signals srt forwards; a launcher in srt's process group (allowPty)
// ignores them so that a terminal's signal reaches srt's decision, not
// bwrap's default action.
constexpr int kForwardedSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
// Candidates for "auto", in order of preference.
#ifdef __APPLE__
constexpr const char *kAutoBackends[] = {"seatbelt"};
#else
constexpr const char *kAutoBackends[] = {"bwrap", "landlock"};
#endif
// Descriptor numbers offered to a backend for its plan's files.
constexpr int kPlanFds = 4;
// Whether srt-enter gets a system-call filter to install (Linux's seccomp).
#ifdef __linux__
constexpr bool kHaveSeccomp = true;
#else
constexpr bool kHaveSeccomp = false;
#endif
// As srt-enter reports a command it cannot start (core/src/enter/sys.hpp).
constexpr int kExitNotExecutable = 126;
constexpr int kExitCommandNotFound = 127;
// What `srt policy explain` shows for the proxies' ports on 127.0.0.1 when
// the backend has no network namespace (at launch the kernel picks them).
constexpr std::uint16_t kExplainHttpPort = 40001;
constexpr std::uint16_t kExplainSocksPort = 40002;
// How much of a plan's file -d prints.
constexpr std::size_t kMaxDebugFileBytes = 2048;

std::string current_dir() {
  std::error_code ec;
  auto p = std::filesystem::current_path(ec);
  if (ec) throw SandboxError(fmt::format("cannot determine the current directory: {}", ec.message()));
  return p.string();
}

std::string home_dir() {
  const char *h = std::getenv("HOME");
  return (h && h[0] == '/') ? policy::normalize(h) : std::string("/");
}

std::vector<std::string> environ_vector() {
  std::vector<std::string> out;
  for (char **e = environ; e && *e; ++e) out.emplace_back(*e);
  return out;
}

LogLevel to_log_level(int plugin_level) {
  return plugin_level <= SRT_LOG_DEBUG ? LogLevel::debug
         : plugin_level == SRT_LOG_INFO ? LogLevel::info
         : plugin_level == SRT_LOG_WARN ? LogLevel::warn
                                        : LogLevel::error;
}

std::string shell_path() {
  struct stat st{};
  return ::stat("/bin/bash", &st) == 0 ? "/bin/bash" : "/bin/sh";
}

}  // namespace

// ---------------------------------------------------------------------------
// Sandbox

struct Sandbox::Impl {
  Settings settings;
  std::vector<std::string> warnings;
  Options options;
  runtime::Locations locations;
  std::unique_ptr<plugin::Registry> registry;
  // Shared by the proxies of every command of this Sandbox; created with the
  // first command that has network access.
  std::shared_ptr<net::Decider> decider;

  std::shared_ptr<net::Decider> network_decider(const ir::Policy &policy) {
    auto rules = std::make_shared<net::Rules>(policy.network);
    if (decider) {
      decider->update(std::move(rules));
      return decider;
    }
    net::DebugFn debug;
    if (options.debug && options.log) debug = [log = options.log](const std::string &line) { log(LogLevel::debug, line); };
    decider = std::make_shared<net::Decider>(std::move(rules), options.ask, net::system_resolve, net::InterfacesFn{}, std::move(debug));
    return decider;
  }

  void log(LogLevel level, const std::string &msg) const {
    if (!options.log) return;
    if (level == LogLevel::debug && !options.debug) return;
    options.log(level, msg);
  }

  void load_plugins() {
    locations = runtime::locate(options.plugin_dirs);
    if (!options.enter_path.empty()) locations.enter = options.enter_path;
    log(LogLevel::debug, fmt::format("srt {} at {} ({})", SRT_VERSION, locations.executable,
                                     locations.build_tree ? "build tree" : "installed"));
    registry = std::make_unique<plugin::Registry>([this](int level, const std::string &msg) { log(to_log_level(level), msg); });
    registry->load_directories(locations.plugin_dirs);
  }

  std::string cwd() const { return options.cwd.empty() ? current_dir() : options.cwd; }

  // `foreign_placeholder`: see policy::CompileContext; empty outside a launch.
  ir::Policy compile(const runtime::Dirs &dirs, std::function<bool(const std::string &)> foreign_placeholder = {}) const {
    policy::CompileContext ctx;
    ctx.foreign_placeholder = std::move(foreign_placeholder);
    std::string dir = cwd();
    auto r = policy::resolve(policy::normalize(dir));
    ctx.cwd = r.exists ? r.real : dir;
    ctx.home = home_dir();
    ctx.tmpdir = dirs.tmpdir;
    ctx.runtime_dir = dirs.base;
    ctx.getenv = [](const char *name) { return std::getenv(name); };
    ctx.live_network = options.live_network;
    if (options.debug) ctx.debug = [this](const std::string &line) { log(LogLevel::debug, line); };
    return policy::compile_policy(settings, ctx);
  }

  std::string requested_backend() const { return options.backend.empty() ? settings.srt.backend : options.backend; }

  // The backend to launch with and its (shallow) probe: the requested one, or
  // for "auto" the first usable candidate. Throws SandboxError naming each
  // candidate and why it is not usable.
  std::pair<std::string, plugin::Probe> choose(const std::string &policy_json) const {
    std::string wanted = requested_backend();
    if (wanted != "auto") {
      auto probe = backend(wanted).probe(policy_json, false);
      if (!probe.usable) throw SandboxError(fmt::format("backend \"{}\" is not usable here: {}", wanted, probe.reason));
      return {wanted, probe};
    }
    std::vector<std::string> why;
    for (const char *name : kAutoBackends) {
      const auto *info = registry->find(SRT_PLUGIN_BACKEND, name);
      if (!info) {
        why.push_back(fmt::format("{}: not installed", name));
        continue;
      }
      auto probe = plugin::Backend(*info).probe(policy_json, false);
      if (probe.usable) {
        log(LogLevel::debug, fmt::format("backend auto: {} is usable", name));
        // A fallback to a sandbox built differently is never silent.
        if (!why.empty())
          log(LogLevel::warn, fmt::format("using the {} backend ({}); set \"srt\": {{\"backend\": \"{}\"}} to choose it explicitly",
                                          name, util::join(why, "; "), name));
        return {name, probe};
      }
      why.push_back(fmt::format("{}: {}", name, probe.reason));
    }
    throw SandboxError(
        fmt::format("no usable sandbox backend here ({}); srt will not run the command unsandboxed", util::join(why, "; ")));
  }

  plugin::Backend backend(const std::string &name) const {
    const auto *info = registry->find(SRT_PLUGIN_BACKEND, name);
    if (!info) {
      std::vector<std::string> known;
      for (const auto &p : registry->plugins())
        if (p.state == plugin::State::loaded && p.kind == SRT_PLUGIN_BACKEND) known.push_back(p.name);
      throw SandboxError(fmt::format("no backend plugin \"{}\" found (available: {}; see `srt backends`)", name,
                                     known.empty() ? std::string("none") : util::join(known, ", ")));
    }
    return plugin::Backend(*info);
  }
};

Sandbox::Sandbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) { impl_->load_plugins(); }
Sandbox::Sandbox(Sandbox &&) noexcept = default;
Sandbox &Sandbox::operator=(Sandbox &&) noexcept = default;
Sandbox::~Sandbox() = default;

Sandbox Sandbox::from_file(const std::filesystem::path &file, Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->settings = load_settings_file(file, impl->warnings);
  return Sandbox(std::move(impl));
}

Sandbox Sandbox::from_default(Options options) {
  auto path = default_settings_path();
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0 || errno != ENOENT) return from_file(path, std::move(options));
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->settings = default_settings();
  impl->settings.source = fmt::format("<built-in default> ({} does not exist)", path.string());
  return Sandbox(std::move(impl));
}

Sandbox Sandbox::from_json(std::string_view json, Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->settings = parse_settings(json, "<settings JSON>", impl->warnings);
  return Sandbox(std::move(impl));
}

Sandbox Sandbox::from_settings(Settings settings, Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->settings = std::move(settings);
  if (impl->settings.source.empty()) impl->settings.source = "<settings value>";
  return Sandbox(std::move(impl));
}

const Settings &Sandbox::settings() const { return impl_->settings; }
const std::vector<std::string> &Sandbox::warnings() const { return impl_->warnings; }
const std::string &Sandbox::settings_source() const { return impl_->settings.source; }

ir::Policy Sandbox::compile() const {
  auto dirs = runtime::dir_paths();
  struct stat st{};
  if (::lstat((dirs.base + "/sessions").c_str(), &st) != 0) return impl_->compile(dirs);
  // As a launch sees it: placeholders a killed srt left behind are removed
  // (they would look like the user's files), those of running launches are
  // shared. The session holds srt's global lock until it goes.
  runtime::Session session(dirs, [this](const std::string &m) { impl_->log(LogLevel::debug, m); });
  return impl_->compile(dirs, session.foreign_placeholders());
}

std::vector<PluginStatus> Sandbox::plugins() const {
  std::vector<PluginStatus> out;
  for (const auto &p : impl_->registry->plugins()) {
    PluginStatus s;
    s.file = p.file;
    s.kind = p.descriptor || p.kind ? plugin::kind_name(p.kind) : "";
    s.name = p.name;
    s.version = p.version;
    s.summary = p.summary;
    s.abi_major = p.abi_major;
    s.abi_minor = p.abi_minor;
    s.state = p.state == plugin::State::loaded ? "loaded" : p.state == plugin::State::shadowed ? "shadowed" : "failed";
    s.error = p.error;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<BackendStatus> Sandbox::backends(const ir::Policy &policy, bool deep) const {
  std::string json = boost::json::serialize(ir::to_json(policy));
  std::vector<BackendStatus> out;
  for (const auto &p : impl_->registry->plugins()) {
    if (p.state != plugin::State::loaded || p.kind != SRT_PLUGIN_BACKEND) continue;
    BackendStatus s{p.name, p.file, p.version, p.summary, p.abi_major, p.abi_minor, false, "", {}, {}, false, false};
    try {
      auto probe = plugin::Backend(p).probe(json, deep);
      s.usable = probe.usable;
      s.reason = probe.reason;
      s.features = probe.features;
      s.feature_notes = probe.feature_notes;
      s.host_namespaces = probe.host_namespaces;
      s.keeps_absent_paths = probe.keeps_absent_paths;
    } catch (const Error &e) {
      s.reason = e.what();
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string Sandbox::choose_backend(const ir::Policy &policy) const {
  return impl_->choose(boost::json::serialize(ir::to_json(policy))).first;
}

namespace {

// The guarantees every launch needs from its backend (kWeakenableFeatures),
// in words. (A private process list, "pid_isolation", is bubblewrap's extra:
// `srt backends` shows whether a backend has it; the settings never ask.)
struct Need {
  const char *feature;
  const char *what;
};

constexpr Need kNeeds[] = {
    {"filesystem", "the filesystem rules"},
    {"network", "network isolation"},
    {"ipc_isolation", "isolation from other processes' signals and IPC"},
};

// What srt-enter answers when it cannot exec the command (same words, same
// exit statuses), for commands the core starts directly: the message on the
// command's stderr, the status returned.
int exec_failure(const std::string &program, int err, int stderr_fd) {
  std::string msg = err == ENOENT ? fmt::format("srt: {}: command not found\n", program)
                                  : fmt::format("srt: {}: {}\n", program, std::strerror(err));
  ssize_t n;
  do {
    n = ::write(stderr_fd, msg.data(), msg.size());
  } while (n < 0 && errno == EINTR);
  return err == ENOENT ? kExitCommandNotFound : err == EACCES || err == ENOEXEC || err == EISDIR ? kExitNotExecutable : kExitCommandNotFound;
}

// Where the proxies' sockets appear inside the sandbox, in the hidden runtime
// directory next to srt-enter.
std::string sandbox_net_dir(const runtime::Dirs &dirs) { return dirs.base + "/net"; }

// The parts of a launch that exist only when the command has network access.
struct NetworkLaunch {
  std::string http_token;   // srt's HTTP proxy's password; empty: an external proxy
  std::string socks_token;  // likewise for SOCKS
  std::string session_dir;  // where the proxies' sockets are on the host
  // For backends without namespaces: the proxies' ports on the host's
  // 127.0.0.1 (srt's own, or the user's external ones); no bridge.
  std::optional<runtime::ProxyAddress> host_loopback;
};

// The inherited JAVA_TOOL_OPTIONS of `env` ("NAME=value" list).
std::string env_value(const std::vector<std::string> &env, std::string_view name) {
  for (const auto &e : env)
    if (e.size() > name.size() && e.compare(0, name.size(), name) == 0 && e[name.size()] == '=') return e.substr(name.size() + 1);
  return {};
}


}  // namespace

// What srt asks a backend to launch: srt-enter (mounted inside the runtime
// directory, which the sandbox sees as an empty tmpfs, so bwrap makes the
// mount point there and nothing is created on the host) and the command.
static LaunchRequest build_request(const ir::Policy &policy, const Command &command, const std::string &enter_host_path,
                                   const runtime::Dirs &dirs, int report_fd, int seccomp_fd, const NetworkLaunch *network,
                                   const std::vector<int> &plan_fds, bool host_namespaces) {
  LaunchRequest req;
  req.enter_host_path = enter_host_path;
  // Without a mount namespace srt-enter can only be where it is.
  req.enter_sandbox_path = host_namespaces ? enter_host_path : dirs.base + "/enter";
  req.enter_argv = {req.enter_sandbox_path, "--report-fd", std::to_string(report_fd)};
  if (seccomp_fd >= 0) req.enter_argv.insert(req.enter_argv.end(), {"--seccomp-fd", std::to_string(seccomp_fd)});
  // Signals srt's caller left at their default action may be ignored in the
  // launcher (see kForwardedSignals): srt-enter restores them.
  std::vector<std::string> reset;
  for (int sig : kForwardedSignals) {
    struct sigaction cur{};
    if (::sigaction(sig, nullptr, &cur) == 0 && cur.sa_handler != SIG_IGN) reset.push_back(std::to_string(sig));
  }
  if (!reset.empty()) req.enter_argv.insert(req.enter_argv.end(), {"--reset-signals", util::join(reset, ",")});
  if (!policy.process.allow_pty) req.enter_argv.push_back("--own-process-group");
  req.env = command.env ? *command.env : environ_vector();
  if (network && network->host_loopback) {
    const auto &at = *network->host_loopback;
    req.proxy_ports = {at.http_port, at.socks_port};
    req.env_set = runtime::proxy_environment(at, network->http_token, network->socks_token, req.enter_sandbox_path,
                                             env_value(req.env, "JAVA_TOOL_OPTIONS"));
  } else if (network) {
    std::string inside = sandbox_net_dir(dirs);
    req.binds.push_back({network->session_dir, inside});
    // srt starts the proxies while the sandbox is built (Sandbox::spawn).
    req.enter_argv.insert(req.enter_argv.end(),
                          {"--await-go", "--bridge", fmt::format("{}={}/{}", runtime::kSandboxHttpPort, inside, runtime::kHttpSocketName),
                           "--bridge", fmt::format("{}={}/{}", runtime::kSandboxSocksPort, inside, runtime::kSocksSocketName)});
    req.env_set = runtime::proxy_environment(runtime::ProxyAddress{}, network->http_token, network->socks_token,
                                             req.enter_sandbox_path, env_value(req.env, "JAVA_TOOL_OPTIONS"));
  }
  req.enter_argv.push_back("--");
  if (command.shell) req.command = {shell_path(), "-c", *command.shell};
  else req.command = command.argv;
  req.enter_argv.insert(req.enter_argv.end(), req.command.begin(), req.command.end());
  std::vector<std::string> env = req.env;
  for (const auto &[k, v] : policy.process.env_set) env.push_back(k + "=" + v);
  req.command_path = runtime::resolve_command(req.command[0], env, policy.process.cwd);
  req.inherited_fds = {report_fd};
  if (seccomp_fd >= 0) req.inherited_fds.push_back(seccomp_fd);
  // Without a bridge and a terminal, srt-enter would only install the filter
  // and report: a launcher that can do both saves starting it.
  if (!network && !policy.process.allow_pty && !host_namespaces && seccomp_fd >= 0)
    req.direct = LaunchRequest::Direct{seccomp_fd, report_fd};
  req.plan_fds = plan_fds;
  req.is_root = ::geteuid() == 0;
  return req;
}

LaunchPlan Sandbox::render(const ir::Policy &policy, const std::string &backend, const Command &command) const {
  // The descriptor numbers are those a launch from a shell would get; the
  // proxies' password is made at launch.
  auto dirs = runtime::dir_paths();
  NetworkLaunch network{policy.network.http_proxy_port ? "" : "<token>", policy.network.socks_proxy_port ? "" : "<token>",
                        dirs.base + "/sessions/<session>", std::nullopt};
  std::string policy_json = boost::json::serialize(ir::to_json(policy));
  auto be = impl_->backend(backend);
  bool host_namespaces = be.probe(policy_json, false).host_namespaces;
  if (host_namespaces) {
    network.host_loopback = runtime::ProxyAddress{"127.0.0.1", policy.network.http_proxy_port.value_or(kExplainHttpPort),
                                                  policy.network.socks_proxy_port.value_or(kExplainSocksPort)};
  }
  auto req = build_request(policy, command, impl_->locations.enter, dirs, 3, kHaveSeccomp ? 4 : -1,
                           policy.network.proxied ? &network : nullptr, {5, 6, 7, 8}, host_namespaces);
  // A placeholder command (explain's "<command>") is shown as one that exists.
  if (req.command_path.empty()) req.command_path = "/" + req.command[0];
  return be.render(policy_json, req);
}

Child Sandbox::spawn(const Command &command, SpawnOptions options) {
  if (command.argv.empty() && !command.shell) throw SandboxError("no command given");
  auto &impl = *impl_;
  auto dirs = runtime::ensure_dirs();
  auto state = std::make_unique<Child::State>();
  // The session first: it removes what a killed srt left behind, before the
  // compiler looks at the disk.
  state->session = std::make_unique<runtime::Session>(dirs, [&impl](const std::string &m) { impl.log(LogLevel::debug, m); });
  ir::Policy policy = impl.compile(dirs, state->session->foreign_placeholders());
  state->session->end_compile();
  for (const auto &w : policy.warnings) impl.log(LogLevel::warn, w);

  std::string policy_json = boost::json::serialize(ir::to_json(policy));
  // (Named copies: lambdas below capture them, which structured bindings
  // allow only from clang 16.)
  const auto choice = impl.choose(policy_json);
  const std::string &backend_name = choice.first;
  const plugin::Probe &probe = choice.second;
  auto backend = impl.backend(backend_name);
  const auto &accepted = impl.settings.srt.acceptWeaker;
  for (const auto &need : kNeeds) {
    auto it = probe.features.find(need.feature);
    std::string level = it == probe.features.end() ? "unsupported" : it->second;
    if (level == "enforced") continue;
    auto note = probe.feature_notes.find(need.feature);
    std::string detail = note == probe.feature_notes.end() ? level : note->second;
    if (std::find(accepted.begin(), accepted.end(), need.feature) != accepted.end()) {
      impl.log(LogLevel::debug, fmt::format("accepted by srt.acceptWeaker: {} is {} ({})", need.what, level, detail));
      continue;
    }
    throw SandboxError(fmt::format(
        "backend \"{}\" cannot fully enforce {} here: {}. srt will not run the command with less than the policy asks; "
        "to accept this weaker sandbox, add \"{}\" to \"srt\": {{\"acceptWeaker\": [...]}} in {} (or use a backend that enforces it)",
        backend_name, need.what, detail, need.feature, impl.settings.source));
  }

  struct stat st{};
  if (::stat(impl.locations.enter.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw SandboxError(fmt::format("srt's helper srt-enter is missing at {}; reinstall srt", util::quoted(impl.locations.enter)));

  state->log = [log = impl.options.log, debug = impl.options.debug](LogLevel level, const std::string &msg) {
    if (log && (debug || level != LogLevel::debug)) log(level, msg);
  };
  state->reap_orphans = options.reap_orphans;
  state->own_group = !policy.process.allow_pty;
  // (A backend whose rules match paths keeps absent ones absent by itself:
  // no ghost files in the user's tree.)
  if (!probe.keeps_absent_paths) state->session->create_placeholders(policy.filesystem.mounts);

  // srt's proxies (and relays to external ones). With a network namespace
  // they start while bwrap builds the sandbox, and srt-enter waits for srt's
  // go before the command starts; without one their ports go into the
  // command's environment, so they start first.
  std::optional<NetworkLaunch> network;
  std::string proxy_token;
  auto start_network = [&] {
    const auto &n = policy.network;
    // An external proxy (httpProxyPort / socksProxyPort) takes the place of
    // srt's own: srt relays to it and it does the filtering. Without a
    // network namespace the command reaches it directly.
    if ((n.http_proxy_port || n.socks_proxy_port) && !probe.host_namespaces) {
      state->forwarder = std::make_unique<runtime::Forwarder>(impl.locations.enter, state->session->dir(), n.http_proxy_port,
                                                              n.socks_proxy_port);
      impl.log(LogLevel::debug, fmt::format("relaying to the external proxy on 127.0.0.1 port(s){}{}",
                                            n.http_proxy_port ? fmt::format(" {} (HTTP)", *n.http_proxy_port) : "",
                                            n.socks_proxy_port ? fmt::format(" {} (SOCKS)", *n.socks_proxy_port) : ""));
    }
    if (!n.http_proxy_port || !n.socks_proxy_port)
      state->proxies = std::make_unique<runtime::Proxies>(
          *impl.registry, impl.network_decider(policy), state->session->dir(),
          [log = state->log](int level, const std::string &msg) {
            if (log) log(to_log_level(level), msg);
          },
          proxy_token, !n.http_proxy_port, !n.socks_proxy_port, probe.host_namespaces);
  };
  if (policy.network.proxied) {
    const auto &n = policy.network;
    network = NetworkLaunch{"", "", state->session->dir(), std::nullopt};
    if (!n.http_proxy_port || !n.socks_proxy_port) proxy_token = runtime::make_proxy_token();
    if (!n.http_proxy_port) network->http_token = proxy_token;
    if (!n.socks_proxy_port) network->socks_token = proxy_token;
    if (probe.host_namespaces) {
      start_network();
      network->host_loopback = runtime::ProxyAddress{
          "127.0.0.1", n.http_proxy_port ? *n.http_proxy_port : state->proxies->http_port(),
          n.socks_proxy_port ? *n.socks_proxy_port : state->proxies->socks_port()};
      impl.log(LogLevel::debug, fmt::format("proxies on 127.0.0.1: HTTP port {}, SOCKS port {}", network->host_loopback->http_port,
                                            network->host_loopback->socks_port));
    }
  }
  const bool network_after_launch = network && !network->host_loopback;
  // The filter srt-enter (or the core, for a plan that runs the command
  // directly) applies just before exec: built here, where libseccomp may
  // allocate. (None where there is no seccomp.)
  std::string filter_program;
#ifdef __linux__
  filter_program = seccomp::cached_program(policy, seccomp_profile(probe.host_namespaces), dirs.base,
                                           [&impl](const std::string &m) { impl.log(LogLevel::debug, m); });
#endif

  // Our fds in the launcher go where the caller's inherited fds are not
  // (the command gets none of them: srt-enter or the core closes them).
  // Spawning parks every source descriptor before placing it, so a
  // descriptor opened later may hold one of these numbers.
  auto targets = runtime::free_fd_numbers(3, 2 + kPlanFds);
  int report_target = targets[0];
  int seccomp_target = targets[1];
  std::vector<int> plan_fds(targets.begin() + 2, targets.end());

  auto req = build_request(policy, command, impl.locations.enter, dirs, report_target, kHaveSeccomp ? seccomp_target : -1,
                           network ? &*network : nullptr, plan_fds, probe.host_namespaces);
  LaunchPlan plan = backend.render(policy_json, req);
  impl.log(LogLevel::debug, fmt::format("backend {} rendered the launch", backend_name));
  runtime::PreparedConfinement confinement;
  runtime::prepare_confinement(plan.confine, confinement, [&impl](const std::string &m) { impl.log(LogLevel::debug, m); });
  // The plan runs the command itself: the core does what srt-enter would.
  const bool direct = plan.confine.syscall_filter;
  if (direct) runtime::prepare_direct_exec(filter_program, confinement);
  // The plan's launcher runs the command, installs the filter and reports.
  const bool launcher_reports = !plan.launcher_status.empty();
  if (launcher_reports && !req.direct)
    throw SandboxError(fmt::format("backend \"{}\" planned to run the command without srt-enter, which srt did not offer for this launch",
                                   backend_name));
  // The filter srt-enter or the launcher loads, and the channel it reports
  // on. A plan that runs the command directly needs neither.
  struct FdCloser {
    int fd = -1;
    ~FdCloser() {
      if (fd >= 0) ::close(fd);
    }
  } seccomp_memfd, child_end;
  if (!direct) {
    if (kHaveSeccomp) seccomp_memfd.fd = runtime::make_memfd("srt-seccomp", filter_program);
    auto channel = launcher_reports ? runtime::make_status_pipe() : runtime::make_report_channel();
    (launcher_reports ? state->status_fd : state->report_fd) = channel.parent_fd;
    child_end.fd = channel.child_fd;
  }
  if (plan.confine.landlock)
    impl.log(LogLevel::debug, fmt::format("Landlock ruleset built: {} path rules, {} port rules", plan.confine.landlock->paths.size(),
                                          plan.confine.landlock->ports.size()));
  if (impl.options.debug) {
    std::string line = "launch:";
    for (const auto &a : plan.argv) line += " " + (a.find_first_of(" \t\n\"'\\$") == std::string::npos && !a.empty() ? a : util::quoted(a));
    impl.log(LogLevel::debug, line);
    for (const auto &f : plan.files) {
      std::string text = f.content.substr(0, kMaxDebugFileBytes);
      std::replace(text.begin(), text.end(), '\0', ' ');
      impl.log(LogLevel::debug, fmt::format("launch file {} on fd {} ({} bytes): {}{}", f.name, f.fd, f.content.size(), text,
                                            f.content.size() > kMaxDebugFileBytes ? " ..." : ""));
    }
  }

  runtime::SpawnSpec spec;
  spec.argv = plan.argv;
  spec.program = plan.program;
  spec.env = plan.env;
  spec.new_process_group = state->own_group;
  spec.fd_limit = options.fd_limit;
  // Nothing srt's caller left open reaches the launcher, only what is placed.
  spec.close_other_fds = true;
  // A launcher in srt's process group (allowPty) ignores the forwarded
  // signals, which the terminal sends it too (srt-enter restores them); one
  // in its own group gets no terminal signals, and a command started
  // directly keeps the dispositions srt's caller gave.
  if (!direct && !state->own_group) spec.ignore_signals.assign(std::begin(kForwardedSignals), std::end(kForwardedSignals));
  spec.cwd = plan.cwd;
  if (!plan.confine.empty()) spec.confine = &confinement;
  if (!direct) {
    spec.fds.emplace_back(child_end.fd, report_target);
    if (seccomp_memfd.fd >= 0) spec.fds.emplace_back(seccomp_memfd.fd, seccomp_target);
  }
  std::vector<int> memfds;
  struct MemfdCloser {
    std::vector<int> &fds;
    ~MemfdCloser() {
      for (int fd : fds) ::close(fd);
    }
  } memfd_closer{memfds};
  for (const auto &f : plan.files) {
    if (std::find(plan_fds.begin(), plan_fds.end(), f.fd) == plan_fds.end())
      throw SandboxError(fmt::format("backend \"{}\" placed a file on descriptor {}, which srt did not offer it", backend_name, f.fd));
    memfds.push_back(runtime::make_memfd(f.name, f.content));
    spec.fds.emplace_back(memfds.back(), f.fd);
  }
  if (options.stdin_fd >= 0) spec.fds.emplace_back(options.stdin_fd, 0);
  if (options.stdout_fd >= 0) spec.fds.emplace_back(options.stdout_fd, 1);
  if (options.stderr_fd >= 0) spec.fds.emplace_back(options.stderr_fd, 2);

  // Before the command, so that its first denials are seen.
  if (plan.violation_log) {
    try {
      state->monitor = std::make_unique<runtime::ViolationMonitor>(*plan.violation_log, impl.options.debug, state->log);
    } catch (const SandboxError &e) {
      impl.log(LogLevel::warn, fmt::format("cannot watch the sandbox's log of denials ({}); the command runs as confined as ever, "
                                           "but what the sandbox denies it will not be reported",
                                           e.what()));
    }
  }
#ifdef __linux__
  if (options.reap_orphans && ::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
    throw SandboxError(fmt::format("prctl(PR_SET_CHILD_SUBREAPER): {}", std::strerror(errno)));
#else
  if (options.reap_orphans)
    throw SandboxError("reaping orphans needs a child subreaper (Linux's PR_SET_CHILD_SUBREAPER), which this system does not have");
#endif
  if (launcher_reports) {
    state->launcher_status = plan.launcher_status;
    state->report_eof = true;  // no srt-enter, no report
  }
  if (!direct) {
    state->launcher = runtime::spawn(spec);
    if (network_after_launch) {
      start_network();  // a failure kills the launcher (~State): the command never ran
      runtime::send_go(state->report_fd);
      impl.log(LogLevel::debug, "proxies started; srt-enter may start the command");
    }
    return Child(std::move(state));
  }
  // Started directly, the launcher is the command, running once spawn returns.
  state->report_eof = true;
  try {
    state->launcher = runtime::spawn(spec);
  } catch (const runtime::ExecError &e) {
    state->finish_unstarted(exec_failure(plan.program.empty() ? plan.argv[0] : plan.program, e.err,
                                         options.stderr_fd >= 0 ? options.stderr_fd : STDERR_FILENO));
    return Child(std::move(state));
  }
  state->command_pid = state->launcher;
  impl.log(LogLevel::debug, fmt::format("the command is pid {}", state->launcher));
  return Child(std::move(state));
}

std::vector<std::string> Sandbox::update(Settings settings) {
  auto &impl = *impl_;
  std::vector<std::string> not_live;
  if (!(settings.filesystem == impl.settings.filesystem))
    not_live.push_back("filesystem rules are not live: running commands keep the ones they started with; new commands get the new ones");
  if (settings.network.allowAllUnixSockets != impl.settings.network.allowAllUnixSockets ||
      settings.allowPty != impl.settings.allowPty || settings.allowNestedUserNamespaces != impl.settings.allowNestedUserNamespaces)
    not_live.push_back("process settings (allowAllUnixSockets, allowPty, allowNestedUserNamespaces) are not live: they apply to new commands");
  if (settings.source.empty()) settings.source = "<settings update>";
  if (impl.decider) {
    ir::Policy scratch;
    policy::compile_network_rules(settings, impl.options.live_network, scratch);
    impl.decider->update(std::make_shared<net::Rules>(scratch.network));
  }
  impl.settings = std::move(settings);
  return not_live;
}

std::vector<NetworkRefusal> Sandbox::network_refusals() const {
  return impl_->decider ? impl_->decider->refusals() : std::vector<NetworkRefusal>{};
}

bool Sandbox::ignores_violation(const Command &command, std::string_view line) const {
  violations::IgnoreFilter filter(impl_->settings.ignoreViolations, violations::command_line(command.argv, command.shell), home_dir());
  return filter.ignores(line);
}

}  // namespace srt
