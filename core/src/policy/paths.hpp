// Path spelling and resolution for the policy compiler: `~`, relative paths,
// lexical normalisation, and symlink resolution that also works for paths
// that do not exist yet.
#pragma once

#include <srt/policy.hpp>

#include <string>
#include <string_view>

namespace srt::policy {

// Absolute, lexically normalised form of a path as written in settings: `~`
// and `~/x` expand to `home`, relative paths are taken against `cwd`, `//`,
// `/./` and `..` are collapsed, a trailing `/` is dropped. Throws
// PolicyError for `~user` (only the caller's own home is expanded).
std::string expand_path(std::string_view spelling, const std::string &cwd, const std::string &home);

// Lexical normalisation of an absolute path ("/a//b/./c/../d/" -> "/a/b/d").
std::string normalize(std::string_view absolute);

// Parent of an absolute normalised path ("/" for "/" and "/a").
std::string parent_of(std::string_view path);

// True when `ancestor` is `path` or one of its ancestors (component-wise).
bool is_ancestor_or_self(std::string_view ancestor, std::string_view path);

// Number of components ("/" -> 0, "/a/b" -> 2).
std::size_t depth_of(std::string_view path);

// Joins an absolute directory and a single name.
std::string join_path(std::string_view dir, std::string_view name);

// Where a path really leads, following every symlink (also dangling ones, so
// that a rule lands where a write through the link would land).
struct Resolved {
  std::string real;          // the path with every symlink resolved
  bool exists = false;
  ir::Kind kind = ir::Kind::missing;  // of `real` when it exists
  // When `real` does not exist: its first missing component (whose parent
  // exists and is a directory), or empty when a non-directory lies on the way
  // (then `blocker` names that file: the path can only appear if it goes).
  std::string first_missing;
  std::string blocker;
  bool via_symlink = false;  // some component of the spelling was a symlink
};

// Throws PolicyError on a symlink loop or a path that cannot be inspected for
// another reason than not existing.
Resolved resolve(const std::string &absolute);

}  // namespace srt::policy
