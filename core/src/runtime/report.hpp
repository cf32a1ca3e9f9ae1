// The channel srt-enter uses to tell srt, from inside the sandbox, that the
// sandbox is set up and which process the command is. On Linux the kernel
// attests the sender's pid (SCM_CREDENTIALS) and translates it into srt's pid
// namespace, so srt can signal the command's process group without trusting
// the sandbox. macOS attests no sender; there is no pid namespace there
// either, and the launcher (sandbox-exec) execs srt-enter, which execs the
// command, so the command is the launcher's own process: srt takes the pid
// it started, never one the sandbox names.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>

namespace srt::runtime {

// Must match core/src/enter/main.cpp.
inline constexpr char kEnterReadyMessage[] = "srt-enter/1 ready";
// srt's answer to srt-enter --await-go: the command may start.
inline constexpr char kGoMessage[] = "srt/1 go";

struct ReportChannel {
  int parent_fd = -1;  // srt's end: close-on-exec (the report socket: SO_PASSCRED set)
  int child_fd = -1;   // the reporter's end: close-on-exec here, mapped into the launcher
};

// Throws SandboxError.
ReportChannel make_report_channel();

struct Ready {
  pid_t pid = -1;  // the command's pid in srt's pid namespace
};

// Reads one message (non-blocking; call when poll says readable). Returns the
// report when it is srt-enter's ready message, nullopt on EOF or anything
// else. Sets `eof` when the peer is gone. `launcher`: the process srt
// started, which is the command where the kernel attests no sender (macOS).
std::optional<Ready> read_report(int parent_fd, pid_t launcher, bool &eof);

// Tells srt-enter (--await-go) that the command may start. A srt-enter
// already gone is no error here: the launcher's exit says what happened.
void send_go(int parent_fd);

// For a launcher that reports itself (LaunchPlan::launcher_status): a pipe,
// read end srt's, write end mapped into the launcher. Throws SandboxError.
ReportChannel make_status_pipe();

// Whether the launcher's status stream, read to its end once the launcher
// has exited, says the command was exec'd ("bwrap-json-status": an
// {"exit-code": N} record). Reads at most kMaxLauncherStatusBytes.
inline constexpr std::size_t kMaxLauncherStatusBytes = 64 * 1024;
bool launcher_started_command(int parent_fd, const std::string &format);

}  // namespace srt::runtime
