#include "seccomp/program_cache.hpp"

#include <seccomp.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/filter.h>
#include <string_view>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace srt::seccomp {

namespace {

// A cached file is the key, a NUL, then the program; larger files are not ours.
constexpr std::size_t kMaxCacheFileBytes = 64 * 1024;

std::string cache_key(const ir::Policy &policy, const Profile &profile) {
  const scmp_version *v = seccomp_version();
  // The kernel decides which actions libseccomp may use (KILL_PROCESS).
  struct utsname u{};
  if (::uname(&u) != 0) std::strcpy(u.release, "?");
  std::string key = fmt::format("srt seccomp cache 2 (binary tree); libseccomp {}.{}.{}; arch {:#x}; kernel {}\n", v ? v->major : 0,
                                v ? v->minor : 0, v ? v->micro : 0, seccomp_arch_native(), u.release);
  return key + fingerprint(policy, profile);
}

// FNV-1a: only names the file; the key inside is compared in full.
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string read_cached(const std::string &path, const std::string &key) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return {};
  struct stat st{};
  std::string out;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() && st.st_size > 0 &&
      static_cast<std::size_t>(st.st_size) <= kMaxCacheFileBytes) {
    std::string data(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::read(fd, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    std::size_t body = key.size() + 1;
    if (done == data.size() && data.size() > body && data.compare(0, key.size(), key) == 0 && data[key.size()] == '\0' &&
        (data.size() - body) % sizeof(sock_filter) == 0)
      out = data.substr(body);
  }
  ::close(fd);
  return out;
}

void store(const std::string &dir, const std::string &path, const std::string &key, const std::string &program,
           const std::function<void(const std::string &)> &debug) {
  std::string tmp = dir + "/.seccomp-XXXXXX";
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) {
    if (debug) debug(fmt::format("seccomp cache: cannot create a file in {}: {}", dir, std::strerror(errno)));
    return;
  }
  std::string data = key;
  data += '\0';
  data += program;
  std::size_t done = 0;
  bool ok = true;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    if (debug) debug(fmt::format("seccomp cache: cannot store {}: {}", path, std::strerror(errno)));
    ::unlink(tmp.c_str());
  }
}

}  // namespace

std::string cached_program(const ir::Policy &policy, const Profile &profile, const std::string &dir,
                           const std::function<void(const std::string &)> &debug) {
  std::string key = cache_key(policy, profile);
  std::string path = fmt::format("{}/seccomp-{:016x}.bpf", dir, fnv1a(key));
  if (std::string program = read_cached(path, key); !program.empty()) {
    if (debug) debug("system-call filter from " + path);
    return program;
  }
  std::string program = build_program(policy, profile);
  store(dir, path, key, program, debug);
  return program;
}

}  // namespace srt::seccomp
