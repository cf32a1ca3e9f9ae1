// The C++ SDK for srt plugins, header-only, over the C ABI of srt/plugin.h.
// srt's own plugins use exactly this SDK.
//
// Writing a backend:
//
//   #include <srt/plugin.hpp>
//   class MyBackend : public srt::sdk::Backend {
//    public:
//     srt::sdk::ProbeResult probe(const srt::ir::Policy &, bool deep) override;
//     srt::LaunchPlan render(const srt::ir::Policy &, const srt::LaunchRequest &) override;
//   };
//   SRT_BACKEND_PLUGIN(MyBackend, "mybackend", "1.0", "One line saying what it does")
//
// The macro defines the exported entry point, creates one instance of the
// class on first use (never destroyed: srt never unloads plugins), parses the
// IR and the request, and turns every exception into an error status with the
// exception's message, so that nothing crosses the C boundary. Throw
// sdk::Unsupported or sdk::Unavailable to return those statuses.
//
// Threads: srt calls probe and render from one thread at a time. sdk::log may
// be called from any thread.
//
// Writing a network plugin (a filtering proxy):
//
//   class MyProxy : public srt::sdk::Proxy { ... };   // listens, relays, stops
//   class MyNetwork : public srt::sdk::Network {
//    public:
//     std::unique_ptr<srt::sdk::Proxy> start(srt::sdk::NetHost host, const srt::sdk::ProxyConfig &) override;
//   };
//   SRT_NETWORK_PLUGIN(MyNetwork, "myproto", "1.0", "One line saying what it does")
//
// A proxy asks NetHost::decide for every destination and connects only to
// the addresses the verdict lists.
//
// Exactly one translation unit of a plugin may use SRT_*_PLUGIN. A plugin
// that is built as a shared module must also export nothing but
// srt_plugin_entry_v1 (use the version script srt-plugin.map).
#pragma once

#include <srt/launch.hpp>
#include <srt/plugin.h>
#include <srt/policy_json.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace srt::sdk {

// The environment a launched command gets: the request's environment minus
// the policy's env_unset, plus its env_set, plus the request's own env_set
// (srt's proxy settings), which nothing in the policy can remove.
inline std::vector<std::string> command_environment(const ir::Policy &policy, const LaunchRequest &request) {
  auto name_of = [](const std::string &entry) { return entry.substr(0, entry.find('=')); };
  std::vector<std::string> drop(policy.process.env_unset.begin(), policy.process.env_unset.end());
  for (const auto &[k, v] : policy.process.env_set) drop.push_back(k);
  for (const auto &[k, v] : request.env_set) drop.push_back(k);
  std::vector<std::string> env;
  for (const auto &e : request.env) {
    std::string name = name_of(e);
    bool dropped = false;
    for (const auto &d : drop) dropped = dropped || d == name;
    if (!dropped) env.push_back(e);
  }
  for (const auto &[k, v] : policy.process.env_set)
    if (!request.env_set.count(k)) env.push_back(k + "=" + v);
  for (const auto &[k, v] : request.env_set) env.push_back(k + "=" + v);
  return env;
}

// How well a backend enforces one feature of the IR.
inline constexpr const char *kEnforced = "enforced";
inline constexpr const char *kDegraded = "degraded";
inline constexpr const char *kUnsupported = "unsupported";

struct ProbeResult {
  bool usable = false;
  std::string reason;  // when not usable: why, and what to do
  // feature -> kEnforced | kDegraded | kUnsupported. Features: "filesystem",
  // "network", "ipc_isolation" (signals, abstract Unix sockets, System V
  // IPC of processes outside), "pid_isolation", "pty". (Unix sockets, user
  // namespaces and the other system calls srt refuses are filtered by
  // srt-enter, whatever the backend.)
  std::map<std::string, std::string> features;
  // For each feature not enforced: what is missing, in one sentence; for an
  // enforced one, its limits worth knowing, if any.
  std::map<std::string, std::string> feature_notes;
  // The sandbox has no namespaces of its own (same mounts, network and
  // processes as the host): srt's proxies then listen on the host's
  // 127.0.0.1 (LaunchRequest::proxy_ports) and srt-enter is used where it is
  // installed.
  bool host_namespaces = false;
  // The backend's rules keep a protected path that does not exist from being
  // created, whatever happens to its parent later (they match paths, as
  // Seatbelt's do): srt then makes no placeholders on the host. False: srt
  // makes them (a mount point, or a file a Landlock rule can name).
  bool keeps_absent_paths = false;
};

