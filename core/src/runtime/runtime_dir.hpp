// srt's per-user directories: a private runtime directory (sessions, their
// placeholder manifests, locks) and the private TMPDIR given to commands.
// Both are created 0700 and must be owned by the effective user and not be
// symlinks; anything else is an error, never silently used.
#pragma once

#include <string>

namespace srt::runtime {

struct Dirs {
  std::string base;    // $XDG_RUNTIME_DIR/srt, else ${TMPDIR:-/tmp}/srt-<euid>/run
  std::string tmpdir;  // ${TMPDIR:-/tmp}/srt-<euid>/tmp
};

// Computes the paths without touching the disk.
Dirs dir_paths();

// Creates (if needed) and checks both directories. Throws SandboxError.
Dirs ensure_dirs();

// Creates or checks one private directory (0700, owned by euid, no symlink).
void ensure_private_dir(const std::string &path);

}  // namespace srt::runtime
