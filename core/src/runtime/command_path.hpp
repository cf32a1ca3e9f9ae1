// Where execvp would find a command, decided on the host before launch, for
// plans that run the command without srt-enter (which searches PATH itself).
#pragma once

#include <string>
#include <vector>

namespace srt::runtime {

// `program` as execvp(3) would run it with this environment ("NAME=value"
// entries) from `cwd`: a name without '/' is searched in PATH (default
// "/bin:/usr/bin"; empty entries, which mean the working directory, are
// skipped) and the first regular, executable file wins; a path with '/' is
// made absolute against `cwd` and must be such a file. Returns "" otherwise:
// the caller then lets srt-enter report it.
std::string resolve_command(const std::string &program, const std::vector<std::string> &env, const std::string &cwd);

}  // namespace srt::runtime
