// The Seatbelt backend's launch plan: `sandbox-exec -p PROFILE -- srt-enter ... -- command`,
// and its probe. Pure; compiled on every platform (only macOS runs it).
#pragma once

#include <srt/plugin.hpp>

namespace srt::seatbelt {

inline constexpr const char *kSandboxExec = "/usr/bin/sandbox-exec";

// Whether this system can run the profile (macOS with sandbox-exec), and
// what the backend enforces there.
sdk::ProbeResult probe(const ir::Policy &policy);

// `marker_random` makes the session's marker (violation_log.hpp), so that
// the violation monitor reads only this launch's denials.
LaunchPlan render(const ir::Policy &policy, const LaunchRequest &request, std::uint64_t marker_random);

}  // namespace srt::seatbelt
