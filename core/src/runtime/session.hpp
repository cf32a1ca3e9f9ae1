// One launch's state on the host: a private session directory (locked while
// srt runs) holding a manifest of the placeholders srt created so that denied
// paths which do not exist stay uncreatable.
//
// Placeholders never outlive srt: they are removed when the session closes
// (normal exit, error, signal), and a session whose srt died without closing
// (SIGKILL) is found by the next srt through its released lock and cleaned.
// A placeholder that two live sessions rely on is removed by the last one. A
// path is only removed if it is still the empty file or directory srt made
// (same device and inode).
//
// Not thread-safe; one Session per launch.
#pragma once

#include "runtime/runtime_dir.hpp"

#include <srt/policy.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace srt::runtime {

// The proxies' sockets in a session directory (runtime/proxies.hpp).
inline constexpr const char *kHttpSocketName = "http.sock";
inline constexpr const char *kSocksSocketName = "socks.sock";

class GlobalLock;  // srt's runtime-wide bookkeeping lock (session.cpp)

class Session {
 public:
  using Log = std::function<void(const std::string &)>;

  // Takes srt's global lock, removes stale sessions and notes the
  // placeholders of the live ones (foreign_placeholders). The lock is held
  // until end_compile(), so that no other srt makes or removes placeholders
  // while the policy is compiled. The session directory itself is made when first
  // needed (dir(), create_placeholders with something to create): a launch
  // without network and without placeholders leaves nothing on disk. Throws
  // SandboxError.
  Session(const Dirs &dirs, Log debug);
  ~Session();
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;

  // Releases the global lock taken by the constructor: call it once the
  // policy is compiled (the destructor does otherwise). Until then the
  // session's other operations use that lock.
  void end_compile();

  // The session directory, created (and locked) on first use. Throws
  // SandboxError.
  const std::string &dir();

  // What the policy compiler asks of paths on the disk
  // (policy::CompileContext::foreign_placeholder): whether one is a
  // placeholder that another running srt made and still has. Empty when no
  // other launch had a session when this one was constructed (the
  // constructor reads their manifests under the global lock, as it cleans the
  // stale ones). Exact until end_compile(); after it, create_placeholders
  // checks again what changed. Valid while the Session lives.
  std::function<bool(const std::string &)> foreign_placeholders() const;

  // Creates a placeholder for every Kind::missing mount, or shares the one
  // another running srt made at the same path. Throws SandboxError
  // when one cannot be made or the path appeared since the policy was
  // compiled; placeholders already made are then removed by close().
  void create_placeholders(const std::vector<ir::Mount> &mounts);

  // Removes this session's placeholders and directory. Idempotent; never
  // throws (failures are logged).
  void close();

 private:
  void append_record(const std::string &json_line);
  // The global lock for one operation, or null while compile_lock_ holds it.
  std::unique_ptr<GlobalLock> global_lock() const;

  Dirs dirs_;
  Log debug_;
  std::unique_ptr<GlobalLock> compile_lock_;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> foreign_;  // path -> (dev, ino)
  std::string dir_;
  int lock_fd_ = -1;
  bool closed_ = false;
};

}  // namespace srt::runtime
