#include "profile.hpp"

#include "sbpl_text.hpp"
#include "violation_log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>
#include <stdexcept>

namespace srt::seatbelt {

namespace {

// Services a normal toolchain (git, node, python, curl, compilers) looks up.
struct MachGroup {
  const char *why;
  std::vector<const char *> names;
};
const MachGroup kMachServices[] = {
    {"user and group names (getpwuid, id, ls -l)",
     {"com.apple.system.opendirectoryd.libinfo", "com.apple.system.opendirectoryd.membership"}},
    {"logging (os_log, syslog)", {"com.apple.logd", "com.apple.system.logger"}},
    {"notifications (configuration changes, time zone)",
     {"com.apple.system.notification_center", "com.apple.distributed_notifications@Uv3"}},
    {"the per-user temporary and cache directories", {"com.apple.bsd.dirhelper"}},
    {"certificates and the keychain (TLS clients)", {"com.apple.securityd.xpc", "com.apple.SecurityServer"}},
    {"file types and application lookups", {"com.apple.lsd.mapdb", "com.apple.coreservices.launchservicesd"}},
    {"fonts (image and PDF tools)", {"com.apple.FontObjectsServer", "com.apple.fonts"}},
    {"power assertions (long builds keep the machine awake)", {"com.apple.PowerManagement.control"}},
    {"system sounds (terminal bell)", {"com.apple.audio.systemsoundserver"}},
};

// Kernel facts runtimes read at start-up (CPU count and features, memory
// size, OS version) and `ps` reads (kern.proc.*).
const char *const kSysctlNames[] = {
    "hw.activecpu",       "hw.busfrequency_compat", "hw.byteorder",          "hw.cacheconfig",       "hw.cachelinesize_compat",
    "hw.cpufamily",       "hw.cpufrequency",        "hw.cpufrequency_compat", "hw.cputype",          "hw.l1dcachesize_compat",
    "hw.l1icachesize_compat", "hw.l2cachesize_compat", "hw.l3cachesize_compat", "hw.logicalcpu",     "hw.logicalcpu_max",
    "hw.machine",         "hw.memsize",             "hw.ncpu",               "hw.nperflevels",       "hw.packages",
    "hw.pagesize",        "hw.pagesize_compat",     "hw.physicalcpu",        "hw.physicalcpu_max",   "hw.tbfrequency_compat",
    "hw.vectorunit",      "kern.argmax",            "kern.bootargs",         "kern.hostname",        "kern.maxfiles",
    "kern.maxfilesperproc", "kern.maxproc",         "kern.ngroups",          "kern.osproductversion", "kern.osrelease",
    "kern.ostype",        "kern.osvariant_status",  "kern.osversion",        "kern.secure_kernel",   "kern.tcsm_available",
    "kern.tcsm_enable",   "kern.usrstack64",        "kern.version",          "kern.willshutdown",    "machdep.cpu.brand_string",
    "machdep.ptrauth_enabled", "security.mac.lockdown_mode_state", "sysctl.proc_cputype", "vm.loadavg"};
const char *const kSysctlPrefixes[] = {"hw.optional.", "hw.perflevel", "kern.proc.all", "kern.proc.pgrp.", "kern.proc.pid.",
                                       "machdep.cpu.", "net.routetable."};

// Devices every program may open: the bit buckets, randomness, its own
// standard streams and controlling terminal, dtrace's helper.
const char *const kDevicesReadWrite[] = {"/dev/null", "/dev/zero", "/dev/stdout", "/dev/stderr", "/dev/tty",
                                         "/dev/dtracehelper", "/dev/autofs_nowait"};
const char *const kDevicesIoctl[] = {"/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/dtracehelper", "/dev/tty"};

// macOS keeps /tmp, /var and /etc under /private; Seatbelt matches the real
// path, settings may use either spelling.
const char *const kPrivateDirs[] = {"/tmp", "/var", "/etc"};

std::string alternate_spelling(const std::string &path) {
  for (const char *d : kPrivateDirs) {
    std::string dir = d;
    std::string priv = "/private" + dir;
    auto under = [&](const std::string &base) {
      return path.size() >= base.size() && path.compare(0, base.size(), base) == 0 &&
             (path.size() == base.size() || path[base.size()] == '/');
    };
    if (under(priv)) return dir + path.substr(priv.size());
    if (under(dir)) return priv + path.substr(dir.size());
  }
  return {};
}

std::vector<std::string> spellings(const std::string &path) {
  std::vector<std::string> out = {path};
  if (auto alt = alternate_spelling(path); !alt.empty()) out.push_back(alt);
  return out;
}

std::string filters(const char *kind, const std::string &path) {
  std::string out;
  for (const auto &p : spellings(path)) out += fmt::format("{}({} {})", out.empty() ? "" : " ", kind, sbpl_string(p));
  return out;
}

std::string subpath(const std::string &path) { return filters("subpath", path); }
std::string literal(const std::string &path) { return filters("literal", path); }

std::string regex_filters(const std::string &pattern, bool subtree) {
  std::string out;
  for (const auto &p : spellings(pattern)) out += fmt::format("{}(regex {})", out.empty() ? "" : " ", sbpl_string(glob_regex(p, subtree)));
  return out;
}

// A filter that matches one of `any` and none of `none` (both lists of
// filters, as text); `any` must not be empty.
std::string carve(const std::string &any, const std::vector<std::string> &none) {
  if (none.empty()) return any;
  std::string out = "(require-all (require-any " + any + ")";
  for (const auto &n : none) out += " (require-not " + n + ")";
  return out + ")";
}

bool matches(const std::string &pattern, bool subtree, const std::string &path) {
  std::regex re(glob_regex(pattern, subtree), std::regex::extended);
  return std::regex_match(path, re);
}

// The components of a glob pattern ("/a/**/b" -> {"a", "**", "b"}).
std::vector<std::string> components(const std::string &pattern) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= pattern.size()) {
    auto end = pattern.find('/', start);
    if (end == std::string::npos) end = pattern.size();
    if (end > start) out.push_back(pattern.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

class Writer {
 public:
  Writer(const ir::Policy &p, const ProfileOptions &o) : p_(p), o_(o) {}

  std::string run() {
    line("(version 1)");
    comment("srt's Seatbelt profile. Seatbelt applies the LAST rule that matches: later rules override earlier ones.");
    comment("Everything not allowed below is denied, and each denial is logged with this session's marker.");
    line(deny_default_rule(o_.marker));
    process();
    services();
    kernel();
    network();
    filesystem();
    pty();
    helper();
    return std::move(out_);
  }

 private:
  void line(const std::string &s) { out_ += s + "\n"; }
  // Comments carry settings text (origins, paths): kept to printable ASCII,
  // so that nothing in them can end the comment or trip the profile parser.
  void comment(const std::string &s) {
    std::string text;
    for (unsigned char c : s) text += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
    out_ += "; " + text + "\n";
  }
  void section(const std::string &s) {
    out_ += "\n";
    comment(s);
  }

  void helper() {
    if (o_.helper.empty()) return;
    section("srt's helper, which starts the command: this one file, readable and executable whatever is denied above.");
    line("(allow file-read* process-exec " + literal(o_.helper) + ")");
  }

  void process() {
    section("Processes: run programs and fork; see, signal and inspect only processes of this sandbox.");
    line("(allow process-exec process-fork)");
    line("(allow process-info* (target same-sandbox))");
    line("(allow signal (target same-sandbox))");
    line("(allow mach-priv-task-port (target same-sandbox))");
    comment("Preferences (read only) and change notifications every Cocoa and CoreFoundation program uses.");
    line("(allow user-preference-read)");
    line("(allow distributed-notification-post)");
  }

  void services() {
    section("Mach services a toolchain (git, node, python, curl, compilers) looks up, by purpose.");
    for (const auto &g : kMachServices) {
      comment(g.why);
      std::string names;
      for (const char *n : g.names) names += fmt::format(" (global-name {})", sbpl_string(n));
      line("(allow mach-lookup" + names + ")");
    }
    if (p_.process.weaker_network_isolation) {
      comment("enableWeakerNetworkIsolation: the TLS trust daemon, for Go programs that verify certificates through it.");
      comment("It can also reach the network on the command's behalf (certificate revocation checks).");
      line("(allow mach-lookup (global-name \"com.apple.trustd.agent\"))");
    }
    if (p_.process.allow_apple_events) {
      comment("allowAppleEvents: send Apple Events and open applications. This lets the command drive programs outside the");
      comment("sandbox (a terminal, an editor), so it is no longer confined in what code runs.");
      line("(allow appleevent-send)");
      line("(allow lsopen)");
      line("(allow mach-lookup (global-name \"com.apple.coreservices.appleevents\") (global-name "
           "\"com.apple.CoreServices.coreservicesd\") (global-name \"com.apple.coreservices.quarantine-resolver\"))");
    }
    if (!p_.process.allow_mach_lookup.empty()) {
      comment("network.allowMachLookup");
      std::string names;
      for (const auto &n : p_.process.allow_mach_lookup) {
        if (!n.empty() && n.back() == '*') names += fmt::format(" (global-name-prefix {})", sbpl_string(n.substr(0, n.size() - 1)));
        else names += fmt::format(" (global-name {})", sbpl_string(n));
      }
      line("(allow mach-lookup" + names + ")");
    }
  }

  void kernel() {
    section("Shared memory and semaphores (Python multiprocessing, node workers).");
    line("(allow ipc-posix-shm ipc-posix-sem)");
    section("IOKit: graphics surfaces and power-state queries only.");
    line("(allow iokit-open (iokit-registry-entry-class \"IOSurfaceRootUserClient\") (iokit-registry-entry-class "
         "\"RootDomainUserClient\") (iokit-user-client-class \"IOSurfaceSendRight\"))");
    line("(allow iokit-get-properties)");
    section("Kernel control sockets (network interface queries), kernel facts runtimes read at start-up, and ps.");
    line("(allow system-socket (require-all (socket-domain AF_SYSTEM) (socket-protocol 2)))");
    std::string names;
    for (const char *n : kSysctlNames) names += fmt::format("\n  (sysctl-name {})", sbpl_string(n));
    for (const char *n : kSysctlPrefixes) names += fmt::format("\n  (sysctl-name-prefix {})", sbpl_string(n));
    line("(allow sysctl-read" + names + ")");
    comment("Code-signing monitor state, which the dynamic loader sets for itself.");
    line("(allow sysctl-write (sysctl-name \"kern.tcsm_enable\"))");
  }

  void network() {
    section("Network: no connection leaves this machine except through srt's proxies on localhost.");
    if (!p_.network.proxied) comment("The settings have no network section: no network at all.");
    for (auto port : o_.proxy_ports) line(fmt::format("(allow network-outbound (remote ip \"localhost:{}\"))", port));
    if (p_.sockets.allow_local_binding) {
      comment("allowLocalBinding: servers on localhost, and connections to them. Only loopback: binding a public address,");
      comment("connecting out to another host's address, or accepting connections from other hosts stays denied.");
      line("(allow network-bind network-inbound (local ip \"localhost:*\"))");
      line("(allow network-outbound (remote ip \"localhost:*\"))");
    }
    if (p_.sockets.allow_all_unix) {
      comment("allowAllUnixSockets: every Unix socket, by any path.");
      line("(allow system-socket (socket-domain AF_UNIX))");
      line("(allow network-bind (local unix-socket (path-regex \"^/\")))");
      line("(allow network-outbound (remote unix-socket (path-regex \"^/\")))");
    } else if (!p_.sockets.allow_unix_paths.empty()) {
      comment("network.allowUnixSockets: Unix sockets beneath these paths only.");
      line("(allow system-socket (socket-domain AF_UNIX))");
      for (const auto &path : p_.sockets.allow_unix_paths)
        for (const auto &s : spellings(path)) {
          line(fmt::format("(allow network-bind (local unix-socket (subpath {})))", sbpl_string(s)));
          line(fmt::format("(allow network-outbound (remote unix-socket (subpath {})))", sbpl_string(s)));
        }
    }
  }

  // ---- filesystem -----------------------------------------------------------

  void filesystem() {
    section("Filesystem.");
    if (!p_.filesystem.restricted) {
      comment("filesystem.disabled: no filesystem restrictions.");
      line("(allow file*)");
      return;
    }
    comment("1. The view at launch, one rule set per path of the policy (ancestors first: a deeper path overrides).");
    for (const auto &m : p_.filesystem.mounts) mount(m);
    devices();
    allow_patterns();
    deny_patterns();
    comment("Directory metadata stays readable everywhere, so that paths beneath hidden directories resolve.");
    line("(allow file-read-metadata (vnode-type DIRECTORY))");
    move_blocking();
  }

  void mount(const ir::Mount &m) {
    comment(fmt::format("{} {}  <- {}", m.pin ? "pin" : ir::to_string(m.access), m.path, m.origin));
    std::string f = subpath(m.path);
    switch (m.access) {
      case ir::Access::read_write: line("(allow file-read* file-write* " + f + ")"); break;
      case ir::Access::read_only:
        line("(allow file-read* " + f + ")");
        line("(deny file-write* " + f + ")");
        break;
      case ir::Access::hidden: line("(deny file-read* file-write* " + f + ")"); break;
    }
  }

  void devices() {
    comment("2. Devices: the bit buckets, the standard streams and the terminal, randomness.");
    std::string rw, io;
    for (const char *d : kDevicesReadWrite) rw += fmt::format(" (literal {})", sbpl_string(d));
    for (const char *d : kDevicesIoctl) io += fmt::format(" (literal {})", sbpl_string(d));
    line("(allow file-read* file-write*" + rw + ")");
    line("(allow file-ioctl" + io + ")");
  }

  // The non-writable and hidden paths of the launch view that lie inside
  // `pattern`'s region: an allow pattern emitted after the mounts must not
  // re-open them, so they are re-emitted after it.
  void reassert_mounts_within(const std::string &pattern) {
    for (const auto &m : p_.filesystem.mounts)
      if (m.path != "/" && m.access != ir::Access::read_write && matches(pattern, true, m.path)) mount(m);
  }

  void allow_patterns() {
    bool any = false;
    for (const auto &r : p_.filesystem.path_rules) {
      if (!r.glob || r.effect != ir::Effect::allow) continue;
      if (!any) comment("3. Allow patterns, so that files created later are covered too.");
      any = true;
      comment(r.origin);
      std::string f = carve(regex_filters(r.pattern, true), except_filters(r));
      line(r.op == ir::Op::write ? "(allow file-read* file-write* " + f + ")" : "(allow file-read* " + f + ")");
      reassert_mounts_within(r.pattern);
    }
  }

  std::vector<std::string> except_filters(const ir::PathRule &r) {
    std::vector<std::string> out;
    for (const auto &e : r.except) out.push_back(regex_filters(e, true));
    return out;
  }

  // An allowRead rule re-opens what a denyRead pattern covers when it lies
  // inside the pattern's region (denyRead "~/*" with allowRead "~/proj");
  // a denyRead pattern more specific than an allowRead stays denied
  // ("./**/.env" inside allowRead "."). A glob allowRead is judged by its
  // spelling ("./**/public/*.pem" lies inside "./**/*.pem").
  std::vector<std::string> reopened(const ir::PathRule &deny) {
    std::vector<std::string> out = except_filters(deny);
    for (const auto &r : p_.filesystem.path_rules) {
      if (r.op != ir::Op::read || r.effect != ir::Effect::allow || !matches(deny.pattern, true, r.pattern)) continue;
      out.push_back(r.glob ? regex_filters(r.pattern, true) : subpath(r.pattern));
    }
    return out;
  }

  // Consecutive rules of the same shape (the mandatory denies of one root)
  // are written as one rule with every origin above it.
  struct Grouped {
    std::string head;               // "deny file-write*"
    std::vector<std::string> none;  // carved out of all of them
    std::vector<std::string> any;
    std::vector<std::string> origins;
  };

  void add_grouped(std::vector<Grouped> &groups, std::string head, std::vector<std::string> any, std::vector<std::string> none,
                   const std::string &origin) {
    if (groups.empty() || groups.back().head != head || groups.back().none != none) groups.push_back({head, std::move(none), {}, {}});
    auto &g = groups.back();
    for (auto &f : any)
      if (std::find(g.any.begin(), g.any.end(), f) == g.any.end()) g.any.push_back(std::move(f));
    g.origins.push_back(origin);
  }

  void write_grouped(const std::vector<Grouped> &groups) {
    for (const auto &g : groups) {
      for (const auto &o : g.origins) comment(o);
      std::string any;
      for (const auto &f : g.any) any += (any.empty() ? "" : " ") + f;
      line("(" + g.head + " " + carve(any, g.none) + ")");
    }
  }

  void deny_patterns() {
    std::vector<Grouped> groups;
    for (const auto &r : p_.filesystem.path_rules) {
      if (!r.glob || r.effect != ir::Effect::deny) continue;
      if (r.op == ir::Op::read) add_grouped(groups, "deny file-read* file-write*", {regex_filters(r.pattern, true)}, reopened(r), r.origin);
      else add_grouped(groups, "deny file-write*", {regex_filters(r.pattern, true)}, except_filters(r), r.origin);
    }
    if (groups.empty()) return;
    comment("4. Deny patterns, which also cover files created later (denyWrite always wins over allowWrite).");
    write_grouped(groups);
  }

  // What a mount point gives on Linux: a protected path, the directories
  // leading to it and the writable roots cannot be renamed or removed, so that
  // nothing can be moved out of the way and back with new contents.
  void move_blocking() {
    comment("5. Rename and removal: protected paths, the directories above them, and the writable roots stay in place.");
    std::vector<std::string> literals;
    for (const auto &m : p_.filesystem.mounts)
      if (m.path != "/" && m.kind != ir::Kind::missing) literals.push_back(literal(m.path));
    for (std::size_t i = 0; i < literals.size(); i += kFiltersPerRule) {
      std::string f;
      for (std::size_t k = i; k < std::min(literals.size(), i + kFiltersPerRule); ++k) f += " " + literals[k];
      line("(deny file-write-unlink" + f + ")");
    }
    std::vector<Grouped> groups;
    for (const auto &r : p_.filesystem.path_rules) {
      if (!r.glob || r.effect != ir::Effect::deny) continue;
      // The directories a pattern names on the way to its matches: renaming
      // "a/.git" away and back would carry new hooks past "**/.git/hooks".
      // Prefixes ending in a "**" would pin every directory and are skipped
      // (the pattern matches at any depth anyway).
      auto parts = components(r.pattern);
      std::string prefix;
      std::vector<std::string> prefixes;
      for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
        prefix += "/" + parts[k];
        if (parts[k] == "**") continue;
        prefixes.push_back(prefix.find_first_of("*?[") != std::string::npos ? regex_filters(prefix, false) : literal(prefix));
      }
      if (!prefixes.empty()) add_grouped(groups, "deny file-write-unlink", std::move(prefixes), except_filters(r), r.origin);
    }
    write_grouped(groups);
  }

  void pty() {
    if (!p_.process.allow_pty) return;
    section("allowPty: new pseudo-terminals, and the terminal srt runs in.");
    line("(allow pseudo-tty)");
    line("(allow file-read* file-write* file-ioctl (literal \"/dev/ptmx\") (regex \"^/dev/ttys[0-9]+$\"))");
  }

  // Long filter lists are split so that no single rule grows unbounded.
  static constexpr std::size_t kFiltersPerRule = 64;

  const ir::Policy &p_;
  const ProfileOptions &o_;
  std::string out_;
};

}  // namespace

std::string render_profile(const ir::Policy &policy, const ProfileOptions &options) {
  // The marker goes into the profile and into the log predicate: only the
  // form session_marker makes.
  if (!is_session_marker(options.marker))
    throw std::invalid_argument("seatbelt profile: \"" + options.marker + "\" is not a session marker (SRT_<12 hex>_SBX)");
  return Writer(policy, options).run();
}

}  // namespace srt::seatbelt
