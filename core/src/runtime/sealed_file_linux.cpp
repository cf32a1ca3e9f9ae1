// make_memfd (spawn.hpp) on Linux: a sealed memfd.
#include "runtime/spawn.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace srt::runtime {

int make_memfd(const std::string &name, const std::string &content) {
  int fd = ::memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) throw SandboxError(fmt::format("memfd_create: {}", std::strerror(errno)));
  std::size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw SandboxError(fmt::format("writing memfd {}: {}", name, std::strerror(err)));
    }
    off += static_cast<std::size_t>(n);
  }
  if (::lseek(fd, 0, SEEK_SET) != 0 || ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    int err = errno;
    ::close(fd);
    throw SandboxError(fmt::format("sealing memfd {}: {}", name, std::strerror(err)));
  }
  return fd;
}

}  // namespace srt::runtime
