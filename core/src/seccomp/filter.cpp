#include "seccomp/filter.hpp"

#include <srt/error.hpp>

#include <seccomp.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <linux/filter.h>
#include <memory>
#include <optional>
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace srt::seccomp {
namespace {

// The kernel refuses longer programs; ours is a few dozen instructions.
constexpr std::size_t kMaxProgramBytes = BPF_MAXINSNS * sizeof(sock_filter);

// arg0 & mask == value. The socket domain is an int: only its low 32 bits
// count, whatever the caller left in the upper half of the register.
struct ArgMatch {
  std::uint64_t mask;
  std::uint64_t value;
};

struct Entry {
  std::vector<const char *> syscalls;
  std::optional<ArgMatch> arg0;
  int err;
  const char *err_name;
  const char *when;
};

// The single source of truth for describe() and build_program().
std::vector<Entry> entries(const ir::Policy &policy) {
  std::vector<Entry> out;
  if (!policy.sockets.allow_all_unix)
    out.push_back({{"socket"}, ArgMatch{0xffffffffu, AF_UNIX}, EPERM, "EPERM", "domain is AF_UNIX"});
  // io_uring performs socket, open and other operations without passing
  // through seccomp at all.
  out.push_back({{"io_uring_setup", "io_uring_enter", "io_uring_register"}, std::nullopt, EPERM, "EPERM", "always"});
  if (!policy.process.allow_nested_user_namespaces) {
    out.push_back({{"unshare", "clone"}, ArgMatch{CLONE_NEWUSER, CLONE_NEWUSER}, EPERM, "EPERM",
                   "flags include CLONE_NEWUSER"});
    // clone3 passes its flags in memory, which seccomp cannot read: make libc
    // fall back to clone, whose flags the rule above sees.
    out.push_back({{"clone3"}, std::nullopt, ENOSYS, "ENOSYS", "always"});
    out.push_back({{"setns", "mount", "umount2", "pivot_root", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount",
                    "fspick", "mount_setattr"},
                   std::nullopt, EPERM, "EPERM", "always"});
  }
  // The command runs as the same uid as srt's helpers in the sandbox.
  out.push_back({{"ptrace", "process_vm_readv", "process_vm_writev"}, std::nullopt, EPERM, "EPERM", "always"});
  return out;
}

struct CtxDeleter {
  void operator()(void *ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxDeleter>;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::string &what, int err) {
  throw SandboxError("seccomp filter: " + what + ": " + std::strerror(err));
}

void add_rule(void *ctx, const Entry &e, const char *name) {
  int nr = seccomp_syscall_resolve_name(name);
  // Unknown to libseccomp, or a pseudo-number for a call this architecture
  // does not have: nothing to filter.
  if (nr < 0) return;
  int rc;
  if (e.arg0) {
    scmp_arg_cmp cmp{0, SCMP_CMP_MASKED_EQ, e.arg0->mask, e.arg0->value};
    rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(e.err), nr, 1, &cmp);
  } else {
    rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(e.err), nr, 0, nullptr);
  }
  if (rc < 0) fail(std::string("adding the rule for ") + name, -rc);
}

std::string export_program(void *ctx) {
  Fd fd(memfd_create("srt-seccomp", MFD_CLOEXEC));
  if (fd.get() < 0) fail("memfd_create", errno);
  if (int rc = seccomp_export_bpf(ctx, fd.get()); rc < 0) fail("seccomp_export_bpf", -rc);
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) fail("fstat on the exported program", errno);
  auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0 || size > kMaxProgramBytes || size % sizeof(sock_filter) != 0)
    throw SandboxError("seccomp filter: libseccomp exported a program of " + std::to_string(size) +
                       " bytes, which is not a valid BPF program");
  std::string bytes(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = pread(fd.get(), bytes.data() + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("reading the exported program", errno);
    if (n == 0) throw SandboxError("seccomp filter: the exported program is shorter than its file size");
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

}  // namespace

std::vector<Rule> describe(const ir::Policy &policy) {
  std::vector<Rule> out;
  for (const auto &e : entries(policy)) {
    std::string names;
    for (const char *s : e.syscalls) {
      if (!names.empty()) names += ", ";
      names += s;
    }
    out.push_back({names, e.when, std::string("fails with ") + e.err_name});
  }
  out.push_back({"any system call through another architecture's or ABI's entry (i386, x32, AArch32)", "always",
                 "kills the process"});
  return out;
}

std::string build_program(const ir::Policy &policy) {
  Ctx ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) throw SandboxError("seccomp filter: seccomp_init failed (out of memory?)");
  // libseccomp's default for a foreign architecture is KILL_THREAD, which in
  // a multi-threaded command would leave the other threads running.
  // KILL_PROCESS needs Linux 4.14; libseccomp refuses it on older kernels,
  // where KILL_THREAD is what remains.
  if (seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0) {
    if (int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_THREAD); rc < 0)
      fail("setting the action for foreign architectures", -rc);
  }
  for (const auto &e : entries(policy))
    for (const char *name : e.syscalls) add_rule(ctx.get(), e, name);
  return export_program(ctx.get());
}

}  // namespace srt::seccomp
