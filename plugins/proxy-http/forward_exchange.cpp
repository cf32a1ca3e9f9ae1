#include "forward_exchange.hpp"

#include "body_reader.hpp"
#include "http_session.hpp"
#include "response_head.hpp"
#include "responses.hpp"

#include "closing_reply.hpp"

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace srt::proxy::http {
namespace {

// Bytes to send, gathered without copying the payload: chunk framing lives
// here, payload views point into a read buffer that is not read into again
// before the write completes.
class Outgoing {
 public:
  void add(std::string text) {
    framing_.push_back(std::move(text));
    buffers_.emplace_back(asio::buffer(framing_.back()));
  }
  void add_view(std::string_view v) {
    if (!v.empty()) buffers_.emplace_back(asio::buffer(v.data(), v.size()));
  }
  void add_payload(const std::vector<std::string_view> &payload, bool chunked) {
    for (auto p : payload) {
      if (p.empty()) continue;
      if (!chunked) {
        add_view(p);
        continue;
      }
      add(chunk_header(p.size()));
      add_view(p);
      add_view(kChunkEnd);
    }
  }
  const std::vector<asio::const_buffer> &buffers() const { return buffers_; }
  bool empty() const { return buffers_.empty(); }
  void clear() {
    buffers_.clear();
    framing_.clear();
  }

 private:
  std::deque<std::string> framing_;  // stable addresses as it grows
  std::vector<asio::const_buffer> buffers_;
};

class ForwardExchange : public std::enable_shared_from_this<ForwardExchange> {
 public:
  ForwardExchange(Server &server, Socket client, ConnectionSlot slot, ClientBuffer in, RequestHead request,
                  AbsoluteUrl url, std::string host, Socket upstream)
      : server_(server),
        client_(std::move(client)),
        upstream_(std::move(upstream)),
        slot_(std::move(slot)),
        in_(std::move(in)),
        request_(std::move(request)),
        url_(std::move(url)),
        host_(std::move(host)),
        request_body_(request_.body),
        idle_timer_(client_.get_executor()) {}

  void start() {
    arm_idle_timer();
    request_out_.add(upstream_request_head(request_, url_, host_));
    bool body_done = take_request_body();
    if (closed_) return;
    asio::async_write(upstream_, request_out_.buffers(),
                      [self = shared_from_this(), body_done](const error_code &ec, std::size_t) {
                        if (self->closed_) return;
                        self->request_out_.clear();
                        if (ec) return self->fail(502, "srt: sending the request failed: " + ec.message());
                        self->active_ = true;
                        self->read_response_head();
                        if (body_done) self->request_finished_ = true;
                        else self->pump_request();
                      });
  }

 private:
  // Moves the request payload in the client buffer to request_out_; true
  // when the body is complete.
  bool take_request_body() {
    if (request_body_.done()) return true;
    std::vector<std::string_view> payload;
    auto r = request_body_.feed(in_.pending(), payload);
    in_.consume(r.consumed);
    if (r.error) {
      fail(400, "srt: malformed chunked request body");
      return false;
    }
    const bool chunked = request_.body.kind == BodyKind::chunked;
    request_out_.add_payload(payload, chunked);
    if (r.done && chunked) request_out_.add(std::string(kLastChunk));
    return r.done;
  }

  void pump_request() {
    client_.async_read_some(asio::buffer(in_.space(), in_.space_size()),
                            [self = shared_from_this()](const error_code &ec, std::size_t n) {
                              if (self->closed_) return;
                              if (ec) return self->close_all();  // the client left mid-request
                              self->active_ = true;
                              self->in_.filled(n);
                              bool done = self->take_request_body();
                              if (self->closed_) return;
                              self->send_request_part(done);
                            });
  }

  void send_request_part(bool done) {
    asio::async_write(upstream_, request_out_.buffers(),
                      [self = shared_from_this(), done](const error_code &ec, std::size_t) {
                        if (self->closed_) return;
                        self->request_out_.clear();
                        if (ec) {
                          // The destination stopped reading; its response may
                          // still come, but the connection cannot be reused.
                          self->request_abandoned_ = true;
                          self->keep_alive_ = false;
                          return;
                        }
                        self->active_ = true;
                        if (done) self->request_finished_ = true;
                        else self->pump_request();
                      });
  }

  void read_response_head() {
    if (!response_parser_) response_parser_.emplace();
    if (up_begin_ < up_end_) return parse_response_head();
    upstream_.async_read_some(asio::buffer(up_.get(), kUpstreamBufferBytes),
                              [self = shared_from_this()](const error_code &ec, std::size_t n) {
                                if (self->closed_) return;
                                if (ec == asio::error::eof)
                                  return self->fail(502, "srt: the server closed the connection without a response");
                                if (ec) return self->fail(502, "srt: reading the response failed: " + ec.message());
                                self->active_ = true;
                                self->up_begin_ = 0;
                                self->up_end_ = n;
                                self->parse_response_head();
                              });
  }

  void parse_response_head() {
    auto r = response_parser_->feed(upstream_pending());
    up_begin_ += r.consumed;
    if (r.status == HeadStatus::invalid)
      return fail(502, "srt: invalid response from the server: " + response_parser_->error().message);
    if (r.status == HeadStatus::need_more) return read_response_head();
    ResponseHead head = response_parser_->take();
    response_parser_.reset();
    if (head.status >= 200) return begin_response(std::move(head));
    if (head.status == 101) return fail(502, "srt: the server switched protocols, which this proxy does not forward");
    // Interim responses (100 Continue) reach HTTP/1.1 clients only.
    if (request_.minor_version == 0) return read_response_head();
    response_started_ = true;
    response_out_.add(client_response_head(head, {}, true));
    asio::async_write(client_, response_out_.buffers(), [self = shared_from_this()](const error_code &ec, std::size_t) {
      if (self->closed_) return;
      self->response_out_.clear();
      if (ec) return self->close_all();
      self->active_ = true;
      self->read_response_head();
    });
  }

  void begin_response(ResponseHead head) {
    const BodyFraming framing = response_body(head, request_.method);
    BodyFraming to_client = framing;
    // Chunked and close-delimited bodies reach an HTTP/1.1 client chunked
    // (so that its connection can stay open), an HTTP/1.0 one delimited by
    // the end of the connection.
    if (framing.kind == BodyKind::chunked || framing.kind == BodyKind::until_close)
      to_client = {request_.minor_version == 1 ? BodyKind::chunked : BodyKind::until_close, 0};
    keep_alive_ = request_.keep_alive && !request_abandoned_ && to_client.kind != BodyKind::until_close;
    response_chunked_ = to_client.kind == BodyKind::chunked;
    response_body_.emplace(framing);
    response_started_ = true;
    response_out_.add(client_response_head(head, to_client, keep_alive_));
    deliver_response_bytes();
  }

  void deliver_response_bytes() {
    std::vector<std::string_view> payload;
    auto r = response_body_->feed(upstream_pending(), payload);
    up_begin_ += r.consumed;
    if (r.error) return close_all();
    response_out_.add_payload(payload, response_chunked_);
    if (r.done && response_chunked_) response_out_.add(std::string(kLastChunk));
    write_response(r.done);
  }

  void pump_response() {
    upstream_.async_read_some(asio::buffer(up_.get(), kUpstreamBufferBytes),
                              [self = shared_from_this()](const error_code &ec, std::size_t n) {
                                if (self->closed_) return;
                                if (ec == asio::error::eof) {
                                  if (!self->response_body_->end_of_input()) return self->close_all();
                                  if (self->response_chunked_) self->response_out_.add(std::string(kLastChunk));
                                  return self->write_response(true);
                                }
                                if (ec) return self->close_all();
                                self->active_ = true;
                                self->up_begin_ = 0;
                                self->up_end_ = n;
                                self->deliver_response_bytes();
                              });
  }

  void write_response(bool done) {
    if (response_out_.empty()) return done ? response_done() : pump_response();
    asio::async_write(client_, response_out_.buffers(),
                      [self = shared_from_this(), done](const error_code &ec, std::size_t) {
                        if (self->closed_) return;
                        self->response_out_.clear();
                        if (ec) return self->close_all();
                        self->active_ = true;
                        if (done) self->response_done();
                        else self->pump_response();
                      });
  }

  void response_done() {
    closed_ = true;
    idle_timer_.cancel();
    error_code ignored;
    upstream_.close(ignored);
    if (!keep_alive_ || !request_finished_) {
      client_.cancel(ignored);
      reply_then_close(std::move(client_), {}, std::move(slot_));
      return;
    }
    std::make_shared<HttpSession>(server_, std::move(client_), std::move(slot_), std::move(in_), false)->start();
  }

  std::string_view upstream_pending() const { return {up_.get() + up_begin_, up_end_ - up_begin_}; }

  // Inactivity is checked once per period: an exchange silent for a whole
  // period (between one and two periods of silence) ends.
  void arm_idle_timer() {
    idle_timer_.expires_after(server_.options().timeouts.exchange_idle);
    idle_timer_.async_wait([self = shared_from_this()](const error_code &ec) {
      if (ec || self->closed_) return;
      if (!self->active_) return self->fail(504, "srt: the server did not answer in time");
      self->active_ = false;
      self->arm_idle_timer();
    });
  }

  // Ends the exchange; the client gets `status` if no byte of a response
  // has been sent yet.
  void fail(int status, std::string message) {
    if (closed_) return;
    if (response_started_) return close_all();
    closed_ = true;
    idle_timer_.cancel();
    error_code ignored;
    upstream_.close(ignored);
    client_.cancel(ignored);
    reply_then_close(std::move(client_), error_response(status, message), std::move(slot_));
  }

  void close_all() {
    if (closed_) return;
    closed_ = true;
    idle_timer_.cancel();
    error_code ignored;
    upstream_.close(ignored);
    client_.close(ignored);
  }

  Server &server_;
  Socket client_;
  Socket upstream_;
  ConnectionSlot slot_;
  ClientBuffer in_;
  RequestHead request_;
  AbsoluteUrl url_;
  std::string host_;

  BodyReader request_body_;
  Outgoing request_out_;
  bool request_finished_ = false;
  bool request_abandoned_ = false;

  std::unique_ptr<char[]> up_ = std::make_unique<char[]>(kUpstreamBufferBytes);
  std::size_t up_begin_ = 0;
  std::size_t up_end_ = 0;
  std::optional<ResponseHeadParser> response_parser_;
  std::optional<BodyReader> response_body_;
  Outgoing response_out_;
  bool response_chunked_ = false;
  bool response_started_ = false;
  bool keep_alive_ = false;

  asio::steady_timer idle_timer_;
  bool active_ = true;
  bool closed_ = false;
};

}  // namespace

void start_forward_exchange(Server &server, Socket client, ConnectionSlot slot, ClientBuffer in, RequestHead request,
                            AbsoluteUrl url, std::string canonical_host, Socket upstream) {
  std::make_shared<ForwardExchange>(server, std::move(client), std::move(slot), std::move(in), std::move(request),
                                    std::move(url), std::move(canonical_host), std::move(upstream))
      ->start();
}

}  // namespace srt::proxy::http
