#include "policy/mandatory_deny.hpp"

#include "policy/paths.hpp"
#include "util/platform.hpp"
#include "util/strings.hpp"

#include <srt/error.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

namespace srt::policy {

namespace {

bool is_dangerous_file(std::string_view name) {
  for (auto *f : kDangerousFiles)
    if (name == f) return true;
  return false;
}

enum class Type { missing, dir, other };

Type type_of(const std::string &p) {
  struct stat st{};
  if (::lstat(p.c_str(), &st) != 0) return Type::missing;
  return S_ISDIR(st.st_mode) ? Type::dir : Type::other;
}

// Past this many directories waiting to be listed, the walk takes more
// threads; at most this many in all.
constexpr std::size_t kParallelFromQueued = 64;
constexpr unsigned kMaxScanThreads = 4;

// One directory listing per getdents64 call of this size: the walk lists
// thousands of directories per launch in a large project, so it opens each
// with O_DIRECTORY (no fstat, unlike opendir) and reads it in as few calls as
// the kernel allows.
constexpr std::size_t kListingBuffer = 64 * 1024;

struct Entry {
  std::string_view name;
  unsigned char type;  // DT_*
};

#if SRT_LINUX_EXTRAS
class Listing {
 public:
  // Opens `dir` (a directory, not through a symlink). False if it cannot be
  // listed.
  bool open(const std::string &dir) {
    fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    return fd_ >= 0;
  }
  ~Listing() {
    if (fd_ >= 0) ::close(fd_);
  }
  Listing() = default;
  Listing(const Listing &) = delete;
  Listing &operator=(const Listing &) = delete;

  // The next entry ("." and ".." included), or nullopt at the end. Throws
  // PolicyError when the directory cannot be read to its end: a scan that
  // stopped early would protect less.
  std::optional<Entry> next(const std::string &dir, std::vector<char> &buf) {
    if (pos_ >= len_) {
      ssize_t n;
      do n = ::getdents64(fd_, buf.data(), buf.size());
      while (n < 0 && errno == EINTR);
      if (n < 0)
        throw PolicyError(fmt::format("the mandatory-deny scan cannot read directory {}: {}", util::quoted(dir), std::strerror(errno)));
      if (n == 0) return std::nullopt;
      pos_ = 0;
      len_ = static_cast<std::size_t>(n);
    }
    const auto *d = reinterpret_cast<const struct dirent64 *>(buf.data() + pos_);
    pos_ += d->d_reclen;
    return Entry{d->d_name, d->d_type};
  }

 private:
  int fd_ = -1;
  std::size_t pos_ = 0, len_ = 0;
};
#else
class Listing {
 public:
  // Opens `dir` (a directory, not through a symlink). False if it cannot be
  // listed.
  bool open(const std::string &dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    dir_ = ::fdopendir(fd);
    if (!dir_) ::close(fd);
    return dir_ != nullptr;
  }
  ~Listing() {
    if (dir_) ::closedir(dir_);
  }
  Listing() = default;
  Listing(const Listing &) = delete;
  Listing &operator=(const Listing &) = delete;

  // As on Linux (readdir's buffer is the DIR's own, so `buf` is unused).
  std::optional<Entry> next(const std::string &dir, std::vector<char> &) {
    errno = 0;
    const struct dirent *d = ::readdir(dir_);
    if (!d) {
      if (errno != 0)
        throw PolicyError(fmt::format("the mandatory-deny scan cannot read directory {}: {}", util::quoted(dir), std::strerror(errno)));
      return std::nullopt;
    }
    return Entry{d->d_name, d->d_type};
  }

 private:
  DIR *dir_ = nullptr;
};
#endif

// A directory waiting to be listed, and how deep it is below the root.
struct Pending {
  std::string dir;
  int level = 0;
};

// Lists one directory: what it holds of the mandatory-deny set, and the
// subdirectories to list next. One per thread (it owns the listing buffer).
class DirVisitor {
 public:
  DirVisitor(const std::string &root, const MandatoryScanOptions &o, std::atomic<std::size_t> &entries)
      : root_(root), opt_(o), entries_(entries) {}

  void visit(const Pending &at, std::vector<Pending> &children, std::vector<MandatoryFinding> &found) {
    found_ = &found;
    const std::string &dir = at.dir;
    Listing listing;
    if (!listing.open(dir)) {
      // The sandboxed command (same user) could make it readable and write
      // inside; we cannot see what is there, so it is protected whole.
      if (dir != root_) add(dir, "unreadable directory");
      return;
    }
    bool is_node_modules = util::ends_with(dir, "/node_modules");
    Type git = Type::missing;
    while (auto ent = listing.next(dir, buf_)) {
      std::string_view name = ent->name;
      if (name == "." || name == "..") continue;
      if (entries_.fetch_add(1, std::memory_order_relaxed) + 1 > kMaxMandatoryScanEntries)
        throw PolicyError(fmt::format("the mandatory-deny scan of writable root {} looked at more than {} entries; "
                                      "lower mandatoryDenySearchDepth or make a smaller directory writable",
                                      util::quoted(root_), kMaxMandatoryScanEntries));
      std::string path = join_path(dir, name);
      bool is_dir = ent->type == DT_DIR;
      if (ent->type == DT_UNKNOWN) is_dir = type_of(path) == Type::dir;
      if (is_dangerous_file(name) || name == ".vscode" || name == ".idea") {
        add(path, std::string(name));
        continue;
      }
      if (name == ".claude" && is_dir) {
        check_claude(dir);
        continue;
      }
      if (name == ".git") {  // checked once the listing is done
        git = is_dir ? Type::dir : Type::other;
        continue;
      }
      if (!is_dir || is_node_modules || at.level >= opt_.depth) continue;
      if (opt_.may_descend && !opt_.may_descend(path)) continue;
      if (name == "node_modules") {
        // Its top level is checked, its packages are not walked: nothing in
        // them is read by the user's shell, editor or git.
        children.push_back({path, opt_.depth});
        continue;
      }
      children.push_back({path, at.level + 1});
    }
    check_git(dir, git);
  }

