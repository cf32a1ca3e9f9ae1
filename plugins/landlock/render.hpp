// IR -> a launch with no launcher program: srt-enter runs directly, and the
// core confines it before exec with the ruleset built here. Reads directory
// listings (ruleset.hpp), starts nothing.
#pragma once

#include <srt/launch.hpp>
#include <srt/policy.hpp>

namespace srt::landlock_backend {

LaunchPlan render(const ir::Policy &policy, const LaunchRequest &request, int abi);

}  // namespace srt::landlock_backend
