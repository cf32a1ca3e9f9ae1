// The settings' ignoreViolations: which reported denials srt does not show.
// Reporting only; it changes no rule.
//
//   key "*"      -> its patterns apply to every line;
//   any other key -> its patterns apply when the command line contains the
//                    key (substring, case-sensitive);
//   a line is ignored when it contains one of the applicable patterns.
//
// A pattern "~" or "~/..." stands for the home directory (the reference
// implementation compared it literally, so it never matched the absolute
// paths the OS reports). An empty pattern matches nothing (the settings
// schema forbids it; it would otherwise hide every report).
//
// Plain value; const methods may be used from any threads at once.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace srt::violations {

// The command line keys are matched against: the argv joined with single
// spaces, or the shell string itself.
std::string command_line(const std::vector<std::string> &argv, const std::optional<std::string> &shell);

// `pattern` with a leading "~" or "~/" replaced by `home` (an absolute
// directory; when empty, the pattern is kept as written).
std::string expand_home(const std::string &pattern, std::string_view home);

class IgnoreFilter {
 public:
  IgnoreFilter() = default;
  IgnoreFilter(const std::map<std::string, std::vector<std::string>> &rules, std::string_view command_line, std::string_view home);

  bool ignores(std::string_view line) const;
  bool empty() const { return patterns_.empty(); }

 private:
  std::vector<std::string> patterns_;  // those that apply to this command, expanded
};

}  // namespace srt::violations
