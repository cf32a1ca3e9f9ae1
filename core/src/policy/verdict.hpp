// "Can the sandboxed command read / write this path, and which rule says
// so?" answered from a compiled policy's mounts — the same view the backends
// render, so the answer is what bwrap enforces.
#pragma once

#include <srt/policy.hpp>

#include <string>

namespace srt::policy {

struct PathVerdict {
  std::string path;       // as asked, made absolute
  std::string real;       // with symlinks resolved
  bool exists = false;
  bool readable = false;
  bool writable = false;
  const ir::Mount *decided_by = nullptr;  // the mount whose view covers `real`
  std::string note;       // e.g. "does not exist; cannot be created"
};

// `path` may be relative (to policy.process.cwd) or start with "~" (`home`).
PathVerdict path_verdict(const ir::Policy &policy, const std::string &path, const std::string &home);

// The mount whose view covers `real` (the deepest at or above it).
const ir::Mount *covering_mount(const ir::Policy &policy, const std::string &real);

}  // namespace srt::policy
