#include "runtime/session.hpp"

#include "util/strings.hpp"

#include <srt/error.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <ctime>
#include <map>
#include <set>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace srt::runtime {

// Holds the runtime-wide lock for bookkeeping across concurrent srt processes.
class GlobalLock {
 public:
  explicit GlobalLock(const std::string &base) {
    std::string path = base + "/lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) throw SandboxError(fmt::format("cannot open {}: {}", util::quoted(path), std::strerror(errno)));
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) {
        int err = errno;
        ::close(fd_);
        throw SandboxError(fmt::format("cannot lock {}: {}", util::quoted(path), std::strerror(err)));
      }
  }
  ~GlobalLock() { ::close(fd_); }
  GlobalLock(const GlobalLock &) = delete;
  GlobalLock &operator=(const GlobalLock &) = delete;

 private:
  int fd_ = -1;
};

namespace {

constexpr const char *kManifest = "placeholders.jsonl";
// Writable by their owner on the host, so that the user's own tools (an
// editor creating .vscode/) keep working while a command runs; inside the
// sandbox they are mounted read-only. Removed only while still empty.
constexpr mode_t kFilePlaceholderMode = 0644;
constexpr mode_t kDirPlaceholderMode = 0755;

struct Placeholder {
  std::string path;
  bool dir = false;
  bool created = false;  // we made it (vs. relying on another session's)
  dev_t dev = 0;
  ino_t ino = 0;
  bool known = false;  // dev/ino recorded
};


std::string read_file(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return {};
  std::string out;
  char buf[8192];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

std::vector<Placeholder> read_manifest(const std::string &session_dir) {
  std::vector<Placeholder> out;
  for (const auto &line : util::split(read_file(session_dir + "/" + kManifest), '\n')) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) continue;  // a line cut short by a crash
    const auto &o = v.get_object();
    auto *path = o.if_contains("path");
    auto *op = o.if_contains("op");
    if (!path || !path->is_string() || !op || !op->is_string()) continue;
    std::string p(path->get_string());
    Placeholder *rec = nullptr;
    for (auto &r : out)
      if (r.path == p) rec = &r;
    if (!rec) {
      out.push_back({});
      rec = &out.back();
      rec->path = p;
    }
    std::string_view what = op->get_string();
    if (auto *d = o.if_contains("dir"); d && d->is_bool()) rec->dir = d->get_bool();
    if (what == "created" || what == "shared") {
      rec->created = what == "created";
      auto *dev = o.if_contains("dev");
      auto *ino = o.if_contains("ino");
      if (dev && ino && dev->is_number() && ino->is_number()) {
        rec->dev = static_cast<dev_t>(dev->to_number<std::uint64_t>());
        rec->ino = static_cast<ino_t>(ino->to_number<std::uint64_t>());
        rec->known = true;
      }
    }
  }
  return out;
}

using Key = std::pair<std::uint64_t, std::uint64_t>;

bool is_dir_empty(const std::string &path) {
  DIR *d = ::opendir(path.c_str());
  if (!d) return false;
  bool empty = true;
  while (auto *e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n != "." && n != "..") empty = false;
  }
  ::closedir(d);
  return empty;
}

// Removes `p` if it is still what srt made. Returns a message when it did not.
std::string remove_placeholder(const Placeholder &p) {
  struct stat st{};
  if (::lstat(p.path.c_str(), &st) != 0) return {};  // already gone
  bool same = p.known ? (st.st_dev == p.dev && st.st_ino == p.ino)
                      // made but not yet recorded when srt died: only remove
                      // what still looks exactly like a placeholder
                      : (st.st_uid == ::geteuid() && (st.st_mode & 07777) == (p.dir ? kDirPlaceholderMode : kFilePlaceholderMode));
  if (!same) return fmt::format("{} was replaced since srt made it; left alone", p.path);
  if (p.dir) {
    if (!S_ISDIR(st.st_mode) || !is_dir_empty(p.path)) return fmt::format("{} is no longer an empty directory; left alone", p.path);
    if (::rmdir(p.path.c_str()) != 0) return fmt::format("cannot remove {}: {}", p.path, std::strerror(errno));
  } else {
    if (!S_ISREG(st.st_mode) || st.st_size != 0) return fmt::format("{} is no longer an empty file; left alone", p.path);
    if (::unlink(p.path.c_str()) != 0) return fmt::format("cannot remove {}: {}", p.path, std::strerror(errno));
  }
  return {};
}

