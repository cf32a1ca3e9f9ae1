// srt::Child: supervising a launched sandbox (report, signals, exit, reaping).
#include <srt/srt.hpp>

#include "runtime/child_state.hpp"
#include "runtime/report.hpp"
#include "runtime/spawn.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace srt {

namespace {
// How often wait() looks again while the system reports a stopped launcher.
constexpr std::chrono::milliseconds kStoppedLauncherPoll{20};
}  // namespace

Child::State::~State() {
  if (launcher > 0 && !status) {
    ::kill(launcher, SIGKILL);
    int st;
    while (::waitpid(launcher, &st, 0) < 0 && errno == EINTR) {
    }
    if (monitor) monitor->stop();
    reap();
  }
  if (monitor) monitor->stop();
  if (report_fd >= 0) ::close(report_fd);
  if (status_fd >= 0) ::close(status_fd);
  proxies.reset();
  forwarder.reset();
  if (session) session->close();
}

// Waits until no process of the sandbox is left. As a subreaper, srt
// inherits whatever the launcher leaves behind (bwrap's init, if bwrap was
// killed before it could arm its parent-death signal); those are killed.
void Child::State::reap() {
  if (!reap_orphans) return;
  int st;
  for (;;) {
    while (::waitpid(-1, &st, WNOHANG) > 0) {
    }
    auto orphans = runtime::children_of(::getpid());
    if (orphans.empty()) break;
    for (pid_t p : orphans) ::kill(p, SIGKILL);
    while (::waitpid(-1, &st, 0) < 0 && errno == EINTR) {
    }
  }
}

void Child::State::drain_report() {
  while (!command_pid && !report_eof && report_fd >= 0) {
    bool eof = false;
    auto r = runtime::read_report(report_fd, launcher, eof);
    if (r) command_pid = r->pid;
    if (eof || !r) break;
  }
}

void Child::State::end_launcher_group() {
  if (launcher_status.empty()) drain_report();
  // Only a group the launcher leads: its unreaped exit keeps the group's id
  // from being anyone else's. (A command inside bwrap died with its PID
  // namespace; its id may already be reused on the host.)
  if (own_group && command_pid == launcher && ::kill(-launcher, SIGKILL) == 0 && log)
    log(LogLevel::debug, fmt::format("killed what the command left in its process group {}", launcher));
}

bool Child::State::launcher_exited(bool block) {
  siginfo_t info{};
  int r;
  do {
    r = ::waitid(P_PID, static_cast<id_t>(launcher), &info, WEXITED | WNOWAIT | (block ? 0 : WNOHANG));
  } while (r < 0 && errno == EINTR);
  if (r < 0) throw SandboxError(fmt::format("waitid: {}", std::strerror(errno)));
  if (info.si_pid != launcher) return false;
  if (info.si_code != CLD_EXITED && info.si_code != CLD_KILLED && info.si_code != CLD_DUMPED) {
    // Reported by macOS for a stopped child (seen on macOS 26), though not
    // asked for: not an exit. Waiting again at once would spin.
    if (block) std::this_thread::sleep_for(kStoppedLauncherPoll);
    return false;
  }
  end_launcher_group();
  int st = 0;
  while (::waitpid(launcher, &st, 0) < 0)
    if (errno != EINTR) throw SandboxError(fmt::format("waitpid: {}", std::strerror(errno)));
  finish(st);
  return true;
}

void Child::State::finish(int wait_status) {
  ExitStatus s;
  if (WIFEXITED(wait_status)) s.code = WEXITSTATUS(wait_status);
  else if (WIFSIGNALED(wait_status)) s.code = 128 + WTERMSIG(wait_status);
  else s.code = 255;
  if (!launcher_status.empty()) {
    s.setup_failed = !runtime::launcher_started_command(status_fd, launcher_status);
  } else {
    // A report that arrived just before the launcher exited.
    drain_report();
    s.setup_failed = !command_pid;
  }
  status = s;
  if (log) log(LogLevel::debug, fmt::format("the launcher exited with status {}", s.code));
  clean_up();
}

void Child::State::find_command() {
  if (command_pid || launcher_status.empty() || launcher <= 0) return;
  for (pid_t init : runtime::children_of(launcher)) {
    for (pid_t child : runtime::children_of(init)) {
      // The command leads its own group (bwrap's --new-session), which its
      // children stay in even once it has exited; without one (allowPty)
      // the oldest child, the command, is the one to signal.
      auto group = own_group ? runtime::process_group_of(child) : std::optional<pid_t>(child);
      // Still in the launcher's group: bwrap has not made the new session yet.
      if (!group || (own_group && *group == launcher)) continue;
      command_pid = *group;
      if (log) log(LogLevel::debug, fmt::format("the command is {} {}", own_group ? "process group" : "pid", *command_pid));
      return;
    }
  }
}

void Child::State::finish_unstarted(int code) {
  status = ExitStatus{false, code};
  if (log) log(LogLevel::debug, fmt::format("the command could not be started (status {})", code));
  clean_up();
}

void Child::State::clean_up() {
  if (monitor) monitor->stop();  // reads what the log still delivers, then ends it
  forwarder.reset();  // srt's own child: ended before reap() takes whatever is left
  reap();
  if (proxies) {
    for (const auto &problem : proxies->stop())
      if (log) log(LogLevel::warn, problem);
    proxies.reset();
  }
  if (session) session->close();
  if (log) log(LogLevel::debug, "the sandbox is gone, its proxies stopped and its placeholders removed");
}

Child::Child(std::unique_ptr<State> s) : s_(std::move(s)) {}
Child::Child(Child &&) noexcept = default;
Child &Child::operator=(Child &&) noexcept = default;
Child::~Child() = default;

pid_t Child::pid() const { return s_->launcher; }
int Child::report_fd() const { return s_->report_eof ? -1 : s_->report_fd; }
bool Child::started() const {
  s_->find_command();
  return s_->command_pid.has_value();
}

void Child::handle_report() {
  if (s_->report_eof) return;
  bool eof = false;
  if (auto r = runtime::read_report(s_->report_fd, s_->launcher, eof)) {
    s_->command_pid = r->pid;
    if (s_->log) s_->log(LogLevel::debug, fmt::format("sandbox is set up; the command is pid {}", r->pid));
  }
  if (eof) s_->report_eof = true;
}

void Child::signal(int sig) {
  if (s_->status) return;
  s_->find_command();
  if (!s_->command_pid) {
    kill();
    return;
  }
  pid_t target = s_->own_group ? -*s_->command_pid : *s_->command_pid;
  if (::kill(target, sig) != 0 && s_->log)
    s_->log(LogLevel::debug, fmt::format("forwarding signal {} to {}: {}", sig, target, std::strerror(errno)));
}

void Child::kill() {
  if (s_->status) return;
  if (s_->command_pid && s_->own_group) ::kill(-*s_->command_pid, SIGKILL);
  // bwrap's --die-with-parent takes the sandbox's init, and with it every
  // process of the sandbox, along.
  ::kill(s_->launcher, SIGKILL);
}

std::vector<Violation> Child::violations() const { return s_->monitor ? s_->monitor->violations() : std::vector<Violation>{}; }

std::optional<ExitStatus> Child::try_wait() {
  if (!s_->status) s_->launcher_exited(false);
  return s_->status;
}

ExitStatus Child::wait() {
  while (!s_->status) s_->launcher_exited(true);
  return *s_->status;
}

}  // namespace srt
