#include "render.hpp"

#include <srt/plugin.hpp>

#include <fmt/format.h>

#include <string_view>

namespace srt::bwrap {

namespace {

bool under(std::string_view path, std::string_view dir) {
  return path == dir || (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}

// bwrap gives the sandbox a fresh /dev and /proc; rules below them do not
// apply to what the command sees there.
bool provided_fresh(std::string_view path) { return under(path, "/dev") || under(path, "/proc"); }

// Whether the host file `path` is visible in the sandbox: the deepest mount
// that holds it is not a hidden one.
bool visible_inside(const std::vector<ir::Mount> &mounts, std::string_view path) {
  const ir::Mount *deepest = nullptr;
  for (const auto &m : mounts)
    if (under(path, m.path) || m.path == "/") deepest = &m;
  return deepest && deepest->access != ir::Access::hidden;
}

// Whether this launch can do without srt-enter: the core offers it (no
// bridge to the proxies, the command in its own session) and the command is
// a file bwrap will find, so that a failed exec is not the usual way to
// learn it is missing (srt-enter words that one; bwrap would only exit 1).
bool runs_directly(const ir::Policy &policy, const LaunchRequest &request) {
  return request.direct && request.binds.empty() && !policy.process.allow_pty && !request.command.empty() &&
         !request.command_path.empty() && visible_inside(policy.filesystem.mounts, request.command_path);
}

class ArgBuilder {
 public:
  void add(std::initializer_list<std::string_view> words) {
    for (auto w : words) args_.emplace_back(w);
  }
  const std::vector<std::string> &args() const { return args_; }
  std::size_t bytes() const {
    std::size_t n = 0;
    for (const auto &a : args_) n += a.size() + 1;
    return n;
  }

 private:
  std::vector<std::string> args_;
};

}  // namespace

LaunchPlan render(const ir::Policy &policy, const LaunchRequest &request, const std::string &bwrap_path) {
  ArgBuilder a;
  const auto &proc = policy.process;
  a.add({"--die-with-parent"});
  if (!proc.allow_pty) a.add({"--new-session"});  // no controlling terminal: no TIOCSTI injection
  a.add({"--unshare-net"});  // only loopback: the network is reached through srt-enter's bridge to srt's proxies
  a.add({"--unshare-pid", "--unshare-ipc", "--unshare-user"});
  if (!proc.allow_nested_user_namespaces && !proc.weaker_nested_sandbox) a.add({"--disable-userns"});

  const auto &mounts = policy.filesystem.mounts;
  std::vector<std::string> remount_ro;
  if (!mounts.empty()) {
    const auto &root = mounts.front();
    if (root.access == ir::Access::read_only) a.add({"--ro-bind", "/", "/"});
    else if (root.access == ir::Access::read_write) a.add({"--bind", "/", "/"});
    else remount_ro.push_back("/");  // bwrap's own empty root, made read-only below
  }
  a.add({"--dev", "/dev"});
  if (proc.weaker_nested_sandbox) a.add({"--ro-bind", "/proc", "/proc"});  // for containers that forbid a new procfs
  else a.add({"--proc", "/proc"});
  // Even with every capability dropped, a fresh procfs leaves /proc/sys (and
  // sysrq-trigger, irq, bus) writable to a caller that is root on the host:
  // core_pattern alone runs code as the host's root. Other users cannot
  // write them, and the binds cost time at every launch.
  if (request.is_root)
    a.add({"--ro-bind", "/proc/sys", "/proc/sys", "--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger",
           "--ro-bind-try", "/proc/irq", "/proc/irq", "--ro-bind-try", "/proc/bus", "/proc/bus"});

  for (std::size_t i = 1; i < mounts.size(); ++i) {
    const auto &m = mounts[i];
    if (provided_fresh(m.path)) continue;
    const std::string &p = m.path;
    if (m.kind == ir::Kind::missing) {
      // srt created an empty placeholder here before launch; shown
      // read-only, it keeps the path from being created.
      a.add({"--ro-bind", p, p});
      continue;
    }
    switch (m.access) {
      case ir::Access::read_write: a.add({"--bind", p, p}); break;
      case ir::Access::read_only: a.add({"--ro-bind", p, p}); break;
      case ir::Access::hidden:
        if (m.kind == ir::Kind::dir) {
          a.add({"--tmpfs", p});
          remount_ro.push_back(p);  // after anything re-opened inside it is mounted
        } else {
          a.add({"--ro-bind", "/dev/null", p});
        }
        break;
    }
  }
  const bool direct = runs_directly(policy, request);
  if (!direct) a.add({"--ro-bind", request.enter_host_path, request.enter_sandbox_path});
  for (const auto &b : request.binds) a.add({"--ro-bind", b.host_path, b.sandbox_path});
  for (const auto &p : remount_ro) a.add({"--remount-ro", p});
  a.add({"--cap-drop", "ALL", "--chdir", proc.cwd});
  // bwrap installs the filter last before exec, and writes {"exit-code"}
  // only once the command was exec'd: what srt-enter would have done and told.
  if (direct)
    a.add({"--seccomp", std::to_string(request.direct->filter_fd), "--json-status-fd", std::to_string(request.direct->status_fd)});
  const auto &inside = direct ? request.command : request.enter_argv;

  std::size_t total = a.args().size() + inside.size() + 2;
  if (total > kMaxBwrapArgs)
    throw sdk::Unsupported(fmt::format("this policy needs {} bubblewrap arguments ({} mounts), more than the {} bubblewrap accepts; "
                                       "narrow the glob patterns (srt policy explain shows the mounts)",
                                       total, mounts.size(), kMaxBwrapArgs));
  LaunchPlan plan;
  plan.argv.push_back(bwrap_path);
  if (a.bytes() > kInlineArgsLimit && !request.plan_fds.empty()) {
    std::string content;
    for (const auto &arg : a.args()) {
      content += arg;
      content += '\0';
    }
    int fd = request.plan_fds.front();
    plan.files.push_back({fd, "bwrap-args", std::move(content)});
    plan.argv.push_back("--args");
    plan.argv.push_back(std::to_string(fd));
  } else {
    plan.argv.insert(plan.argv.end(), a.args().begin(), a.args().end());
  }
  plan.argv.push_back("--");
  plan.argv.insert(plan.argv.end(), inside.begin(), inside.end());
  plan.env = sdk::command_environment(policy, request);
  if (direct) plan.launcher_status = "bwrap-json-status";
  return plan;
}

}  // namespace srt::bwrap
