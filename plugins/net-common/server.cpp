#include "server.hpp"

#include "signal_mask.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace srt::proxy {
namespace {

// accept() whose descriptor is close-on-exec and non-blocking from birth
// where the system allows it.
int accept_client(int listen_fd) {
#ifdef __linux__
  return ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
#else
  int fd = ::accept(listen_fd, nullptr, nullptr);
  if (fd < 0) return fd;
  int flags = ::fcntl(fd, F_GETFL);
  int one = 1;
  // No SIGPIPE when writing to a client that is gone (no MSG_NOSIGNAL here).
  if (::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 ||
      ::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one)) != 0) {
    int err = errno;
    (void)::close(fd);
    errno = err;
    return -1;
  }
  return fd;
#endif
}

bool out_of_resources(int err) { return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM; }

}  // namespace

Server::Acceptor::Acceptor(asio::io_context &io, Listener l) : listener(std::move(l)), descriptor(io), retry(io) {}

Server::Server(std::string name, sdk::NetHost host, const sdk::ProxyConfig &config, Options options)
    : name_(std::move(name)), host_(host), config_(config), token_(config.token), options_(options) {}

Server::~Server() {
  try {
    stop();
  } catch (...) {
    // stop() does not throw in practice; a destructor must not either.
  }
}

void Server::start(AcceptFn accept) {
  if (config_.listen.empty()) throw std::runtime_error(name_ + ": no address to listen on");
  accept_ = std::move(accept);
  io_.emplace(static_cast<int>(kIoThreads));
  work_.emplace(io_->get_executor());
  try {
    for (const auto &where : config_.listen) {
      auto a = std::make_unique<Acceptor>(*io_, open_listener(where));
      acceptors_.push_back(std::move(a));
      auto &acc = *acceptors_.back();
      error_code ec;
      acc.descriptor.assign(acc.listener.fd.get(), ec);
      if (ec) throw std::runtime_error(name_ + ": cannot watch the listening socket: " + ec.message());
      (void)acc.listener.fd.release();  // now owned by the descriptor
    }
    for (auto &a : acceptors_) endpoints_.push_back(a->listener.actual);
    for (auto &a : acceptors_) wait_for_clients(*a);
    BlockAllSignals blocked;
    for (unsigned i = 0; i < kIoThreads; ++i) threads_.emplace_back([this] { run_io(); });
  } catch (...) {
    stop();
    throw;
  }
  log(SRT_LOG_DEBUG, "listening");
}

std::vector<sdk::ProxyConfig::Listen> Server::endpoints() const { return endpoints_; }

