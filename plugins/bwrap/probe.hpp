// Is bubblewrap usable here? Finds the binary and checks the kernel settings
// that make it fail, with a reason a user can act on.
#pragma once

#include <srt/plugin.hpp>
#include <srt/policy.hpp>

#include <optional>
#include <string>

namespace srt::bwrap {

// The bwrap to run: policy.backend_options.bwrap.path (bwrapPath, no
// fallback) or the first `bwrap` on PATH. Sets `why` when there is none.
std::optional<std::string> find_bwrap(const ir::Policy &policy, std::string &why);

// Shallow: binary and sysctls only. Deep: also runs bwrap once.
sdk::ProbeResult probe(const ir::Policy &policy, bool deep);

}  // namespace srt::bwrap