class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class Unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Must be fast and side-effect free unless `deep` (see srt_backend_v1).
  virtual ProbeResult probe(const ir::Policy &policy, bool deep) = 0;
  // Pure: builds the plan, starts nothing.
  virtual LaunchPlan render(const ir::Policy &policy, const LaunchRequest &request) = 0;
};

// The core's answer for one destination (srt_net_host_v1.decide).
struct Verdict {
  bool allow = false;
  std::string host;                    // canonical host (when allowed)
  std::vector<std::string> addresses;  // connect to these, in order, and nothing else
  std::string reason;                  // why not (when refused)
  std::string kind;                    // "allowlist" | "address" | "malformed" | "unreachable" (when refused)
};

// The core's decisions, lent to one running proxy. Copyable; valid until the
// proxy's stop() returns. Thread-safe.
class NetHost {
 public:
  explicit NetHost(const srt_net_host_v1 *host) : host_(host) {}
  // BLOCKS (DNS, the library's ask callback): call it from a thread that may
  // wait. A host failure is returned as a refusal, never thrown.
  Verdict decide(std::string_view host, std::uint16_t port, srt_net_protocol protocol) const;
  // Logs to the srt session that started this proxy. Thread-safe.
  void log(srt_log_level level, std::string_view message) const {
    if (host_ && host_->log) host_->log(host_->ctx, level, srt_str{message.data(), message.size()});
  }

 private:
  const srt_net_host_v1 *host_;
};

struct ProxyConfig {
  struct Listen {
    std::string unix_path;  // either a Unix socket path...
    std::string tcp;        // ...or "address:port" ("127.0.0.1:0": any free port)
  };
  std::vector<Listen> listen;
  std::optional<std::string> token;  // required password; none: no credentials asked
};

// One running proxy, as returned by Network::start. Listening from the moment
// it is returned.
class Proxy {
 public:
  virtual ~Proxy() = default;
  // Where it listens; for TCP the actual port.
  virtual std::vector<ProxyConfig::Listen> endpoints() const = 0;
  // Stops accepting, closes every connection, joins every thread. Called
  // once, before destruction.
  virtual void stop() = 0;
};

class Network {
 public:
  virtual ~Network() = default;
  // Throws (std::exception) when the proxy cannot start; nothing is left
  // listening then.
  virtual std::unique_ptr<Proxy> start(NetHost host, const ProxyConfig &config) = 0;
};

namespace detail {

inline std::atomic<const srt_host_v1 *> g_host{nullptr};

inline void append(srt_sink *sink, std::string_view s) {
  if (sink && sink->append) sink->append(sink->ctx, s.data(), s.size());
}

template <class Fn>
int32_t guarded(srt_sink *error, Fn &&fn) noexcept {
  try {
    fn();
    return SRT_OK;
  } catch (const Unsupported &e) {
    append(error, e.what());
    return SRT_ERR_UNSUPPORTED;
  } catch (const Unavailable &e) {
    append(error, e.what());
    return SRT_ERR_UNAVAILABLE;
  } catch (const ir::JsonError &e) {
    append(error, e.what());
    return SRT_ERR_INVALID_ARGUMENT;
  } catch (const std::exception &e) {
    append(error, e.what());
    return SRT_ERR_INTERNAL;
  } catch (...) {
    append(error, "unknown exception in plugin");
    return SRT_ERR_INTERNAL;
  }
}

inline std::string_view view(srt_str s) { return {s.data ? s.data : "", s.len}; }

inline boost::json::value parse_json(srt_str s, const char *what) {
  boost::system::error_code ec;
  auto v = boost::json::parse(view(s), ec);
  if (ec) throw ir::JsonError(std::string(what) + ": not valid JSON: " + ec.message());
  return v;
}

template <class T>
struct BackendGlue {
  static T &instance() {
    static T *object = new T();  // never destroyed: plugins are never unloaded
    return *object;
  }

  // srt passes the same policy text to probe and then to render: it is
  // parsed once. Calls come from one thread at a time (srt/plugin.h).
  static const ir::Policy &policy_of(srt_str policy_json) {
    static std::string text;
    static ir::Policy policy;
    std::string_view now = view(policy_json);
    if (text.empty() || text != now) {
      text.clear();  // no stale match if parsing throws
      policy = ir::policy_from_json(parse_json(policy_json, "policy"));
      text.assign(now);
    }
    return policy;
  }

