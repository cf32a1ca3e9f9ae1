// A plan's Confinement (srt/launch.hpp), made real: the kernel objects are
// created in srt's process before fork (prepare_confinement: allocates,
// opens paths), and the child applies them with raw system calls only
// (apply_confinement: async-signal-safe, between fork and exec).
#pragma once

#include <srt/launch.hpp>

#include <functional>
#include <sys/types.h>
#include <string>

namespace srt::runtime {

struct PreparedConfinement {
  bool die_with_parent = false;
  pid_t parent = 0;        // srt, to catch its death before the child's prctl
  bool new_session = false;
  bool no_new_privs = false;
  bool drop_capabilities = false;
  int cap_last = -1;       // highest capability number this kernel knows
  int landlock_fd = -1;    // owned; close-on-exec
  PreparedConfinement() = default;
  PreparedConfinement(const PreparedConfinement &) = delete;
  PreparedConfinement &operator=(const PreparedConfinement &) = delete;
  ~PreparedConfinement();
};

// Builds the Landlock ruleset (paths that no longer exist or cannot be
// reached grant nothing and are left out; `debug` hears about each) and
// checks that the capabilities can be dropped for good. Throws SandboxError
// naming the step, the path and the system's error.
void prepare_confinement(const LaunchPlan::Confinement &plan, PreparedConfinement &out,
                         const std::function<void(const std::string &)> &debug);

// In the child after fork: new session, no_new_privs, capabilities, Landlock.
// Returns 0, or the errno of the first step that failed.
int apply_confinement(const PreparedConfinement &c);

}  // namespace srt::runtime
