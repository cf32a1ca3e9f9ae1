// The state behind srt::Child: the launcher process, the report channel from
// srt-enter, the session (placeholders) and the exit status. Created by
// Sandbox::spawn (sandbox.cpp), driven by child.cpp.
#pragma once

#include "runtime/forwarder.hpp"
#include "runtime/proxies.hpp"
#include "runtime/session.hpp"
#include "runtime/violation_monitor.hpp"

#include <srt/srt.hpp>

#include <sys/types.h>

#include <memory>
#include <optional>

namespace srt {

struct Child::State {
  pid_t launcher = -1;
  int report_fd = -1;  // srt-enter's report
  // Set when the launcher runs the command and reports itself
  // (LaunchPlan::launcher_status), and the read end of its status pipe.
  std::string launcher_status;
  int status_fd = -1;
  std::optional<pid_t> command_pid;
  bool own_group = true;  // the command leads its own process group
  bool report_eof = false;
  bool reap_orphans = false;
  std::optional<ExitStatus> status;
  std::unique_ptr<runtime::Session> session;
  std::unique_ptr<runtime::Proxies> proxies;      // stopped before the session closes
  std::unique_ptr<runtime::Forwarder> forwarder;  // likewise (external proxies)
  // Stopped when the launcher has exited, before reap() (which would take
  // it), and kept for its record.
  std::unique_ptr<runtime::ViolationMonitor> monitor;
  LogFn log;

  // Kills and reaps a launcher still running; closes the session.
  ~State();
  // Waits until no process of the sandbox is left (reap_orphans only).
  void reap();
  // For a launcher that reports itself, which names no pid: sets command_pid
  // to the child of the sandbox's init (the launcher's child), if there is one.
  void find_command();
  // Whether the launcher has exited (waits for it when `block`); if so, ends
  // its process group (end_launcher_group), reaps it and finish()es. Throws
  // SandboxError when it cannot be waited for.
  bool launcher_exited(bool block);
  // Records the launcher's exit, reaps, removes the placeholders.
  void finish(int wait_status);
  // The command could not be exec'd (no process is left): records `code` as
  // its exit status and cleans up as finish() does.
  void finish_unstarted(int code);

 private:
  // Reaps, stops the proxies, removes the placeholders.
  void clean_up();
  // Reads srt-enter's report if it is waiting (sets command_pid).
  void drain_report();
  // When the launcher is the command and leads its own process group (the
  // seatbelt and landlock launches), kills what the command left in that
  // group: called between its exit and its reaping. Where srt is no
  // subreaper (macOS) this is what keeps a command's background jobs from
  // outliving srt; a process that left the group (setsid) is not found.
  void end_launcher_group();
};

}  // namespace srt
