// A Landlock ruleset as data: what a backend asks the core to build in srt's
// process and to apply to the launched process just before it runs
// (LaunchPlan::Confinement, srt/launch.hpp). Header-only, shared by the core
// and out-of-tree backends.
//
// The constants are the kernel's UAPI values (include/uapi/linux/landlock.h),
// carried here because Debian 12's headers stop at ABI 2 while the kernels
// srt runs on report up to ABI 7. They never change meaning.
//
// Plain values; reading JSON throws srt::ir::JsonError naming the JSON path.
#pragma once

#include <srt/policy_json.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace srt::landlock {

// System call numbers: the same on every architecture (asm-generic).
inline constexpr long kSysCreateRuleset = 444;
inline constexpr long kSysAddRule = 445;
inline constexpr long kSysRestrictSelf = 446;

inline constexpr std::uint32_t kCreateRulesetVersion = 1u << 0;

// Filesystem access rights, and the ABI that introduced each.
inline constexpr std::uint64_t kExecute = 1ull << 0;
inline constexpr std::uint64_t kWriteFile = 1ull << 1;
inline constexpr std::uint64_t kReadFile = 1ull << 2;
inline constexpr std::uint64_t kReadDir = 1ull << 3;
inline constexpr std::uint64_t kRemoveDir = 1ull << 4;
inline constexpr std::uint64_t kRemoveFile = 1ull << 5;
inline constexpr std::uint64_t kMakeChar = 1ull << 6;
inline constexpr std::uint64_t kMakeDir = 1ull << 7;
inline constexpr std::uint64_t kMakeReg = 1ull << 8;
inline constexpr std::uint64_t kMakeSock = 1ull << 9;
inline constexpr std::uint64_t kMakeFifo = 1ull << 10;
inline constexpr std::uint64_t kMakeBlock = 1ull << 11;
inline constexpr std::uint64_t kMakeSym = 1ull << 12;
inline constexpr std::uint64_t kRefer = 1ull << 13;     // ABI 2
inline constexpr std::uint64_t kTruncate = 1ull << 14;  // ABI 3
inline constexpr std::uint64_t kIoctlDev = 1ull << 15;  // ABI 5

// Network access rights (ABI 4).
inline constexpr std::uint64_t kBindTcp = 1ull << 0;
inline constexpr std::uint64_t kConnectTcp = 1ull << 1;

// Scopes (ABI 6).
inline constexpr std::uint64_t kScopeAbstractUnixSocket = 1ull << 0;
inline constexpr std::uint64_t kScopeSignal = 1ull << 1;

// Rule types.
inline constexpr int kRulePathBeneath = 1;
inline constexpr int kRuleNetPort = 2;  // ABI 4

// Rights that apply to a file that is not a directory; the others need a
// directory (the kernel refuses them on a file with EINVAL).
inline constexpr std::uint64_t kFileRights = kExecute | kWriteFile | kReadFile | kTruncate | kIoctlDev;

// Every filesystem right a kernel of `abi` knows.
inline constexpr std::uint64_t fs_rights(int abi) {
  if (abi < 1) return 0;
  std::uint64_t all = (kMakeSym << 1) - 1;
  if (abi >= 2) all |= kRefer;
  if (abi >= 3) all |= kTruncate;
  if (abi >= 5) all |= kIoctlDev;
  return all;
}
inline constexpr std::uint64_t net_rights(int abi) { return abi >= 4 ? (kBindTcp | kConnectTcp) : 0; }
inline constexpr std::uint64_t scopes(int abi) { return abi >= 6 ? (kScopeAbstractUnixSocket | kScopeSignal) : 0; }

// The kernel's structs (include/uapi/linux/landlock.h).
struct RulesetAttr {
  std::uint64_t handled_access_fs;
  std::uint64_t handled_access_net;  // ABI 4
  std::uint64_t scoped;              // ABI 6
};
struct __attribute__((packed)) PathBeneathAttr {
  std::uint64_t allowed_access;
  std::int32_t parent_fd;
};
struct NetPortAttr {
  std::uint64_t allowed_access;
  std::uint64_t port;
};

