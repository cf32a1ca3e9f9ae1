// Settings -> policy IR. The compiler owns every filesystem decision: path
// expansion, symlinks, globs, precedence, the mandatory-deny set, what must
// stay uncreatable. It reads the disk but never writes to it.
#pragma once

#include <srt/policy.hpp>
#include <srt/settings.hpp>

#include <functional>
#include <string>

namespace srt::policy {

struct CompileContext {
  std::string cwd;   // physical working directory of the command
  std::string home;  // the caller's home directory
  // The command's TMPDIR: srt's private directory, created by the runtime
  // before launch (treated as an existing directory here).
  std::string tmpdir;
  // srt's runtime directory (session locks and placeholder manifests):
  // hidden from the sandbox, so that a command cannot hold srt's locks.
  std::string runtime_dir;
  // The caller's environment (for GIT_CONFIG_COUNT continuation).
  std::function<const char *(const char *)> getenv;
  // The caller will change the network rules while commands run (the
  // control fd): start the proxies even when the settings allow nothing.
  bool live_network = false;
  // Receives one line per decision when debugging; may be empty.
  std::function<void(const std::string &)> debug;
  // Whether a path on the disk is a placeholder that another running srt
  // made (runtime::Session::foreign_placeholders); may be empty. Such a path
  // is compiled as absent, so that this launch shares the placeholder rather
  // than mounting it as a file of its own that the other srt removes at its
  // exit.
  std::function<bool(const std::string &)> foreign_placeholder;
};

// Throws PolicyError when the settings cannot be turned into a sound policy
// (a glob matching too much, a writable symlink leading to "/", a working
// directory the policy hides, ...).
ir::Policy compile_policy(const Settings &settings, const CompileContext &context);

// The stages of compile_policy, one file each.
void compile_network_rules(const Settings &settings, bool live, ir::Policy &out);  // network_rules.cpp
void compile_environment(const Settings &settings, const CompileContext &context, ir::Policy &out);  // environment.cpp
void compile_filesystem(const Settings &settings, const CompileContext &context, ir::Policy &out);   // filesystem.cpp
std::vector<ir::Note> settings_notes(const Settings &settings);               // notes.cpp: accepted, not enforced

}  // namespace srt::policy
