// Filesystem settings -> the IR's mounts and path rules: path expansion,
// symlinks, globs, precedence, mandatory denies, placeholders, pins.
#include "policy/compile.hpp"

#include "policy/glob.hpp"
#include "policy/mandatory_deny.hpp"
#include "policy/paths.hpp"
#include "util/strings.hpp"

#include <srt/error.hpp>

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <array>
#include <map>
#include <optional>
#include <set>

namespace srt::policy {

namespace {

// From this many denyRead glob matches in one directory on, the directory is
// hidden as a whole and its other entries re-opened.
constexpr std::size_t kGlobCollapsePerDir = 64;

enum Slot { kDenyRead, kAllowRead, kAllowWrite, kDenyWrite, kSlots };

struct Node {
  std::array<std::optional<std::string>, kSlots> origin;  // first rule of each kind wins
  bool exists = false;
  ir::Kind kind = ir::Kind::missing;
  std::string first_missing;
  bool prefer_dir = false;  // when absent, a directory by nature
};

struct AccessDecision {
  ir::Access access;
  std::string origin;
};

class Compiler {
 public:
  Compiler(const Settings &s, const CompileContext &c, ir::Policy &out) : s_(s), c_(c), out_(out) {}

  void run() {
    if (s_.filesystem.disabled) {
      out_.filesystem.restricted = false;
      out_.filesystem.mounts.push_back({"/", ir::Access::read_write, ir::Kind::dir, ir::Placeholder::none, false,
                                        "filesystem.disabled: no filesystem restrictions"});
      debug("filesystem.disabled: / is read-write, no mandatory denies");
    } else {
      compile_filesystem();
    }
  }

 private:
  void debug(const std::string &line) const {
    if (c_.debug) c_.debug(line);
  }

  // ---- filesystem -----------------------------------------------------------

  void compile_filesystem() {
    const auto &fs = s_.filesystem;
    add_list(fs.denyRead, "denyRead", kDenyRead);
    add_list(fs.allowRead, "allowRead", kAllowRead);
    add_list(fs.allowWrite, "allowWrite", kAllowWrite);
    add_list(fs.denyWrite, "denyWrite", kDenyWrite);
    if (s_.credentials) {
      const auto &files = s_.credentials->files;
      for (std::size_t i = 0; i < files.size(); ++i) {
        std::string origin = fmt::format("credentials.files[{}] {}", i, util::quoted(files[i].path));
        std::string abs = expand_path(files[i].path, c_.cwd, c_.home);
        add_path(abs, kDenyRead, origin, false);
        out_.filesystem.path_rules.push_back({ir::Op::read, ir::Effect::deny, abs, false, origin, {}});
      }
    }
    add_path(c_.tmpdir, kAllowWrite, "default: TMPDIR, srt's private temporary directory", true);
    if (!c_.runtime_dir.empty())
      add_path(c_.runtime_dir, kDenyRead, "default: srt's runtime directory (its locks and placeholder manifests)", true);
    out_.filesystem.path_rules.push_back({ir::Op::write, ir::Effect::allow, c_.tmpdir, false, "default: TMPDIR", {}});
    std::string npm_logs = join_path(c_.home, ".npm/_logs");
    struct stat st{};
    if (::stat(npm_logs.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      add_path(npm_logs, kAllowWrite, "default: ~/.npm/_logs, npm's log directory", false);
      tool_private_roots_.insert(resolve(npm_logs).real);
    }
    tool_private_roots_.insert(c_.tmpdir);

    reopen_glob_siblings();
    add_mandatory_denies();
    emit_mounts();
    add_pins();
    for (auto &[path, m] : mounts_) out_.filesystem.mounts.push_back(m);
    warn_replaceable_links();
    check_cwd();
  }

  void add_list(const std::vector<PathEntry> &list, const char *key, Slot slot) {
    ir::Op op = (slot == kDenyRead || slot == kAllowRead) ? ir::Op::read : ir::Op::write;
    ir::Effect effect = (slot == kDenyRead || slot == kDenyWrite) ? ir::Effect::deny : ir::Effect::allow;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto &e = list[i];
      std::string origin = fmt::format("filesystem.{}[{}] {}", key, i, util::quoted(e.path));
      std::string abs = expand_path(e.path, c_.cwd, c_.home);
      bool glob = !e.literal && has_glob(abs);
      if (!e.literal && util::ends_with(abs, "/**")) {
        abs = normalize(abs.substr(0, abs.size() - 3));  // "dir/**" means the directory
        glob = has_glob(abs);
      }
      // "**/.env" names a file at any depth anywhere, not below the working
      // directory only: backends that match at access time (Seatbelt) get it
      // unanchored; the launch-time expansion below looks beneath the working
      // directory, as walking the whole disk is not an option.
      bool anywhere = glob && !e.literal && (e.path == "**" || util::starts_with(e.path, "**/")) &&
                      util::starts_with(abs, c_.cwd == "/" ? "/" : c_.cwd + "/");
      std::string pattern = anywhere ? "/" + abs.substr(c_.cwd == "/" ? 1 : c_.cwd.size() + 1) : abs;
      if (anywhere) debug(fmt::format("{}: {} matches anywhere; at launch it is expanded beneath {}", origin, pattern, c_.cwd));
      out_.filesystem.path_rules.push_back({op, effect, pattern, glob, origin, {}});
      if (!glob) {
        add_path(abs, slot, origin, false);
        continue;
      }
      auto expansion = expand_glob(abs);
      struct stat st{};
      if (::lstat(abs.c_str(), &st) == 0) expansion.paths.push_back(abs);  // also the literal path it spells
      debug(fmt::format("{}: glob matches {} path(s) now (looked at {} entries)", origin, expansion.paths.size(), expansion.visited));
      if (slot == kDenyRead) {
        add_read_denials(expansion.paths, origin);
      } else {
        for (const auto &p : expansion.paths) add_path(p, slot, origin, false);
      }
    }
  }

