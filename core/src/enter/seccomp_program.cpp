#include "enter/seccomp_program.hpp"

#include "enter/sys.hpp"

#include <cerrno>
#include <cstring>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace srt::enter {

SeccompProgram read_seccomp_program(int fd) {
  constexpr std::size_t kMaxBytes = kMaxSeccompInstructions * sizeof(sock_filter);
  // A memfd srt wrote is positioned at its end; a pipe cannot seek and is
  // read from where it is.
  if (lseek(fd, 0, SEEK_SET) < 0 && errno != ESPIPE) die_errno("--seccomp-fd %d", fd);
  // One byte more than allowed, to tell "exactly the limit" from "too long".
  std::vector<char> buf(kMaxBytes + 1);
  std::size_t size = 0;
  for (;;) {
    ssize_t n = read(fd, buf.data() + size, buf.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die_errno("reading the seccomp program from fd %d", fd);
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
    if (size == buf.size()) die("the seccomp program on fd %d is longer than %zu bytes", fd, kMaxBytes);
  }
  close_fd(fd);
  if (size == 0) die("the seccomp program on fd %d is empty", fd);
  if (size % sizeof(sock_filter) != 0)
    die("the seccomp program on fd %d is %zu bytes, not a whole number of BPF instructions", fd, size);
  SeccompProgram program(size / sizeof(sock_filter));
  std::memcpy(program.data(), buf.data(), size);
  return program;
}

void apply_seccomp_program(const SeccompProgram &program) {
  // Required for an unprivileged process to install a filter, and keeps a
  // setuid binary from gaining privileges the filter would not see.
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die_errno("prctl(PR_SET_NO_NEW_PRIVS)");
  sock_fprog fprog{};
  fprog.len = static_cast<unsigned short>(program.size());
  fprog.filter = const_cast<sock_filter *>(program.data());
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) != 0)
    die_errno("installing the seccomp filter (the command was not run)");
}

}  // namespace srt::enter
