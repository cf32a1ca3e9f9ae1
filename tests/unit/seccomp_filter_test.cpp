// The seccomp filter, enforced for real: each probe runs in a forked child
// that installs the program build_program() made, tries one system call and
// reports its errno (or dies by the filter's signal).
#include "seccomp/filter.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <string>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

srt::ir::Policy policy(bool allow_all_unix = false, bool allow_nested = false) {
  srt::ir::Policy p;
  p.sockets.allow_all_unix = allow_all_unix;
  p.process.allow_nested_user_namespaces = allow_nested;
  return p;
}

constexpr int kSetupFailed = 200;

// Runs probe() in a child, under `prog` unless it is null. Returns the
// probe's result (an errno, 0 for success), or -SIGNAL when the child was
// killed.
template <class Probe>
int in_child(const sock_fprog *prog, Probe probe) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (prog && (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0) != 0))
      _exit(kSetupFailed);
    _exit(probe());
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  REQUIRE(WEXITSTATUS(status) != kSetupFailed);
  return WEXITSTATUS(status);
}

template <class Probe>
int under_filter(const std::string &program, Probe probe) {
  REQUIRE(program.size() % sizeof(sock_filter) == 0);
  std::vector<sock_filter> insns(program.size() / sizeof(sock_filter));
  std::memcpy(insns.data(), program.data(), program.size());
  sock_fprog prog{static_cast<unsigned short>(insns.size()), insns.data()};
  return in_child(&prog, probe);
}

int result(long rc) { return rc < 0 ? errno : 0; }

int open_socket(long domain, int type) {
  // Raw syscall so that the full 64-bit register value reaches the kernel.
  long fd = syscall(SYS_socket, domain, type, 0);
  if (fd < 0) return errno;
  close(static_cast<int>(fd));
  return 0;
}

// A process-creating call that the filter failed to stop must not let the
// new process run on in the test.
int fork_like(long rc) {
  if (rc == 0) _exit(0);
  if (rc < 0) return errno;
  waitpid(static_cast<pid_t>(rc), nullptr, 0);
  return 0;
}

int probe_clone_newuser() { return fork_like(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)); }

int probe_clone3(std::size_t size) {
  clone_args args{};
  args.exit_signal = SIGCHLD;
  return fork_like(syscall(SYS_clone3, &args, size));
}

