// IR -> bubblewrap command line. Pure: reads nothing, starts nothing.
#pragma once

#include <srt/launch.hpp>
#include <srt/policy.hpp>

#include <string>

namespace srt::bwrap {

// Above this many bytes of options, they go through `bwrap --args FD`
// instead of the command line (large glob expansions hit E2BIG otherwise:
// the kernel caps one argument at 128 KiB and all of them at ARG_MAX).
inline constexpr std::size_t kInlineArgsLimit = 64 * 1024;
// bubblewrap refuses more arguments than this (its MAX_ARGS), --args included.
inline constexpr std::size_t kMaxBwrapArgs = 9000;

LaunchPlan render(const ir::Policy &policy, const LaunchRequest &request, const std::string &bwrap_path);

}  // namespace srt::bwrap
