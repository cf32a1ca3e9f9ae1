// launch-floor PROGRAM [ARGS...]: fork, exec PROGRAM, wait, and exit with its
// status. Nothing else: bench/launch runs srt's own bwrap command line through
// it to show the least that any launcher which supervises its command (as srt
// does) adds to a launch. Linked statically, so that it costs only its fork,
// exec and exit. Descriptors are passed through untouched.
#include <cerrno>
#include <sys/wait.h>
#include <unistd.h>

namespace {
constexpr int kExitUsage = 2;
constexpr int kExitLaunchFailed = 126;
constexpr int kExitExecFailed = 127;
constexpr int kSignalBase = 128;
}  // namespace

int main(int argc, char **argv) {
  if (argc < 2) return kExitUsage;
  pid_t pid = fork();
  if (pid < 0) return kExitLaunchFailed;
  if (pid == 0) {
    execv(argv[1], argv + 1);
    _exit(kExitExecFailed);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return kExitLaunchFailed;
  return WIFEXITED(status) ? WEXITSTATUS(status) : kSignalBase + WTERMSIG(status);
}
