#include "policy/glob.hpp"

#include "policy/paths.hpp"
#include "util/strings.hpp"

#include <srt/error.hpp>

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <set>

namespace srt::policy {

namespace {

// Parses a set starting at pattern[i] == '['. Returns the index after ']' or
// npos when the set is not closed (then '[' is a literal character).
std::size_t set_end(std::string_view p, std::size_t i) {
  std::size_t j = i + 1;
  if (j < p.size() && p[j] == ']') ++j;  // "[]...]": ']' first is a member
  while (j < p.size() && p[j] != ']') ++j;
  return j < p.size() && j > i + 1 ? j + 1 : std::string_view::npos;
}

bool set_matches(std::string_view set, char c) {
  // `set` is the text between '[' and ']'.
  for (std::size_t k = 0; k < set.size(); ++k) {
    if (k + 2 < set.size() && set[k + 1] == '-') {
      if (set[k] <= c && c <= set[k + 2]) return true;
      k += 2;
    } else if (set[k] == c) {
      return true;
    }
  }
  return false;
}

bool match_from(std::string_view p, std::size_t pi, std::string_view n, std::size_t ni) {
  while (pi < p.size()) {
    char c = p[pi];
    if (c == '*') {
      while (pi < p.size() && p[pi] == '*') ++pi;
      if (pi == p.size()) return true;
      for (std::size_t k = ni; k <= n.size(); ++k)
        if (match_from(p, pi, n, k)) return true;
      return false;
    }
    if (ni >= n.size()) return false;
    if (c == '?') {
      ++pi;
      ++ni;
      continue;
    }
    if (c == '[') {
      auto end = set_end(p, pi);
      if (end != std::string_view::npos) {
        if (!set_matches(p.substr(pi + 1, end - pi - 2), n[ni])) return false;
        pi = end;
        ++ni;
        continue;
      }
    }
    if (c != n[ni]) return false;
    ++pi;
    ++ni;
  }
  return ni == n.size();
}

std::vector<std::string> split_components(std::string_view absolute) {
  std::vector<std::string> out;
  for (auto &c : util::split(absolute, '/'))
    if (!c.empty()) out.push_back(std::move(c));
  return out;
}

bool match_parts(const std::vector<std::string> &pat, std::size_t pi, const std::vector<std::string> &path, std::size_t ni) {
  if (pi == pat.size()) return ni == path.size();
  if (pat[pi] == "**") {
    for (std::size_t k = ni; k <= path.size(); ++k)
      if (match_parts(pat, pi + 1, path, k)) return true;
    return false;
  }
  if (ni == path.size()) return false;
  return match_component(pat[pi], path[ni]) && match_parts(pat, pi + 1, path, ni + 1);
}

bool never_walk(std::string_view dir) { return dir == "/proc" || dir == "/sys" || dir == "/dev"; }

class Expander {
 public:
  Expander(const std::string &pattern, std::vector<std::string> parts) : pattern_(pattern), parts_(std::move(parts)) {}

  void run(const std::string &dir, std::size_t pi) {
    if (pi == parts_.size()) {
      add(dir);
      return;
    }
    const std::string &part = parts_[pi];
    bool last = pi + 1 == parts_.size();
    if (part == "**") {
      // "dir/**" as a last component covers the directory itself.
      if (last) {
        add(dir);
        return;
      }
      run(dir, pi + 1);  // zero directories
      if (never_walk(dir)) return;
      for (auto &e : list(dir))
        if (e.second) run(join_path(dir, e.first), pi);
      return;
    }
    if (!has_glob(part)) {
      std::string next = join_path(dir, part);
      struct stat st{};
      ++visited_;
      if (::lstat(next.c_str(), &st) != 0) return;
      if (last) {
        add(next);
      } else if (S_ISDIR(st.st_mode) || (S_ISLNK(st.st_mode) && ::stat(next.c_str(), &st) == 0 && S_ISDIR(st.st_mode))) {
        run(next, pi + 1);
      }
      return;
    }
    if (last && part.find_first_not_of('*') == std::string::npos) {
      // "dir/*": everything in dir, now and later.
      struct stat st{};
      if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) add(dir);
      return;
    }
    for (auto &e : list(dir)) {
      if (!match_component(part, e.first)) continue;
      std::string next = join_path(dir, e.first);
      if (last) add(next);
      else if (e.second) run(next, pi + 1);
    }
  }

  GlobExpansion result() {
    GlobExpansion g;
    g.paths.assign(matches_.begin(), matches_.end());
    g.visited = visited_;
    return g;
  }

 private:
  // Entries of `dir` with "is a directory (not a symlink)".
  std::vector<std::pair<std::string, bool>> list(const std::string &dir) {
    std::vector<std::pair<std::string, bool>> out;
    DIR *d = ::opendir(dir.c_str());
    if (!d) return out;
    while (auto *ent = ::readdir(d)) {
      std::string_view name = ent->d_name;
      if (name == "." || name == "..") continue;
      if (++visited_ > kMaxGlobEntriesVisited) {
        ::closedir(d);
        throw PolicyError(fmt::format("glob {} looked at more than {} directory entries; narrow the pattern (e.g. start it below a specific directory)",
                                      util::quoted(pattern_), kMaxGlobEntriesVisited));
      }
      bool is_dir = ent->d_type == DT_DIR;
      if (ent->d_type == DT_UNKNOWN) {
        struct stat st{};
        is_dir = ::lstat(join_path(dir, name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
      }
      out.emplace_back(std::string(name), is_dir);
    }
    ::closedir(d);
    return out;
  }

  void add(const std::string &p) {
    matches_.insert(p);
    if (matches_.size() > kMaxGlobMatches)
      throw PolicyError(fmt::format("glob {} matches more than {} paths; narrow it, or name the directory that holds them",
                                    util::quoted(pattern_), kMaxGlobMatches));
  }

  const std::string &pattern_;
  std::vector<std::string> parts_;
  std::set<std::string> matches_;
  std::size_t visited_ = 0;
};

}  // namespace

std::string escape_glob(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[') out += std::string("[") + c + "]";
    else out += c;
  }
  return out;
}

bool has_glob(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '*' || s[i] == '?') return true;
    if (s[i] == '[' && set_end(s, i) != std::string_view::npos) return true;
  }
  return false;
}

bool match_component(std::string_view pattern, std::string_view name) { return match_from(pattern, 0, name, 0); }

bool match_path(std::string_view pattern, std::string_view path) {
  return match_parts(split_components(pattern), 0, split_components(path), 0);
}

GlobExpansion expand_glob(const std::string &pattern) {
  Expander e(pattern, split_components(pattern));
  e.run("/", 0);
  return e.result();
}

}  // namespace srt::policy
