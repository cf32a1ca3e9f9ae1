// Confinement on macOS: the Seatbelt profile (applied by sandbox-exec) does
// the confining; the core only starts a new session. Everything else a plan
// can ask for is a Linux kernel feature, so such a plan is refused.
#include "runtime/confine.hpp"

#include <srt/error.hpp>

#include <cerrno>
#include <unistd.h>

namespace srt::runtime {

PreparedConfinement::~PreparedConfinement() {
  if (landlock_fd >= 0) ::close(landlock_fd);
}

void prepare_confinement(const LaunchPlan::Confinement &plan, PreparedConfinement &out,
                         const std::function<void(const std::string &)> &) {
  const char *missing = plan.die_with_parent      ? "death with srt (PR_SET_PDEATHSIG)"
                        : plan.no_new_privs       ? "no_new_privs"
                        : plan.drop_capabilities  ? "dropping capabilities"
                        : plan.landlock           ? "a Landlock ruleset"
                        : plan.syscall_filter     ? "srt's system-call filter (seccomp)"
                                                  : nullptr;
  if (missing)
    throw SandboxError(std::string("the backend's plan asks for ") + missing +
                       ", which this system does not have; srt will not launch it without (use a backend built for macOS)");
  out.new_session = plan.new_session;
}

void prepare_direct_exec(const std::string &, PreparedConfinement &) {
  throw SandboxError("srt's system-call filter (seccomp) does not exist on this system");
}

int apply_confinement(const PreparedConfinement &c) {
  if (c.new_session && ::setsid() < 0) return errno;
  return 0;
}

}  // namespace srt::runtime
