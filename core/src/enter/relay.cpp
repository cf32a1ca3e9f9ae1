#include "enter/relay.hpp"

#include "enter/pump.hpp"
#include "enter/sys.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <unistd.h>

namespace srt::enter {
namespace {

// Fds not used by connections: listeners, epoll, timer, pidfd, and the spare
// pipes of the pool.
constexpr rlim_t kReservedFds = 64 + 2 * kMaxSparePipes;
// Each connection holds its two sockets; pipes are borrowed only while data
// is in flight, and a connection that cannot get one waits (Pump::starved).
constexpr rlim_t kFdsPerConnection = 2;
// When the hard fd limit is unlimited, do not ask for more than this.
constexpr rlim_t kMaxFdLimit = 1 << 20;
constexpr int kMaxEvents = 256;
// splice pairs per connection and wake-up, so that one busy connection
// cannot starve the others.
constexpr int kRoundsPerWakeup = 16;
// A full Unix listen backlog on the host (EAGAIN) is retried this often, this
// many times (5 s), before the client's connection is reset.
constexpr long kRetryIntervalNs = 10'000'000;
constexpr int kConnectRetries = 500;

enum Tag : std::uint64_t { kListenerTag, kClientTag, kUpstreamTag, kOwnerTag, kTimerTag };

std::uint64_t key(Tag tag, std::uint32_t index) { return (std::uint64_t{index} << 8) | tag; }

struct Conn {
  enum class State { idle, waiting_connect, connecting, open };
  State state = State::idle;
  int client = -1;
  int upstream = -1;
  bool upstream_polled = false;
  std::uint32_t listener = 0;
  int retries = 0;
  bool scheduled = false;  // on runnable_: run again without waiting for epoll
  bool waiting = false;    // on waiting_: run again at the next timer tick
  Pump to_upstream;
  Pump to_client;
};

class Relay {
 public:
  Relay(std::vector<RelayListener> listeners, int owner) : listeners_(std::move(listeners)), owner_(owner) {}

  // Returns what failed, empty on success.
  std::string setup();
  [[noreturn]] void serve();

 private:
  void accept_from(std::uint32_t li);
  void try_connect(std::uint32_t ci);
  bool watch_upstream(std::uint32_t ci);
  void finish_connect(std::uint32_t ci);
  void connected(std::uint32_t ci);
  void run(std::uint32_t ci);
  void close_conn(std::uint32_t ci, bool reset_client);
  void schedule(std::uint32_t ci);
  void wait(std::uint32_t ci);
  void on_timer();
  void set_listeners_polled(bool on);
  void update_timer();

  std::vector<RelayListener> listeners_;
  int owner_;
  int epoll_ = -1;
  int timer_ = -1;
  bool timer_armed_ = false;
  std::size_t capacity_ = 0;
  std::size_t open_ = 0;
  bool listeners_polled_ = true;
  bool paused_for_resources_ = false;
  std::vector<Conn> conns_;
  std::vector<std::uint32_t> free_;
  std::vector<std::uint32_t> runnable_;
  std::vector<std::uint32_t> draining_;
  std::vector<std::uint32_t> waiting_;
  PipePool pool_;
};

std::string errno_text(const char *what) { return std::string(what) + ": " + std::strerror(errno); }

std::string Relay::setup() {
  // Every connection needs fds; the soft limit is often 1024.
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return errno_text("getrlimit(RLIMIT_NOFILE)");
  rlim_t want = rl.rlim_max == RLIM_INFINITY ? kMaxFdLimit : std::min(rl.rlim_max, kMaxFdLimit);
  if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur < want) {
    rl.rlim_cur = want;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return errno_text("setrlimit(RLIMIT_NOFILE)");
  }
  rlim_t usable = rl.rlim_cur > kReservedFds ? rl.rlim_cur - kReservedFds : 0;
  capacity_ = static_cast<std::size_t>(std::min<rlim_t>(kMaxConnections, usable / kFdsPerConnection));
  if (capacity_ == 0) return "the open-file limit leaves no room for connections";

  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) return errno_text("epoll_create1");
  timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (timer_ < 0) return errno_text("timerfd_create");
  auto add = [&](int fd, std::uint64_t k) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = k;
    return epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) == 0;
  };
  for (std::uint32_t i = 0; i < listeners_.size(); ++i)
    if (!add(listeners_[i].fd, key(kListenerTag, i))) return errno_text("epoll_ctl(listener)");
  if (owner_ >= 0 && !add(owner_, key(kOwnerTag, 0))) return errno_text("epoll_ctl(pidfd)");
  if (!add(timer_, key(kTimerTag, 0))) return errno_text("epoll_ctl(timerfd)");
  conns_.reserve(capacity_);
  return {};
}

