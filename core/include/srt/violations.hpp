// The record of what the operating system's sandbox denied a command (the
// library API, srt/srt.hpp: Child::violations). Plain values.
//
// A backend whose sandbox logs its denials (Seatbelt on macOS) asks srt to
// watch that log while the command runs (LaunchPlan::violation_log); each
// denial becomes a Violation. Reporting only: nothing here is enforcement,
// and the text comes from a log the sandboxed command can write to as well,
// so treat it as a hint, never as proof.
#pragma once

#include <cstdint>
#include <string>

namespace srt {

// One kind of denial and how often it happened. Denials with the same
// operation, target and process name (the pid aside) are one Violation.
struct Violation {
  std::string operation;  // what was denied, as the OS names it: "file-write-create", "network-outbound"
  std::string target;     // the path, "host:port" or service name; may be empty
  // The first process denied, "name(pid)" ("touch(1234)"); later processes
  // of the same name are counted here too. May be empty.
  std::string process;
  // The first denial's text as the OS reported it (without srt's session
  // marker), e.g. "touch(1234) deny(1) file-write-create /Users/me/x";
  // control characters replaced by '?'.
  std::string line;
  std::uint64_t count = 1;
};

}  // namespace srt
