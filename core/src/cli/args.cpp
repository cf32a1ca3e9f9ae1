#include "cli/args.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <sstream>
#include <string_view>

namespace po = boost::program_options;

namespace srt::cli {

namespace {

// Options that take a value in the next word.
constexpr std::array<std::string_view, 7> kValueOptions = {"-s", "--settings", "-c", "--backend", "--plugin-dir", "--path",
                                                           "--control-fd"};

bool takes_value(std::string_view a) {
  for (auto v : kValueOptions)
    if (a == v) return true;
  return false;
}

po::options_description global_options() {
  po::options_description d("Options");
  d.add_options()("help,h", "show this help and exit")("version,V", "print the version and exit")(
      "debug,d", "print every decision and the launch command line on stderr (also SRT_DEBUG=1)")(
      "settings,s", po::value<std::string>(), "settings file (default: ~/.srt-settings.json; built-in default when absent)")(
      ",c", po::value<std::string>(), "run this shell command line (bash -c) instead of a command")(
      "backend", po::value<std::string>(), "sandbox backend: auto (default: bwrap, else landlock; on macOS seatbelt), bwrap, landlock, seatbelt (macOS), or a plugin's name")(
      "plugin-dir", po::value<std::vector<std::string>>()->composing(), "also load plugins from this directory (repeatable)")(
      "control-fd", po::value<std::string>(),
      "read settings updates from this descriptor (>= 3), one complete settings JSON per line; network rules apply at once");
  return d;
}

po::options_description explain_options() {
  po::options_description d("policy explain options");
  d.add_options()("json", "print the policy IR as JSON (schemas/policy-ir.schema.json)")(
      "path", po::value<std::vector<std::string>>()->composing(), "also say whether this path is readable and writable, and why (repeatable)");
  return d;
}

void parse_options(const std::vector<std::string> &words, const po::options_description &desc, Invocation &inv) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(words).options(desc).style(po::command_line_style::default_style &
                                                                  ~po::command_line_style::allow_guessing).run(),
              vm);
    po::notify(vm);
  } catch (const po::error &e) {
    throw UsageError(e.what());
  }
  if (vm.count("help")) inv.mode = Mode::help;
  else if (vm.count("version") && inv.mode == Mode::run) inv.mode = Mode::version;
  if (vm.count("debug")) inv.debug = true;
  if (vm.count("settings")) inv.settings = vm["settings"].as<std::string>();
  if (vm.count("-c")) inv.shell = vm["-c"].as<std::string>();  // a short-only option is keyed "-c"
  if (vm.count("backend")) inv.backend = vm["backend"].as<std::string>();
  if (vm.count("plugin-dir")) inv.plugin_dirs = vm["plugin-dir"].as<std::vector<std::string>>();
  if (vm.count("json")) inv.json = true;
  if (vm.count("path")) inv.paths = vm["path"].as<std::vector<std::string>>();
  if (vm.count("control-fd")) {
    const auto &v = vm["control-fd"].as<std::string>();
    bool digits = !v.empty() && v.size() <= 9 && v.find_first_not_of("0123456789") == std::string::npos;
    int fd = digits ? std::stoi(v) : -1;
    if (fd < 3)
      throw UsageError(fmt::format("option '--control-fd <fd>' argument '{}' is invalid. must be an integer file descriptor >= 3 "
                                   "(0-2 are stdin, stdout and stderr).",
                                   v));
    inv.control_fd = fd;
  }
}

// Splits `args` (from `start`) into leading options and the rest.
std::size_t take_options(const std::vector<std::string> &args, std::size_t i, std::vector<std::string> &opts) {
  while (i < args.size()) {
    const std::string &a = args[i];
    if (a == "--" || a.size() < 2 || a[0] != '-') break;
    opts.push_back(a);
    if (takes_value(a) && i + 1 < args.size()) opts.push_back(args[++i]);
    ++i;
  }
  return i;
}

}  // namespace

Invocation parse_args(const std::vector<std::string> &args) {
  Invocation inv;
  std::vector<std::string> opts;
  std::size_t i = take_options(args, 0, opts);
  auto desc = global_options();
  if (i < args.size() && args[i] != "--" && (args[i] == "backends" || args[i] == "policy" || args[i] == "selftest")) {
    if (args[i] == "backends" || args[i] == "selftest") {
      inv.mode = args[i] == "backends" ? Mode::backends : Mode::selftest;
      ++i;
    } else {
      if (i + 1 >= args.size() || args[i + 1] != "explain")
        throw UsageError("`srt policy` needs a subcommand: srt policy explain [-s FILE] [--json] [--backend NAME] [--path P]");
      inv.mode = Mode::explain;
      desc.add(explain_options());
      i += 2;
    }
    i = take_options(args, i, opts);
    if (i < args.size())
      throw UsageError(fmt::format("unexpected argument \"{}\" after `srt {}`", args[i],
                                   inv.mode == Mode::backends ? "backends" : inv.mode == Mode::selftest ? "selftest" : "policy explain"));
  } else {
    if (i < args.size() && args[i] == "--") ++i;
    inv.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  }
  parse_options(opts, desc, inv);
  if (const char *env = std::getenv("SRT_DEBUG"); env && *env && std::string_view(env) != "0" && std::string_view(env) != "false")
    inv.debug = true;
  if (inv.mode == Mode::run) {
    if (inv.shell && !inv.command.empty())
      throw UsageError("-c takes the whole shell command line; do not also give a command (write srt -c \"cmd args\")");
    if (!inv.shell && inv.command.empty())
      throw UsageError("No command specified. Use -c <command> or provide command arguments.");
  } else if (inv.control_fd) {
    throw UsageError("--control-fd is only for running a command");
  }
  return inv;
}

std::string help_text() {
  std::ostringstream out;
  out << "Usage:\n"
         "  srt [options] [--] command [args...]   run a command in the sandbox\n"
         "  srt [options] -c 'shell command line'  run a shell command line (bash -c)\n"
         "  srt policy explain [options] [--json] [--path P]...\n"
         "                                         print the compiled policy and what the backend runs; runs nothing\n"
         "  srt backends [options]                 list the plugins found and whether each backend is usable here\n"
         "  srt selftest [--backend NAME]          try real escapes inside the backend's sandbox and show which\n"
         "                                         were blocked; exit 0 only if all it claims to enforce were\n"
         "  (a command named backends, policy or selftest: srt -- backends)\n"
         "\n"
      << global_options() << "\n"
      << explain_options()
      << "\n"
         "Settings use the TypeScript srt's format (~/.srt-settings.json); see schemas/srt-settings.schema.json.\n"
         "\n"
         "Exit status: the command's own (128+N if it was killed by signal N); 128+N when srt was\n"
         "interrupted by signal N (SIGINT, SIGTERM, SIGHUP, SIGQUIT are forwarded to the command);\n"
         "125 when srt itself failed and the command did not run (settings, policy, backend, sandbox\n"
         "set-up); 126 command not executable; 127 command not found.\n";
  return out.str();
}

}  // namespace srt::cli
