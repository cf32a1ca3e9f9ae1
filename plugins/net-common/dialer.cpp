#include "dialer.hpp"

#include "unique_fd.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <memory>

namespace srt::proxy {
namespace {

// A socket that is close-on-exec and non-blocking from birth where possible.
int new_tcp_socket(int family, error_code &ec) {
#ifdef SOCK_CLOEXEC
  int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
  if (fd < 0) ec = error_code(errno, boost::system::system_category());
  return fd;
#else
  UniqueFd fd(::socket(family, SOCK_STREAM, IPPROTO_TCP));
  int flags = fd ? ::fcntl(fd.get(), F_GETFL) : -1;
  int one = 1;
  if (!fd || ::fcntl(fd.get(), F_SETFD, FD_CLOEXEC) != 0 || flags < 0 ||
      ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK) != 0 ||
      ::setsockopt(fd.get(), SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one)) != 0) {
    ec = error_code(errno, boost::system::system_category());
    return -1;
  }
  return fd.release();
#endif
}

class Dialer : public std::enable_shared_from_this<Dialer> {
 public:
  Dialer(Executor ex, std::vector<std::string> addresses, std::uint16_t port, std::chrono::milliseconds timeout,
         DialFn done)
      : socket_(ex),
        timer_(ex),
        addresses_(std::move(addresses)),
        port_(port),
        timeout_(timeout),
        done_(std::move(done)) {}

  void next() {
    while (index_ < addresses_.size()) {
      error_code ec;
      auto address = asio::ip::make_address(addresses_[index_++], ec);
      if (ec) {
        last_ = ec;
        continue;
      }
      asio::ip::tcp::endpoint target(address, port_);
      int fd = new_tcp_socket(target.protocol().family(), ec);
      if (fd < 0) {
        last_ = ec;
        continue;
      }
      error_code assign_ec;
      socket_.assign(asio::generic::stream_protocol(target.protocol().family(), IPPROTO_TCP), fd, assign_ec);
      if (assign_ec) {
        (void)::close(fd);
        last_ = assign_ec;
        continue;
      }
      attempt(asio::generic::stream_protocol::endpoint(target));
      return;
    }
    finish(last_ ? last_ : asio::error::host_unreachable);
  }

 private:
  void attempt(const asio::generic::stream_protocol::endpoint &target) {
    const unsigned id = ++attempt_id_;
    timed_out_ = false;
    timer_.expires_after(timeout_);
    timer_.async_wait([self = shared_from_this(), id](const error_code &ec) {
      if (ec || id != self->attempt_id_) return;
      self->timed_out_ = true;
      error_code ignored;
      self->socket_.close(ignored);
    });
    socket_.async_connect(target, [self = shared_from_this()](const error_code &ec) {
      ++self->attempt_id_;  // the timer of this attempt no longer applies
      self->timer_.cancel();
      if (!ec) {
        // Best effort: only the latency of small writes depends on it.
        error_code ignored;
        self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
        self->finish(ec);
        return;
      }
      self->last_ = self->timed_out_ ? error_code(asio::error::timed_out) : ec;
      error_code ignored;
      self->socket_.close(ignored);
      self->next();
    });
  }

  void finish(const error_code &ec) {
    DialFn done = std::move(done_);
    done(ec, std::move(socket_));
  }

  Socket socket_;
  asio::steady_timer timer_;
  std::vector<std::string> addresses_;
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  DialFn done_;
  std::size_t index_ = 0;
  unsigned attempt_id_ = 0;
  bool timed_out_ = false;
  error_code last_;
};

}  // namespace

void dial(Executor ex, std::vector<std::string> addresses, std::uint16_t port, std::chrono::milliseconds timeout,
          DialFn done) {
  std::make_shared<Dialer>(std::move(ex), std::move(addresses), port, timeout, std::move(done))->next();
}

}  // namespace srt::proxy
