// Where srt's own files are: srt-enter and the plugin directories. Found from
// the running executable, so that the build tree and a relocated install
// (meson install --destdir) both work.
#pragma once

#include <string>
#include <vector>

namespace srt::runtime {

struct Locations {
  std::string executable;  // this srt
  bool build_tree = false; // running from the build directory
  std::string enter;       // srt-enter
  // Searched in order: the caller's --plugin-dir list, SRT_PLUGIN_PATH, then
  // the build tree's or the install's plugin directory.
  std::vector<std::string> plugin_dirs;
};

// `extra_plugin_dirs` come first (from --plugin-dir or the library options).
Locations locate(const std::vector<std::string> &extra_plugin_dirs);

}  // namespace srt::runtime
