#include "violations/ignore_filter.hpp"

#include <algorithm>

namespace srt::violations {

namespace {

constexpr std::string_view kEveryCommand = "*";

}  // namespace

std::string command_line(const std::vector<std::string> &argv, const std::optional<std::string> &shell) {
  if (shell) return *shell;
  std::string out;
  for (const auto &a : argv) {
    if (!out.empty()) out += ' ';
    out += a;
  }
  return out;
}

std::string expand_home(const std::string &pattern, std::string_view home) {
  if (home.empty() || pattern.empty() || pattern[0] != '~') return pattern;
  if (pattern.size() == 1) return std::string(home);
  if (pattern[1] != '/') return pattern;  // "~user/...": not ours to guess
  std::string out(home);
  if (out.back() != '/') out += '/';
  out.append(pattern, 2);
  return out;
}

IgnoreFilter::IgnoreFilter(const std::map<std::string, std::vector<std::string>> &rules, std::string_view command_line,
                           std::string_view home) {
  for (const auto &[key, patterns] : rules) {
    if (key != kEveryCommand && command_line.find(key) == std::string_view::npos) continue;
    for (const auto &p : patterns)
      if (!p.empty()) patterns_.push_back(expand_home(p, home));
  }
}

bool IgnoreFilter::ignores(std::string_view line) const {
  return std::any_of(patterns_.begin(), patterns_.end(),
                     [&](const std::string &p) { return line.find(p) != std::string_view::npos; });
}

}  // namespace srt::violations
