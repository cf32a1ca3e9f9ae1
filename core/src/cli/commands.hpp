// The srt subcommands. Each returns srt's exit status; each lets srt::Error
// propagate to main, which prints it and exits 125.
#pragma once

#include "cli/args.hpp"

#include <srt/srt.hpp>

namespace srt::cli {

// Whether a command's launch makes srt wait for the processes the command
// leaves behind (SpawnOptions::reap_orphans). macOS has no subreaper: there
// they stay in the sandbox (Seatbelt's profile is inherited), but srt does
// not wait for them.
#ifdef __linux__
inline constexpr bool kReapOrphans = true;
#else
inline constexpr bool kReapOrphans = false;
#endif

// Builds the Sandbox an invocation describes (settings file or default).
Sandbox make_sandbox(const Invocation &inv);

int run_command(const Invocation &inv);
int explain(const Invocation &inv);
int list_backends(const Invocation &inv);
int selftest(const Invocation &inv);  // selftest.cpp: escape attempts in the chosen backend

}  // namespace srt::cli
