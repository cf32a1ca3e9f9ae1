// Watching the OS sandbox's log of denials while one command runs
// (LaunchPlan::ViolationLog): the log program is started with its stdout on
// a pipe, a thread reads its lines, keeps those ending with the session's
// marker, parses them (the plan's format) and records them.
//
// Reporting only: a monitor that fails is a lost report, never a weaker
// sandbox. The log program runs unsandboxed, as srt's own child, in its own
// process group (the terminal's signals go to srt, which decides when it
// stops) and, on Linux, dies with the thread that started it.
//
// Threads: construct and stop() from one thread (the one that spawns);
// violations() from any thread at any time (a snapshot).
#pragma once

#include "violations/record.hpp"

#include <srt/launch.hpp>
#include <srt/srt.hpp>

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace srt::runtime {

// After the command exits, the log may still be delivering its last
// denials: the monitor keeps reading until it has been quiet this long...
inline constexpr std::chrono::milliseconds kViolationDrainQuiet{100};
// ...but no longer than this.
inline constexpr std::chrono::milliseconds kViolationDrainMax{1000};
// How long the log program has to exit after SIGTERM before SIGKILL.
inline constexpr std::chrono::milliseconds kViolationStopGrace{2000};
// Longer lines are dropped (no denial srt can parse is this long).
inline constexpr std::size_t kMaxViolationLineBytes = 4096;

class ViolationMonitor {
 public:
  // Receives debug lines (the program started and ended, each denial as it
  // arrives) and warnings; called from the reading thread too.
  using LogFn = std::function<void(LogLevel, const std::string &)>;
  using Parser = std::optional<Violation> (*)(std::string_view line, std::string_view marker);

  // The parser for a LaunchPlan::ViolationLog format; nullptr if unknown.
  static Parser parser_for(std::string_view format);

  // Starts `plan.argv` (stdin /dev/null, stdout to the monitor, stderr to
  // srt's own when `debug`, else /dev/null; srt's environment) and the
  // reading thread. Throws SandboxError naming the program and the failure
  // (unknown format, pipe, spawn, thread); nothing is left running then.
  ViolationMonitor(const LaunchPlan::ViolationLog &plan, bool debug, LogFn log);
  ~ViolationMonitor();  // stop()
  ViolationMonitor(const ViolationMonitor &) = delete;
  ViolationMonitor &operator=(const ViolationMonitor &) = delete;

  // Reads what the log still delivers (kViolationDrainQuiet/Max), ends the
  // program (SIGTERM to its group, SIGKILL after kViolationStopGrace),
  // reaps it and joins the thread. Idempotent; never throws. The record
  // stays readable.
  void stop() noexcept;

  std::vector<Violation> violations() const { return record_.list(); }

 private:
  void read_loop();
  void consume(const char *data, std::size_t size);
  void handle_line(std::string_view line);
  void end_program() noexcept;

  std::string program_;
  std::string marker_;
  Parser parse_ = nullptr;
  LogFn log_;
  violations::Record record_;
  pid_t pid_ = -1;
  int out_fd_ = -1;      // the program's stdout (read end)
  int wake_read_ = -1;   // stop() closes the write end: the thread wakes
  int wake_write_ = -1;
  std::thread thread_;
  std::string pending_;  // a line not yet complete
  bool skipping_ = false;  // inside a line longer than kMaxViolationLineBytes
  bool stopped_ = false;
};

}  // namespace srt::runtime
