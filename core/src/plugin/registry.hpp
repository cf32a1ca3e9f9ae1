// Discovery and loading of plugins (Boost.DLL). A file that is not a valid
// plugin yields one clear line naming it and the reason; the others still
// load. Plugins are never unloaded.
//
// Not thread-safe: load from one thread, then read.
#pragma once

#include <srt/plugin.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace srt::plugin {

enum class State {
  loaded,    // usable
  failed,    // not a valid plugin; `error` says why
  shadowed,  // a valid plugin whose name an earlier one already took
};

struct PluginInfo {
  std::string file;  // absolute path
  State state = State::failed;
  std::string error;  // one line, for failed and shadowed
  // From the descriptor (when the entry point ran):
  std::string name, version, summary;
  int kind = 0;
  int abi_major = 0, abi_minor = 0;
  unsigned ir_version_max = 0;
  const srt_plugin_v1 *descriptor = nullptr;
  // Where the plugin's log lines go during calls into it (the registry's).
  const std::function<void(int, const std::string &)> *log = nullptr;
};

const char *kind_name(int kind);

using LogFn = std::function<void(int level, const std::string &)>;

// Plugins keep the host table they were given at load for as long as the
// process lives (they are never unloaded), while registries come and go with
// their Sandbox. So every plugin gets one immortal table, and its log lines
// go to the log of whoever is calling into the plugin on this thread, or,
// from a plugin's own threads, to the most recently created live registry.
// (A network plugin logs through the table of the proxy it runs instead:
// srt_net_host_v1.log.)
class ScopedPluginLog {
 public:
  explicit ScopedPluginLog(const LogFn *log);
  ~ScopedPluginLog();
  ScopedPluginLog(const ScopedPluginLog &) = delete;
  ScopedPluginLog &operator=(const ScopedPluginLog &) = delete;

 private:
  const LogFn *previous_;
};

class Registry {
 public:
  // `log` receives plugins' own log lines and, at SRT_LOG_DEBUG, each step of
  // each load. Must outlive the registry (plugins may log from threads).
  explicit Registry(LogFn log);
  ~Registry();
  Registry(const Registry &) = delete;
  Registry &operator=(const Registry &) = delete;

  // Lists every *.so (*.dylib on macOS) of each directory, in order, to be
  // loaded when needed: find() loads files in that order until the plugin
  // it looks for is there (a launch without network never maps the
  // proxies), plugins() loads them all. A directory that does not exist is
  // skipped (logged at debug level).
  void load_directories(const std::vector<std::string> &dirs);
  // Loads one file now.
  void load_file(const std::string &file);

  // Every plugin, after loading all that are listed. References stay valid
  // while the registry lives.
  const std::deque<PluginInfo> &plugins();
  // The loaded plugin of `kind` called `name` (loading listed files in order
  // until it is found; the first of a name wins), or nullptr. A file named
  // srt-backend-NAME.so or srt-network-NAME.so must be that plugin (checked
  // at load), so files named for another plugin are not loaded to find this
  // one — unless a file with another name comes first, which could be any
  // plugin: then every file before it is loaded first, in order.
  const PluginInfo *find(int kind, const std::string &name);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  void load_pending_upto(std::size_t end);

  std::deque<PluginInfo> plugins_;  // a deque: find() hands out pointers while loading goes on
  std::vector<std::string> pending_;
  std::vector<bool> pending_done_;  // per pending_ entry: loaded (or tried)
};

}  // namespace srt::plugin
