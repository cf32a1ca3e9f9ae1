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
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace srt::seccomp {
namespace {

// The kernel refuses longer programs; ours is a few dozen instructions.
constexpr std::size_t kMaxProgramBytes = BPF_MAXINSNS * sizeof(sock_filter);

// One comparison of a system call argument. `masked_eq`: arg & mask ==
// value (an int argument such as the socket domain is compared on its low 32
// bits only, whatever the caller left in the upper half of the register);
// `gt`: the whole 64-bit register is greater than value (garbage in the upper
// half only makes the rule match more often).
struct Cond {
  unsigned arg;
  enum Op { masked_eq, gt } op;
  std::uint64_t mask;
  std::uint64_t value;
};

Cond eq32(unsigned arg, std::uint64_t value) { return {arg, Cond::masked_eq, 0xffffffffu, value}; }

struct Entry {
  std::vector<const char *> syscalls;
  // The rule matches when all conditions of any one alternative hold; no
  // alternatives: always.
  std::vector<std::vector<Cond>> alternatives;
  int err;
  const char *err_name;
  const char *when;
};

constexpr std::uint64_t kSocketTypeMask = 0xf;  // SOCK_TYPE_MASK: the type without SOCK_NONBLOCK/SOCK_CLOEXEC
constexpr std::uint64_t kHighestInetFamily = AF_INET6;
constexpr std::uint64_t kTcpFastOpenConnect = 30;  // TCP_FASTOPEN_CONNECT (netinet/tcp.h lacks it before glibc 2.27)

// arg & mask == value over the low 32 bits: one comparison for an aligned
// block of values (mask clears the low bits that vary).
Cond block(unsigned arg, std::uint64_t first, std::uint64_t size) { return {arg, Cond::masked_eq, 0xffffffffu & ~(size - 1), first}; }

// Without a network namespace only TCP (which Landlock restricts by port)
// and, where allowed, Unix sockets may be created; without an IPC namespace
// and with the user's session keyring in reach, System V IPC and keys are
// refused. Values are grouped into aligned blocks to keep the program short.
void host_namespace_entries(const ir::Policy &policy, std::vector<Entry> &out) {
  static_assert(AF_UNIX == 1 && AF_INET == 2 && AF_INET6 == 10 && SOCK_STREAM == 1 && IPPROTO_TCP == 6);
  // Domains other than 1, 2, 10: 0, 3, 4-7, 8-9, above 10.
  out.push_back({{"socket", "socketpair"},
                 {{eq32(0, 0)}, {eq32(0, 3)}, {block(0, 4, 4)}, {block(0, 8, 2)}, {{0, Cond::gt, 0, kHighestInetFamily}}},
                 EAFNOSUPPORT, "EAFNOSUPPORT", "domain is not AF_UNIX, AF_INET or AF_INET6 (netlink, packet, ...)"});
  // For AF_INET and AF_INET6: a type other than SOCK_STREAM (0, 2-3, 4-7,
  // 8-15), or a protocol above TCP's number (MPTCP, SCTP; 1-5 are no stream
  // protocols, the kernel refuses them itself).
  std::vector<std::vector<Cond>> not_tcp;
  for (std::uint64_t d : {AF_INET, AF_INET6}) {
    for (auto [first, size] : {std::pair<std::uint64_t, std::uint64_t>{0, 1}, {2, 2}, {4, 4}, {8, 8}})
      not_tcp.push_back({eq32(0, d), {1, Cond::masked_eq, kSocketTypeMask & ~(size - 1), first}});
    not_tcp.push_back({eq32(0, d), {2, Cond::gt, 0, IPPROTO_TCP}});
  }
  out.push_back({{"socket"}, not_tcp, EPERM, "EPERM", "domain is AF_INET or AF_INET6 and it is not plain TCP (UDP, raw, ICMP, MPTCP, SCTP)"});
  // TCP Fast Open connects without connect(2), where Landlock looks.
  out.push_back({{"sendto", "sendmmsg"}, {{{3, Cond::masked_eq, MSG_FASTOPEN, MSG_FASTOPEN}}}, EPERM, "EPERM", "flags include MSG_FASTOPEN"});
  out.push_back({{"sendmsg"}, {{{2, Cond::masked_eq, MSG_FASTOPEN, MSG_FASTOPEN}}}, EPERM, "EPERM", "flags include MSG_FASTOPEN"});
  out.push_back({{"setsockopt"}, {{eq32(1, IPPROTO_TCP), eq32(2, kTcpFastOpenConnect)}}, EPERM, "EPERM", "option is TCP_FASTOPEN_CONNECT"});
  // listen(2) on an unbound socket binds a port on every address, unseen by
  // Landlock's bind rule.
  if (!policy.sockets.allow_local_binding)
    out.push_back({{"listen"}, {}, EPERM, "EPERM", "allowLocalBinding is off (it would bind a port unseen by Landlock)"});
  out.push_back({{"shmget", "shmat", "shmctl", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl",
                  "keyctl", "add_key", "request_key"},
                 {}, EPERM, "EPERM", "always"});
}

// The single source of truth for describe() and build_program().
std::vector<Entry> entries(const ir::Policy &policy, const Profile &profile) {
  std::vector<Entry> out;
  if (!policy.sockets.allow_all_unix) out.push_back({{"socket"}, {{eq32(0, AF_UNIX)}}, EPERM, "EPERM", "domain is AF_UNIX"});
  if (profile.host_namespaces) host_namespace_entries(policy, out);
  // io_uring performs socket, open and other operations without passing
  // through seccomp at all.
  out.push_back({{"io_uring_setup", "io_uring_enter", "io_uring_register"}, {}, EPERM, "EPERM", "always"});
  if (!policy.process.allow_nested_user_namespaces) {
    out.push_back({{"unshare", "clone"}, {{{0, Cond::masked_eq, CLONE_NEWUSER, CLONE_NEWUSER}}}, EPERM, "EPERM",
                   "flags include CLONE_NEWUSER"});
    // clone3 passes its flags in memory, which seccomp cannot read: make libc
    // fall back to clone, whose flags the rule above sees.
    out.push_back({{"clone3"}, {}, ENOSYS, "ENOSYS", "always"});
    out.push_back({{"setns", "mount", "umount2", "pivot_root", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount",
                    "fspick", "mount_setattr"},
                   {}, EPERM, "EPERM", "always"});
  }
  // The command runs as the same uid as srt's helpers in the sandbox.
  out.push_back({{"ptrace", "process_vm_readv", "process_vm_writev"}, {}, EPERM, "EPERM", "always"});
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
  auto add = [&](const std::vector<Cond> &conds) {
    std::vector<scmp_arg_cmp> cmps;
    for (const auto &c : conds)
      cmps.push_back(c.op == Cond::gt ? scmp_arg_cmp{c.arg, SCMP_CMP_GT, c.value, 0} : scmp_arg_cmp{c.arg, SCMP_CMP_MASKED_EQ, c.mask, c.value});
    int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(e.err), nr, static_cast<unsigned>(cmps.size()), cmps.data());
    if (rc < 0) fail(std::string("adding the rule for ") + name + " when " + e.when, -rc);
  };
  if (e.alternatives.empty()) add({});
  for (const auto &alt : e.alternatives) add(alt);
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

std::vector<Rule> describe(const ir::Policy &policy, const Profile &profile) {
  std::vector<Rule> out;
  for (const auto &e : entries(policy, profile)) {
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

std::string fingerprint(const ir::Policy &policy, const Profile &profile) {
  std::string out;
  for (const auto &e : entries(policy, profile)) {
    for (const char *name : e.syscalls) out += std::string(name) + ",";
    out += " errno " + std::to_string(e.err) + ":";
    for (const auto &alt : e.alternatives) {
      out += " (";
      for (const auto &c : alt)
        out += " a" + std::to_string(c.arg) + (c.op == Cond::gt ? " > " : " & " + std::to_string(c.mask) + " == ") + std::to_string(c.value);
      out += " )";
    }
    out += "\n";
  }
  return out;
}

std::string build_program(const ir::Policy &policy, const Profile &profile) {
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
  // A binary tree over the system-call numbers instead of a linear list: the
  // kernel walks the filter for every system call, and once per number when
  // it installs the filter (its action cache), so a short path is cheaper
  // for the whole life of the command and at every launch.
  if (int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2); rc < 0) fail("choosing the binary-tree layout", -rc);
  for (const auto &e : entries(policy, profile))
    for (const char *name : e.syscalls) add_rule(ctx.get(), e, name);
  return export_program(ctx.get());
}

}  // namespace srt::seccomp