  static int32_t probe(void *, srt_str policy_json, srt_str options_json, srt_sink *report, srt_sink *error) {
    return guarded(error, [&] {
      const ir::Policy &policy = policy_of(policy_json);
      bool deep = false;
      if (options_json.len) {
        auto opts = parse_json(options_json, "probe options");
        if (opts.is_object())
          if (auto *d = opts.get_object().if_contains("deep"); d && d->is_bool()) deep = d->get_bool();
      }
      ProbeResult r = instance().probe(policy, deep);
      boost::json::object o;
      o["usable"] = r.usable;
      o["reason"] = r.reason;
      boost::json::object f;
      for (const auto &[k, v] : r.features) f[k] = v;
      o["features"] = std::move(f);
      boost::json::object notes;
      for (const auto &[k, v] : r.feature_notes) notes[k] = v;
      o["feature_notes"] = std::move(notes);
      o["host_namespaces"] = r.host_namespaces;
      o["keeps_absent_paths"] = r.keeps_absent_paths;
      append(report, boost::json::serialize(o));
    });
  }

  static int32_t render(void *, srt_str policy_json, srt_str request_json, srt_sink *plan, srt_sink *error) {
    return guarded(error, [&] {
      const ir::Policy &policy = policy_of(policy_json);
      auto request = launch_request_from_json(parse_json(request_json, "request"));
      LaunchPlan p = instance().render(policy, request);
      append(plan, boost::json::serialize(to_json(p)));
    });
  }

  static int32_t entry(const srt_host_v1 *host, const srt_plugin_v1 **out, srt_sink *error, const char *name,
                       const char *version, const char *summary) noexcept {
    return guarded(error, [&] {
      if (!host || host->struct_size < sizeof(srt_host_v1) || host->abi_major != SRT_PLUGIN_ABI_MAJOR)
        throw Unsupported("this plugin needs srt plugin ABI " + std::to_string(SRT_PLUGIN_ABI_MAJOR) + ".x");
      g_host.store(host);
      instance();
      static const srt_backend_v1 table = {sizeof(srt_backend_v1), &BackendGlue::probe, &BackendGlue::render};
      static const srt_plugin_v1 descriptor = {
          sizeof(srt_plugin_v1), SRT_PLUGIN_ABI_MAJOR, SRT_PLUGIN_ABI_MINOR, SRT_PLUGIN_BACKEND, name, version, summary,
          SRT_IR_VERSION,        nullptr,            &table};
      *out = &descriptor;
    });
  }
};

template <class T>
struct NetworkGlue {
  static T &instance() {
    static T *object = new T();  // never destroyed: plugins are never unloaded
    return *object;
  }

  static ProxyConfig parse_config(srt_str config_json) {
    auto v = parse_json(config_json, "proxy config");
    const auto &o = ir::json_detail::as_object(v, "config");
    ProxyConfig c;
    const auto &listen = ir::json_detail::as_array(ir::json_detail::field(o, "listen", "config"), "config.listen");
    for (std::size_t i = 0; i < listen.size(); ++i) {
      std::string w = "config.listen[" + std::to_string(i) + "]";
      const auto &l = ir::json_detail::as_object(listen[i], w);
      ProxyConfig::Listen e;
      e.unix_path = ir::json_detail::opt_string(l, "unix", w);
      e.tcp = ir::json_detail::opt_string(l, "tcp", w);
      if (e.unix_path.empty() == e.tcp.empty()) throw ir::JsonError(w + ": expected exactly one of \"unix\" and \"tcp\"");
      c.listen.push_back(std::move(e));
    }
    if (auto *t = o.if_contains("token"); t && !t->is_null()) c.token = ir::json_detail::as_string(*t, "config.token");
    return c;
  }

  static int32_t start(void *, const srt_net_host_v1 *host, srt_str config_json, void **instance, srt_sink *endpoints,
                       srt_sink *error) {
    return guarded(error, [&] {
      if (!host || host->struct_size < sizeof(srt_net_host_v1) || !host->decide || !host->log || !instance)
        throw Unsupported("srt passed no usable network host table");
      auto proxy = instance_start(host, parse_config(config_json));
      boost::json::array a;
      for (const auto &e : proxy->endpoints()) {
        boost::json::object eo;
        if (!e.unix_path.empty()) eo["unix"] = e.unix_path;
        else eo["tcp"] = e.tcp;
        a.emplace_back(std::move(eo));
      }
      boost::json::object o;
      o["endpoints"] = std::move(a);
      std::string text = boost::json::serialize(o);
      *instance = proxy.release();
      append(endpoints, text);
    });
  }

