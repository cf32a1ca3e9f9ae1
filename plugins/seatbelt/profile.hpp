// The Seatbelt profile (SBPL) for one policy: what `sandbox-exec -p` gets on
// macOS. Pure text rendering, done on every platform so that profiles are
// printed by `srt policy explain` and checked by the golden tests anywhere.
//
// Seatbelt applies the LAST rule that matches an operation, so the profile is
// ordered: the launch-time view (the IR's mounts, ancestors first, so that a
// deeper path overrides a shallower one exactly as with mounts), then the
// pattern rules that also cover files created later (allow globs, then deny
// globs, which only an allowRead inside their region re-opens), then the
// move-blocking rules that keep protected paths and their ancestors from
// being renamed or removed.
#pragma once

#include <srt/policy.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace srt::seatbelt {

struct ProfileOptions {
  // The text of the profile's `(deny default (with message ...))`, which
  // macOS writes into every denial it logs: the violation monitor keeps only
  // lines carrying it (violation_log.hpp, session_marker).
  std::string marker;
  // TCP ports on 127.0.0.1 the command may connect to: srt's proxies (or the
  // user's external ones). Nothing else leaves the sandbox.
  std::vector<std::uint16_t> proxy_ports;
  // srt's helper (srt-enter), which runs first in the sandbox: readable and
  // executable whatever the policy denies (e.g. an install under a denied
  // home directory). This one file only; empty: none.
  std::string helper;
};

// Throws Unrepresentable (sbpl_text.hpp) when a path or pattern cannot be
// written exactly (a control character): no approximate profile is made;
// std::invalid_argument when the marker is not a session marker.
std::string render_profile(const ir::Policy &policy, const ProfileOptions &options);

}  // namespace srt::seatbelt
