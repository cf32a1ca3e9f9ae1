#include "policy/paths.hpp"

#include "util/strings.hpp"

#include <srt/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace srt::policy {

namespace {

// The kernel's own limit on symlinks followed in one lookup.
constexpr int kMaxSymlinkHops = 40;

std::vector<std::string> components(std::string_view absolute) {
  std::vector<std::string> out;
  for (auto &c : util::split(absolute, '/'))
    if (!c.empty()) out.push_back(std::move(c));
  return out;
}

}  // namespace

std::string normalize(std::string_view absolute) {
  std::vector<std::string> stack;
  for (auto &c : util::split(absolute, '/')) {
    if (c.empty() || c == ".") continue;
    if (c == "..") {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    stack.push_back(std::move(c));
  }
  if (stack.empty()) return "/";
  std::string out;
  for (auto &c : stack) {
    out += '/';
    out += c;
  }
  return out;
}

std::string expand_path(std::string_view spelling, const std::string &cwd, const std::string &home) {
  std::string s(spelling);
  if (!s.empty() && s[0] == '~') {
    if (s.size() == 1 || s[1] == '/') {
      s = home + s.substr(1);
    } else {
      throw PolicyError(fmt::format("{}: only \"~\" and \"~/...\" are expanded (the caller's home); write the other user's home as an absolute path",
                                    util::quoted(spelling)));
    }
  } else if (s.empty() || s[0] != '/') {
    s = cwd + "/" + s;
  }
  return normalize(s);
}

std::string parent_of(std::string_view path) {
  auto pos = path.rfind('/');
  if (pos == std::string_view::npos || pos == 0) return "/";
  return std::string(path.substr(0, pos));
}

bool is_ancestor_or_self(std::string_view ancestor, std::string_view path) {
  if (ancestor == "/") return true;
  if (!util::starts_with(path, ancestor)) return false;
  return path.size() == ancestor.size() || path[ancestor.size()] == '/';
}

std::size_t depth_of(std::string_view path) {
  std::size_t n = 0;
  for (char c : path) n += c == '/';
  return path == "/" ? 0 : n;
}

std::string join_path(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out += '/';
  out += name;
  return out;
}

Resolved resolve(const std::string &absolute) {
  Resolved r;
  // Components still to walk, in reverse so that the next one is at the back.
  auto todo = components(absolute);
  std::reverse(todo.begin(), todo.end());
  std::string cur = "/";
  int hops = 0;
  while (!todo.empty()) {
    std::string name = std::move(todo.back());
    todo.pop_back();
    if (name == ".") continue;
    if (name == "..") {
      cur = parent_of(cur);
      continue;
    }
    std::string next = join_path(cur, name);
    struct stat st{};
    if (::lstat(next.c_str(), &st) != 0) {
      int err = errno;
      if (err != ENOENT) {
        if (err == ENOTDIR) {
          r.blocker = cur;
          r.real = next;
          for (auto it = todo.rbegin(); it != todo.rend(); ++it) r.real = join_path(r.real, *it);
          return r;
        }
        throw PolicyError(fmt::format("{}: cannot inspect {}: {}", util::quoted(absolute), util::quoted(next), std::strerror(err)));
      }
      r.first_missing = next;
      r.real = next;
      while (!todo.empty()) {
        if (todo.back() == "..") {
          r.real = parent_of(r.real);
        } else if (todo.back() != ".") {
          r.real = join_path(r.real, todo.back());
        }
        todo.pop_back();
      }
      r.real = normalize(r.real);
      return r;
    }
    if (S_ISLNK(st.st_mode)) {
      if (++hops > kMaxSymlinkHops)
        throw PolicyError(fmt::format("{}: too many levels of symbolic links (a loop?) at {}", util::quoted(absolute), util::quoted(next)));
      std::vector<char> buf(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : PATH_MAX) + 1);
      ssize_t n = ::readlink(next.c_str(), buf.data(), buf.size());
      if (n < 0)
        throw PolicyError(fmt::format("{}: cannot read symlink {}: {}", util::quoted(absolute), util::quoted(next), std::strerror(errno)));
      std::string target(buf.data(), static_cast<std::size_t>(n));
      r.via_symlink = true;
      auto parts = components(target);
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_back(*it);
      if (!target.empty() && target[0] == '/') cur = "/";
      continue;
    }
    if (!todo.empty() && !S_ISDIR(st.st_mode)) {
      // A file where a directory would have to be: the path cannot exist
      // unless that file is replaced.
      r.blocker = next;
      r.real = next;
      while (!todo.empty()) {
        r.real = join_path(r.real, todo.back());
        todo.pop_back();
      }
      return r;
    }
    cur = next;
  }
  r.real = cur;
  r.exists = true;
  struct stat st{};
  if (::stat(cur.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    r.kind = ir::Kind::dir;
  else
    r.kind = ir::Kind::file;
  return r;
}

}  // namespace srt::policy
