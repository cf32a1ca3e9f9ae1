#include "runtime/command_path.hpp"

#include <sys/stat.h>
#include <unistd.h>

namespace srt::runtime {

namespace {

constexpr const char *kDefaultPath = "/bin:/usr/bin";

bool executable_file(const std::string &path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string resolve_command(const std::string &program, const std::vector<std::string> &env, const std::string &cwd) {
  if (program.empty()) return {};
  if (program.find('/') != std::string::npos) {
    std::string path = program[0] == '/' ? program : cwd.empty() || cwd[0] != '/' ? std::string() : (cwd == "/" ? "" : cwd) + "/" + program;
    return !path.empty() && executable_file(path) ? path : std::string();
  }
  std::string path = kDefaultPath;
  for (const auto &e : env)
    if (e.compare(0, 5, "PATH=") == 0) path = e.substr(5);
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (!dir.empty() && dir[0] == '/') {
      std::string candidate = (dir == "/" ? "" : dir) + "/" + program;
      if (executable_file(candidate)) return candidate;
    }
    start = end + 1;
  }
  return {};
}

}  // namespace srt::runtime
