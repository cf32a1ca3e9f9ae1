// Options for a Sandbox on the usable test backend (tests/plugins/
// violation_log.cpp), which runs the command itself, in its own session,
// without placeholders, and watches a recorded Seatbelt log.
#pragma once

#include <srt/srt.hpp>

#include "srt_config.hpp"

#include <string>

namespace srt::test {

inline srt::Options test_backend_options(const std::string &cwd) {
  srt::Options o;
  o.backend = "test-violation-log";
  o.plugin_dirs = {SRT_TEST_PLUGIN_DIR};
  o.cwd = cwd;
  // Checked for, never run: the test backend runs the command itself.
  o.enter_path = SRT_BUILD_CORE_DIR "/srt-enter";
  return o;
}

}  // namespace srt::test
