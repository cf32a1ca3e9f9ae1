#include "cli/output.hpp"

#include <cstdio>

namespace srt::cli {

namespace {

void line(const char *prefix, const std::string &message) {
  std::string out = prefix + message + "\n";
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void error(const std::string &message) { line("srt: ", message); }
void warning(const std::string &message) { line("srt: warning: ", message); }
// The TypeScript srt's debug prefix, kept so that existing log filters work.
void debug(const std::string &message) { line("[SandboxDebug] ", message); }

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
