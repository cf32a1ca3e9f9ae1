#include "ruleset.hpp"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace srt::landlock_backend {

namespace {

using landlock::PathRule;

// One path whose subtree the policy gives its own rights.
struct Node {
  std::string path;
  std::uint64_t rights;
  std::string why;
};

bool under(std::string_view path, std::string_view dir) {
  if (dir == "/") return path.size() > 1 && path[0] == '/';
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}
bool at_or_under(std::string_view path, std::string_view dir) { return path == dir || under(path, dir); }

// An absolute path other than "/" (the root is the compiler's start, not a node).
bool is_absolute(std::string_view p) { return p.size() > 1 && p[0] == '/'; }

std::string join(const std::string &dir, const std::string &name) { return dir == "/" ? "/" + name : dir + "/" + name; }

std::uint64_t rights_of(ir::Access a) {
  switch (a) {
    case ir::Access::read_only: return kRead;
    case ir::Access::read_write: return kRead | kWrite;
    case ir::Access::hidden: return 0;
  }
  return 0;
}

// bubblewrap's --dev gives a sandbox these devices and nothing else; without
// a mount namespace the same view is made of grants on the host's /dev (the
// other entries stay listable, but none opens: not the disks, for instance,
// which a uid-0 command could otherwise read past every rule).
struct DevNode {
  const char *name;
  std::uint64_t rights;
};
// Not /dev/pts: the host's devpts holds every terminal of this user, whose
// input a command that may open them could read (bubblewrap mounts a fresh
// one); so new pseudo-terminals cannot be used here.
constexpr DevNode kDevNodes[] = {
    {"null", kDevice}, {"zero", kDevice}, {"full", kDevice}, {"random", kDevice},
    {"urandom", kDevice}, {"tty", kDevice}, {"ptmx", kDevice},
};

enum class Type { dir, file, symlink, unknown };

struct DirEntry {
  std::string name;
  Type type;
};

// The entries of `dir` now. An unreadable directory lists nothing: its
// entries then get no grant (stricter, never looser).
std::vector<DirEntry> list(const std::string &dir) {
  std::vector<DirEntry> out;
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return out;
  DIR *d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return out;
  }
  while (auto *e = ::readdir(d)) {
    std::string_view name(e->d_name);
    if (name == "." || name == "..") continue;
    Type t = e->d_type == DT_DIR ? Type::dir : e->d_type == DT_LNK ? Type::symlink : e->d_type == DT_UNKNOWN ? Type::unknown : Type::file;
    if (t == Type::unknown) {
      struct stat st{};
      if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      t = S_ISDIR(st.st_mode) ? Type::dir : S_ISLNK(st.st_mode) ? Type::symlink : Type::file;
    }
    out.push_back({std::string(name), t});
  }
  ::closedir(d);
  return out;
}

class Compiler {
 public:
  explicit Compiler(std::vector<PathRule> &out) : out_(out) {}

  // Gives `path`'s subtree `want`, except the nodes in `below` (all strictly
  // under `path`), which get their own. `inherited`: what rules on ancestors
  // already grant here.
  void subtree(const std::string &path, std::uint64_t want, const std::string &why, std::uint64_t inherited,
               const std::vector<const Node *> &below) {
    if (below.empty()) {
      grant(path, want, inherited, why);
      return;
    }
    // The names in a restricted directory stay listable: Landlock cannot
    // grant listing a directory without listing those beneath it.
    std::uint64_t base = want;
    for (const Node *n : below) base &= n->rights | (want & landlock::kReadDir);
    grant(path, base, inherited, why + " (split: a deeper path is restricted more)");
    inherited |= base;

    // When nothing below has less than this directory, its other entries
    // inherit all they need: only the ways down to the nodes are walked.
    std::map<std::string, Type> children;
    if (base != want)
      for (const auto &e : list(path)) children.emplace(e.name, e.type);
    for (const Node *n : below) {
      std::string_view rest(n->path);
      rest.remove_prefix(path == "/" ? 1 : path.size() + 1);
      children.emplace(std::string(rest.substr(0, rest.find('/'))), Type::unknown);
    }
    for (const auto &[name, type] : children) {
      std::string child = join(path, name);
      const Node *exact = nullptr;
      std::vector<const Node *> deeper;
      for (const Node *n : below) {
        if (n->path == child) exact = n;
        else if (under(n->path, child)) deeper.push_back(n);
      }
      if (exact) {
        subtree(child, exact->rights, exact->why, inherited, deeper);
      } else if (!deeper.empty()) {
        subtree(child, want, why, inherited, deeper);
      } else if (type != Type::symlink) {  // a link grants nothing: access is checked where it leads
        grant(child, type == Type::dir || type == Type::unknown ? want : want & landlock::kFileRights, inherited, why);
      }
    }
  }

