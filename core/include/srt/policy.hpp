// The policy IR: what a settings file *means* once every path is resolved,
// independent of any backend. Produced by the core's compiler, printed by
// `srt policy explain`, and handed to plugins as JSON (srt/policy_json.hpp,
// schemas/policy-ir.schema.json).
//
// Plain value types, no behaviour, no dependencies: safe to copy between
// threads; nothing here refers to process state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace srt::ir {

// Bumped when a field changes meaning or disappears; adding fields does not.
inline constexpr int kVersion = 1;

// How a path looks from inside the sandbox.
enum class Access {
  read_only,   // readable, writes fail (EROFS)
  read_write,  // readable and writable
  hidden,      // an empty read-only view: directories show no entries, files
               // cannot be opened
};

enum class Kind {
  dir,
  file,     // anything that is not a directory (regular file, socket, device)
  missing,  // does not exist; `placeholder` says what srt creates so that the
            // sandboxed command cannot create it
};

enum class Placeholder { none, file, dir };

// One entry of the resolved view. `mounts` is ordered so that an entry comes
// after every entry for an ancestor path; a deeper entry overrides a shallower
// one for its subtree. The first entry is always "/".
struct Mount {
  std::string path;           // absolute, normalised, symlink-free
  Access access = Access::read_only;
  Kind kind = Kind::dir;
  Placeholder placeholder = Placeholder::none;  // only for Kind::missing
  bool pin = false;  // exists only so that this directory cannot be renamed or
                     // removed (it is an ancestor of a protected path); its
                     // access equals its parent's
  std::string origin;  // the settings key that produced it, e.g.
                       // `filesystem.allowWrite[0] "."`, `mandatory .bashrc`
};

enum class Op { read, write };
enum class Effect { allow, deny };

// The same intent as `mounts`, kept as patterns for backends that match
// natively (Seatbelt). Paths are absolute; globs are not expanded.
struct PathRule {
  Op op = Op::read;
  Effect effect = Effect::deny;
  std::string pattern;
  bool glob = false;  // pattern uses *, **, ?, [..]
  std::string origin;
  // Globs (absolute): the rule does not apply to their matches nor beneath
  // them (the mandatory denies skip node_modules, as the mount scan does).
  std::vector<std::string> except;
};

struct DomainRule {
  std::string pattern;                // host pattern, lower-case, no port
  std::optional<std::uint16_t> port;  // absent: any port
  Effect effect = Effect::deny;
  std::string reason;  // for deny rules: what the refusal says
  std::string origin;
};

struct Network {
  // false: the sandbox has no network at all (this build starts no proxy).
  bool proxied = false;
  std::vector<DomainRule> domain_rules;  // deny rules first, then allow
  bool strict_allowlist = false;         // unmatched hosts: deny, never ask
  std::vector<std::string> denied_resolved_addresses;
  std::optional<std::uint16_t> http_proxy_port;   // external proxy
  std::optional<std::uint16_t> socks_proxy_port;  // external proxy
};

struct Sockets {
  bool allow_all_unix = false;
  std::vector<std::string> allow_unix_paths;
  bool allow_local_binding = false;
};

struct Process {
  std::string cwd;
  bool allow_pty = false;
  bool weaker_nested_sandbox = false;
  bool allow_nested_user_namespaces = false;
  // macOS services (Seatbelt): mach-lookup names the command may look up
  // (network.allowMachLookup; a trailing `*` is a prefix), the TLS trust
  // daemon (enableWeakerNetworkIsolation), Apple Events and LaunchServices
  // (allowAppleEvents).
  std::vector<std::string> allow_mach_lookup;
  bool weaker_network_isolation = false;
  bool allow_apple_events = false;
  std::map<std::string, std::string> env_set;  // added to the environment
  std::vector<std::string> env_unset;          // removed from it
};

struct Filesystem {
  bool restricted = true;  // false when settings say filesystem.disabled
  std::vector<Mount> mounts;
  std::vector<PathRule> path_rules;
};

// A settings key that was accepted but is not (fully) enforced by this build.
struct Note {
  std::string key;     // e.g. "network.allowedDomains"
  std::string status;  // "not-yet-enforced" | "stricter" | "not-applicable" | "ignored"
  std::string detail;  // one sentence a user can act on
};

struct Policy {
  int version = kVersion;
  Filesystem filesystem;
  Network network;
  Sockets sockets;
  Process process;
  // Settings meant for one backend, e.g. {"bwrap": {"path": "/usr/bin/bwrap"}}.
  std::map<std::string, std::map<std::string, std::string>> backend_options;
  std::vector<Note> notes;
  std::vector<std::string> warnings;  // things the compiler could not protect
};

inline const char *to_string(Access a) {
  switch (a) {
    case Access::read_only: return "read-only";
    case Access::read_write: return "read-write";
    case Access::hidden: return "hidden";
  }
  return "?";
}
inline const char *to_string(Kind k) {
  switch (k) {
    case Kind::dir: return "dir";
    case Kind::file: return "file";
    case Kind::missing: return "missing";
  }
  return "?";
}
inline const char *to_string(Placeholder p) {
  switch (p) {
    case Placeholder::none: return "none";
    case Placeholder::file: return "file";
    case Placeholder::dir: return "dir";
  }
  return "?";
}
inline const char *to_string(Op o) { return o == Op::read ? "read" : "write"; }
inline const char *to_string(Effect e) { return e == Effect::allow ? "allow" : "deny"; }

}  // namespace srt::ir
