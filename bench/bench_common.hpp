// What both benchmarks need: the machine they ran on (figures from different
// machines, or from root and non-root runs, are not comparable) and JSON
// string quoting for --json. Header-only.
#pragma once

#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace bench {

struct Machine {
  std::string kernel;
  long cpus_online = 0;
  int cpus_usable = 0;
  bool root = false;
  unsigned uid = 0;
};

// `die_errno(what)` must not return (each benchmark reports in its own name).
template <class DieErrno>
Machine machine(DieErrno die_errno) {
  Machine m;
  utsname u{};
  if (uname(&u) != 0) die_errno("uname");
  m.kernel = std::string(u.sysname) + " " + u.release + " " + u.machine;
  m.cpus_online = sysconf(_SC_NPROCESSORS_ONLN);
  if (m.cpus_online < 0) die_errno("sysconf(_SC_NPROCESSORS_ONLN)");
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) die_errno("sched_getaffinity");
  m.cpus_usable = CPU_COUNT(&set);
  m.uid = geteuid();
  m.root = m.uid == 0;
  return m;
}

inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace bench
