// The mandatory-deny set: files and directories that a sandboxed command must
// never write in a writable root, because the user's tools execute or trust
// them (shell rc files, git hooks and config, editor and agent config).
// Found by a bounded-depth walk of each writable root, in-process.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace srt::policy {

inline constexpr const char *kDangerousFiles[] = {".gitconfig", ".gitmodules", ".bashrc", ".bash_profile", ".zshrc",
                                                  ".zprofile",  ".profile",    ".ripgreprc", ".mcp.json"};
inline constexpr const char *kDangerousDirs[] = {".vscode", ".idea", ".claude/commands", ".claude/agents"};

// Of the dangerous files, those only ever read from the home directory: an
// absent one matters only there.
inline constexpr const char *kHomeOnlyFiles[] = {".gitconfig", ".bashrc", ".bash_profile", ".zshrc", ".zprofile", ".profile", ".ripgreprc"};
// Absent names that matter in any project directory (a writable root).
inline constexpr const char *kProjectNames[] = {".mcp.json", ".vscode", ".idea", ".claude/commands", ".claude/agents"};

// A walk of a huge tree fails rather than stopping early and protecting less.
inline constexpr std::size_t kMaxMandatoryScanEntries = 2000000;

struct MandatoryFinding {
  std::string path;  // absolute; may not exist (then it must stay uncreatable)
  std::string rule;  // e.g. ".bashrc", ".git/hooks", "unreadable directory"
  bool dir = false;  // when absent: a directory by nature (placeholder kind)
};

struct MandatoryScanOptions {
  int depth = 3;               // directory levels below each root to visit
  bool allow_git_config = false;
  // Also list an absent .git/hooks of every repository found, so that hooks
  // cannot be installed where git would look for them.
  bool protect_missing_hooks = true;
  // Whether the walk may descend into a directory (false for directories the
  // sandbox cannot write anyway). Called from several threads at once when
  // the tree is large.
  std::function<bool(const std::string &)> may_descend;
};

// Scans `root` (an existing directory). Directories are visited down to
// `depth` levels below the root; `node_modules` directories are checked at
// their top level but not descended; `.git` directories are never walked
// (their hooks and config are checked directly); symlinks are not followed.
// A directory that cannot be listed is reported whole ("unreadable
// directory"). Findings come sorted by path. A large tree is listed by a few
// threads, joined before this returns. Throws PolicyError past
// kMaxMandatoryScanEntries or when a directory cannot be read to its end.
std::vector<MandatoryFinding> scan_mandatory_denies(const std::string &root, const MandatoryScanOptions &options);

}  // namespace srt::policy
