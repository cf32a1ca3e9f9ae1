#include "policy/verdict.hpp"

#include "policy/paths.hpp"

#include <srt/srt.hpp>

#include <cstdlib>

namespace srt::policy {

const ir::Mount *covering_mount(const ir::Policy &policy, const std::string &real) {
  const ir::Mount *best = nullptr;
  for (const auto &m : policy.filesystem.mounts)
    if (is_ancestor_or_self(m.path, real) && (!best || m.path.size() > best->path.size())) best = &m;
  return best;
}

PathVerdict path_verdict(const ir::Policy &policy, const std::string &path, const std::string &home) {
  PathVerdict v;
  v.path = expand_path(path, policy.process.cwd, home);
  Resolved r = resolve(v.path);
  v.real = r.real;
  v.exists = r.exists;
  v.decided_by = covering_mount(policy, v.real);
  if (!v.decided_by) return v;
  const ir::Mount &m = *v.decided_by;
  bool nothing = m.access == ir::Access::hidden || m.kind == ir::Kind::missing;
  bool below = m.path != v.real;
  if (m.kind == ir::Kind::missing) {
    v.note = m.path == v.real ? "does not exist; srt keeps a placeholder here so that it cannot be created"
                              : "does not exist; srt keeps a placeholder at " + m.path + " so that it cannot be created";
  } else if (nothing && below) {
    v.note = "inside a hidden directory";
  } else if (!v.exists) {
    v.note = m.access == ir::Access::read_write ? "does not exist; can be created" : "does not exist; cannot be created";
  }
  v.readable = !nothing;
  v.writable = !nothing && m.access == ir::Access::read_write;
  return v;
}

}  // namespace srt::policy

namespace srt {

PathVerdict explain_path(const ir::Policy &policy, const std::string &path) {
  const char *h = std::getenv("HOME");
  auto v = policy::path_verdict(policy, path, h && h[0] == '/' ? policy::normalize(h) : std::string("/"));
  PathVerdict out;
  out.path = v.path;
  out.real = v.real;
  out.exists = v.exists;
  out.readable = v.readable;
  out.writable = v.writable;
  if (v.decided_by) out.decided_by = *v.decided_by;
  out.note = v.note;
  return out;
}

}  // namespace srt
