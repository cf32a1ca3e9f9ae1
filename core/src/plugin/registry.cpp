#include "plugin/registry.hpp"

#include "plugin/elf_symbols.hpp"
#include "plugin/sink.hpp"
#include "util/strings.hpp"

#ifdef __APPLE__
#include <boost/dll/library_info.hpp>
#endif
#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>

#include <optional>

#include <dirent.h>
#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstddef>
#include <mutex>

namespace srt::plugin {

namespace {

#ifdef __APPLE__
constexpr const char *kPluginSuffix = ".dylib";
#else
constexpr const char *kPluginSuffix = ".so";
#endif

// The v1 descriptor as first published; a plugin's descriptor must be at
// least this large.
constexpr std::size_t kMinDescriptorSize = offsetof(srt_plugin_v1, table) + sizeof(void *);
constexpr std::size_t kMinBackendTableSize = offsetof(srt_backend_v1, render) + sizeof(void *);
constexpr std::size_t kMinNetworkTableSize = offsetof(srt_network_v1, stop) + sizeof(void *);

// The plugin a file's name announces: srt-backend-NAME.so (.dylib) or
// srt-network-NAME.so, NAME as plugin names are written.
std::optional<std::pair<int, std::string>> conventional_name(const std::string &path) {
  std::string_view base(path);
  if (auto slash = base.rfind('/'); slash != std::string_view::npos) base.remove_prefix(slash + 1);
  if (!util::ends_with(base, kPluginSuffix)) return std::nullopt;
  base.remove_suffix(std::string_view(kPluginSuffix).size());
  int kind;
  if (util::starts_with(base, "srt-backend-")) kind = SRT_PLUGIN_BACKEND;
  else if (util::starts_with(base, "srt-network-")) kind = SRT_PLUGIN_NETWORK;
  else return std::nullopt;
  base.remove_prefix(std::string_view("srt-backend-").size());
  std::string name(base);
  if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) return std::nullopt;
  return std::pair<int, std::string>{kind, name};
}

bool valid_name(const char *n) {
  if (!n || !*n) return false;
  for (const char *p = n; *p; ++p)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) return false;
  return true;
}

}  // namespace

const char *kind_name(int kind) {
  switch (kind) {
    case SRT_PLUGIN_BACKEND: return "backend";
    case SRT_PLUGIN_NETWORK: return "network";
    default: return "unknown";
  }
}

struct Registry::Impl {
  LogFn log;
  std::vector<boost::dll::shared_library> libraries;
};

namespace {

thread_local const LogFn *t_call_log = nullptr;
std::mutex g_live_mu;
std::vector<const LogFn *> g_live_logs;  // of live registries, oldest first

void host_log(void *, int32_t level, srt_str message) {
  std::string text(message.data ? message.data : "", message.data ? message.len : 0);
  if (t_call_log) {
    if (*t_call_log) (*t_call_log)(level, text);
    return;
  }
  std::lock_guard lock(g_live_mu);
  if (!g_live_logs.empty() && *g_live_logs.back()) (*g_live_logs.back())(level, text);
}

const srt_host_v1 g_host = {sizeof(srt_host_v1), SRT_PLUGIN_ABI_MAJOR, SRT_PLUGIN_ABI_MINOR, nullptr, &host_log};

}  // namespace

ScopedPluginLog::ScopedPluginLog(const LogFn *log) : previous_(t_call_log) { t_call_log = log; }
ScopedPluginLog::~ScopedPluginLog() { t_call_log = previous_; }

Registry::Registry(LogFn log) : impl_(std::make_unique<Impl>()) {
  impl_->log = std::move(log);
  std::lock_guard lock(g_live_mu);
  g_live_logs.push_back(&impl_->log);
}

// Plugins are loaded RTLD_NODELETE, so releasing the handles unmaps nothing.
Registry::~Registry() {
  std::lock_guard lock(g_live_mu);
  std::erase(g_live_logs, &impl_->log);
}

