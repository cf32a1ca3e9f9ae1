// build_program() remembered across launches. libseccomp probes the kernel
// and compiles the rules on every call (a quarter of a millisecond, a large
// share of a landlock launch); the finished program depends only on the
// rules, the architecture and libseccomp's version, so it is kept in srt's
// private runtime directory, which no sandbox can see.
#pragma once

#include "seccomp/filter.hpp"

#include <functional>
#include <string>

namespace srt::seccomp {

// The program for `policy` and `profile`: read from `dir` when a file there
// holds exactly this key (rules in words, architecture, libseccomp version),
// otherwise built and stored (atomically; a failure to store only costs the
// next launch the build). `dir` must be private to this user (0700).
// Throws SandboxError like build_program().
std::string cached_program(const ir::Policy &policy, const Profile &profile, const std::string &dir,
                           const std::function<void(const std::string &)> &debug);

}  // namespace srt::seccomp
