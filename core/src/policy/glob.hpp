// Globs in filesystem rules: `*` (any run of characters but '/'), `**` (any
// number of whole directories), `?` (one character but '/'), `[...]` (a set;
// a range a-z; no negation; a set that is not closed is literal text).
// Expanded against the disk for backends that need concrete paths.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace srt::policy {

// Limits of one expansion, so that a pattern such as "/**/*.pem" fails with a
// clear message instead of walking the whole disk.
inline constexpr std::size_t kMaxGlobEntriesVisited = 200000;
inline constexpr std::size_t kMaxGlobMatches = 20000;

bool has_glob(std::string_view s);

// `text` as a pattern that matches exactly `text`: `*`, `?` and `[` become
// one-character sets ("/a[1]" -> "/a[[]1]").
std::string escape_glob(std::string_view text);

// Matches one path component against one pattern component (no '/').
bool match_component(std::string_view pattern, std::string_view name);

// Matches a whole absolute path against an absolute pattern.
bool match_path(std::string_view pattern, std::string_view path);

struct GlobExpansion {
  // Existing paths the pattern covers. When the pattern's last component is
  // `*` or `**`, the directories holding the matches are returned instead of
  // the matches: the pattern covers everything in them, including entries
  // created later.
  std::vector<std::string> paths;
  std::size_t visited = 0;
};

// Expands an absolute, normalised pattern. Does not follow symlinked
// directories while matching `**`; never descends into /proc, /sys or /dev
// through `**`. Throws PolicyError when a limit is exceeded.
GlobExpansion expand_glob(const std::string &pattern);

}  // namespace srt::policy
