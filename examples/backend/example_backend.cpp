// An example srt backend: bubblewrap showing the policy's filesystem view
// (its mounts, in order) in new user, PID, IPC and network namespaces. Inside,
// it runs what srt asks (request.enter_argv: srt's helper, which applies
// srt's system-call filter, relays to srt's proxies and execs the command).
#include <srt/plugin.hpp>

#include <unistd.h>

namespace {

constexpr const char *kBwrap = "/usr/bin/bwrap";

class ExampleBackend : public srt::sdk::Backend {
 public:
  srt::sdk::ProbeResult probe(const srt::ir::Policy &, bool) override {
    srt::sdk::ProbeResult r;
    for (const char *f : {"filesystem", "network", "ipc_isolation", "pid_isolation", "pty"}) r.features[f] = srt::sdk::kEnforced;
    r.usable = ::access(kBwrap, X_OK) == 0;
    if (!r.usable) r.reason = std::string(kBwrap) + " is missing; install bubblewrap";
    return r;
  }

  srt::LaunchPlan render(const srt::ir::Policy &policy, const srt::LaunchRequest &request) override {
    std::vector<std::string> a = {kBwrap, "--die-with-parent", "--unshare-user", "--unshare-pid", "--unshare-ipc",
                                  "--unshare-net", "--unshare-uts", "--cap-drop", "ALL"};
    if (!policy.process.allow_pty) a.push_back("--new-session");  // no terminal to inject keystrokes into
    std::vector<std::string> read_only_later;
    // Mounts come ancestors first; bwrap applies them in order, so a deeper
    // path overrides a shallower one exactly as the IR means.
    for (const auto &m : policy.filesystem.mounts) {
      bool hidden = m.access == srt::ir::Access::hidden;
      if (hidden && m.kind == srt::ir::Kind::dir) {
        a.insert(a.end(), {"--tmpfs", m.path});  // empty; read-only once srt's files are in place
        read_only_later.push_back(m.path);
      } else if (hidden) {
        a.insert(a.end(), {"--ro-bind", "/dev/null", m.path});  // a file that reads as empty
      } else {
        // A missing path has a placeholder by now (srt made it): bound
        // read-only, it cannot be created by the command.
        a.insert(a.end(), {m.access == srt::ir::Access::read_write ? "--bind" : "--ro-bind", m.path, m.path});
      }
      if (m.path == "/") a.insert(a.end(), {"--dev", "/dev", "--proc", "/proc"});
    }
    // srt's helper and the proxies' sockets, in srt's (hidden) runtime directory.
    a.insert(a.end(), {"--ro-bind", request.enter_host_path, request.enter_sandbox_path});
    for (const auto &b : request.binds) a.insert(a.end(), {"--ro-bind", b.host_path, b.sandbox_path});
    for (const auto &p : read_only_later) a.insert(a.end(), {"--remount-ro", p});
    a.insert(a.end(), {"--chdir", policy.process.cwd, "--"});
    a.insert(a.end(), request.enter_argv.begin(), request.enter_argv.end());
    srt::LaunchPlan plan;
    plan.argv = std::move(a);
    plan.env = srt::sdk::command_environment(policy, request);
    return plan;
  }
};

}  // namespace

SRT_BACKEND_PLUGIN(ExampleBackend, "example", "1.0", "Example: bubblewrap with the policy's mounts, running srt's helper inside")
