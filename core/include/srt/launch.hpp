// What the core asks a backend to launch (LaunchRequest) and what the backend
// answers (LaunchPlan), with their JSON forms. Header-only: the core and
// plugins built out of tree share exactly this code.
//
// Plain values; reading throws srt::ir::JsonError naming the JSON path.
#pragma once

#include <srt/landlock.hpp>
#include <srt/policy_json.hpp>

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace srt {

struct LaunchRequest {
  // The program to run inside the sandbox: srt's helper (srt-enter) followed
  // by its arguments and the user's command. argv[0] is `enter_sandbox_path`.
  std::vector<std::string> enter_argv;
  // The user's command alone (what follows `--` in enter_argv), for plans
  // that run it directly, and its program resolved against the command's
  // PATH to an absolute host path (empty when it is not an executable file
  // there: such plans then run srt-enter, which reports it).
  std::vector<std::string> command;
  std::string command_path;
  std::string enter_host_path;     // where srt-enter is on the host
  std::string enter_sandbox_path;  // where the backend must make it appear
  // The environment the command would get without a sandbox, "NAME=value".
  // The backend applies the policy's env_set/env_unset on top of it, then
  // `env_set` below.
  std::vector<std::string> env;
  // srt's own additions, applied last so that no policy entry removes them
  // (the proxy settings: HTTP_PROXY, ...).
  std::map<std::string, std::string> env_set;
  // Host paths srt-enter needs inside the sandbox, each shown read-only at
  // `sandbox_path` (the proxies' Unix sockets). The sandbox paths lie in
  // srt's runtime directory, which the policy hides.
  struct Bind {
    std::string host_path;
    std::string sandbox_path;
  };
  std::vector<Bind> binds;
  // File descriptors the core keeps open in the launched process and that the
  // backend must pass through to `enter_argv` (e.g. srt-enter's report fd).
  std::vector<int> inherited_fds;
  // Free descriptor numbers the plan's files may use (LaunchPlan::File::fd),
  // chosen by the core so that they clash with nothing srt inherited.
  std::vector<int> plan_fds;
  bool is_root = false;  // the caller's effective uid is 0
  // TCP ports on 127.0.0.1 the command must be able to connect to (the
  // proxies, or the user's own proxy), for backends whose probe says
  // "host_namespaces": they have no network namespace, so srt's proxies listen
  // on the host's loopback and the environment points there.
  std::vector<std::uint16_t> proxy_ports;
  // The core's offer to skip srt-enter, made when the command needs none of
  // its work beyond the filter (no bridge to proxies, its own session). A
  // plan that takes it runs `command` itself and sets
  // LaunchPlan::launcher_status: its launcher then installs the program on
  // `filter_fd` (srt's system-call filter, a struct sock_filter array in a
  // sealed memfd) last before exec, and reports on `status_fd` (the write end
  // of a pipe) in that format. Both numbers are also in inherited_fds.
  struct Direct {
    int filter_fd = -1;
    int status_fd = -1;
  };
  std::optional<Direct> direct;
};

struct LaunchPlan {
  // A file the core creates before launch (sealed memfd) and places at `fd`
  // in the launched process, e.g. a long argument list read through
  // `bwrap --args FD`. `fd` must be one of the request's plan_fds.
  struct File {
    int fd = -1;
    std::string name;     // for debugging
    std::string content;
  };

  // What the core does to the launched process itself, between fork and
  // exec, in this order (for backends that have no launcher program of their
  // own to do it, e.g. Landlock): death with srt; a new session; no_new_privs; as root, every
  // capability dropped (bounding, ambient, effective, permitted, inheritable;
  // securebits locked so that exec grants none back); the Landlock ruleset
  // applied. The ruleset is built in srt's process before fork. Each step
  // that fails stops the launch with the system's error: the command never
  // runs less confined than the plan says.
  struct Confinement {
    // SIGKILL when srt's spawning thread ends (prctl PR_SET_PDEATHSIG), so
    // that a killed srt leaves no sandboxed process behind that it started
    // (the command's own children are not covered: they need a PID
    // namespace).
    bool die_with_parent = false;
    bool new_session = false;
    bool no_new_privs = false;
    bool drop_capabilities = false;
    std::optional<landlock::Ruleset> landlock;
    // The plan runs the command itself, not srt-enter: the core then also
    // closes every descriptor above 2 and installs srt's system-call filter
    // (last, just before exec), and answers for exec failures as srt-enter
    // would (127 not found, 126 not executable).
    bool syscall_filter = false;
    bool empty() const {
      return !die_with_parent && !new_session && !no_new_privs && !drop_capabilities && !landlock && !syscall_filter;
    }
  };

  std::vector<std::string> argv;  // argv[0] is an absolute path, unless `program` is set
  std::string program;            // the file to execute, when argv[0] is not it (absolute)
  std::vector<std::string> env;   // the complete environment, "NAME=value"
  std::vector<File> files;
  // Where the launched program starts (empty: srt's working directory). A
  // backend with a launcher of its own passes the policy's cwd to it instead.
  std::string cwd;
  Confinement confine;

  // A log of the OS sandbox's denials for srt to watch while the command
  // runs (reporting only: it enforces nothing). The core starts `argv`
  // (argv[0] absolute; stdin /dev/null, stdout to srt, stderr discarded
  // unless debugging) just before the launch and stops it (SIGTERM) after
  // the command exits. Lines that end with `marker` are parsed as `format`
  // says and recorded (srt::Child::violations). A monitor that cannot start
  // is a warning, never a failed launch.
  struct ViolationLog {
    std::vector<std::string> argv;
    // Ends each of this launch's log lines and no other session's, e.g.
    // the text of the profile's (deny default (with message "...")).
    std::string marker;
    std::string format;  // one of kViolationLogFormats
  };
  std::optional<ViolationLog> violation_log;

  // Empty: the plan runs request.enter_argv, and srt-enter reports. Else the
  // plan took request.direct, and its launcher reports the command's start
  // and exit on direct.status_fd in this format (kLauncherStatusFormats).
  std::string launcher_status;
};

// How a launcher that runs the command itself reports (LaunchPlan::
// launcher_status): "bwrap-json-status" is bubblewrap's --json-status-fd
// stream, whose {"exit-code": N} record is written only when the command
// was exec'd.
inline constexpr const char *kLauncherStatusFormats[] = {"bwrap-json-status"};

// The log formats the core can read (LaunchPlan::ViolationLog::format):
// "seatbelt" is macOS `log stream --style compact` over Seatbelt's
// "Sandbox: proc(pid) deny(n) operation target" messages.
inline constexpr const char *kViolationLogFormats[] = {"seatbelt"};

namespace launch_detail {

// Throws a JsonError at `where`, listing `known`, unless `value` is one of them.
template <std::size_t N>
inline void check_known(const std::string &value, const char *const (&known)[N], const std::string &where) {
  std::string list;
  for (const char *k : known) {
    if (value == k) return;
    list += (list.empty() ? "" : ", ") + std::string(k);
  }
  throw ir::JsonError(where + ": unknown format \"" + value + "\" (known: " + list + ")");
}

inline boost::json::array ints_to_json(const std::vector<int> &v) {
  boost::json::array a;
  for (int x : v) a.emplace_back(x);
  return a;
}

inline std::vector<int> opt_ints(const boost::json::object &o, std::string_view key, const std::string &where) {
  std::vector<int> out;
  auto it = o.find(key);
  if (it == o.end()) return out;
  std::string w = where + "." + std::string(key);
  const auto &a = ir::json_detail::as_array(it->value(), w);
  for (std::size_t i = 0; i < a.size(); ++i)
    out.push_back(static_cast<int>(ir::json_detail::as_int(a[i], w + "[" + std::to_string(i) + "]")));
  return out;
}

inline LaunchPlan::ViolationLog violation_log_from_json(const boost::json::value &v) {
  using namespace ir::json_detail;
  const std::string w = "plan.violation_log";
  const auto &o = as_object(v, w);
  LaunchPlan::ViolationLog l;
  l.argv = strings_from_json(field(o, "argv", w), w + ".argv");
  if (l.argv.empty() || l.argv[0].empty() || l.argv[0][0] != '/') throw ir::JsonError(w + ".argv[0]: expected an absolute path");
  l.marker = as_string(field(o, "marker", w), w + ".marker");
  if (l.marker.empty()) throw ir::JsonError(w + ".marker: must not be empty");
  for (char c : l.marker)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) throw ir::JsonError(w + ".marker: must not contain control characters");
  l.format = as_string(field(o, "format", w), w + ".format");
  check_known(l.format, kViolationLogFormats, w + ".format");
  return l;
}

}  // namespace launch_detail

