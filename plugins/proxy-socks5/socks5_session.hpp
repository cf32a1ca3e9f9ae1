// One SOCKS5 client: the handshake (with the session token when there is
// one), the decision, the connection, the reply, then the relay.
#pragma once

#include "socks5_handshake.hpp"

#include "asio.hpp"
#include "server.hpp"

#include <functional>
#include <memory>
#include <string>

namespace srt::proxy::socks5 {

// Bytes read from the client at once; a request's pipelined payload stays in
// it until the tunnel is up (so it must not exceed kMaxPipelinedBytes).
inline constexpr std::size_t kClientBufferBytes = 16 * 1024;

class Socks5Session : public std::enable_shared_from_this<Socks5Session> {
 public:
  Socks5Session(Server &server, Socket client, ConnectionSlot slot);
  void start();

 private:
  void read_more();
  void process();
  // Writes the queued replies, then calls `next`.
  void flush_then(std::function<void()> next);
  void on_request();
  void on_verdict(const sdk::Verdict &v);
  void on_connected(const error_code &ec, Socket upstream);
  void finish(std::string reply);
  void close();
  std::string_view pending() const { return {in_.get() + begin_, end_ - begin_}; }

  Server &server_;
  Socket client_;
  ConnectionSlot slot_;
  asio::steady_timer timer_;
  Handshake handshake_;
  std::unique_ptr<char[]> in_ = std::make_unique<char[]>(kClientBufferBytes);
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::string out_;
  bool handed_off_ = false;
};

}  // namespace srt::proxy::socks5
