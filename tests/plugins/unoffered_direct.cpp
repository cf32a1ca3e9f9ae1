// A backend that always plans to run the command without srt-enter, even when
// srt did not offer it (a launch with network needs srt-enter's bridge): srt
// must refuse the plan before anything starts (scenario backend_errors).
#include <srt/plugin.hpp>

namespace {
class UnofferedDirect : public srt::sdk::Backend {
 public:
  srt::sdk::ProbeResult probe(const srt::ir::Policy &, bool) override {
    srt::sdk::ProbeResult r;
    r.usable = true;
    for (const char *f : {"filesystem", "network", "ipc_isolation", "pid_isolation", "pty"}) r.features[f] = srt::sdk::kEnforced;
    return r;
  }
  srt::LaunchPlan render(const srt::ir::Policy &policy, const srt::LaunchRequest &request) override {
    srt::LaunchPlan plan;
    plan.argv = {"/bin/true"};
    plan.env = srt::sdk::command_environment(policy, request);
    plan.launcher_status = "bwrap-json-status";
    return plan;
  }
};
}  // namespace

SRT_BACKEND_PLUGIN(UnofferedDirect, "test-unoffered-direct", "1.0", "test plugin: takes a direct route srt did not offer")