void Relay::serve() {
  epoll_event events[kMaxEvents];
  for (;;) {
    int n = epoll_wait(epoll_, events, kMaxEvents, runnable_.empty() ? -1 : 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::_Exit(1);  // nothing left to serve with; clients see resets
    }
    for (int i = 0; i < n; ++i) {
      std::uint64_t k = events[i].data.u64;
      auto index = static_cast<std::uint32_t>(k >> 8);
      switch (static_cast<Tag>(k & 0xff)) {
        case kListenerTag:
          accept_from(index);
          break;
        case kOwnerTag:
          // The command has exited: nobody inside is left to serve.
          std::_Exit(0);
        case kTimerTag:
          on_timer();
          break;
        case kClientTag:
        case kUpstreamTag: {
          // Events may be stale (the slot closed, or closed and reused,
          // earlier in this batch); running a connection is always safe.
          Conn &c = conns_[index];
          if (c.state == Conn::State::connecting && static_cast<Tag>(k & 0xff) == kUpstreamTag)
            finish_connect(index);
          else if (c.state == Conn::State::open)
            run(index);
          break;
        }
      }
    }
    // run() may schedule again: work on a copy, reusing both buffers.
    draining_.swap(runnable_);
    for (auto ci : draining_) {
      Conn &c = conns_[ci];
      if (!c.scheduled) continue;  // closed since, or listed twice
      c.scheduled = false;
      if (c.state == Conn::State::open) run(ci);
    }
    draining_.clear();
  }
}

void Relay::accept_from(std::uint32_t li) {
  while (open_ < capacity_) {
    int fd = accept4(listeners_[li].fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO || errno == EPERM) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Leave the connection in the backlog and try again shortly.
        paused_for_resources_ = true;
        set_listeners_polled(false);
        update_timer();
      }
      return;
    }
    std::uint32_t ci;
    if (!free_.empty()) {
      ci = free_.back();
      free_.pop_back();
    } else {
      ci = static_cast<std::uint32_t>(conns_.size());
      conns_.emplace_back();
    }
    Conn &c = conns_[ci];
    c = Conn{};
    c.client = fd;
    c.listener = li;
    c.state = Conn::State::waiting_connect;
    ++open_;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = key(kClientTag, ci);
    c.upstream = socket(listeners_[li].upstream.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.upstream < 0 || epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      close_conn(ci, true);
      continue;
    }
    try_connect(ci);
  }
  if (open_ >= capacity_) set_listeners_polled(false);
}

void Relay::try_connect(std::uint32_t ci) {
  Conn &c = conns_[ci];
  const RelayListener &l = listeners_[c.listener];
  if (connect(c.upstream, reinterpret_cast<const sockaddr *>(&l.upstream), l.upstream_len) == 0) {
    connected(ci);
    return;
  }
  if (errno == EAGAIN || errno == EINTR) {
    // The host's listen backlog is full.
    if (++c.retries > kConnectRetries) {
      close_conn(ci, true);
      return;
    }
    c.state = Conn::State::waiting_connect;
    wait(ci);
    return;
  }
  if (errno == EINPROGRESS) {
    c.state = Conn::State::connecting;
    watch_upstream(ci);
    return;
  }
  // The host side is gone (ENOENT, ECONNREFUSED): the client sees a reset,
  // not an empty answer.
  close_conn(ci, true);
}

// Adds the upstream socket to the epoll set; on failure closes the
// connection and returns false.
bool Relay::watch_upstream(std::uint32_t ci) {
  Conn &c = conns_[ci];
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = key(kUpstreamTag, ci);
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, c.upstream, &ev) != 0) {
    close_conn(ci, true);
    return false;
  }
  c.upstream_polled = true;
  return true;
}

void Relay::finish_connect(std::uint32_t ci) {
  Conn &c = conns_[ci];
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(c.upstream, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
    close_conn(ci, true);
    return;
  }
  connected(ci);
}

