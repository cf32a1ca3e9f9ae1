// How the srt CLI talks to its user: errors and warnings on stderr, one line
// each, prefixed so that they cannot be mistaken for the command's output.
#pragma once

#include <srt/srt.hpp>

#include <string>

namespace srt::cli {

// srt's own failures (settings, policy, backend, sandbox set-up): the
// command did not run. 126/127 come from srt-enter (command not executable /
// not found).
inline constexpr int kExitSrtError = 125;

void error(const std::string &message);
void warning(const std::string &message);
void debug(const std::string &message);

// A LogFn for srt::Options that prints warnings (and debug lines when
// `debug`) with the prefixes above.
LogFn stderr_log();

}  // namespace srt::cli