// "read_file|read_dir" for a set of filesystem rights.
inline std::string fs_names(std::uint64_t access) {
  static constexpr const char *kNames[] = {"execute",   "write_file", "read_file",  "read_dir",  "remove_dir", "remove_file",
                                           "make_char", "make_dir",   "make_reg",   "make_sock", "make_fifo",  "make_block",
                                           "make_sym",  "refer",      "truncate",   "ioctl_dev"};
  std::string out;
  for (unsigned i = 0; i < sizeof kNames / sizeof kNames[0]; ++i)
    if (access & (1ull << i)) {
      if (!out.empty()) out += '|';
      out += kNames[i];
    }
  return out.empty() ? "none" : out;
}

inline std::string net_names(std::uint64_t access) {
  std::string out;
  if (access & kBindTcp) out = "bind_tcp";
  if (access & kConnectTcp) out += out.empty() ? "connect_tcp" : "|connect_tcp";
  return out.empty() ? "none" : out;
}

inline std::string scope_names(std::uint64_t scoped) {
  std::string out;
  if (scoped & kScopeAbstractUnixSocket) out = "abstract_unix_socket";
  if (scoped & kScopeSignal) out += out.empty() ? "signal" : "|signal";
  return out.empty() ? "none" : out;
}

// Grants `access` beneath `path` (on the file itself when it is not a
// directory). `why` says which part of the policy asked for it.
struct PathRule {
  std::string path;
  std::uint64_t access = 0;
  std::string why;
};

struct PortRule {
  std::uint16_t port = 0;
  std::uint64_t access = 0;
  std::string why;
};

// One ruleset: everything the launched process may do that the `handled`
// sets restrict. The core builds it with the descriptors of these paths,
// opened just before launch (a path that no longer exists is left out: it
// grants nothing), then in the child sets no_new_privs and restricts itself.
struct Ruleset {
  int abi = 0;  // the ABI the rights were chosen for
  std::uint64_t handled_fs = 0;
  std::uint64_t handled_net = 0;
  std::uint64_t scoped = 0;
  std::vector<PathRule> paths;
  std::vector<PortRule> ports;
};

inline boost::json::value to_json(const Ruleset &r) {
  boost::json::object o;
  o["abi"] = r.abi;
  o["handled_fs"] = r.handled_fs;
  o["handled_net"] = r.handled_net;
  o["scoped"] = r.scoped;
  boost::json::array paths;
  for (const auto &p : r.paths) paths.push_back(boost::json::object{{"path", p.path}, {"access", p.access}, {"why", p.why}});
  o["paths"] = std::move(paths);
  boost::json::array ports;
  for (const auto &p : r.ports) ports.push_back(boost::json::object{{"port", p.port}, {"access", p.access}, {"why", p.why}});
  o["ports"] = std::move(ports);
  return o;
}

namespace detail {
inline std::uint64_t as_mask(const boost::json::value &v, const std::string &where) {
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<std::uint64_t>(v.as_int64());
  throw ir::JsonError(where + ": expected a non-negative integer");
}
}  // namespace detail

inline Ruleset ruleset_from_json(const boost::json::value &v, const std::string &where) {
  using namespace ir::json_detail;
  const auto &o = as_object(v, where);
  Ruleset r;
  r.abi = static_cast<int>(as_int(field(o, "abi", where), where + ".abi"));
  r.handled_fs = detail::as_mask(field(o, "handled_fs", where), where + ".handled_fs");
  r.handled_net = detail::as_mask(field(o, "handled_net", where), where + ".handled_net");
  r.scoped = detail::as_mask(field(o, "scoped", where), where + ".scoped");
  const auto &paths = as_array(field(o, "paths", where), where + ".paths");
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::string w = where + ".paths[" + std::to_string(i) + "]";
    const auto &po = as_object(paths[i], w);
    PathRule p{as_string(field(po, "path", w), w + ".path"), detail::as_mask(field(po, "access", w), w + ".access"),
               opt_string(po, "why", w)};
    if (p.path.empty() || p.path[0] != '/') throw ir::JsonError(w + ".path: expected an absolute path");
    r.paths.push_back(std::move(p));
  }
  const auto &ports = as_array(field(o, "ports", where), where + ".ports");
  for (std::size_t i = 0; i < ports.size(); ++i) {
    std::string w = where + ".ports[" + std::to_string(i) + "]";
    const auto &po = as_object(ports[i], w);
    r.ports.push_back({as_port(field(po, "port", w), w + ".port"), detail::as_mask(field(po, "access", w), w + ".access"),
                       opt_string(po, "why", w)});
  }
  return r;
}

}  // namespace srt::landlock
