#include "runtime/violation_monitor.hpp"

#include "runtime/confine.hpp"
#include "runtime/spawn.hpp"
#include "util/fd.hpp"
#include "util/strings.hpp"
#include "violations/seatbelt_log.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

namespace srt::runtime {

namespace {

constexpr std::size_t kReadChunk = 4096;
// How often stop() looks whether the program has exited after SIGTERM.
constexpr std::chrono::milliseconds kStopPollInterval{10};

void close_fd(int &fd) noexcept {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("ended by signal {}", WTERMSIG(status));
  return "ended";
}

}  // namespace

ViolationMonitor::Parser ViolationMonitor::parser_for(std::string_view format) {
  if (format == "seatbelt") return violations::parse_seatbelt_line;
  return nullptr;
}

ViolationMonitor::ViolationMonitor(const LaunchPlan::ViolationLog &plan, bool debug, LogFn log)
    : marker_(plan.marker), parse_(parser_for(plan.format)), log_(std::move(log)) {
  if (plan.argv.empty() || plan.argv[0].empty() || plan.argv[0][0] != '/')
    throw SandboxError("the violation log program must be an absolute path");
  program_ = plan.argv[0];
  if (!parse_) throw SandboxError(fmt::format("unknown violation log format {}", util::quoted(plan.format)));
  if (marker_.empty()) throw SandboxError("the violation log has no session marker");

  int out[2] = {-1, -1}, wake[2] = {-1, -1};
  if (!util::cloexec_pipe(out)) throw SandboxError(fmt::format("pipe for the violation log: {}", std::strerror(errno)));
  out_fd_ = out[0];
  int out_write = out[1];
  struct Cleanup {
    ViolationMonitor &m;
    int &out_write;
    int null_fd = -1;
    bool armed = true;
    ~Cleanup() {
      close_fd(out_write);
      close_fd(null_fd);
      if (!armed) return;
      m.end_program();
      close_fd(m.out_fd_);
      close_fd(m.wake_read_);
      close_fd(m.wake_write_);
    }
  } cleanup{*this, out_write};

  if (!util::cloexec_pipe(wake)) throw SandboxError(fmt::format("pipe for the violation log: {}", std::strerror(errno)));
  wake_read_ = wake[0];
  wake_write_ = wake[1];
  cleanup.null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (cleanup.null_fd < 0) throw SandboxError(fmt::format("cannot open /dev/null: {}", std::strerror(errno)));

  SpawnSpec spec;
  spec.argv = plan.argv;
  for (char **e = environ; e && *e; ++e) spec.env.emplace_back(*e);
  spec.fds.emplace_back(cleanup.null_fd, 0);
  spec.fds.emplace_back(out_write, 1);
  if (!debug) spec.fds.emplace_back(cleanup.null_fd, 2);
  spec.new_process_group = true;
  spec.close_other_fds = true;
  // (Linux only: on macOS a log stream outliving a killed srt ends at its
  // next write, on the pipe srt's death closed.)
  PreparedConfinement confine;
  confine.die_with_parent = true;
  confine.parent = ::getpid();
  spec.confine = &confine;
  pid_ = spawn(spec);  // throws SandboxError (ExecError) naming the program
  close_fd(out_write);  // the program holds the only write end: EOF when it exits

  try {
    thread_ = std::thread([this] { read_loop(); });
  } catch (const std::exception &e) {
    throw SandboxError(fmt::format("cannot start the thread reading {}: {}", util::quoted(program_), e.what()));
  }
  cleanup.armed = false;
  if (log_) log_(LogLevel::debug, fmt::format("violation log: started {} (pid {}) for lines ending with {}", program_, pid_, marker_));
}

ViolationMonitor::~ViolationMonitor() { stop(); }

void ViolationMonitor::stop() noexcept {
  if (stopped_) return;
  stopped_ = true;
  if (thread_.joinable()) {
    close_fd(wake_write_);  // the thread sees POLLHUP: drain, then end
    try {
      thread_.join();
    } catch (...) {
      // join() fails only for a thread that is not joinable: nothing to wait for.
    }
  }
  end_program();
  close_fd(out_fd_);
  close_fd(wake_read_);
  close_fd(wake_write_);
}

void ViolationMonitor::end_program() noexcept {
  if (pid_ <= 0) return;
  pid_t pid = pid_;
  pid_ = -1;
  // Its whole group: a wrapper script's children hold the pipe too. (If
  // neither kill works the program is gone already; waitpid reaps it.)
  if (::kill(-pid, SIGTERM) != 0) ::kill(pid, SIGTERM);
  int status = 0;
  pid_t got = 0;
  auto deadline = std::chrono::steady_clock::now() + kViolationStopGrace;
  while ((got = ::waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline) {
    struct timespec ts{0, static_cast<long>(std::chrono::nanoseconds(kStopPollInterval).count())};
    ::nanosleep(&ts, nullptr);
  }
  if (got == 0) {
    if (::kill(-pid, SIGKILL) != 0) ::kill(pid, SIGKILL);
    while ((got = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
  }
  if (!log_) return;
  if (got == pid) log_(LogLevel::debug, fmt::format("violation log: {} {}", program_, describe_exit(status)));
  else log_(LogLevel::debug, fmt::format("violation log: cannot reap {} (pid {}): {}", program_, pid, std::strerror(errno)));
}

void ViolationMonitor::read_loop() {
  using clock = std::chrono::steady_clock;
  bool stopping = false;
  clock::time_point deadline{};
  char buf[kReadChunk];
  for (;;) {
    int timeout = -1;
    if (stopping) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
      if (left.count() <= 0) break;
      timeout = static_cast<int>(std::min(left, kViolationDrainQuiet).count());
    }
    struct pollfd fds[2] = {{out_fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
    int n = ::poll(fds, stopping ? 1 : 2, timeout);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (log_) log_(LogLevel::warn, fmt::format("violation log: poll: {}; denials are no longer recorded", std::strerror(errno)));
      break;
    }
    if (n == 0) break;  // stopping, and the log has been quiet
    if (!stopping && fds[1].revents) {
      stopping = true;
      deadline = clock::now() + kViolationDrainMax;
    }
    if (!fds[0].revents) continue;
    ssize_t got = ::read(out_fd_, buf, sizeof buf);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got < 0) {
      if (log_) log_(LogLevel::warn, fmt::format("violation log: read: {}; denials are no longer recorded", std::strerror(errno)));
      break;
    }
    if (got == 0) {  // the program exited (or closed its output)
      if (!skipping_ && !pending_.empty()) handle_line(pending_);
      pending_.clear();
      if (!stopping && log_) log_(LogLevel::debug, fmt::format("violation log: {} closed its output", program_));
      break;
    }
    consume(buf, static_cast<std::size_t>(got));
  }
}

void ViolationMonitor::consume(const char *data, std::size_t size) {
  std::string_view chunk(data, size);
  while (!chunk.empty()) {
    auto nl = chunk.find('\n');
    std::string_view part = chunk.substr(0, nl);
    if (!skipping_) {
      if (pending_.size() + part.size() > kMaxViolationLineBytes) {
        skipping_ = true;
        pending_.clear();
      } else {
        pending_.append(part);
      }
    }
    if (nl == std::string_view::npos) return;
    if (!skipping_) handle_line(pending_);
    pending_.clear();
    skipping_ = false;
    chunk.remove_prefix(nl + 1);
  }
}

void ViolationMonitor::handle_line(std::string_view line) {
  if (line.find(marker_) == std::string_view::npos) return;
  auto v = parse_(line, marker_);
  if (!v) return;
  if (log_) log_(LogLevel::debug, fmt::format("violation log: {}", v->line));
  record_.add(std::move(*v));
}

}  // namespace srt::runtime
