#include "violations/seatbelt_log.hpp"

#include <cctype>
#include <string>

namespace srt::violations {

namespace {

constexpr std::string_view kSandboxPrefix = "Sandbox: ";
constexpr std::string_view kDeny = " deny(";
// Denials the reference implementation drops too: the system's own chatter,
// reported under every profile.
constexpr std::string_view kNoiseProcess = "mDNSResponder";
constexpr std::string_view kNoiseMachServices[] = {"com.apple.diagnosticd", "com.apple.analyticsd"};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// Trailing spaces, tabs and a CR (a line read from a pipe keeps them).
std::string_view trim_end(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string printable(std::string_view s) {
  std::string out(s);
  for (char &c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

// "name(pid)" ending just before `end`: the name may hold spaces and
// parentheses; the pid is digits.
bool is_process(std::string_view s) {
  if (s.size() < 4 || s.back() != ')') return false;
  auto open = s.rfind('(');
  return open != std::string_view::npos && open > 0 && all_digits(s.substr(open + 1, s.size() - open - 2));
}

std::string_view name_of(std::string_view process) { return process.substr(0, process.rfind('(')); }

}  // namespace

std::optional<Violation> parse_seatbelt_line(std::string_view line, std::string_view marker) {
  if (marker.empty() || line.size() > kMaxSeatbeltLineBytes) return std::nullopt;
  line = trim_end(line);
  // Ours: the marker is the last word.
  if (line.size() <= marker.size() || !line.ends_with(marker) || line[line.size() - marker.size() - 1] != ' ') return std::nullopt;
  line.remove_suffix(marker.size());
  line = trim_end(line);
  auto start = line.find(kSandboxPrefix);
  if (start == std::string_view::npos) return std::nullopt;
  std::string_view text = line.substr(start + kSandboxPrefix.size());
  // "NAME(PID) deny(N) OPERATION[ TARGET]": the first " deny(N) " that
  // follows a "(PID)" (a process name may itself contain " deny(").
  for (std::size_t at = text.find(kDeny); at != std::string_view::npos; at = text.find(kDeny, at + 1)) {
    std::string_view process = text.substr(0, at);
    if (!is_process(process)) continue;
    std::string_view rest = text.substr(at + kDeny.size());
    auto close = rest.find(')');
    if (close == std::string_view::npos || !all_digits(rest.substr(0, close)) || rest.size() < close + 3 || rest[close + 1] != ' ')
      continue;
    rest.remove_prefix(close + 2);
    auto space = rest.find(' ');
    std::string_view operation = rest.substr(0, space);
    std::string_view target = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    if (operation.empty()) continue;
    if (name_of(process) == kNoiseProcess) return std::nullopt;
    if (operation == "mach-lookup")
      for (auto service : kNoiseMachServices)
        if (target == service) return std::nullopt;
    Violation v;
    v.operation = printable(operation);
    v.target = printable(target);
    v.process = printable(process);
    v.line = printable(text);
    return v;
  }
  return std::nullopt;
}

}  // namespace srt::violations