  static std::unique_ptr<Proxy> instance_start(const srt_net_host_v1 *host, const ProxyConfig &config) {
    auto proxy = instance().start(NetHost(host), config);
    if (!proxy) throw std::runtime_error("the plugin started no proxy");
    return proxy;
  }

  static int32_t stop(void *, void *instance, srt_sink *error) {
    return guarded(error, [&] {
      std::unique_ptr<Proxy> proxy(static_cast<Proxy *>(instance));
      if (proxy) proxy->stop();
    });
  }

  static int32_t entry(const srt_host_v1 *host, const srt_plugin_v1 **out, srt_sink *error, const char *name,
                       const char *version, const char *summary) noexcept {
    return guarded(error, [&] {
      if (!host || host->struct_size < sizeof(srt_host_v1) || host->abi_major != SRT_PLUGIN_ABI_MAJOR ||
          host->abi_minor < 1)
        throw Unsupported("this plugin needs srt plugin ABI " + std::to_string(SRT_PLUGIN_ABI_MAJOR) + ".1 or later");
      g_host.store(host);
      instance();
      static const srt_network_v1 table = {sizeof(srt_network_v1), &NetworkGlue::start, &NetworkGlue::stop};
      static const srt_plugin_v1 descriptor = {
          sizeof(srt_plugin_v1), SRT_PLUGIN_ABI_MAJOR, SRT_PLUGIN_ABI_MINOR, SRT_PLUGIN_NETWORK, name, version, summary,
          SRT_IR_VERSION,        nullptr,            &table};
      *out = &descriptor;
    });
  }
};

}  // namespace detail

inline Verdict NetHost::decide(std::string_view host, std::uint16_t port, srt_net_protocol protocol) const {
  struct Text {
    std::string s;
    static void append(void *ctx, const char *d, std::size_t n) { static_cast<Text *>(ctx)->s.append(d, n); }
  } text;
  srt_sink sink{&text, &Text::append};
  Verdict v;
  v.kind = "allowlist";
  if (!host_ || !host_->decide ||
      host_->decide(host_->ctx, srt_str{host.data(), host.size()}, port, protocol, &sink) != SRT_OK) {
    v.reason = "srt could not decide";
    return v;
  }
  boost::system::error_code ec;
  auto j = boost::json::parse(text.s, ec);
  const auto *o = ec ? nullptr : j.if_object();
  if (!o) {
    v.reason = "srt answered a malformed verdict";
    return v;
  }
  auto str = [&](const char *k) -> std::string {
    auto *x = o->if_contains(k);
    return x && x->is_string() ? std::string(x->get_string()) : std::string();
  };
  auto *allow = o->if_contains("allow");
  v.allow = allow && allow->is_bool() && allow->get_bool();
  v.host = str("host");
  v.reason = str("reason");
  if (auto k = str("kind"); !k.empty()) v.kind = k;
  if (auto *a = o->if_contains("addresses"); a && a->is_array())
    for (const auto &x : a->get_array())
      if (x.is_string()) v.addresses.emplace_back(x.get_string());
  if (v.allow && v.addresses.empty()) {  // nothing may be dialed: a refusal
    v.allow = false;
    v.kind = "address";
    if (v.reason.empty()) v.reason = "no address to connect to";
  }
  return v;
}

// Logs through srt (shown according to srt's verbosity). Thread-safe. A
// network plugin logs through NetHost::log instead, so that its lines reach
// the session that runs it.
inline void log(srt_log_level level, std::string_view message) {
  const srt_host_v1 *h = detail::g_host.load();
  if (h && h->log) h->log(h->ctx, level, srt_str{message.data(), message.size()});
}

}  // namespace srt::sdk

#define SRT_BACKEND_PLUGIN(Class, Name, Version, Summary)                                                     \
  extern "C" __attribute__((visibility("default"))) int32_t srt_plugin_entry_v1(                              \
      const srt_host_v1 *host, const srt_plugin_v1 **out, srt_sink *error) {                                  \
    return ::srt::sdk::detail::BackendGlue<Class>::entry(host, out, error, Name, Version, Summary);           \
  }

#define SRT_NETWORK_PLUGIN(Class, Name, Version, Summary)                                                     \
  extern "C" __attribute__((visibility("default"))) int32_t srt_plugin_entry_v1(                              \
      const srt_host_v1 *host, const srt_plugin_v1 **out, srt_sink *error) {                                  \
    return ::srt::sdk::detail::NetworkGlue<Class>::entry(host, out, error, Name, Version, Summary);           \
  }
