// Starting the launcher process of a LaunchPlan: fork + exec with a prepared
// environment and file descriptor layout. Everything the child needs is
// allocated before fork; between fork and exec the child makes only
// async-signal-safe calls.
#pragma once

#include "runtime/confine.hpp"

#include <srt/error.hpp>
#include <srt/launch.hpp>

#include <sys/types.h>

#include <sys/resource.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace srt::runtime {

struct SpawnSpec {
  std::vector<std::string> argv;  // argv[0] is an absolute path unless `program` is set
  std::string program;            // the file to execute (absolute), when not argv[0]
  std::vector<std::string> env;
  // (fd in this process, fd number in the child). The source fds may be
  // close-on-exec; the targets are not.
  std::vector<std::pair<int, int>> fds;
  bool new_process_group = false;
  std::vector<int> ignore_signals;  // set to SIG_IGN in the child
  std::optional<rlimit> fd_limit;   // RLIMIT_NOFILE in the child
  std::string cwd;                  // chdir in the child (empty: stay)
  // Only `fds` reach the new program: every other descriptor srt's process
  // has (its caller's included) is closed at exec.
  bool close_other_fds = false;
  // Applied last before exec (its new session replaces new_process_group).
  // spawn may move its Landlock descriptor to a higher number, so that no
  // descriptor placed in the child lands on it.
  PreparedConfinement *confine = nullptr;
};

// execve itself failed (the steps before it succeeded); `err` is its errno.
class ExecError : public SandboxError {
 public:
  ExecError(const std::string &what, int err) : SandboxError(what), err(err) {}
  int err;
};

// Returns the child's pid once it has exec'd. Throws SandboxError when a step
// before exec failed, ExecError when exec did (reported through a
// close-on-exec pipe, so the error is exact).
pid_t spawn(const SpawnSpec &spec);

// A sealed memfd holding `content`, close-on-exec. Throws SandboxError.
int make_memfd(const std::string &name, const std::string &content);

// The pids whose parent is `parent` (from /proc).
std::vector<pid_t> children_of(pid_t parent);

// The process group of `pid` (from /proc/PID/stat), if it still exists.
std::optional<pid_t> process_group_of(pid_t pid);

// The `count` lowest descriptor numbers >= `from` that a launched process
// would not inherit anything at (not open here, or close-on-exec), in one
// pass.
std::vector<int> free_fd_numbers(int from, std::size_t count);

}  // namespace srt::runtime
