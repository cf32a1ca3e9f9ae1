// The Seatbelt backend's side of violation monitoring: the per-session
// marker its profile attaches to every denial, and the `log` command that
// streams those denials to srt. srt's core reads the lines (the "seatbelt"
// format of LaunchPlan::ViolationLog, core/src/violations/seatbelt_log.hpp).
// Pure functions, no macOS API: compiled and tested on every platform.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace srt::seatbelt {

// "SRT_" + 12 lower-case hex digits + "_SBX": the low 48 bits of `random`,
// which the caller draws from the kernel's randomness for each launch (so
// that one session never counts another's denials).
std::string session_marker(std::uint64_t random);

// Whether `s` has exactly session_marker's form.
bool is_session_marker(std::string_view s);

// The profile's first rule, which makes the kernel log every denial with
// `marker` at the end of the message: (deny default (with message "MARKER")).
std::string deny_default_rule(std::string_view marker);

// The argv of the monitor (never a shell string):
//   /usr/bin/log stream --style compact --predicate (eventMessage ENDSWITH "MARKER")
// '"' and '\' in the marker are escaped for the predicate (a session marker
// has neither).
std::vector<std::string> log_stream_argv(std::string_view marker);

}  // namespace srt::seatbelt
