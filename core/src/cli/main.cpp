// srt: run a command in an OS-level sandbox. A thin client of srt/srt.hpp.
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace srt::cli {

Sandbox make_sandbox(const Invocation &inv) {
  Options o;
  o.backend = inv.backend;
  o.plugin_dirs = inv.plugin_dirs;
  o.debug = inv.debug;
  o.log = stderr_log();
  o.live_network = inv.control_fd.has_value();
  Sandbox s = inv.settings ? Sandbox::from_file(*inv.settings, o) : Sandbox::from_default(o);
  for (const auto &w : s.warnings()) warning(w);
  if (inv.debug) debug(fmt::format("settings: {}", s.settings_source()));
  return s;
}

}  // namespace srt::cli

int main(int argc, char **argv) {
  using namespace srt::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    Invocation inv = parse_args(args);
    switch (inv.mode) {
      case Mode::help: std::fputs(help_text().c_str(), stdout); return 0;
      case Mode::version: std::printf("%s\n", srt::version()); return 0;
      case Mode::explain: return explain(inv);
      case Mode::backends: return list_backends(inv);
      case Mode::selftest: return selftest(inv);
      case Mode::run: return run_command(inv);
    }
  } catch (const UsageError &e) {
    error(fmt::format("{} (see srt --help)", e.what()));
    return kExitSrtError;
  } catch (const srt::SettingsError &e) {
    error(e.what());
    error("refusing to run: fix the settings file (nothing was run, and srt never falls back to other settings)");
    return kExitSrtError;
  } catch (const srt::Error &e) {
    error(e.what());
    return kExitSrtError;
  } catch (const std::exception &e) {
    error(fmt::format("internal error: {}", e.what()));
    return kExitSrtError;
  }
  return kExitSrtError;
}