// A session directory holds its manifest and the proxies' sockets (which a
// killed srt leaves behind).
void remove_tree_shallow(const std::string &dir) {
  ::unlink((dir + "/" + kManifest).c_str());
  for (const char *name : {kHttpSocketName, kSocksSocketName}) {
    std::string path = dir + "/" + name;
    struct stat st{};
    if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(path.c_str());
  }
  ::rmdir(dir.c_str());
}

struct SessionScan {
  std::set<Key> live;  // placeholders live sessions rely on
  std::map<std::string, Key> live_paths;  // the same, by path
  std::vector<std::pair<std::string, std::vector<Placeholder>>> stale;
};

// Must be called with the global lock held.
SessionScan scan_sessions(const std::string &sessions_dir, const std::string &exclude) {
  SessionScan scan;
  DIR *d = ::opendir(sessions_dir.c_str());
  if (!d) return scan;
  std::vector<std::string> names;
  while (auto *e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  for (const auto &n : names) {
    std::string dir = sessions_dir + "/" + n;
    if (dir == exclude) continue;
    // A session is live while its srt holds a lock on its directory.
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    bool alive = false;
    if (fd >= 0) {
      alive = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
      ::close(fd);
    }
    auto records = read_manifest(dir);
    if (alive) {
      for (const auto &r : records)
        if (r.known) {
          scan.live.insert({r.dev, r.ino});
          scan.live_paths[r.path] = {r.dev, r.ino};
        }
    } else {
      scan.stale.emplace_back(dir, std::move(records));
    }
  }
  return scan;
}

// Whether `dir` has an entry besides "." and "..". Read without the global
// lock: a session that appears meanwhile belongs to a live srt, and a stale
// one cannot appear (its srt is gone).
bool has_entries(const std::string &dir) {
  DIR *d = ::opendir(dir.c_str());
  if (!d) return true;  // let the locked scan report it
  bool any = false;
  while (auto *e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n != "." && n != "..") {
      any = true;
      break;
    }
  }
  ::closedir(d);
  return any;
}

// Cleans what srts that died left behind; returns the placeholders of the
// live sessions by path.
// Must be called with the global lock held.
std::map<std::string, Key> clean_and_scan(const Dirs &dirs, const Session::Log &debug) {
  if (!has_entries(dirs.base + "/sessions")) return {};
  auto scan = scan_sessions(dirs.base + "/sessions", "");
  for (auto &[dir, records] : scan.stale) {
    for (const auto &r : records) {
      if (r.known && scan.live.count({r.dev, r.ino})) continue;
      auto msg = remove_placeholder(r);
      if (debug) debug(msg.empty() ? fmt::format("removed stale placeholder {} (its srt is gone)", r.path) : msg);
    }
    remove_tree_shallow(dir);
    if (debug) debug(fmt::format("removed stale session {}", dir));
  }
  return std::move(scan.live_paths);
}

}  // namespace

// The global lock is held until end_compile(): no other srt makes or removes
// a placeholder while this launch's compiler looks at the disk, so the
// placeholders noted here are all there are.
Session::Session(const Dirs &dirs, Log debug)
    : dirs_(dirs), debug_(std::move(debug)), compile_lock_(std::make_unique<GlobalLock>(dirs_.base)),
      foreign_(clean_and_scan(dirs_, debug_)) {}

void Session::end_compile() { compile_lock_.reset(); }

std::unique_ptr<GlobalLock> Session::global_lock() const {
  return compile_lock_ ? nullptr : std::make_unique<GlobalLock>(dirs_.base);
}

const std::string &Session::dir() {
  if (!dir_.empty()) return dir_;
  // Made and locked under the global lock: another srt's clean-up, which
  // scans under it, would take a session directory seen unlocked for a
  // stale one.
  auto lock = global_lock();
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::uint32_t r = 0;
    if (::getentropy(&r, sizeof r) != 0) r = static_cast<std::uint32_t>(::clock()) ^ static_cast<std::uint32_t>(attempt);
    std::string candidate = fmt::format("{}/sessions/{}-{:08x}", dirs_.base, ::getpid(), r);
    if (::mkdir(candidate.c_str(), 0700) == 0) {
      dir_ = candidate;
      break;
    }
    if (errno != EEXIST) throw SandboxError(fmt::format("cannot create {}: {}", util::quoted(candidate), std::strerror(errno)));
  }
  if (dir_.empty()) throw SandboxError("cannot create a session directory: too many name collisions");
  lock_fd_ = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::rmdir(dir_.c_str());
    std::string failed = std::move(dir_);
    dir_.clear();
    throw SandboxError(fmt::format("cannot lock {}: {}", util::quoted(failed), std::strerror(err)));
  }
  return dir_;
}

