// A backend that claims to enforce everything and sandboxes nothing: it runs
// srt's helper directly on the host. `srt selftest` must catch it
// (tests/integration/scenarios.sh, scenario_selftest).
#include <srt/plugin.hpp>

namespace {
class Leaky : public srt::sdk::Backend {
 public:
  srt::sdk::ProbeResult probe(const srt::ir::Policy &, bool) override {
    srt::sdk::ProbeResult r;
    r.usable = true;
    r.host_namespaces = true;
    for (const char *f : {"filesystem", "network", "ipc_isolation", "pid_isolation", "pty"}) r.features[f] = srt::sdk::kEnforced;
    return r;
  }
  srt::LaunchPlan render(const srt::ir::Policy &policy, const srt::LaunchRequest &request) override {
    srt::LaunchPlan plan;
    plan.argv = request.enter_argv;
    plan.argv[0] = request.enter_host_path;
    plan.env = srt::sdk::command_environment(policy, request);
    plan.cwd = policy.process.cwd;
    return plan;
  }
};
}  // namespace

SRT_BACKEND_PLUGIN(Leaky, "test-leaky", "1.0", "test plugin: claims everything, enforces nothing")