  // A denyRead glob that matches many entries of one directory is enforced
  // with one mount for the directory (hidden) plus one per entry it does not
  // match (re-opened), instead of one mount per match: bwrap takes at most
  // 9000 arguments. The re-opening waits until every rule is known
  // (reopen_glob_siblings).
  void add_read_denials(const std::vector<std::string> &matches, const std::string &origin) {
    std::map<std::string, std::set<std::string>> by_dir;
    for (const auto &m : matches) by_dir[parent_of(m)].insert(m);
    for (auto &[dir, names] : by_dir) {
      if (names.size() >= kGlobCollapsePerDir && !names.count(dir)) {
        std::vector<std::string> others;
        if (list_dir(dir, others)) {
          std::vector<std::string> rest;
          for (auto &o : others)
            if (!names.count(o)) rest.push_back(o);
          if (rest.size() < names.size()) {
            collapsed_.push_back({dir, std::move(rest), origin});
            continue;
          }
        }
      }
      for (const auto &m : names) add_path(m, kDenyRead, origin, false);
    }
  }

  static bool list_dir(const std::string &dir, std::vector<std::string> &out) {
    DIR *d = ::opendir(dir.c_str());
    if (!d) return false;
    while (auto *e = ::readdir(d)) {
      std::string_view n = e->d_name;
      if (n != "." && n != "..") out.push_back(join_path(dir, n));
    }
    ::closedir(d);
    return true;
  }

  void reopen_glob_siblings() {
    for (const auto &c : collapsed_) {
      // Decided with every other rule in place, before the directory is hidden.
      std::vector<std::string> reopen;
      for (const auto &s : c.siblings)
        if (access_of(s).access != ir::Access::hidden) reopen.push_back(s);
      bool was_writable = access_of(c.dir).access == ir::Access::read_write;
      add_path(c.dir, kDenyRead, c.origin, false);
      for (const auto &s : reopen) add_path(s, kAllowRead, c.origin + " (an entry it does not match, re-opened)", false);
      debug(fmt::format("{}: hides {} and re-opens its {} other entries (one mount per directory)", c.origin, c.dir, reopen.size()));
      if (was_writable)
        out_.warnings.push_back(fmt::format("{}: {} holds many matches and is hidden as a whole (its other entries are re-opened); "
                                            "new files cannot be created directly in it",
                                            c.origin, c.dir));
    }
  }

