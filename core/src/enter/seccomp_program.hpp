// The seccomp program srt compiled (core/src/seccomp/filter.hpp), read from
// an inherited fd and applied just before exec. srt-enter itself links no
// libseccomp: it only hands the kernel the prepared bytes.
#pragma once

#include <linux/filter.h>

#include <vector>

namespace srt::enter {

// The kernel's own limit on a classic BPF program.
inline constexpr std::size_t kMaxSeccompInstructions = BPF_MAXINSNS;

using SeccompProgram = std::vector<sock_filter>;

// Reads the whole program from `fd` (from offset 0 when the fd is seekable,
// so that a memfd srt has just written works) and closes the fd. Dies
// (kExitUsage) when it cannot be read, is empty, too long, or not a whole
// number of instructions.
SeccompProgram read_seccomp_program(int fd);

// Sets no_new_privs and installs the program for this process; the filter
// survives execve. Dies (kExitUsage) on any failure: the command must never
// run unfiltered.
void apply_seccomp_program(const SeccompProgram &program);

}  // namespace srt::enter
