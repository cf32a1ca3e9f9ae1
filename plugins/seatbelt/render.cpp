#include "render.hpp"

#include "profile.hpp"
#include "violation_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace srt::seatbelt {

sdk::ProbeResult probe(const ir::Policy &) {
  sdk::ProbeResult r;
  r.host_namespaces = true;
  r.features["filesystem"] = sdk::kEnforced;
  r.features["network"] = sdk::kEnforced;
  r.features["ipc_isolation"] = sdk::kEnforced;
  r.feature_notes["ipc_isolation"] =
      "signals, process inspection and System V IPC reach only processes of the sandbox; POSIX shared memory and semaphores "
      "are reachable by name, as for any of your processes";
  r.features["pid_isolation"] = sdk::kDegraded;
  r.feature_notes["pid_isolation"] =
      "no PID namespace: the command sees this machine's processes in ps, but cannot signal or inspect those outside the sandbox";
  r.features["pty"] = sdk::kEnforced;
  // The profile denies writes to the path of each absent protected name (and
  // blocks renaming the directories above it): no placeholder files needed.
  r.keeps_absent_paths = true;
#ifdef __APPLE__
  if (::access(kSandboxExec, X_OK) != 0) {
    r.reason = std::string(kSandboxExec) + " cannot be run (" + std::strerror(errno) + "); it is part of macOS";
    return r;
  }
  r.usable = true;
#else
  r.reason =
      "Seatbelt is macOS's sandbox; here this backend only renders its profile (srt policy explain --backend seatbelt)";
#endif
  return r;
}

LaunchPlan render(const ir::Policy &policy, const LaunchRequest &request, std::uint64_t marker_random) {
  ProfileOptions options;
  options.marker = session_marker(marker_random);
  options.proxy_ports = request.proxy_ports;
  options.helper = request.enter_host_path;
  if (!request.binds.empty())
    throw sdk::Unsupported("the seatbelt backend has no mount namespace to show srt's sockets in (the request binds paths)");
  if (request.enter_argv.empty() || request.enter_argv[0] != request.enter_host_path)
    throw sdk::Unsupported("the seatbelt backend runs srt-enter where it is on the host");
  LaunchPlan plan;
  // sandbox-exec applies the profile and execs srt-enter, which reports to
  // srt and execs the command: one process, whose pid srt started.
  plan.argv = {kSandboxExec, "-p", render_profile(policy, options), "--"};
  plan.argv.insert(plan.argv.end(), request.enter_argv.begin(), request.enter_argv.end());
#ifndef __APPLE__
  // Only shown here (explain), never run: srt on Linux offers srt-enter its
  // seccomp filter, which srt on macOS has not. Shown as macOS runs it.
  for (std::size_t i = 4; i + 1 < plan.argv.size() && plan.argv[i] != "--"; ++i)
    if (plan.argv[i] == "--seccomp-fd") {
      plan.argv.erase(plan.argv.begin() + static_cast<std::ptrdiff_t>(i), plan.argv.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      break;
    }
#endif
  plan.env = sdk::command_environment(policy, request);
  plan.cwd = policy.process.cwd;
  plan.confine.new_session = !policy.process.allow_pty;  // no controlling terminal: no TIOCSTI injection
  // The kernel logs each denial with the marker; srt reads them for its exit
  // summary (reporting only: the profile enforces).
  plan.violation_log = LaunchPlan::ViolationLog{log_stream_argv(options.marker), options.marker, "seatbelt"};
  return plan;
}

}  // namespace srt::seatbelt
