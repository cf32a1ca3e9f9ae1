#include "runtime/runtime_dir.hpp"

#include "util/strings.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace srt::runtime {

namespace {

bool owned_private_dir(const char *path) {
  struct stat st{};
  return ::lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() && (st.st_mode & 077) == 0;
}

std::string tmp_root() {
  const char *t = std::getenv("TMPDIR");
  std::string base = (t && t[0] == '/') ? t : "/tmp";
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  return fmt::format("{}/srt-{}", base, ::geteuid());
}

}  // namespace

Dirs dir_paths() {
  Dirs d;
  std::string root = tmp_root();
  d.tmpdir = root + "/tmp";
  const char *xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg && xdg[0] == '/' && owned_private_dir(xdg)) d.base = std::string(xdg) + "/srt";
  else d.base = root + "/run";
  return d;
}

void ensure_private_dir(const std::string &path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
    throw SandboxError(fmt::format("cannot create srt's private directory {}: {}", util::quoted(path), std::strerror(errno)));
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    throw SandboxError(fmt::format("srt's private directory {} cannot be opened as a directory ({}); remove it", util::quoted(path),
                                   std::strerror(errno)));
  struct stat st{};
  int rc = ::fstat(fd, &st);
  if (rc == 0 && st.st_uid == ::geteuid() && (st.st_mode & 077) != 0) rc = ::fchmod(fd, 0700);
  ::close(fd);
  if (rc != 0) throw SandboxError(fmt::format("cannot inspect {}: {}", util::quoted(path), std::strerror(errno)));
  if (st.st_uid != ::geteuid())
    throw SandboxError(fmt::format("{} belongs to uid {}, not to you (uid {}); srt will not use it. Remove it, or set TMPDIR "
                                   "to a directory of yours",
                                   util::quoted(path), st.st_uid, ::geteuid()));
}

Dirs ensure_dirs() {
  Dirs d = dir_paths();
  ensure_private_dir(tmp_root());
  ensure_private_dir(d.tmpdir);
  ensure_private_dir(d.base);
  ensure_private_dir(d.base + "/sessions");
  return d;
}

}  // namespace srt::runtime