inline boost::json::value to_json(const LaunchRequest &r) {
  boost::json::object o;
  o["enter_argv"] = ir::json_detail::strings_to_json(r.enter_argv);
  o["command"] = ir::json_detail::strings_to_json(r.command);
  o["command_path"] = r.command_path;
  o["enter_host_path"] = r.enter_host_path;
  o["enter_sandbox_path"] = r.enter_sandbox_path;
  o["env"] = ir::json_detail::strings_to_json(r.env);
  boost::json::object env_set;
  for (const auto &[k, v] : r.env_set) env_set[k] = v;
  o["env_set"] = std::move(env_set);
  boost::json::array binds;
  for (const auto &b : r.binds) binds.push_back(boost::json::object{{"host_path", b.host_path}, {"sandbox_path", b.sandbox_path}});
  o["binds"] = std::move(binds);
  o["inherited_fds"] = launch_detail::ints_to_json(r.inherited_fds);
  o["plan_fds"] = launch_detail::ints_to_json(r.plan_fds);
  o["is_root"] = r.is_root;
  boost::json::array ports;
  for (auto p : r.proxy_ports) ports.emplace_back(p);
  o["proxy_ports"] = std::move(ports);
  if (r.direct) o["direct"] = boost::json::object{{"filter_fd", r.direct->filter_fd}, {"status_fd", r.direct->status_fd}};
  return o;
}

