// children_of and process_group_of (spawn.hpp) from Linux's /proc.
#include "runtime/spawn.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace srt::runtime {

namespace {

// /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN): one read instead of a
// scan of every process.
bool children_from_task_files(pid_t parent, std::vector<pid_t> &out) {
  char dir_path[64];
  std::snprintf(dir_path, sizeof dir_path, "/proc/%d/task", static_cast<int>(parent));
  DIR *d = ::opendir(dir_path);
  if (!d) return false;
  bool ok = true;
  while (auto *e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string path = std::string(dir_path) + "/" + e->d_name + "/children";
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      ok = false;
      break;
    }
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    const char *p = text.c_str();
    char *end = nullptr;
    for (long pid = std::strtol(p, &end, 10); end != p; pid = std::strtol(p, &end, 10)) {
      out.push_back(static_cast<pid_t>(pid));
      p = end;
    }
  }
  ::closedir(d);
  return ok;
}

}  // namespace

namespace {

// The fields of /proc/PID/stat that srt reads.
struct ProcStat {
  char state = 0;
  pid_t ppid = 0;
  pid_t pgrp = 0;
};

std::optional<ProcStat> read_proc_stat(long pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[512];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  buf[n] = '\0';
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
  const char *close_paren = std::strrchr(buf, ')');
  ProcStat st;
  long ppid, pgrp;
  if (!close_paren || std::sscanf(close_paren + 1, " %c %ld %ld", &st.state, &ppid, &pgrp) != 3) return std::nullopt;
  st.ppid = static_cast<pid_t>(ppid);
  st.pgrp = static_cast<pid_t>(pgrp);
  return st;
}

}  // namespace

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  if (children_from_task_files(parent, out)) return out;
  out.clear();
  DIR *d = ::opendir("/proc");
  if (!d) return out;
  while (auto *e = ::readdir(d)) {
    char *end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end) continue;
    auto st = read_proc_stat(pid);
    if (st && st->ppid == parent && st->state != 'Z') out.push_back(static_cast<pid_t>(pid));
  }
  ::closedir(d);
  return out;
}

std::optional<pid_t> process_group_of(pid_t pid) {
  auto st = read_proc_stat(pid);
  if (!st || st->pgrp <= 0) return std::nullopt;
  return st->pgrp;
}


}  // namespace srt::runtime
