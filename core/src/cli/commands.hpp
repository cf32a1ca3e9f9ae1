// The srt subcommands. Each returns srt's exit status; each lets srt::Error
// propagate to main, which prints it and exits 125.
#pragma once

#include "cli/args.hpp"

#include <srt/srt.hpp>

namespace srt::cli {

// Builds the Sandbox an invocation describes (settings file or default).
Sandbox make_sandbox(const Invocation &inv);

int run_command(const Invocation &inv);
int explain(const Invocation &inv);
int list_backends(const Invocation &inv);
int selftest(const Invocation &inv);  // selftest.cpp: escape attempts in the chosen backend

}  // namespace srt::cli