  // Adds one rule on one concrete path (resolving symlinks).
  void add_path(const std::string &abs, Slot slot, const std::string &origin, bool assume_dir, bool prefer_dir = false) {
    Resolved r = resolve(abs);
    if (absent_if_foreign_placeholder(r, origin)) prefer_dir = true;
    if (assume_dir && !r.exists) {
      r.exists = true;
      r.kind = ir::Kind::dir;
      r.real = abs;
    }
    bool deny = slot == kDenyRead || slot == kDenyWrite;
    if (r.via_symlink) {
      if (slot == kAllowWrite) check_writable_symlink(abs, r.real, origin);
      if (deny) linked_denies_.push_back({abs, r.real, origin});
      debug(fmt::format("{}: {} resolves to {}", origin, util::quoted(abs), util::quoted(r.real)));
    }
    if (!r.exists && r.first_missing.empty()) {
      if (deny && !r.blocker.empty()) {
        // A file stands where a directory of the denied path would have to
        // be: keep it in place so the path cannot appear.
        add_node(r.blocker, kDenyWrite, origin + " (a file on its way)", ir::Kind::file, true, "");
      }
      return;
    }
    add_node(r.real, slot, origin, r.kind, r.exists, r.first_missing);
    if (prefer_dir) nodes_[r.real].prefer_dir = true;
  }

  // Another running srt's placeholder on the way to (or at) the path stands
  // for nothing: the path is compiled as absent from that placeholder on.
  // Returns whether the placeholder is the path itself and a directory (the
  // placeholder this launch shares must be one too).
  bool absent_if_foreign_placeholder(Resolved &r, const std::string &origin) const {
    if (!c_.foreign_placeholder) return false;
    std::string existing = r.exists ? r.real : r.first_missing.empty() ? std::string() : parent_of(r.first_missing);
    if (existing.empty() || existing == "/") return false;
    std::vector<std::string> chain;  // `existing` and its ancestors below "/", deepest first
    for (std::string p = existing; p != "/"; p = parent_of(p)) chain.push_back(p);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      if (!c_.foreign_placeholder(*it)) continue;
      debug(fmt::format("{}: {} is a placeholder of another running srt; shared", origin, *it));
      bool dir_at_path = r.exists && *it == r.real && r.kind == ir::Kind::dir;
      r.exists = false;
      r.kind = ir::Kind::missing;
      r.first_missing = *it;
      return dir_at_path;
    }
    return false;
  }

  void add_node(const std::string &path, Slot slot, const std::string &origin, ir::Kind kind, bool exists,
                const std::string &first_missing) {
    Node &n = nodes_[path];
    if (!n.origin[slot]) n.origin[slot] = origin;
    n.exists = exists;
    n.kind = exists ? kind : ir::Kind::missing;
    n.first_missing = first_missing;
  }

  // A writable entry that is a symlink is resolved; but not when that would
  // open much more than the entry names.
  void check_writable_symlink(const std::string &spelled, const std::string &real, const std::string &origin) {
    bool broad = depth_of(real) < 2 || is_ancestor_or_self(real, parent_of(spelled)) ||
                 (is_ancestor_or_self(real, c_.home) && !is_ancestor_or_self(c_.home, spelled));
    if (broad)
      throw PolicyError(fmt::format("{} leads through a symlink to {}, which would make much more writable than the entry names; "
                                    "write {} explicitly if that is what you want",
                                    origin, util::quoted(real), util::quoted(real)));
  }

  // ---- access ---------------------------------------------------------------

  // The deepest node at or above `path` holding a rule of `slot`.
  std::optional<std::pair<std::size_t, const std::string *>> deepest(const std::string &path, Slot slot) const {
    std::string p = path;
    for (;;) {
      auto it = nodes_.find(p);
      if (it != nodes_.end() && it->second.origin[slot]) return std::make_pair(depth_of(p), &*it->second.origin[slot]);
      if (p == "/") return std::nullopt;
      p = parent_of(p);
    }
  }

  // The precedence rules: allowRead (and allowWrite) beat denyRead unless the
  // denyRead is more specific; denyWrite beats allowWrite wherever it is.
  AccessDecision access_of(const std::string &path) const {
    auto dr = deepest(path, kDenyRead);
    auto ar = deepest(path, kAllowRead);
    auto aw = deepest(path, kAllowWrite);
    auto dw = deepest(path, kDenyWrite);
    auto reopen = ar;
    if (aw && (!reopen || aw->first > reopen->first)) reopen = aw;
    bool readable = !dr || (reopen && reopen->first >= dr->first);
    if (!readable) return {ir::Access::hidden, *dr->second};
    if (aw && !dw) return {ir::Access::read_write, *aw->second};
    if (dw) return {ir::Access::read_only, *dw->second};
    if (dr) return {ir::Access::read_only, *reopen->second};
    return {ir::Access::read_only, "default: writes are denied outside allowWrite"};
  }

