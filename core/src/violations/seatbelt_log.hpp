// Reading Seatbelt's denials from macOS `log stream --style compact` (the
// "seatbelt" format of LaunchPlan::ViolationLog). Pure functions: no macOS
// API, compiled and tested on every platform.
//
// A line looks like
//   2026-11-24 10:12:03.123 E  kernel[0:1a2b] (Sandbox) Sandbox: touch(51234) deny(1) file-write-create /Users/me/x SRT_1f2e3d4c5b6a_SBX
// where the last word is the session marker the profile's
// (deny default (with message "...")) appends to each of its denials.
#pragma once

#include <srt/violations.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace srt::violations {

// Longer lines are not denials srt can report (macOS paths are at most 1024
// bytes); the monitor drops them.
inline constexpr std::size_t kMaxSeatbeltLineBytes = 4096;

// The denial on `line` when it is one of this session's: it ends with
// `marker` (after a space), has "Sandbox: NAME(PID) deny(N) OPERATION
// [TARGET]", and is not known noise (mDNSResponder's own denials,
// mach-lookup of com.apple.diagnosticd and com.apple.analyticsd). Anything
// else -- another session's marker, a malformed or truncated line -- gives
// nullopt. Control characters in the result are replaced by '?'. The
// result's count is 1.
std::optional<Violation> parse_seatbelt_line(std::string_view line, std::string_view marker);

}  // namespace srt::violations