void Registry::load_directories(const std::vector<std::string> &dirs) {
  for (const auto &dir : dirs) {
    DIR *d = ::opendir(dir.c_str());
    if (!d) {
      impl_->log(SRT_LOG_DEBUG, fmt::format("plugin directory {}: {}", dir, std::strerror(errno)));
      continue;
    }
    std::vector<std::string> files;
    while (auto *ent = ::readdir(d)) {
      std::string name = ent->d_name;
      if (util::ends_with(name, kPluginSuffix)) files.push_back(dir + "/" + name);
    }
    ::closedir(d);
    std::sort(files.begin(), files.end());
    impl_->log(SRT_LOG_DEBUG, fmt::format("plugin directory {}: {} candidate file(s)", dir, files.size()));
    pending_.insert(pending_.end(), files.begin(), files.end());
    pending_done_.resize(pending_.size(), false);
  }
}

void Registry::load_pending_upto(std::size_t end) {
  for (std::size_t i = 0; i < end && i < pending_.size(); ++i)
    if (!pending_done_[i]) {
      pending_done_[i] = true;
      load_file(pending_[i]);
    }
}

const std::deque<PluginInfo> &Registry::plugins() {
  load_pending_upto(pending_.size());
  return plugins_;
}

void Registry::load_file(const std::string &file) {
  PluginInfo info;
  info.file = file;
  auto debug = [&](const std::string &step) { impl_->log(SRT_LOG_DEBUG, fmt::format("plugin {}: {}", file, step)); };
  auto fail = [&](std::string why) {
    info.state = State::failed;
    info.error = std::move(why);
    impl_->log(SRT_LOG_WARN, fmt::format("plugin {}: {}", file, info.error));
    plugins_.push_back(std::move(info));
  };

  for (const auto &p : plugins_)
    if (p.file == file) return;  // the same file through two search paths

  // 1. The entry symbol, read from the file without running any of its code.
  std::vector<std::string> symbols;
#ifdef __APPLE__
  try {
    boost::dll::library_info li(file);
    symbols = li.symbols();
  } catch (const std::exception &e) {
    return fail(fmt::format("not a shared library ({})", e.what()));
  }
#else
  std::string why;
  auto exported = elf_exported_symbols(file, why);
  if (!exported) return fail(fmt::format("not a shared library ({})", why));
  symbols = std::move(*exported);
#endif
  if (std::find(symbols.begin(), symbols.end(), SRT_PLUGIN_ENTRY_V1_SYMBOL) == symbols.end()) {
    std::string other;
    for (const auto &s : symbols)
      if (util::starts_with(s, "srt_plugin_entry_v")) other = s;
    if (!other.empty())
      return fail(fmt::format("built for another plugin ABI (exports {}); this srt loads plugins of ABI {}.x ({})", other,
                              SRT_PLUGIN_ABI_MAJOR, SRT_PLUGIN_ENTRY_V1_SYMBOL));
    return fail(fmt::format("not an srt plugin: it does not export {}", SRT_PLUGIN_ENTRY_V1_SYMBOL));
  }
  debug("exports " SRT_PLUGIN_ENTRY_V1_SYMBOL);

  // 2. Load it.
  boost::dll::shared_library lib;
  try {
    auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
    lib.load(boost::dll::fs::path(file), mode);
  } catch (const std::exception &e) {
    const char *err = ::dlerror();
    return fail(fmt::format("cannot be loaded: {}", err ? err : e.what()));
  }
  debug("loaded (RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)");

  // 3. Run the entry point.
  auto entry = lib.get<int32_t(const srt_host_v1 *, const srt_plugin_v1 **, srt_sink *)>(SRT_PLUGIN_ENTRY_V1_SYMBOL);
  StringSink error;
  const srt_plugin_v1 *d = nullptr;
  int32_t status;
  {
    ScopedPluginLog scoped(&impl_->log);
    status = entry(&g_host, &d, error.sink());
  }
  impl_->libraries.push_back(std::move(lib));
  if (status != SRT_OK)
    return fail(fmt::format("its entry point failed (status {}): {}", status, error.text().empty() ? "no reason given" : error.text()));
  if (!d) return fail("its entry point returned no descriptor");
  debug(fmt::format("entry point returned a descriptor of {} bytes", d->struct_size));

  // 4. Check the descriptor.
  if (d->struct_size < kMinDescriptorSize)
    return fail(fmt::format("its descriptor is {} bytes, smaller than ABI 1.0's {}", d->struct_size, kMinDescriptorSize));
  info.abi_major = d->abi_major;
  info.abi_minor = d->abi_minor;
  if (d->abi_major != SRT_PLUGIN_ABI_MAJOR)
    return fail(fmt::format("built for plugin ABI {}.{}; this srt loads ABI {}.x", d->abi_major, d->abi_minor, SRT_PLUGIN_ABI_MAJOR));
  if (!valid_name(d->name)) return fail("its name is missing or not made of [a-z0-9-]");
  info.name = d->name;
  info.version = d->version ? d->version : "";
  info.summary = d->summary ? d->summary : "";
  info.kind = d->kind;
  info.ir_version_max = d->ir_version_max;
  if (d->ir_version_max < 1) return fail("it reads no policy IR version (ir_version_max is 0)");
  if (!d->table) return fail("its function table is missing");
  auto table_size = *static_cast<const uint32_t *>(d->table);
  if (d->kind == SRT_PLUGIN_BACKEND) {
    if (table_size < kMinBackendTableSize) return fail("its backend table is smaller than ABI 1.0's");
    auto *t = static_cast<const srt_backend_v1 *>(d->table);
    if (!t->probe || !t->render) return fail("its backend table lacks probe or render");
  } else if (d->kind == SRT_PLUGIN_NETWORK) {
    // ABI 1.0 reserved a draft network table that nothing implemented.
    if (d->abi_minor < 1) return fail("network plugins need plugin ABI 1.1 or later (1.0 had only a draft network table)");
    if (table_size < kMinNetworkTableSize) return fail("its network table is smaller than ABI 1.1's");
    auto *t = static_cast<const srt_network_v1 *>(d->table);
    if (!t->start || !t->stop) return fail("its network table lacks start or stop");
  } else {
    return fail(fmt::format("unknown plugin kind {}", d->kind));
  }
  info.descriptor = d;
  info.log = &impl_->log;

  // find() relies on a conventional file name telling the plugin's name.
  if (auto named = conventional_name(file); named && (named->first != info.kind || named->second != info.name))
    return fail(fmt::format("its file name says {} plugin \"{}\", but it is {} plugin \"{}\"; rename the file (or give it another name "
                            "than srt-backend-*/srt-network-*)",
                            kind_name(named->first), named->second, kind_name(info.kind), info.name));

  // 5. One plugin per name and kind: the first found wins.
  for (const auto &p : plugins_) {
    if (p.state == State::loaded && p.kind == info.kind && p.name == info.name) {
      info.state = State::shadowed;
      info.error = fmt::format("{} plugin \"{}\" is already provided by {}; this one is not used", kind_name(info.kind), info.name, p.file);
      impl_->log(SRT_LOG_WARN, fmt::format("plugin {}: {}", file, info.error));
      plugins_.push_back(std::move(info));
      return;
    }
  }
  info.state = State::loaded;
  debug(fmt::format("{} plugin \"{}\" {} (ABI {}.{}, IR <= {})", kind_name(info.kind), info.name, info.version, info.abi_major,
                    info.abi_minor, info.ir_version_max));
  plugins_.push_back(std::move(info));
}

const PluginInfo *Registry::find(int kind, const std::string &name) {
  for (;;) {
    for (const auto &p : plugins_)
      if (p.state == State::loaded && p.kind == kind && p.name == name) return &p;
    std::size_t next = 0;
    for (; next < pending_.size(); ++next) {
      if (pending_done_[next]) continue;
      auto named = conventional_name(pending_[next]);
      if (named && !(named->first == kind && named->second == name)) continue;  // another plugin, by its name
      break;
    }
    if (next == pending_.size()) return nullptr;
    if (conventional_name(pending_[next])) {
      // Named for this plugin: the files skipped before it cannot be it.
      pending_done_[next] = true;
      load_file(pending_[next]);
    } else {
      load_pending_upto(next + 1);  // could be any plugin: keep the search order
    }
  }
}

}  // namespace srt::plugin