 private:
  void add(std::string path, std::string rule, bool dir = false) { found_->push_back({std::move(path), std::move(rule), dir}); }

  // `t`: what the listing of `dir` showed at `.git`.
  void check_git(const std::string &dir, Type t) {
    std::string git = join_path(dir, ".git");
    if (t == Type::other) {
      // A worktree or submodule pointer: rewriting it redirects git elsewhere.
      add(git, ".git (pointer file)");
      return;
    }
    if (t != Type::dir) return;
    std::string hooks = join_path(git, "hooks");
    if (type_of(hooks) != Type::missing || opt_.protect_missing_hooks) add(hooks, ".git/hooks", true);
    // .gitmodules makes git fetch and check out code: keep an absent one absent.
    std::string modules = join_path(dir, ".gitmodules");
    if (type_of(modules) == Type::missing && opt_.protect_missing_hooks) add(modules, ".gitmodules");
    if (!opt_.allow_git_config) add(join_path(git, "config"), ".git/config");
  }

  void check_claude(const std::string &dir) {
    for (auto *d : kDangerousDirs) {
      std::string_view dd = d;
      if (!util::starts_with(dd, ".claude/")) continue;
      std::string p = join_path(dir, d);
      if (type_of(p) != Type::missing) add(p, d);
    }
  }

  const std::string &root_;
  const MandatoryScanOptions &opt_;
  std::atomic<std::size_t> &entries_;
  std::vector<MandatoryFinding> *found_ = nullptr;
  std::vector<char> buf_ = std::vector<char>(kListingBuffer);
};

// The walk: breadth first, on one thread until many directories wait, then
// on up to kMaxScanThreads (a large project's walk is thousands of
// directories at every launch, each a few system calls). Findings are
// returned sorted by path, whatever the threads' order.
class Scanner {
 public:
  Scanner(const std::string &root, const MandatoryScanOptions &o) : root_(root), opt_(o) {}

  std::vector<MandatoryFinding> run() {
    queue_.push_back({root_, 0});
    DirVisitor visitor(root_, opt_, entries_);
    std::vector<Pending> children;
    // Alone while the tree is small: a thread costs more than a few listings.
    while (!queue_.empty() && queue_.size() < kParallelFromQueued) {
      Pending at = std::move(queue_.front());
      queue_.pop_front();
      children.clear();
      visitor.visit(at, children, found_);
      for (auto &c : children) queue_.push_back(std::move(c));
    }
    if (!queue_.empty()) work_in_parallel();
    std::sort(found_.begin(), found_.end(), [](const MandatoryFinding &a, const MandatoryFinding &b) { return a.path < b.path; });
    return std::move(found_);
  }

 private:
  void work_in_parallel() {
    unsigned helpers = std::min(kMaxScanThreads, std::max(1u, std::thread::hardware_concurrency())) - 1;
    std::vector<std::thread> threads;
    try {
      for (unsigned i = 0; i < helpers; ++i) threads.emplace_back([this] { work(); });
    } catch (const std::system_error &) {
      // No thread to spare: the walk goes on with those it has.
    }
    work();
    for (auto &t : threads) t.join();
    if (error_) std::rethrow_exception(error_);
  }

  // Takes directories until none is left and none is being listed (which
  // could add more), or another thread failed.
  void work() {
    DirVisitor visitor(root_, opt_, entries_);
    std::vector<Pending> children;
    std::vector<MandatoryFinding> found;
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return error_ || !queue_.empty() || busy_ == 0; });
      if (error_ || queue_.empty()) break;
      Pending at = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
      lock.unlock();
      children.clear();
      found.clear();
      std::exception_ptr failed;
      try {
        visitor.visit(at, children, found);
      } catch (...) {
        failed = std::current_exception();
      }
      lock.lock();
      --busy_;
      if (failed && !error_) error_ = failed;
      for (auto &c : children) queue_.push_back(std::move(c));
      for (auto &f : found) found_.push_back(std::move(f));
      cv_.notify_all();
    }
    cv_.notify_all();
  }

  const std::string &root_;
  const MandatoryScanOptions &opt_;
  std::atomic<std::size_t> entries_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;     // guarded by mu_ once threads run
  int busy_ = 0;                  // directories being listed; guarded by mu_
  std::exception_ptr error_;      // the first failure; guarded by mu_
  std::vector<MandatoryFinding> found_;  // guarded by mu_ once threads run
};

}  // namespace

std::vector<MandatoryFinding> scan_mandatory_denies(const std::string &root, const MandatoryScanOptions &options) {
  return Scanner(root, options).run();
}

}  // namespace srt::policy
