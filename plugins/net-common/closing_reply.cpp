#include "closing_reply.hpp"

#include "limits.hpp"

#include <array>
#include <memory>

namespace srt::proxy {
namespace {

class ClosingReply : public std::enable_shared_from_this<ClosingReply> {
 public:
  ClosingReply(Socket client, std::string reply, ConnectionSlot slot)
      : client_(std::move(client)), timer_(client_.get_executor()), reply_(std::move(reply)), slot_(std::move(slot)) {}

  void start() {
    timer_.expires_after(kLingerTimeout);
    timer_.async_wait([self = shared_from_this()](const error_code &ec) {
      if (!ec) self->close();
    });
    asio::async_write(client_, asio::buffer(reply_), [self = shared_from_this()](const error_code &ec, std::size_t) {
      if (ec) return self->close();
      std::string().swap(self->reply_);
      // A client already gone fails here; the drain below notices it too.
      error_code ignored;
      self->client_.shutdown(asio::socket_base::shutdown_send, ignored);
      self->drain();
    });
  }

 private:
  void drain() {
    client_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](const error_code &ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > kMaxLingerBytes) return self->close();
      self->drain();
    });
  }

  void close() {
    error_code ignored;
    timer_.cancel();
    client_.close(ignored);
  }

  Socket client_;
  asio::steady_timer timer_;
  std::string reply_;
  ConnectionSlot slot_;
  std::array<char, 4096> scratch_{};
  std::size_t drained_ = 0;
};

}  // namespace

void reply_then_close(Socket client, std::string reply, ConnectionSlot slot) {
  std::make_shared<ClosingReply>(std::move(client), std::move(reply), std::move(slot))->start();
}

}  // namespace srt::proxy
