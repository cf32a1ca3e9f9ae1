#include "violation_log.hpp"

#include "sbpl_text.hpp"

#include <cctype>

namespace srt::seatbelt {

namespace {

constexpr std::string_view kMarkerPrefix = "SRT_";
constexpr std::string_view kMarkerSuffix = "_SBX";
constexpr std::size_t kMarkerHexDigits = 12;  // 48 bits
constexpr const char *kLogProgram = "/usr/bin/log";

}  // namespace

std::string session_marker(std::uint64_t random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(kMarkerHexDigits, '0');
  for (std::size_t i = 0; i < kMarkerHexDigits; ++i) hex[kMarkerHexDigits - 1 - i] = kHex[(random >> (4 * i)) & 0xf];
  return std::string(kMarkerPrefix) + hex + std::string(kMarkerSuffix);
}

bool is_session_marker(std::string_view s) {
  if (s.size() != kMarkerPrefix.size() + kMarkerHexDigits + kMarkerSuffix.size() || !s.starts_with(kMarkerPrefix) ||
      !s.ends_with(kMarkerSuffix))
    return false;
  for (char c : s.substr(kMarkerPrefix.size(), kMarkerHexDigits))
    if (!std::isdigit(static_cast<unsigned char>(c)) && !(c >= 'a' && c <= 'f')) return false;
  return true;
}

std::string deny_default_rule(std::string_view marker) { return "(deny default (with message " + sbpl_string(marker) + "))"; }

std::vector<std::string> log_stream_argv(std::string_view marker) {
  std::string quoted = "\"";
  for (char c : marker) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return {kLogProgram, "stream", "--style", "compact", "--predicate", "(eventMessage ENDSWITH " + quoted + ")"};
}

}  // namespace srt::seatbelt
