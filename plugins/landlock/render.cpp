#include "render.hpp"

#include "ruleset.hpp"

#include <srt/plugin.hpp>

namespace srt::landlock_backend {

LaunchPlan render(const ir::Policy &policy, const LaunchRequest &request, int abi) {
  LaunchPlan plan;
  // No bridge to start: the command runs directly and the core installs the
  // filter srt-enter would have. A command not found on PATH still goes
  // through srt-enter, which says so exactly as with the other backends.
  if (!request.command.empty() && !request.command_path.empty()) {
    plan.argv = request.command;
    plan.program = request.command_path;
    plan.confine.syscall_filter = true;
  } else {
    plan.argv.push_back(request.enter_host_path);
    plan.argv.insert(plan.argv.end(), request.enter_argv.begin() + 1, request.enter_argv.end());
  }
  plan.env = sdk::command_environment(policy, request);
  plan.cwd = policy.process.cwd;
  plan.confine.die_with_parent = true;
  plan.confine.new_session = !policy.process.allow_pty;  // no controlling terminal: no TIOCSTI injection
  plan.confine.no_new_privs = true;
  // With no user namespace, a capability kept is a capability over the host.
  plan.confine.drop_capabilities = true;
  plan.confine.landlock = build_ruleset(policy, request, abi);
  return plan;
}

}  // namespace srt::landlock_backend
