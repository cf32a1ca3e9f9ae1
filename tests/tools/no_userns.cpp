// Runs a command where user namespaces cannot be created, the way Docker's
// default seccomp profile and many CI runners forbid them: unshare and clone
// with CLONE_NEWUSER fail with EPERM, clone3 with ENOSYS (so that libc falls
// back to clone).
//
//   no-userns COMMAND [ARGS...]
#include <seccomp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: no-userns COMMAND [ARGS...]\n");
    return 2;
  }
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) return 2;
  scmp_arg_cmp newuser{0, SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER};
  if (seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1, &newuser) < 0 ||
      seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1, &newuser) < 0 ||
      seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0 ||
      prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || seccomp_load(ctx) < 0) {
    std::fprintf(stderr, "no-userns: cannot install the filter\n");
    return 2;
  }
  seccomp_release(ctx);
  execvp(argv[1], argv + 1);
  std::fprintf(stderr, "no-userns: %s: %s\n", argv[1], std::strerror(errno));
  return 127;
}
