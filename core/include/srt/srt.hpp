// The srt library API: run commands in an OS-level sandbox described by srt
// settings. The `srt` command-line tool is a thin client of exactly this API.
//
//   auto sandbox = srt::Sandbox::from_file("settings.json");
//   auto child = sandbox.spawn({.argv = {"make", "test"}});
//   int code = child.wait().code;
//
// Errors: factories and prepare/spawn throw srt::SettingsError (unusable
// settings), srt::PolicyError (settings that cannot be made into a sound
// policy) or srt::SandboxError (no usable backend, a plugin failure, the
// sandbox could not be set up). Nothing runs when they throw, and nothing
// they created is left behind.
//
// Threads: a Sandbox and its Children may be used from one thread at a time.
// Sandbox loads plugins once (they are never unloaded).
#pragma once

#include <srt/error.hpp>
#include <srt/launch.hpp>
#include <srt/network.hpp>
#include <srt/policy.hpp>
#include <srt/settings.hpp>
#include <srt/violations.hpp>

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace srt {

enum class LogLevel { debug, info, warn, error };
using LogFn = std::function<void(LogLevel, const std::string &)>;

// The srt version ("0.1.0").
const char *version();

struct Options {
  std::string backend;                   // empty: settings' srt.backend ("auto" by default)
  std::vector<std::string> plugin_dirs;  // searched before SRT_PLUGIN_PATH and srt's own
  std::string cwd;                       // the command's working directory; empty: the current one
  std::string enter_path;                // srt-enter; empty: srt's own (install or build tree)
  LogFn log;                             // warnings; debug lines too when `debug`
  bool debug = false;
  AskFn ask;                             // empty: unlisted destinations are refused
  // The caller will call update(): start the proxies even when the settings
  // allow no network, so that an update can open it.
  bool live_network = false;
};

struct Command {
  std::vector<std::string> argv;    // the program and its arguments...
  std::optional<std::string> shell;  // ...or a shell command line (bash -c, else sh -c)
  // The environment, "NAME=value"; default: this process's environment.
  std::optional<std::vector<std::string>> env;
};

struct PluginStatus {
  std::string file, kind, name, version, summary;
  int abi_major = 0, abi_minor = 0;
  std::string state;  // "loaded" | "failed" | "shadowed"
  std::string error;  // for failed and shadowed
};

struct BackendStatus {
  std::string name, file, version, summary;
  int abi_major = 0, abi_minor = 0;
  bool usable = false;
  std::string reason;  // why not usable, and what to do
  std::map<std::string, std::string> features;  // feature -> enforced | degraded | unsupported
  std::map<std::string, std::string> feature_notes;  // feature -> what is missing
  bool host_namespaces = false;  // see syscall_filter
  // Its rules keep absent protected paths absent: a launch makes no
  // placeholders on the host.
  bool keeps_absent_paths = false;
};

struct ExitStatus {
  // The sandbox could not be set up: the command never started (the
  // backend's own message went to stderr).
  bool setup_failed = false;
  int code = 0;  // as a shell reports it: 0-255, 128+N after signal N
};

// Whether the sandboxed command can read and write `path`, and which mount
// (and so which settings rule) decides. `path` may be relative to the
// policy's working directory or start with "~". Reads the disk (symlinks).
struct PathVerdict {
  std::string path;  // absolute, as asked
  std::string real;  // symlinks resolved
  bool exists = false;
  bool readable = false;
  bool writable = false;
  std::optional<ir::Mount> decided_by;
  std::string note;
};
PathVerdict explain_path(const ir::Policy &policy, const std::string &path);

// One rule of the system-call filter srt-enter applies just before exec
// (whatever the backend), in words: {"socket", "the domain is AF_UNIX",
// "fails with EPERM"}.
struct SyscallRule {
  std::string syscalls, when, action;
};
// `host_namespaces`: the backend has no namespaces of its own (its probe
// says so, e.g. landlock); the filter then also refuses what a network and
// IPC namespace would have contained (non-TCP sockets, System V IPC, keys).
std::vector<SyscallRule> syscall_filter(const ir::Policy &policy, bool host_namespaces = false);


// A launched command. Destroying a Child that is still running kills the
// whole sandbox and waits for it; either way its placeholders are removed.
class Child {
 public:
  Child(Child &&) noexcept;
  Child &operator=(Child &&) noexcept;
  ~Child();

  pid_t pid() const;  // the launcher process (e.g. bwrap)
  // Readable when the sandbox reports progress: pass to poll() and call
  // handle_report() when it is.
  int report_fd() const;
  void handle_report();
  bool started() const;  // the sandbox is set up and the command is starting

  // Sends `sig` to the command and its process group (to the command alone
  // when it shares srt's terminal, i.e. allowPty). Before the command has
  // started, any signal ends the launch (the whole sandbox is killed).
  void signal(int sig);
  void kill();  // ends the whole sandbox now

  std::optional<ExitStatus> try_wait();  // non-blocking
  ExitStatus wait();                      // blocking

  // What the OS sandbox denied this command, in first-denied order, for
  // backends whose sandbox logs its denials (Seatbelt; empty for the others).
  // Recorded by a thread of srt's while the command runs: a snapshot before
  // the command has exited, final once wait()/try_wait() returned its
  // status (best effort: what the OS log delivered by then). At most 1000 distinct denials, then one "(other denials)" entry
  // counting the rest. Not filtered: see Sandbox::ignores_violation.
  std::vector<Violation> violations() const;

 private:
  friend class Sandbox;
  struct State;
  explicit Child(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

struct SpawnOptions {
  // The command's standard input, output and error; -1: this process's own.
  // srt duplicates them; the caller keeps (and closes) its descriptors. The
  // command gets no other descriptor of this process.
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
  // The command's RLIMIT_NOFILE; default: this process's. (The CLI raises
  // its own limit for the proxies and gives the command the one it had.)
  std::optional<rlimit> fd_limit;
  // Make this process a child subreaper and, in wait(), also reap what the
  // sandbox leaves behind, so that wait() returns only when no process of the
  // sandbox is left. Only for programs with no other children (the CLI).
  // Linux only (macOS has no subreaper: spawn throws). Either way, when the
  // launched process is the command and leads its own process group
  // (seatbelt, landlock), what it leaves in that group is killed when it
  // exits.
  bool reap_orphans = false;
};

class Sandbox {
 public:
  static Sandbox from_file(const std::filesystem::path &file, Options options = {});
  // ~/.srt-settings.json; the built-in default when it does not exist.
  static Sandbox from_default(Options options = {});
  static Sandbox from_json(std::string_view json, Options options = {});
  static Sandbox from_settings(Settings settings, Options options = {});

  Sandbox(Sandbox &&) noexcept;
  Sandbox &operator=(Sandbox &&) noexcept;
  ~Sandbox();

  const Settings &settings() const;
  // One line per problem found in the settings that did not stop them from
  // loading (unknown keys, unused reasons).
  const std::vector<std::string> &warnings() const;
  const std::string &settings_source() const;

  // The policy for a command started now (reads the disk: globs, symlinks,
  // the mandatory-deny scan).
  ir::Policy compile() const;

  std::vector<PluginStatus> plugins() const;
  // Every backend found, probed for `policy`.
  std::vector<BackendStatus> backends(const ir::Policy &policy, bool deep) const;
  // The backend a launch would use: the configured one, or for "auto" the
  // first of bwrap, landlock (seatbelt on macOS) that is usable. Throws
  // SandboxError naming each candidate and why it is not usable.
  std::string choose_backend(const ir::Policy &policy) const;
  // What `backend` would run for `command` (nothing is started or created;
  // paths inside srt's session directory are shown as they would be).
  LaunchPlan render(const ir::Policy &policy, const std::string &backend, const Command &command) const;

  // Compiles, prepares the host (placeholders) and starts `command`.
  Child spawn(const Command &command, SpawnOptions options = {});

  // Replaces the settings. The network rules (allowedDomains, deniedDomains,
  // deniedDomainReasons, strictAllowlist, deniedResolvedAddresses) take
  // effect at once, for new connections of commands already running; every
  // other setting applies to commands spawned later. Returns one line per
  // change that is not live, for the caller to show.
  std::vector<std::string> update(Settings settings);

  // Every destination the proxies refused so far, for all commands of this
  // Sandbox, in first-refused order.
  std::vector<NetworkRefusal> network_refusals() const;

  // Whether the settings' ignoreViolations suppresses `line` (a
  // Violation::line, or a line the caller prints about a refusal or a
  // violation) for `command`: patterns under "*" apply to every command,
  // those under any other key when the command line (argv joined with
  // spaces, or the shell string) contains the key; a pattern is a substring
  // of the line, "~/..." standing for the home directory. Reporting only.
  bool ignores_violation(const Command &command, std::string_view line) const;

 private:
  struct Impl;
  explicit Sandbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace srt