void Server::stop() {
  if (stopped_) return;
  stopped_ = true;
  stopping_ = true;
  if (io_) io_->stop();
  for (auto &t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  // Waits for decisions under way; the ones not started are dropped.
  if (decide_pool_) {
    decide_pool_->stop();
    decide_pool_->join();
    decide_pool_.reset();
  }
  for (auto &a : acceptors_) {
    error_code ec;
    a->descriptor.close(ec);
    remove_socket_file(a->listener);
  }
  acceptors_.clear();
  work_.reset();
  // No thread runs any more: destroying the loop destroys the handlers it
  // still holds, and with them every session, relay and socket.
  io_.reset();
  if (auto n = live_->load(); n != 0) log(SRT_LOG_WARN, std::to_string(n) + " connections outlived stop");
  log(SRT_LOG_DEBUG, "stopped");
}

void Server::log(srt_log_level level, std::string_view message) const {
  host_.log(level, name_ + ": " + std::string(message));
}

void Server::run_io() noexcept {
  for (;;) {
    try {
      io_->run();
      return;
    } catch (const std::exception &e) {
      // A handler threw: log it and keep serving the other connections (Asio
      // allows run() to be called again after an exception).
      log(SRT_LOG_WARN, std::string("internal error: ") + e.what());
    } catch (...) {
      log(SRT_LOG_WARN, "internal error");
    }
  }
}

void Server::wait_for_clients(Acceptor &a) {
  a.descriptor.async_wait(asio::posix::descriptor_base::wait_read, [this, &a](const error_code &ec) {
    if (ec == asio::error::operation_aborted || stopping_) return;
    if (ec) {
      log(SRT_LOG_WARN, "waiting for clients failed: " + ec.message());
      retry_later(a);
      return;
    }
    accept_ready(a);
  });
}

void Server::accept_ready(Acceptor &a) {
  for (int i = 0; i < kAcceptBatch; ++i) {
    int fd = accept_client(a.descriptor.native_handle());
    if (fd >= 0) {
      if (a.failing) log(SRT_LOG_DEBUG, "accepting clients again");
      a.failing = false;
      take_client(fd, a.listener.family);
      continue;
    }
    const int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK) break;
    if (err == EINTR || err == ECONNABORTED || err == EPROTO) continue;
    // Once per episode: a process out of descriptors would otherwise log ten
    // lines a second.
    if (!a.failing)
      log(SRT_LOG_WARN, std::string("accept failed: ") + std::strerror(err) +
                            (out_of_resources(err) ? " (raise the descriptor limit, ulimit -n)" : "") +
                            "; retrying");
    a.failing = true;
    retry_later(a);
    return;
  }
  wait_for_clients(a);
}

void Server::retry_later(Acceptor &a) {
  a.retry.expires_after(kAcceptRetryDelay);
  a.retry.async_wait([this, &a](const error_code &ec) {
    if (ec || stopping_) return;
    accept_ready(a);
  });
}

void Server::take_client(int fd, int family) {
  UniqueFd owned(fd);
  if (live_->load() >= options_.max_connections) {
    log(SRT_LOG_DEBUG, "connection limit reached, closing a new client");
    return;
  }
  Socket client(asio::make_strand(*io_));
  error_code ec;
  const int protocol = family == AF_UNIX ? 0 : IPPROTO_TCP;
  client.assign(asio::generic::stream_protocol(family, protocol), owned.get(), ec);
  if (ec) {
    log(SRT_LOG_WARN, "cannot take a client socket: " + ec.message());
    return;
  }
  (void)owned.release();
  // Interactive protocols (ssh) tunnel small writes: deliver them at once
  // (best effort: only latency depends on it).
  if (family != AF_UNIX) client.set_option(asio::ip::tcp::no_delay(true), ec);
  accept_(std::move(client), ConnectionSlot(live_));
}

void Server::decide(std::string host, std::uint16_t port, srt_net_protocol protocol, Executor ex, VerdictFn done) {
  {
    // Called on the I/O threads only, which stop() joins before it touches
    // the pool; their signal mask (all blocked) is what the pool inherits.
    std::lock_guard lock(decide_pool_mu_);
    if (!decide_pool_) decide_pool_.emplace(kDecideThreads);
  }
  asio::post(*decide_pool_,
             [this, host = std::move(host), port, protocol, ex = std::move(ex), done = std::move(done)]() mutable {
               // Nothing may escape into the pool's thread (it would end the process).
               try {
                 if (stopping_) return;
                 sdk::Verdict v;
                 try {
                   v = host_.decide(host, port, protocol);
                 } catch (const std::exception &e) {
                   v = sdk::Verdict{};
                   v.kind = "allowlist";
                   v.reason = "srt could not decide";
                   log(SRT_LOG_WARN, "deciding " + host + " failed: " + e.what());
                 }
                 asio::post(ex, [done = std::move(done), v = std::move(v)]() mutable { done(std::move(v)); });
               } catch (const std::exception &e) {
                 log(SRT_LOG_WARN, std::string("internal error while deciding: ") + e.what());
               } catch (...) {
                 log(SRT_LOG_WARN, "internal error while deciding");
               }
             });
}

}  // namespace srt::proxy