inline LaunchRequest launch_request_from_json(const boost::json::value &v) {
  using namespace ir::json_detail;
  const auto &o = as_object(v, "request");
  LaunchRequest r;
  r.enter_argv = strings_from_json(field(o, "enter_argv", "request"), "request.enter_argv");
  r.command = opt_strings(o, "command", "request");
  r.command_path = opt_string(o, "command_path", "request");
  r.enter_host_path = as_string(field(o, "enter_host_path", "request"), "request.enter_host_path");
  r.enter_sandbox_path = as_string(field(o, "enter_sandbox_path", "request"), "request.enter_sandbox_path");
  r.env = strings_from_json(field(o, "env", "request"), "request.env");
  if (auto it = o.find("env_set"); it != o.end())
    for (const auto &kv : as_object(it->value(), "request.env_set"))
      r.env_set[std::string(kv.key())] = as_string(kv.value(), "request.env_set." + std::string(kv.key()));
  if (auto it = o.find("binds"); it != o.end()) {
    const auto &a = as_array(it->value(), "request.binds");
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string w = "request.binds[" + std::to_string(i) + "]";
      const auto &bo = as_object(a[i], w);
      r.binds.push_back({as_string(field(bo, "host_path", w), w + ".host_path"),
                         as_string(field(bo, "sandbox_path", w), w + ".sandbox_path")});
    }
  }
  r.inherited_fds = launch_detail::opt_ints(o, "inherited_fds", "request");
  r.plan_fds = launch_detail::opt_ints(o, "plan_fds", "request");
  r.is_root = opt_bool(o, "is_root", "request");
  if (auto it = o.find("proxy_ports"); it != o.end()) {
    const auto &a = as_array(it->value(), "request.proxy_ports");
    for (std::size_t i = 0; i < a.size(); ++i) r.proxy_ports.push_back(as_port(a[i], "request.proxy_ports[" + std::to_string(i) + "]"));
  }
  if (auto it = o.find("direct"); it != o.end()) {
    const auto &d = as_object(it->value(), "request.direct");
    r.direct = LaunchRequest::Direct{static_cast<int>(as_int(field(d, "filter_fd", "request.direct"), "request.direct.filter_fd")),
                                     static_cast<int>(as_int(field(d, "status_fd", "request.direct"), "request.direct.status_fd"))};
  }
  if (r.enter_argv.empty()) throw ir::JsonError("request.enter_argv: must not be empty");
  return r;
}

