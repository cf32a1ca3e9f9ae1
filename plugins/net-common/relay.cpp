#include "relay.hpp"

#include "limits.hpp"
#include "unique_fd.hpp"

#include <fcntl.h>

#include <cerrno>
#include <memory>

namespace srt::proxy {
namespace {

class Tunnel : public std::enable_shared_from_this<Tunnel> {
 public:
  Tunnel(Socket client, Socket upstream, ConnectionSlot slot)
      : client_(std::move(client)), upstream_(std::move(upstream)), slot_(std::move(slot)) {}

  void start(std::string first) {
    error_code ec;
    // Reads are attempted right after readiness or a finished write; a socket
    // with nothing to read must say so instead of blocking the thread.
    client_.non_blocking(true, ec);
    if (!ec) upstream_.non_blocking(true, ec);
    if (ec) {
      close();
      return;
    }
    pump(down_);
    if (first.empty()) {
      pump(up_);
      return;
    }
    first_ = std::move(first);
    asio::async_write(upstream_, asio::buffer(first_), [self = shared_from_this()](const error_code &e, std::size_t) {
      if (e) return self->close();
      std::string().swap(self->first_);
      self->pump(self->up_);
    });
  }

 private:
  struct Direction {
    Direction(Socket *f, Socket *t) : from(f), to(t) {}
    Socket *from;
    Socket *to;
    std::unique_ptr<char[]> buffer;  // held only while bytes are in flight, until bulk mode
    std::size_t capacity = kRelayInitialBufferBytes;
    bool bulk = false;
#ifdef __linux__
    UniqueFd pipe_out, pipe_in;  // read end, write end
    std::size_t in_pipe = 0;
#endif
    bool ended = false;
  };

  // Moves what `d.from` has now, then waits for more.
  void pump(Direction &d) {
    if (closed_) return;
#ifdef __linux__
    if (d.pipe_in) return splice_in(d);
#endif
    if (!d.buffer) d.buffer = std::make_unique<char[]>(d.capacity);
    error_code ec;
    std::size_t n = d.from->read_some(asio::buffer(d.buffer.get(), d.capacity), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      // Idle tunnels hold no buffer until bulk data has been seen.
      if (!d.bulk) d.buffer.reset();
      return wait_readable(d);
    }
    if (ec == asio::error::interrupted)
      return asio::post(d.from->get_executor(), [self = shared_from_this(), &d] { self->pump(d); });
    if (ec == asio::error::eof) return end_of_stream(d);
    if (ec) return close();
    const bool filled = n == d.capacity;
    asio::async_write(*d.to, asio::buffer(d.buffer.get(), n),
                      [self = shared_from_this(), &d, filled](const error_code &e, std::size_t) {
                        if (e) return self->close();
                        if (filled && !d.bulk) self->enter_bulk(d);
                        self->pump(d);
                      });
  }

  void wait_readable(Direction &d) {
    d.from->async_wait(asio::socket_base::wait_read, [self = shared_from_this(), &d](const error_code &e) {
      if (e) return self->close();
      self->pump(d);
    });
  }

  // A read filled the whole buffer: this direction carries bulk data.
  void enter_bulk(Direction &d) {
    d.bulk = true;
#ifdef __linux__
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
      d.pipe_out.reset(fds[0]);
      d.pipe_in.reset(fds[1]);
      // A larger pipe means fewer splice calls; the default still works when
      // the system refuses (per-user pipe limits).
      (void)::fcntl(fds[1], F_SETPIPE_SZ, static_cast<int>(kSplicePipeBytes));
      d.buffer.reset();
      return;
    }
#endif
    d.capacity = kRelayBulkBufferBytes;
    d.buffer = std::make_unique<char[]>(d.capacity);
  }

#ifdef __linux__
  // Zero-copy bulk mode: socket -> pipe -> socket with splice(); the bytes
  // never enter this process. Loops (no recursion) and yields the thread
  // after a few rounds so that a fast tunnel cannot starve the others.
  void splice_in(Direction &d) {
    for (int round = 0; round < kRelayRoundsPerTurn; ++round) {
      if (d.in_pipe == 0) {
        ssize_t n = ::splice(d.from->native_handle(), nullptr, d.pipe_in.get(), nullptr, kSplicePipeBytes,
                             SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n == 0) return end_of_stream(d);
        if (n < 0) {
          if (errno == EINTR) continue;
          if (errno == EAGAIN) return wait_readable(d);
          return close();
        }
        d.in_pipe = static_cast<std::size_t>(n);
      }
      if (!splice_out(d)) return;
    }
    asio::post(d.from->get_executor(), [self = shared_from_this(), &d] { self->pump(d); });
  }

  // Empties the pipe into the destination. False when it had to wait (the
  // wait resumes the direction) or the tunnel closed.
  bool splice_out(Direction &d) {
    while (d.in_pipe > 0) {
      ssize_t n = ::splice(d.pipe_out.get(), nullptr, d.to->native_handle(), nullptr, d.in_pipe,
                           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        d.in_pipe -= static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) {
        d.to->async_wait(asio::socket_base::wait_write, [self = shared_from_this(), &d](const error_code &e) {
          if (e) return self->close();
          if (self->splice_out(d)) self->pump(d);
        });
        return false;
      }
      // The destination is gone (EPIPE, ECONNRESET; its SIGPIPE stays pending
      // on this thread, which blocks every signal).
      close();
      return false;
    }
    return !closed_;
  }
#endif

  void end_of_stream(Direction &d) {
    d.ended = true;
    d.buffer.reset();
    error_code ec;
    d.to->shutdown(asio::socket_base::shutdown_send, ec);
    if (ec || (up_.ended && down_.ended)) close();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    client_.close(ignored);
    upstream_.close(ignored);
  }

  Socket client_;
  Socket upstream_;
  ConnectionSlot slot_;
  Direction up_{&client_, &upstream_};
  Direction down_{&upstream_, &client_};
  std::string first_;
  bool closed_ = false;
};

}  // namespace

void start_relay(Socket client, Socket upstream, std::string to_upstream_first, ConnectionSlot slot) {
  std::make_shared<Tunnel>(std::move(client), std::move(upstream), std::move(slot))
      ->start(std::move(to_upstream_first));
}

}  // namespace srt::proxy
