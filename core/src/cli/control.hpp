// `--control-fd N`: settings updates while the command runs, one complete
// settings JSON per line (the TypeScript srt's protocol). Network rules take
// effect for new connections at once; an invalid line is reported and
// ignored; EOF ends the channel, not the command.
//
// Driven from the CLI's poll loop: no thread, no O_NONBLOCK on a descriptor
// srt shares with its writer.
#pragma once

#include <srt/srt.hpp>

#include <string>

namespace srt::cli {

class ControlChannel {
 public:
  // Checks that `fd` is open for reading and marks it close-on-exec (the
  // command sees /dev/null there instead). Throws SandboxError when it is
  // not usable: srt will not run a command without the channel it asks for.
  explicit ControlChannel(int fd);

  int fd() const { return open_ ? fd_ : -1; }  // -1 once at EOF or failed
  // Reads what is available and applies each complete line. Returns false
  // when the channel failed before any line was read (the caller must stop
  // the command); later failures are reported and the channel is closed.
  bool on_readable(Sandbox &sandbox, bool debug);

 private:
  void apply(Sandbox &sandbox, const std::string &line, bool debug);

  int fd_;
  bool open_ = true;
  bool discarding_ = false;  // inside a line longer than the limit
  std::size_t lines_ = 0;
  std::string pending_;
};

}  // namespace srt::cli
