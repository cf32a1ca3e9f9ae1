#include "cli/output.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

namespace srt::cli {

namespace {

// Debug lines carry the time since srt started, to see where a launch spends it.
const auto g_start = std::chrono::steady_clock::now();

void line(const char *prefix, const std::string &message) {
  std::string out = prefix + message + "\n";
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void error(const std::string &message) { line("srt: ", message); }
void warning(const std::string &message) { line("srt: warning: ", message); }
// The TypeScript srt's debug prefix, kept so that existing log filters work.
void debug(const std::string &message) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - g_start).count();
  line(fmt::format("[SandboxDebug] {}.{:03}ms ", us / 1000, us % 1000).c_str(), message);
}

LogFn stderr_log() {
  return [](LogLevel level, const std::string &message) {
    switch (level) {
      case LogLevel::debug: debug(message); break;
      case LogLevel::info: line("srt: ", message); break;
      case LogLevel::warn: warning(message); break;
      case LogLevel::error: error(message); break;
    }
  };
}

}  // namespace srt::cli
