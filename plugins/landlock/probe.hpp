// Can the Landlock backend run here, and what does this kernel let it
// enforce? Shallow and deep are the same: one system call.
#pragma once

#include <srt/plugin.hpp>
#include <srt/policy.hpp>

namespace srt::landlock_backend {

sdk::ProbeResult probe(const ir::Policy &policy);

}  // namespace srt::landlock_backend