void Relay::connected(std::uint32_t ci) {
  Conn &c = conns_[ci];
  c.state = Conn::State::open;
  if (!c.upstream_polled && !watch_upstream(ci)) return;
  // The client may have sent data already; its edge has passed.
  schedule(ci);
}

void Relay::run(std::uint32_t ci) {
  Conn &c = conns_[ci];
  auto up = c.to_upstream.run(c.client, c.upstream, pool_, kRoundsPerWakeup);
  auto down = c.to_client.run(c.upstream, c.client, pool_, kRoundsPerWakeup);
  using S = Pump::Status;
  if (up == S::failed || down == S::failed) {
    close_conn(ci, true);
    return;
  }
  if (c.to_upstream.done() && c.to_client.done()) {
    close_conn(ci, false);
    return;
  }
  if (up == S::more || down == S::more) schedule(ci);
  if (up == S::starved || down == S::starved) wait(ci);
}

void Relay::close_conn(std::uint32_t ci, bool reset_client) {
  Conn &c = conns_[ci];
  if (reset_client && c.client >= 0) {
    // SO_LINGER 0 makes close() send RST: a cut-off transfer must not look
    // like a complete one to the client.
    linger lg{1, 0};
    (void)setsockopt(c.client, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  }
  close_fd(c.client);
  close_fd(c.upstream);
  c.to_upstream.release(pool_);
  c.to_client.release(pool_);
  c = Conn{};
  free_.push_back(ci);
  --open_;
  if (!paused_for_resources_ && open_ < capacity_) set_listeners_polled(true);
}

void Relay::schedule(std::uint32_t ci) {
  Conn &c = conns_[ci];
  if (c.scheduled) return;
  c.scheduled = true;
  runnable_.push_back(ci);
}

void Relay::wait(std::uint32_t ci) {
  Conn &c = conns_[ci];
  if (c.waiting) return;
  c.waiting = true;
  waiting_.push_back(ci);
  update_timer();
}

void Relay::on_timer() {
  // Only clears the readiness; EAGAIN (no tick yet) is harmless.
  std::uint64_t ticks;
  while (read(timer_, &ticks, sizeof ticks) < 0 && errno == EINTR) {
  }
  std::vector<std::uint32_t> now;
  now.swap(waiting_);
  for (auto ci : now) {
    Conn &c = conns_[ci];
    if (!c.waiting) continue;
    c.waiting = false;
    if (c.state == Conn::State::waiting_connect)
      try_connect(ci);
    else if (c.state == Conn::State::open)
      run(ci);
  }
  if (paused_for_resources_) {
    paused_for_resources_ = false;
    if (open_ < capacity_) set_listeners_polled(true);
  }
  update_timer();
}

void Relay::set_listeners_polled(bool on) {
  if (on == listeners_polled_) return;
  // Level-triggered: re-enabling reports connections that queued meanwhile.
  for (std::uint32_t i = 0; i < listeners_.size(); ++i) {
    epoll_event ev{};
    ev.events = on ? std::uint32_t{EPOLLIN} : 0u;
    ev.data.u64 = key(kListenerTag, i);
    if (epoll_ctl(epoll_, EPOLL_CTL_MOD, listeners_[i].fd, &ev) != 0) std::_Exit(1);
  }
  listeners_polled_ = on;
}

void Relay::update_timer() {
  bool want = !waiting_.empty() || paused_for_resources_;
  if (want == timer_armed_) return;
  itimerspec spec{};
  if (want) spec.it_interval.tv_nsec = spec.it_value.tv_nsec = kRetryIntervalNs;
  if (timerfd_settime(timer_, 0, &spec, nullptr) != 0) std::_Exit(1);
  timer_armed_ = want;
}

}  // namespace

void run_relay(std::vector<RelayListener> listeners, int owner_pidfd, int ready_fd) {
  Relay relay(std::move(listeners), owner_pidfd);
  std::string err = relay.setup();
  if (!err.empty()) {
    (void)write_all(ready_fd, err.data(), err.size());
    std::_Exit(1);
  }
  // srt-enter waits for this before it lets the command start.
  if (!write_all(ready_fd, "R", 1)) std::_Exit(1);
  close_fd(ready_fd);
  relay.serve();
}

}  // namespace srt::enter
