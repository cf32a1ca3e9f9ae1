// The seccomp filter every sandboxed command runs under: it refuses the
// system calls that would let the command step around the rest of the
// sandbox (new Unix sockets that reach host services through bind-mounted
// paths, io_uring, which bypasses seccomp, new user namespaces and mounts,
// and tracing other processes of the same uid).
//
// One table (filter.cpp) is the single source of truth: describe() renders
// it in words for `srt policy explain`, build_program() compiles it.
//
// The program is built for the native architecture only. Its first
// instructions, added by libseccomp, compare seccomp_data.arch with the
// native AUDIT_ARCH and, on x86_64, refuse system call numbers with the x32
// bit (__X32_SYSCALL_BIT) set; either mismatch *kills the process*
// (SECCOMP_RET_KILL_PROCESS, or KILL_THREAD on kernels before 4.14). So a
// command cannot bypass a rule by entering the kernel through another ABI
// (int 0x80 i386 calls, x32 calls, AArch32 compat calls), whose numbers the
// rules do not match.
#pragma once

#include <srt/policy.hpp>

#include <string>
#include <vector>

namespace srt::seccomp {

// What the filter must make up for besides the policy.
struct Profile {
  // The backend has no namespaces (landlock): refuse what a network and an
  // IPC namespace would have contained.
  bool host_namespaces = false;
};

// One rule in words, e.g. {"socket", "domain is AF_UNIX", "fails with EPERM"}.
struct Rule {
  std::string syscalls;  // one name or a comma-separated list
  std::string when;      // "always" or the argument condition
  std::string action;    // what the command sees
};

// The rules build_program() enforces for this policy, in the order they are
// applied, followed by the architecture check. Pure; never throws except
// std::bad_alloc.
std::vector<Rule> describe(const ir::Policy &policy, const Profile &profile = {});

// Every rule with its numeric conditions, one per line: equal fingerprints
// give equal programs (with the same libseccomp on the same architecture).
std::string fingerprint(const ir::Policy &policy, const Profile &profile = {});

// The BPF program (the bytes of an array of struct sock_filter, ready for
// prctl(PR_SET_SECCOMP) or `bwrap --seccomp FD`) for the native architecture.
// System calls that libseccomp does not know on this architecture are left
// out; everything not listed is allowed.
//
// Throws srt::SandboxError naming the step that failed. Allocates and uses
// libseccomp's process-wide kernel probe state: call it in the parent before
// forking, never between fork and exec, and not from two threads at once.
std::string build_program(const ir::Policy &policy, const Profile &profile = {});

}  // namespace srt::seccomp