  // ---- mandatory denies -----------------------------------------------------

  void add_mandatory_denies() {
    std::vector<std::string> roots;
    for (const auto &[path, n] : nodes_)
      if (n.origin[kAllowWrite] && n.exists && n.kind == ir::Kind::dir && access_of(path).access == ir::Access::read_write)
        roots.push_back(path);
    MandatoryScanOptions opt;
    opt.depth = s_.mandatoryDenySearchDepth;
    opt.allow_git_config = s_.filesystem.allowGitConfig;
    opt.may_descend = [this](const std::string &p) { return access_of(p).access == ir::Access::read_write; };
    std::vector<MandatoryFinding> found;
    auto absent = [](const std::string &p) {
      struct stat st{};
      return ::lstat(p.c_str(), &st) != 0;
    };
    for (const auto &root : roots) {
      // No tool reads configuration from srt's TMPDIR or npm's log directory:
      // absent names there need no placeholders (existing ones are still
      // protected).
      bool private_root = tool_private_roots_.count(root) > 0;
      if (!private_root) add_mandatory_rules(root);
      opt.protect_missing_hooks = !private_root;
      auto f = scan_mandatory_denies(root, opt);
      if (!private_root)
        for (const char *name : kProjectNames) {
          std::string p = join_path(root, name);
          if (absent(p)) f.push_back({p, name, std::string_view(name) != ".mcp.json"});
        }
      debug(fmt::format("mandatory denies: {} finding(s) in writable root {}", f.size(), root));
      for (auto &x : f) found.push_back({std::move(x.path), fmt::format("mandatory {} (in writable root {})", x.rule, root), x.dir});
    }
    // Shell and git start-up files matter in the home directory only.
    if (access_of(c_.home).access == ir::Access::read_write)
      for (const char *name : kHomeOnlyFiles) {
        std::string p = join_path(c_.home, name);
        if (absent(p)) found.push_back({p, fmt::format("mandatory {} (in the writable home directory)", name), false});
      }
    for (const auto &f : found) add_path(f.path, kDenyWrite, f.rule, false, f.dir);
  }

  // The mandatory denies as patterns, for backends that match at access time
  // (Seatbelt): they also cover names created later, at any depth, which the
  // scan above cannot see. Packages under node_modules are skipped, as the
  // scan skips them: npm must be able to unpack a package that ships an
  // .idea or .vscode directory.
  void add_mandatory_rules(const std::string &root) {
    std::vector<std::string> names(std::begin(kDangerousFiles), std::end(kDangerousFiles));
    names.insert(names.end(), std::begin(kDangerousDirs), std::end(kDangerousDirs));
    names.push_back(".git/hooks");
    if (!s_.filesystem.allowGitConfig) names.push_back(".git/config");
    std::string base = escape_glob(root);
    std::vector<std::string> except = {base + "/**/node_modules"};
    for (const auto &name : names)
      out_.filesystem.path_rules.push_back({ir::Op::write, ir::Effect::deny, base + "/**/" + name, true,
                                            fmt::format("mandatory {} (in writable root {})", name, root), except});
  }

  // ---- mounts ---------------------------------------------------------------

  const ir::Mount *mounted_ancestor(const std::string &path) const {
    std::string p = parent_of(path);
    for (;;) {
      auto it = mounts_.find(p);
      if (it != mounts_.end()) return &it->second;
      p = parent_of(p);
    }
  }

  static bool shows_nothing(const ir::Mount &m) { return m.access == ir::Access::hidden || m.kind == ir::Kind::missing; }

