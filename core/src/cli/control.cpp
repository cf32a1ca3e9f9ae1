#include "cli/control.hpp"

#include "cli/output.hpp"

#include <srt/settings.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace srt::cli {

namespace {

// A settings file is small; a line longer than this is refused whole.
constexpr std::size_t kMaxLineBytes = 1024 * 1024;
constexpr std::size_t kReadChunk = 64 * 1024;

}  // namespace

ControlChannel::ControlChannel(int fd) : fd_(fd) {
  int flags = ::fcntl(fd, F_GETFL);
  int err = errno;
  if (flags >= 0 && (flags & O_ACCMODE) == O_WRONLY) {
    flags = -1;
    err = EBADF;
  }
  if (flags < 0)
    throw SandboxError(fmt::format("--control-fd {} is not usable: {}. Refusing to run the command without the control channel it asks for.",
                                   fd, std::strerror(err)));
  int fdflags = ::fcntl(fd, F_GETFD);
  if (fdflags < 0 || ::fcntl(fd, F_SETFD, fdflags | FD_CLOEXEC) != 0)
    throw SandboxError(fmt::format("--control-fd {}: fcntl: {}", fd, std::strerror(errno)));
}

bool ControlChannel::on_readable(Sandbox &sandbox, bool debug) {
  char buf[kReadChunk];
  ssize_t n = ::read(fd_, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n < 0) {
    int err = errno;
    open_ = false;
    if (lines_ == 0) {
      error(fmt::format("--control-fd {}: {} before any settings line; stopping the command", fd_, std::strerror(err)));
      return false;
    }
    error(fmt::format("--control-fd {}: {}; no further updates, the command keeps running", fd_, std::strerror(err)));
    return true;
  }
  if (n == 0) {  // EOF: a last line without its newline still counts
    open_ = false;
    if (!pending_.empty() && !discarding_) apply(sandbox, pending_, debug);
    pending_.clear();
    if (debug) cli::debug(fmt::format("--control-fd {}: end of input; the command keeps running", fd_));
    return true;
  }
  for (ssize_t i = 0; i < n; ++i) {
    char c = buf[i];
    if (c != '\n') {
      if (discarding_) continue;
      pending_ += c;
      if (pending_.size() > kMaxLineBytes) {
        error(fmt::format("Invalid config on control fd {}: ignored, previous config still in force (a line longer than {} bytes)", fd_,
                          kMaxLineBytes));
        pending_.clear();
        discarding_ = true;
        ++lines_;
      }
      continue;
    }
    if (!discarding_) apply(sandbox, pending_, debug);
    discarding_ = false;
    pending_.clear();
  }
  return true;
}

void ControlChannel::apply(Sandbox &sandbox, const std::string &line, bool debug) {
  if (line.find_first_not_of(" \t\r") == std::string::npos) return;  // blank lines are ignored
  ++lines_;
  std::vector<std::string> warnings;
  try {
    Settings s = parse_settings(line, fmt::format("--control-fd {} line {}", fd_, lines_), warnings);
    for (const auto &w : warnings) warning(w);
    for (const auto &note : sandbox.update(std::move(s))) warning(fmt::format("--control-fd {}: {}", fd_, note));
    if (debug) cli::debug(fmt::format("--control-fd {}: settings line {} applied", fd_, lines_));
  } catch (const SettingsError &e) {
    error(fmt::format("Invalid config on control fd {}: ignored, previous config still in force", fd_));
    error(e.what());
  }
}

}  // namespace srt::cli