Session::~Session() { close(); }

std::function<bool(const std::string &)> Session::foreign_placeholders() const {
  if (foreign_.empty()) return {};
  return [this](const std::string &path) {
    auto it = foreign_.find(path);
    struct stat st{};
    return it != foreign_.end() && ::lstat(path.c_str(), &st) == 0 &&
           Key{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)} == it->second;
  };
}

void Session::append_record(const std::string &json_line) {
  std::string path = dir_ + "/" + kManifest;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw SandboxError(fmt::format("cannot write {}: {}", util::quoted(path), std::strerror(errno)));
  std::string line = json_line + "\n";
  ssize_t n = ::write(fd, line.data(), line.size());
  int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size()))
    throw SandboxError(fmt::format("cannot write {}: {}", util::quoted(path), std::strerror(n < 0 ? err : EIO)));
}

void Session::create_placeholders(const std::vector<ir::Mount> &mounts) {
  bool any = false;
  for (const auto &m : mounts) any = any || m.kind == ir::Kind::missing;
  if (!any) return;
  dir();  // the manifest lives there
  auto lock = global_lock();
  auto scan = scan_sessions(dirs_.base + "/sessions", dir_);
  for (const auto &m : mounts) {
    if (m.kind != ir::Kind::missing) continue;
    bool dir = m.placeholder == ir::Placeholder::dir;
    auto record = [&](const char *op, const struct stat *st) {
      boost::json::object o;
      o["op"] = op;
      o["path"] = m.path;
      o["dir"] = dir;
      if (st) {
        o["dev"] = static_cast<std::uint64_t>(st->st_dev);
        o["ino"] = static_cast<std::uint64_t>(st->st_ino);
      }
      append_record(boost::json::serialize(o));
    };
    struct stat st{};
    if (::lstat(m.path.c_str(), &st) == 0) {
      if (scan.live.count({st.st_dev, st.st_ino})) {
        if (S_ISDIR(st.st_mode) != dir)
          throw SandboxError(fmt::format("{} is another running srt's placeholder {}, where this launch needs a {}; run the command again",
                                         util::quoted(m.path), S_ISDIR(st.st_mode) ? "directory" : "file", dir ? "directory" : "file"));
        record("shared", &st);
        if (debug_) debug_(fmt::format("placeholder {} is shared with another running srt", m.path));
        continue;
      }
      throw SandboxError(fmt::format("{} appeared while srt was preparing the sandbox ({} said it did not exist); run the command again",
                                     util::quoted(m.path), m.origin));
    }
    record("intent", nullptr);
    int rc;
    if (dir) {
      rc = ::mkdir(m.path.c_str(), kDirPlaceholderMode);
      if (rc == 0) rc = ::chmod(m.path.c_str(), kDirPlaceholderMode);  // exact mode, whatever the umask
    } else {
      int fd = ::open(m.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, kFilePlaceholderMode);
      rc = fd < 0 ? -1 : ::fchmod(fd, kFilePlaceholderMode);
      if (fd >= 0) ::close(fd);
    }
    if (rc != 0 || ::lstat(m.path.c_str(), &st) != 0)
      throw SandboxError(fmt::format("cannot create placeholder {} (needed so that {} stays uncreatable): {}", util::quoted(m.path),
                                     m.origin, std::strerror(errno)));
    record("created", &st);
    if (debug_) debug_(fmt::format("created placeholder {} {}", dir ? "directory" : "file", m.path));
  }
}

void Session::close() {
  if (closed_ || dir_.empty()) return;
  closed_ = true;
  try {
    auto mine = read_manifest(dir_);
    if (!mine.empty()) {
      auto lock = global_lock();
      auto scan = scan_sessions(dirs_.base + "/sessions", dir_);
      // Deepest first, so that a placeholder directory is empty when its turn comes.
      std::sort(mine.begin(), mine.end(), [](const Placeholder &a, const Placeholder &b) { return a.path > b.path; });
      for (const auto &p : mine) {
        if (p.known && scan.live.count({p.dev, p.ino})) {
          if (debug_) debug_(fmt::format("placeholder {} is still used by another running srt; left for it", p.path));
          continue;
        }
        auto msg = remove_placeholder(p);
        if (debug_) debug_(msg.empty() ? fmt::format("removed placeholder {}", p.path) : msg);
      }
      remove_tree_shallow(dir_);
    } else {
      remove_tree_shallow(dir_);
    }
  } catch (const std::exception &e) {
    if (debug_) debug_(fmt::format("session cleanup: {}", e.what()));
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
}

}  // namespace srt::runtime
