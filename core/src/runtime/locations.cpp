#include "runtime/locations.hpp"

#include "srt_config.hpp"
#include "util/strings.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <cstdlib>
#include <filesystem>

namespace srt::runtime {

namespace fs = std::filesystem;

namespace {

// Lexical only: resolving symlinks here costs a readlink per component at
// every launch, and program_location() is already the resolved path.
std::string normal(const fs::path &p) { return p.lexically_normal().string(); }

}  // namespace

Locations locate(const std::vector<std::string> &extra_plugin_dirs) {
  Locations l;
  std::error_code ec;
  fs::path exe = boost::dll::program_location(ec);
  l.executable = exe.string();
  fs::path exe_dir = exe.parent_path();
  l.plugin_dirs = extra_plugin_dirs;
  if (const char *env = std::getenv("SRT_PLUGIN_PATH"); env && *env)
    for (auto &d : util::split(env, ':'))
      if (!d.empty()) l.plugin_dirs.push_back(d);

  l.build_tree = normal(exe_dir) == normal(SRT_BUILD_CORE_DIR) || fs::equivalent(exe_dir, SRT_BUILD_CORE_DIR, ec);
  if (l.build_tree) {
    l.enter = (exe_dir / "srt-enter").string();
    for (auto &d : util::split(SRT_BUILD_PLUGIN_DIRS, ':'))
      if (!d.empty()) l.plugin_dirs.push_back(d);
  } else {
    // Relative to the executable first, so that a relocated install (meson
    // install --destdir) finds its own files; then the configured prefix
    // (for programs embedding the library).
    fs::path bindir = SRT_INSTALL_BINDIR;
    fs::path relative_enter = exe_dir / fs::path(SRT_INSTALL_LIBEXECDIR).lexically_relative(bindir) / "srt-enter";
    l.enter = fs::exists(relative_enter, ec) ? normal(relative_enter) : std::string(SRT_INSTALL_LIBEXECDIR "/srt-enter");
    std::string relative_plugins = normal(exe_dir / fs::path(SRT_INSTALL_PLUGINDIR).lexically_relative(bindir));
    l.plugin_dirs.push_back(relative_plugins);
    if (relative_plugins != SRT_INSTALL_PLUGINDIR) l.plugin_dirs.push_back(SRT_INSTALL_PLUGINDIR);
  }
  return l;
}

}  // namespace srt::runtime
