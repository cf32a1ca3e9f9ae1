// A plan's Confinement (srt/launch.hpp), made real: the kernel objects are
// created in srt's process before fork (prepare_confinement: allocates,
// opens paths), and the child applies them with raw system calls only
// (apply_confinement: async-signal-safe, between fork and exec).
//
// confine_linux.cpp does every step; confine_darwin.cpp only the new
// session, and refuses a plan that asks for more (never a weaker launch).
#pragma once

#include <srt/launch.hpp>

#include <functional>
#include <vector>
#ifdef __linux__
#include <linux/filter.h>
#endif
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
  // For plans that run the command directly (Confinement::syscall_filter):
  // every descriptor above 2 marked close-on-exec, then this filter.
  bool close_fds = false;
#ifdef __linux__
  std::vector<sock_filter> filter;
  sock_fprog filter_prog{};
#endif
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

// Makes the child install `program` (a whole number of struct sock_filter,
// as seccomp::build_program returns) just before exec, after closing every
// descriptor above 2. Throws SandboxError for a malformed program.
void prepare_direct_exec(const std::string &program, PreparedConfinement &out);

// In the child after fork: death with srt, new session, no_new_privs,
// capabilities, Landlock, then (direct exec) descriptors and the filter.
// Returns 0, or the errno of the first step that failed.
int apply_confinement(const PreparedConfinement &c);

}  // namespace srt::runtime
