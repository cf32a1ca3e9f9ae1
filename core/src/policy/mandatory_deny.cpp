#include "policy/mandatory_deny.hpp"

#include "policy/paths.hpp"
#include "util/strings.hpp"

#include <srt/error.hpp>

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <deque>
#include <string_view>

namespace srt::policy {

namespace {

bool is_dangerous_file(std::string_view name) {
  for (auto *f : kDangerousFiles)
    if (name == f) return true;
  return false;
}

enum class Type { missing, dir, other };

Type type_of(const std::string &p) {
  struct stat st{};
  if (::lstat(p.c_str(), &st) != 0) return Type::missing;
  return S_ISDIR(st.st_mode) ? Type::dir : Type::other;
}

class Scanner {
 public:
  Scanner(const std::string &root, const MandatoryScanOptions &o) : root_(root), opt_(o) {}

  std::vector<MandatoryFinding> run() {
    std::deque<std::pair<std::string, int>> queue{{root_, 0}};
    while (!queue.empty()) {
      auto [dir, level] = queue.front();
      queue.pop_front();
      visit(dir, level, queue);
    }
    return std::move(found_);
  }

 private:
  void add(std::string path, std::string rule, bool dir = false) { found_.push_back({std::move(path), std::move(rule), dir}); }

  void check_git(const std::string &dir) {
    std::string git = join_path(dir, ".git");
    auto t = type_of(git);
    if (t == Type::other) {
      // A worktree or submodule pointer: rewriting it redirects git elsewhere.
      add(git, ".git (pointer file)");
      return;
    }
    if (t != Type::dir) return;
    std::string hooks = join_path(git, "hooks");
    if (type_of(hooks) != Type::missing || opt_.protect_missing_hooks) add(hooks, ".git/hooks", true);
    // .gitmodules makes git fetch and check out code: keep an absent one absent.
    std::string modules = join_path(dir, ".gitmodules");
    if (type_of(modules) == Type::missing && opt_.protect_missing_hooks) add(modules, ".gitmodules");
    if (!opt_.allow_git_config) add(join_path(git, "config"), ".git/config");
  }

  void check_claude(const std::string &dir) {
    for (auto *d : kDangerousDirs) {
      std::string_view dd = d;
      if (!util::starts_with(dd, ".claude/")) continue;
      std::string p = join_path(dir, d);
      if (type_of(p) != Type::missing) add(p, d);
    }
  }

  void visit(const std::string &dir, int level, std::deque<std::pair<std::string, int>> &queue) {
    DIR *d = ::opendir(dir.c_str());
    if (!d) {
      // The sandboxed command (same user) could make it readable and write
      // inside; we cannot see what is there, so it is protected whole.
      if (dir != root_) add(dir, "unreadable directory");
      return;
    }
    bool is_node_modules = util::ends_with(dir, "/node_modules");
    while (auto *ent = ::readdir(d)) {
      std::string_view name = ent->d_name;
      if (name == "." || name == "..") continue;
      if (++entries_ > kMaxMandatoryScanEntries) {
        ::closedir(d);
        throw PolicyError(fmt::format("the mandatory-deny scan of writable root {} looked at more than {} entries; "
                                      "lower mandatoryDenySearchDepth or make a smaller directory writable",
                                      util::quoted(root_), kMaxMandatoryScanEntries));
      }
      std::string path = join_path(dir, name);
      bool is_dir = ent->d_type == DT_DIR;
      if (ent->d_type == DT_UNKNOWN) is_dir = type_of(path) == Type::dir;
      if (is_dangerous_file(name) || name == ".vscode" || name == ".idea") {
        add(path, std::string(name));
        continue;
      }
      if (name == ".claude" && is_dir) {
        check_claude(dir);
        continue;
      }
      if (name == ".git") continue;  // handled by check_git below
      if (!is_dir || is_node_modules || level >= opt_.depth) continue;
      if (opt_.may_descend && !opt_.may_descend(path)) continue;
      if (name == "node_modules") {
        // Its top level is checked, its packages are not walked: nothing in
        // them is read by the user's shell, editor or git.
        queue.emplace_back(path, opt_.depth);
        continue;
      }
      queue.emplace_back(path, level + 1);
    }
    ::closedir(d);
    check_git(dir);
  }

  const std::string &root_;
  const MandatoryScanOptions &opt_;
  std::vector<MandatoryFinding> found_;
  std::size_t entries_ = 0;
};

}  // namespace

std::vector<MandatoryFinding> scan_mandatory_denies(const std::string &root, const MandatoryScanOptions &options) {
  return Scanner(root, options).run();
}

}  // namespace srt::policy
