// One HTTP client connection between requests: reads and checks a request
// head, then answers it itself (errors, refusals, 407), turns the connection
// into a CONNECT tunnel, or hands it to a ForwardExchange (which hands it
// back for the next request).
#pragma once

#include "client_buffer.hpp"
#include "request_head.hpp"
#include "request_target.hpp"

#include "asio.hpp"
#include "server.hpp"

#include <memory>
#include <string>

namespace srt::proxy::http {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // `first`: a new connection (head deadline from now) rather than one kept
  // alive after a request (idle timeout until the next byte).
  HttpSession(Server &server, Socket client, ConnectionSlot slot, ClientBuffer buffer, bool first);
  void start();

 private:
  void arm_timer(std::chrono::milliseconds after);
  void stop_timer();
  void parse_buffered();
  void read_more();
  void on_head(RequestHead head);
  bool authorized(const RequestHead &head) const;
  void handle_connect(const RequestHead &head);
  void handle_forward(RequestHead head);
  void connect_verdict(const Authority &target, const sdk::Verdict &v);
  void forward_verdict(RequestHead head, AbsoluteUrl url, const sdk::Verdict &v);
  // Sends a final answer and ends the connection.
  void finish(std::string reply);
  void close();

  Server &server_;
  Socket client_;
  ConnectionSlot slot_;
  ClientBuffer in_;
  asio::steady_timer timer_;
  unsigned timer_generation_ = 0;
  RequestHeadParser parser_;
  bool idle_;                // kept alive, no byte of the next request yet
  bool handed_off_ = false;  // the socket belongs to someone else now, or is closed
};

}  // namespace srt::proxy::http