int probe_process_vm_readv() {
  char src = 'x', dst = 0;
  iovec local{&dst, 1}, remote{&src, 1};
  return result(process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
}

constexpr const char *kMissingPath = "/nonexistent-srt-seccomp-test";

std::vector<std::string> syscall_lists(const std::vector<srt::seccomp::Rule> &rules) {
  std::vector<std::string> out;
  for (const auto &r : rules) out.push_back(r.syscalls);
  return out;
}

bool lists(const std::vector<srt::seccomp::Rule> &rules, const std::string &needle) {
  for (const auto &r : rules)
    if (r.syscalls.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("seccomp describe: the default policy lists every rule") {
  auto rules = srt::seccomp::describe(policy());
  REQUIRE(rules.size() == 7);
  CHECK(rules[0].syscalls == "socket");
  CHECK(rules[0].when == "domain is AF_UNIX");
  CHECK(rules[0].action == "fails with EPERM");
  CHECK(rules[1].syscalls == "io_uring_setup, io_uring_enter, io_uring_register");
  CHECK(rules[2].syscalls == "unshare, clone");
  CHECK(rules[2].when == "flags include CLONE_NEWUSER");
  CHECK(rules[3].syscalls == "clone3");
  CHECK(rules[3].action == "fails with ENOSYS");
  CHECK(rules[4].syscalls ==
        "setns, mount, umount2, pivot_root, open_tree, move_mount, fsopen, fsconfig, fsmount, fspick, mount_setattr");
  CHECK(rules[5].syscalls == "ptrace, process_vm_readv, process_vm_writev");
  CHECK(rules[6].action == "kills the process");
  CHECK_FALSE(lists(rules, "socketpair"));
}

TEST_CASE("seccomp describe: allowAllUnixSockets drops the AF_UNIX rule only") {
  auto rules = srt::seccomp::describe(policy(true));
  CHECK_FALSE(lists(rules, "socket"));
  CHECK(lists(rules, "io_uring_setup"));
  CHECK(lists(rules, "unshare"));
  CHECK(rules.size() == 6);
}

TEST_CASE("seccomp describe: nested user namespaces drop the namespace and mount rules") {
  auto rules = srt::seccomp::describe(policy(false, true));
  CHECK(syscall_lists(rules) == std::vector<std::string>{"socket", "io_uring_setup, io_uring_enter, io_uring_register",
                                                         "ptrace, process_vm_readv, process_vm_writev",
                                                         rules.back().syscalls});
}

TEST_CASE("seccomp program: a whole number of BPF instructions within the kernel's limit") {
  auto program = srt::seccomp::build_program(policy());
  CHECK(program.size() % sizeof(sock_filter) == 0);
  CHECK(program.size() / sizeof(sock_filter) > 10);
  CHECK(program.size() / sizeof(sock_filter) <= BPF_MAXINSNS);
}

TEST_CASE("seccomp program: new AF_UNIX sockets fail, other sockets and socketpair work") {
  auto program = srt::seccomp::build_program(policy());
  CHECK(under_filter(program, [] { return open_socket(AF_UNIX, SOCK_STREAM); }) == EPERM);
  CHECK(under_filter(program, [] { return open_socket(AF_UNIX, SOCK_DGRAM); }) == EPERM);
  // The kernel reads the domain as an int: junk in the upper half of the
  // register must not get past the rule.
  CHECK(under_filter(program, [] { return open_socket((1L << 32) | AF_UNIX, SOCK_STREAM); }) == EPERM);
  CHECK(under_filter(program, [] { return open_socket(AF_INET, SOCK_STREAM); }) == 0);
  CHECK(under_filter(program, [] { return open_socket(AF_INET6, SOCK_DGRAM); }) == 0);
  CHECK(under_filter(program, [] {
          int sv[2];
          return result(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
        }) == 0);
}

TEST_CASE("seccomp program: allowAllUnixSockets lets AF_UNIX sockets through") {
  auto program = srt::seccomp::build_program(policy(true));
  CHECK(under_filter(program, [] { return open_socket(AF_UNIX, SOCK_STREAM); }) == 0);
  CHECK(under_filter(program, [] { return result(syscall(SYS_io_uring_setup, 1, nullptr)); }) == EPERM);
}

TEST_CASE("seccomp program: namespaces, mounts, io_uring and tracing are refused") {
  auto program = srt::seccomp::build_program(policy());
  CHECK(under_filter(program, [] { return result(unshare(CLONE_NEWUSER)); }) == EPERM);
  CHECK(under_filter(program, [] { return result(unshare(CLONE_NEWUSER | CLONE_NEWNS)); }) == EPERM);
  CHECK(under_filter(program, probe_clone_newuser) == EPERM);
  // An ordinary fork still works (through clone or, here, clone3 -> ENOSYS).
  CHECK(under_filter(program, [] { return fork_like(fork()); }) == 0);
  CHECK(under_filter(program, [] { return probe_clone3(sizeof(clone_args)); }) == ENOSYS);
  CHECK(under_filter(program, [] { return result(syscall(SYS_io_uring_setup, 1, nullptr)); }) == EPERM);
  CHECK(under_filter(program, [] { return result(ptrace(PTRACE_TRACEME, 0, nullptr, nullptr)); }) == EPERM);
  CHECK(under_filter(program, probe_process_vm_readv) == EPERM);
  // Paths that do not exist: without the filter these fail with ENOENT, so a
  // broken filter cannot change the test machine's mounts.
  CHECK(under_filter(program, [] { return result(mount("none", kMissingPath, "tmpfs", 0, nullptr)); }) == EPERM);
  CHECK(under_filter(program, [] { return result(umount2(kMissingPath, 0)); }) == EPERM);
  CHECK(under_filter(program, [] { return result(setns(-1, 0)); }) == EPERM);
  CHECK(under_filter(program, [] { return result(syscall(SYS_fsopen, "tmpfs", 0)); }) == EPERM);
}

TEST_CASE("seccomp program: with nested user namespaces allowed, those calls reach the kernel") {
  auto program = srt::seccomp::build_program(policy(false, true));
  // The kernel's own answers, not the filter's.
  CHECK(under_filter(program, [] { return result(mount("none", kMissingPath, "tmpfs", 0, nullptr)); }) == ENOENT);
  CHECK(under_filter(program, [] { return result(setns(-1, 0)); }) == EBADF);
  CHECK(under_filter(program, [] { return probe_clone3(0); }) == EINVAL);
  // Still refused.
  CHECK(under_filter(program, [] { return open_socket(AF_UNIX, SOCK_STREAM); }) == EPERM);
  CHECK(under_filter(program, [] { return result(ptrace(PTRACE_TRACEME, 0, nullptr, nullptr)); }) == EPERM);
}

#if defined(__x86_64__)
TEST_CASE("seccomp program: system calls through the x32 and i386 entries kill the process") {
  auto program = srt::seccomp::build_program(policy());
  // x32 numbering: the rules match x86_64 numbers only, so the filter must
  // refuse the whole ABI.
  constexpr long kX32Bit = 0x40000000;
  CHECK(under_filter(program, [] { return result(syscall(kX32Bit | SYS_getpid)); }) == -SIGSYS);
  // int 0x80 enters the i386 ABI (AUDIT_ARCH_I386), where socket is
  // socketcall and every number differs. 20 is getpid there.
  auto i386_getpid = [] {
    long ret = 20;
    asm volatile("int $0x80" : "+a"(ret) : : "memory", "r8", "r9", "r10", "r11");
    return ret == getpid() ? 0 : 1;
  };
  // Some hypervisors (and ia32_emulation=0) give no i386 entry: int 0x80
  // faults before any filter runs, and there is nothing for it to refuse.
  int bare = in_child(nullptr, i386_getpid);
  if (bare != 0) {
    MESSAGE("int 0x80 fails here without any filter (" << bare << "): this kernel has no i386 entry to refuse");
    return;
  }
  CHECK(under_filter(program, i386_getpid) == -SIGSYS);
}
#endif
