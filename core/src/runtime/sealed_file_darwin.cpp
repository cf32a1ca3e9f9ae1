// make_memfd (spawn.hpp) on macOS, which has no memfd: an unlinked temporary
// file, opened read-only before its one writable descriptor is closed, so
// that no descriptor that could change it is left anywhere.
#include "runtime/spawn.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace srt::runtime {

int make_memfd(const std::string &name, const std::string &content) {
  std::error_code ec;
  std::string path = (std::filesystem::temp_directory_path(ec) / "srt-file-XXXXXXXX").string();
  if (ec) path = "/tmp/srt-file-XXXXXXXX";
  int writer = ::mkstemp(path.data());
  if (writer < 0) throw SandboxError(fmt::format("creating a file for {} in {}: {}", name, path, std::strerror(errno)));
  int reader = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  int err = errno;
  ::unlink(path.c_str());
  if (reader < 0) {
    ::close(writer);
    throw SandboxError(fmt::format("opening {} for {}: {}", path, name, std::strerror(err)));
  }
  std::size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(writer, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      ::close(writer);
      ::close(reader);
      throw SandboxError(fmt::format("writing the file for {}: {}", name, std::strerror(err)));
    }
    off += static_cast<std::size_t>(n);
  }
  ::close(writer);
  return reader;
}

}  // namespace srt::runtime