inline boost::json::value to_json(const LaunchPlan &p) {
  boost::json::object o;
  o["argv"] = ir::json_detail::strings_to_json(p.argv);
  if (!p.program.empty()) o["program"] = p.program;
  o["env"] = ir::json_detail::strings_to_json(p.env);
  boost::json::array files;
  for (const auto &f : p.files) {
    boost::json::object fo;
    fo["fd"] = f.fd;
    fo["name"] = f.name;
    fo["content"] = f.content;
    files.emplace_back(std::move(fo));
  }
  o["files"] = std::move(files);
  if (!p.cwd.empty()) o["cwd"] = p.cwd;
  if (!p.confine.empty()) {
    boost::json::object c;
    c["die_with_parent"] = p.confine.die_with_parent;
    c["new_session"] = p.confine.new_session;
    c["no_new_privs"] = p.confine.no_new_privs;
    c["drop_capabilities"] = p.confine.drop_capabilities;
    c["syscall_filter"] = p.confine.syscall_filter;
    if (p.confine.landlock) c["landlock"] = landlock::to_json(*p.confine.landlock);
    o["confine"] = std::move(c);
  }
  if (p.violation_log) {
    boost::json::object l;
    l["argv"] = ir::json_detail::strings_to_json(p.violation_log->argv);
    l["marker"] = p.violation_log->marker;
    l["format"] = p.violation_log->format;
    o["violation_log"] = std::move(l);
  }
  if (!p.launcher_status.empty()) o["launcher_status"] = p.launcher_status;
  return o;
}

inline LaunchPlan launch_plan_from_json(const boost::json::value &v) {
  using namespace ir::json_detail;
  const auto &o = as_object(v, "plan");
  LaunchPlan p;
  p.argv = strings_from_json(field(o, "argv", "plan"), "plan.argv");
  p.program = opt_string(o, "program", "plan");
  if (!p.program.empty() && p.program[0] != '/') throw ir::JsonError("plan.program: expected an absolute path");
  if (p.argv.empty() || (p.program.empty() && (p.argv[0].empty() || p.argv[0][0] != '/')))
    throw ir::JsonError("plan.argv[0]: expected an absolute path (or plan.program)");
  p.env = strings_from_json(field(o, "env", "plan"), "plan.env");
  if (auto it = o.find("files"); it != o.end()) {
    const auto &a = as_array(it->value(), "plan.files");
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string w = "plan.files[" + std::to_string(i) + "]";
      const auto &fo = as_object(a[i], w);
      LaunchPlan::File f;
      f.fd = static_cast<int>(as_int(field(fo, "fd", w), w + ".fd"));
      if (f.fd < 3) throw ir::JsonError(w + ".fd: must not be a standard stream (0-2)");
      f.name = opt_string(fo, "name", w);
      f.content = as_string(field(fo, "content", w), w + ".content");
      p.files.push_back(std::move(f));
    }
  }
  p.cwd = opt_string(o, "cwd", "plan");
  if (!p.cwd.empty() && p.cwd[0] != '/') throw ir::JsonError("plan.cwd: expected an absolute path");
  if (auto it = o.find("confine"); it != o.end()) {
    const auto &c = as_object(it->value(), "plan.confine");
    p.confine.die_with_parent = opt_bool(c, "die_with_parent", "plan.confine");
    p.confine.new_session = opt_bool(c, "new_session", "plan.confine");
    p.confine.no_new_privs = opt_bool(c, "no_new_privs", "plan.confine");
    p.confine.drop_capabilities = opt_bool(c, "drop_capabilities", "plan.confine");
    p.confine.syscall_filter = opt_bool(c, "syscall_filter", "plan.confine");
    if (p.confine.syscall_filter && !p.confine.no_new_privs) throw ir::JsonError("plan.confine.syscall_filter: needs no_new_privs");
    if (auto l = c.find("landlock"); l != c.end()) {
      p.confine.landlock = landlock::ruleset_from_json(l->value(), "plan.confine.landlock");
      // The kernel refuses landlock_restrict_self without it (or CAP_SYS_ADMIN).
      if (!p.confine.no_new_privs) throw ir::JsonError("plan.confine.landlock: needs no_new_privs");
    }
  }
  if (auto it = o.find("violation_log"); it != o.end()) p.violation_log = launch_detail::violation_log_from_json(it->value());
  p.launcher_status = opt_string(o, "launcher_status", "plan");
  if (!p.launcher_status.empty()) {
    launch_detail::check_known(p.launcher_status, kLauncherStatusFormats, "plan.launcher_status");
    // Either the launcher runs the command and installs the filter, or the core does.
    if (p.confine.syscall_filter) throw ir::JsonError("plan.launcher_status: not with plan.confine.syscall_filter");
  }
  return p;
}

}  // namespace srt
