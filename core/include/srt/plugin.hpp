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
// Exactly one translation unit of a plugin may use SRT_*_PLUGIN. A plugin
// that is built as a shared module must also export nothing but
// srt_plugin_entry_v1 (use the version script srt-plugin.map).
#pragma once

#include <srt/launch.hpp>
#include <srt/plugin.h>
#include <srt/policy_json.hpp>

#include <atomic>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace srt::sdk {

// How well a backend enforces one feature of the IR.
inline constexpr const char *kEnforced = "enforced";
inline constexpr const char *kDegraded = "degraded";
inline constexpr const char *kUnsupported = "unsupported";

struct ProbeResult {
  bool usable = false;
  std::string reason;  // when not usable: why, and what to do
  // feature -> kEnforced | kDegraded | kUnsupported. Features: "filesystem",
  // "network", "unix_sockets", "pid_isolation", "pty".
  std::map<std::string, std::string> features;
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

  static int32_t probe(void *, srt_str policy_json, srt_str options_json, srt_sink *report, srt_sink *error) {
    return guarded(error, [&] {
      auto policy = ir::policy_from_json(parse_json(policy_json, "policy"));
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
      append(report, boost::json::serialize(o));
    });
  }

  static int32_t render(void *, srt_str policy_json, srt_str request_json, srt_sink *plan, srt_sink *error) {
    return guarded(error, [&] {
      auto policy = ir::policy_from_json(parse_json(policy_json, "policy"));
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

}  // namespace detail

// Logs through srt (shown according to srt's verbosity). Thread-safe.
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
