// The srt command line: srt's options come first and end at the first word
// that is not an option (or at "--"); everything after is the command, so
// `srt ls -la` runs `ls -la`.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace srt::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Mode { run, explain, backends, selftest, help, version };

struct Invocation {
  Mode mode = Mode::run;
  bool debug = false;
  std::optional<std::string> settings;  // -s/--settings
  std::optional<std::string> shell;     // -c
  std::string backend;                  // --backend
  std::vector<std::string> plugin_dirs; // --plugin-dir
  std::vector<std::string> command;     // run: the command and its arguments
  bool json = false;                    // explain --json
  std::vector<std::string> paths;       // explain --path
  std::optional<int> control_fd;        // --control-fd
};

// Throws UsageError with a message naming the problem.
Invocation parse_args(const std::vector<std::string> &args);

// The --help text.
std::string help_text();

}  // namespace srt::cli
