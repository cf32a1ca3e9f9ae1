// IR -> one Landlock ruleset. Landlock only grants, and a grant on a
// directory covers everything beneath it, so a path the policy restricts
// more than its parent splits the parent: the parent keeps only what every
// restricted descendant may also have, and each of its other entries (read
// from the real directory now, at launch) gets the parent's full rights.
// Reads the disk (directory listings), starts nothing.
#pragma once

#include <srt/landlock.hpp>
#include <srt/launch.hpp>
#include <srt/policy.hpp>

namespace srt::landlock_backend {

// What each IR access becomes.
inline constexpr std::uint64_t kRead = landlock::kReadFile | landlock::kReadDir | landlock::kExecute;
inline constexpr std::uint64_t kWrite = landlock::kWriteFile | landlock::kRemoveDir | landlock::kRemoveFile | landlock::kMakeChar |
                                        landlock::kMakeDir | landlock::kMakeReg | landlock::kMakeSock | landlock::kMakeFifo |
                                        landlock::kMakeBlock | landlock::kMakeSym | landlock::kRefer | landlock::kTruncate;
// The device files a command may open (the set bubblewrap's --dev gives).
inline constexpr std::uint64_t kDevice = landlock::kReadFile | landlock::kWriteFile | landlock::kTruncate | landlock::kIoctlDev;

// `abi` >= 1. The rules use only rights that ABI has.
landlock::Ruleset build_ruleset(const ir::Policy &policy, const LaunchRequest &request, int abi);

}  // namespace srt::landlock_backend