 private:
  void grant(const std::string &path, std::uint64_t rights, std::uint64_t inherited, const std::string &why) {
    if ((rights & ~inherited) == 0) return;
    out_.push_back({path, rights, why});
  }

  std::vector<PathRule> &out_;
};

// The rights the IR gives `path` (its deepest mount).
std::uint64_t ir_rights(const std::vector<ir::Mount> &mounts, const std::string &path) {
  std::uint64_t r = 0;
  std::size_t best = 0;
  for (const auto &m : mounts)
    if (at_or_under(path, m.path) && m.path.size() >= best) {
      best = m.path.size();
      r = rights_of(m.access);
    }
  return r;
}

}  // namespace

landlock::Ruleset build_ruleset(const ir::Policy &policy, const LaunchRequest &request, int abi) {
  landlock::Ruleset r;
  r.abi = abi;
  r.handled_fs = landlock::fs_rights(abi);
  const auto &mounts = policy.filesystem.mounts;

  std::vector<Node> nodes;
  std::uint64_t root = kRead | kWrite;
  std::string root_why = "filesystem.disabled";
  if (policy.filesystem.restricted) {
    // A restricted policy without its "/" entry grants nothing (never all).
    root = !mounts.empty() && mounts.front().path == "/" ? rights_of(mounts.front().access) : 0;
    root_why = mounts.empty() ? "no filesystem entries" : mounts.front().origin;
    for (std::size_t i = 1; i < mounts.size(); ++i)
      if (is_absolute(mounts[i].path) && !at_or_under(mounts[i].path, "/dev"))
        nodes.push_back({mounts[i].path, rights_of(mounts[i].access), mounts[i].origin});
  }
  nodes.push_back({"/dev", landlock::kReadDir, "srt: the devices bubblewrap's --dev gives, and no others"});
  for (const auto &d : kDevNodes) nodes.push_back({std::string("/dev/") + d.name, d.rights, "srt: the devices bubblewrap's --dev gives"});
  // srt's helper runs first, wherever it is installed.
  if (is_absolute(request.enter_host_path) &&
      (ir_rights(mounts, request.enter_host_path) & (landlock::kReadFile | landlock::kExecute)) !=
          (landlock::kReadFile | landlock::kExecute))
    nodes.push_back({request.enter_host_path, landlock::kReadFile | landlock::kExecute, "srt: its helper srt-enter"});
  // One node per path: srt's own entries (added last) win.
  std::map<std::string, Node> by_path;
  for (auto &n : nodes) by_path[n.path] = std::move(n);
  std::vector<const Node *> below;
  for (const auto &[p, n] : by_path) below.push_back(&n);

  Compiler(r.paths).subtree("/", root, root_why, 0, below);
  for (auto &rule : r.paths) rule.access &= r.handled_fs;
  std::erase_if(r.paths, [](const PathRule &p) { return p.access == 0; });

  if (abi >= 4) {
    r.handled_net = landlock::kConnectTcp | (policy.sockets.allow_local_binding ? 0 : landlock::kBindTcp);
    std::set<std::uint16_t> ports(request.proxy_ports.begin(), request.proxy_ports.end());
    for (auto port : ports) r.ports.push_back({port, landlock::kConnectTcp, "srt: the proxy on 127.0.0.1"});
  }
  r.scoped = landlock::scopes(abi);
  return r;
}

}  // namespace srt::landlock_backend