  void emit_mounts() {
    auto root = access_of("/");
    mounts_["/"] = {"/", root.access, ir::Kind::dir, ir::Placeholder::none, false, root.origin};
    for (const auto &[path, node] : nodes_) {
      if (path == "/") continue;
      auto decision = access_of(path);
      const ir::Mount *parent = mounted_ancestor(path);
      ir::Access inherited = shows_nothing(*parent) ? ir::Access::hidden : parent->access;
      if (decision.access == inherited) continue;
      if (node.exists) {
        mounts_[path] = {path, decision.access, node.kind, ir::Placeholder::none, false, decision.origin};
        debug(fmt::format("mount {} {} ({})", ir::to_string(decision.access), path, decision.origin));
        continue;
      }
      if (parent->kind == ir::Kind::missing) {
        debug(fmt::format("{}: {} is already kept uncreatable by the placeholder {}", decision.origin, path, parent->path));
        continue;
      }
      if (decision.access == ir::Access::read_write || inherited == ir::Access::hidden ||
          (decision.access == ir::Access::read_only && !node.origin[kDenyWrite] && !node.origin[kDenyRead])) {
        debug(fmt::format("{}: {} does not exist; nothing to mount", decision.origin, path));
        continue;
      }
      // A denied path that does not exist: it must stay uncreatable. Only
      // needed where the sandbox could create it.
      const std::string &first = node.first_missing;
      const ir::Mount *at = mounted_ancestor(first);
      if (shows_nothing(*at) || at->access != ir::Access::read_write) {
        debug(fmt::format("{}: {} does not exist and cannot be created in the sandbox", decision.origin, path));
        continue;
      }
      auto ph = first == path && !node.prefer_dir ? ir::Placeholder::file : ir::Placeholder::dir;
      mounts_[first] = {first, decision.access, ir::Kind::missing, ph, false, decision.origin};
      debug(fmt::format("placeholder {} {} keeps {} uncreatable ({})", ir::to_string(ph), first, path, decision.origin));
    }
  }

  // Every directory between a protected path and the writable mount above it
  // becomes a mount point of its own, so that it cannot be renamed or removed
  // to move the protected path out of the way.
  void add_pins() {
    std::vector<std::pair<std::string, std::string>> pins;
    for (const auto &[path, m] : mounts_) {
      if (path == "/" || m.access == ir::Access::read_write) continue;
      const ir::Mount *parent = mounted_ancestor(path);
      if (shows_nothing(*parent) || parent->access != ir::Access::read_write) continue;
      for (std::string d = parent_of(path); d != parent->path && d != "/"; d = parent_of(d))
        if (!mounts_.count(d)) pins.emplace_back(d, path);
    }
    for (const auto &[dir, protected_path] : pins) {
      if (mounts_.count(dir)) continue;
      mounts_[dir] = {dir, ir::Access::read_write, ir::Kind::dir, ir::Placeholder::none, true,
                      fmt::format("pin: keeps {} in place", protected_path)};
    }
  }

  ir::Access view_of(const std::string &path) const {
    auto it = mounts_.find(path);
    const ir::Mount *m = it != mounts_.end() ? &it->second : mounted_ancestor(path);
    return shows_nothing(*m) ? ir::Access::hidden : m->access;
  }

  void warn_replaceable_links() {
    for (const auto &l : linked_denies_) {
      if (view_of(parent_of(l.spelled)) != ir::Access::read_write) continue;
      out_.warnings.push_back(fmt::format(
          "{}: {} is a symlink to {}; the target is protected, but the link itself sits in a writable directory and can be replaced "
          "by the sandboxed command (Linux cannot mount over a symlink)",
          l.origin, util::quoted(l.spelled), util::quoted(l.real)));
    }
  }

  void check_cwd() {
    if (view_of(c_.cwd) == ir::Access::hidden) {
      auto d = access_of(c_.cwd);
      throw PolicyError(fmt::format("the working directory {} is hidden by {}; add it to filesystem.allowRead or run from another directory",
                                    util::quoted(c_.cwd), d.origin));
    }
  }

  struct LinkedDeny {
    std::string spelled, real, origin;
  };

  const Settings &s_;
  const CompileContext &c_;
  ir::Policy &out_;
  std::map<std::string, Node> nodes_;
  std::map<std::string, ir::Mount> mounts_;
  std::vector<LinkedDeny> linked_denies_;
  std::set<std::string> tool_private_roots_;
  struct Collapsed {
    std::string dir;
    std::vector<std::string> siblings;
    std::string origin;
  };
  std::vector<Collapsed> collapsed_;
};

}  // namespace

void compile_filesystem(const Settings &settings, const CompileContext &context, ir::Policy &out) {
  Compiler(settings, context, out).run();
}

}  // namespace srt::policy
