// children_of and process_group_of (spawn.hpp) on macOS: libproc and getpgid.
#include "runtime/spawn.hpp"

#include <algorithm>
#include <cerrno>
#include <libproc.h>
#include <unistd.h>

namespace srt::runtime {

namespace {
// Children of one process srt asks about (the launcher's): a few at most.
constexpr int kMaxChildren = 4096;
}  // namespace

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out(kMaxChildren);
  int n = ::proc_listchildpids(parent, out.data(), static_cast<int>(out.size() * sizeof(pid_t)));
  // The count is of pids on macOS (bytes on some older releases): bounded
  // either way by the buffer.
  if (n <= 0) return {};
  out.resize(std::min<std::size_t>(static_cast<std::size_t>(n), out.size()));
  out.erase(std::remove_if(out.begin(), out.end(), [](pid_t p) { return p <= 0; }), out.end());
  return out;
}

std::optional<pid_t> process_group_of(pid_t pid) {
  pid_t g = ::getpgid(pid);
  if (g <= 0) return std::nullopt;
  return g;
}

}  // namespace srt::runtime
