// A usable backend for tests/unit/violation_monitor_test.cpp,
// absent_paths_test.cpp and command_group_test.cpp (test_backend.hpp): it
// runs the command itself in a new session, confined only by no_new_privs
// and srt's system-call filter, and asks srt to watch a "log" that prints
// recorded Seatbelt lines (this session's, another session's, noise,
// malformed), then creates $SRT_TEST_VIOLATION_DIR/ready and waits to be
// stopped. The command's environment chooses the log:
//   SRT_TEST_VIOLATION_MODE=missing   a log program that does not exist
//   SRT_TEST_VIOLATION_MODE=stubborn  a log that ignores SIGTERM
#include <srt/plugin.hpp>

#include "violation_log.hpp"

#include <random>

namespace {

std::string env_value(const std::vector<std::string> &env, const std::string &name) {
  for (const auto &e : env)
    if (e.starts_with(name + "=")) return e.substr(name.size() + 1);
  return "";
}

class ViolationLogBackend : public srt::sdk::Backend {
 public:
  srt::sdk::ProbeResult probe(const srt::ir::Policy &, bool) override {
    srt::sdk::ProbeResult r;
    r.usable = true;
    for (const char *f : {"filesystem", "network", "ipc_isolation"}) r.features[f] = srt::sdk::kEnforced;
    r.host_namespaces = true;
    // As Seatbelt's: srt then makes no placeholders (its rules are not
    // enforced here; the test only looks at the host's files).
    r.keeps_absent_paths = true;
    return r;
  }

  srt::LaunchPlan render(const srt::ir::Policy &policy, const srt::LaunchRequest &request) override {
    srt::LaunchPlan plan;
    plan.argv = request.command;
    plan.program = request.command_path;
    if (plan.program.empty()) throw srt::sdk::Unsupported("test plugin: the command must exist");
    plan.env = srt::sdk::command_environment(policy, request);
    plan.cwd = policy.process.cwd;
    plan.confine.no_new_privs = true;
    plan.confine.syscall_filter = true;
    plan.confine.new_session = true;  // the command leads its group, as under Seatbelt

    std::random_device rd;
    std::uint64_t random = (static_cast<std::uint64_t>(rd()) << 32) | rd();
    std::string ours = srt::seatbelt::session_marker(random);
    std::string theirs = srt::seatbelt::session_marker(random + 1);
    const std::string k = "2026-11-24 10:12:03.123 E  kernel[0:1a2b] (Sandbox) Sandbox: ";
    std::string mode = env_value(request.env, "SRT_TEST_VIOLATION_MODE");
    std::string home = env_value(request.env, "HOME");
    std::vector<std::string> argv = {
        "/bin/sh", "-c",
        std::string(mode == "stubborn" ? "trap '' TERM; " : "") +
            R"(d=$1; shift; printf '%s\n' "$@"; : > "$d/ready"; )" + (mode == "stubborn" ? "sleep 60; sleep 60" : "exec sleep 60"),
        "sh", env_value(request.env, "SRT_TEST_VIOLATION_DIR"),
        R"(Filtering the log data using "composedMessage ENDSWITH ")" + ours + "\"",
        "Timestamp               Ty Process[PID:TID]",
        k + "touch(51234) deny(1) file-write-create /Users/me/outside.txt " + ours,
        k + "touch(1) deny(1) file-write-create /Users/me/theirs.txt " + theirs,
        k + "curl(4242) deny(1) network-outbound 93.184.216.34:443 " + ours,
        k + "mDNSResponder(211) deny(1) network-outbound /private/var/run/mDNSResponder " + ours,
        k + "node(77) deny(1) mach-lookup com.apple.diagnosticd " + ours,
        k + "broken " + ours,
        k + "touch(51240) deny(1) file-write-create /Users/me/outside.txt " + ours,
        k + "python3(9) deny(1) file-read-data " + home + "/.ssh/id_rsa " + ours,
        k + "touch(51234) deny(1) file-write-create /Users/me/outs",
    };
    if (mode == "missing") argv = {"/nonexistent/srt-test/log", "stream"};
    plan.violation_log = srt::LaunchPlan::ViolationLog{argv, ours, "seatbelt"};
    return plan;
  }
};

}  // namespace

SRT_BACKEND_PLUGIN(ViolationLogBackend, "test-violation-log", "1.0", "test plugin: runs the command, watches a recorded log")
