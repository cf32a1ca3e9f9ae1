#include "socks5_session.hpp"

#include "closing_reply.hpp"
#include "dialer.hpp"
#include "limits.hpp"
#include "proxy_auth.hpp"
#include "relay.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

namespace srt::proxy::socks5 {
namespace {

static_assert(kClientBufferBytes <= kMaxPipelinedBytes);

std::uint8_t reply_for(const error_code &ec) {
  if (ec == asio::error::connection_refused) return kConnectionRefused;
  if (ec == asio::error::host_unreachable) return kHostUnreachable;
  if (ec == asio::error::network_unreachable) return kNetworkUnreachable;
  if (ec == asio::error::timed_out) return kTtlExpired;
  return kGeneralFailure;
}

std::string two_bytes(std::uint8_t a, std::uint8_t b) { return {static_cast<char>(a), static_cast<char>(b)}; }

}  // namespace

Socks5Session::Socks5Session(Server &server, Socket client, ConnectionSlot slot)
    : server_(server),
      client_(std::move(client)),
      slot_(std::move(slot)),
      timer_(client_.get_executor()),
      handshake_(server.token().has_value()) {}

void Socks5Session::start() {
  timer_.expires_after(server_.options().timeouts.request_head);
  timer_.async_wait([self = shared_from_this()](const error_code &ec) {
    if (ec || self->handed_off_) return;
    self->server_.log(SRT_LOG_DEBUG, "closing a client that did not finish the handshake in time");
    self->close();
  });
  read_more();
}

void Socks5Session::read_more() {
  begin_ = end_ = 0;
  client_.async_read_some(asio::buffer(in_.get(), kClientBufferBytes),
                          [self = shared_from_this()](const error_code &ec, std::size_t n) {
                            if (self->handed_off_) return;
                            if (ec) return self->close();
                            self->end_ = n;
                            self->process();
                          });
}

void Socks5Session::process() {
  for (;;) {
    auto step = handshake_.feed(pending());
    begin_ += step.consumed;
    switch (step.event) {
      case Handshake::Event::need_more: return flush_then([self = shared_from_this()] { self->read_more(); });
      case Handshake::Event::method_selected:
        out_ += two_bytes(kVersion, handshake_.method());
        if (handshake_.method() == kNoAcceptableMethod) return finish(std::move(out_));
        continue;
      case Handshake::Event::credentials:
        if (!credentials_ok(handshake_.user(), handshake_.password(), server_.token().value_or(""))) {
          out_ += two_bytes(kAuthVersion, 0x01);
          return finish(std::move(out_));
        }
        handshake_.accept_credentials();
        out_ += two_bytes(kAuthVersion, 0x00);
        continue;
      case Handshake::Event::request:
        timer_.cancel();
        return flush_then([self = shared_from_this()] { self->on_request(); });
      case Handshake::Event::failed: {
        auto code = handshake_.failure_reply();
        if (code) out_ += reply_bytes(code);
        return finish(std::move(out_));
      }
    }
  }
}

void Socks5Session::flush_then(std::function<void()> next) {
  if (out_.empty()) return next();
  asio::async_write(client_, asio::buffer(out_),
                    [self = shared_from_this(), next = std::move(next)](const error_code &ec, std::size_t) {
                      if (self->handed_off_) return;
                      if (ec) return self->close();
                      self->out_.clear();
                      next();
                    });
}

void Socks5Session::on_request() {
  server_.decide(handshake_.host(), handshake_.port(), SRT_NET_SOCKS5, client_.get_executor(),
                 [self = shared_from_this()](sdk::Verdict v) { self->on_verdict(v); });
}

void Socks5Session::on_verdict(const sdk::Verdict &v) {
  if (!v.allow) {
    server_.log(SRT_LOG_DEBUG, handshake_.host() + ":" + std::to_string(handshake_.port()) + " refused: " + v.reason);
    return finish(reply_bytes(v.kind == "unreachable" ? kHostUnreachable : kNotAllowed));
  }
  dial(client_.get_executor(), v.addresses, handshake_.port(), server_.options().timeouts.connect,
       [self = shared_from_this()](const error_code &ec, Socket upstream) {
         self->on_connected(ec, std::move(upstream));
       });
}

void Socks5Session::on_connected(const error_code &ec, Socket upstream) {
  if (ec) {
    server_.log(SRT_LOG_DEBUG, handshake_.host() + ":" + std::to_string(handshake_.port()) + ": " + ec.message());
    return finish(reply_bytes(reply_for(ec)));
  }
  std::vector<std::uint8_t> bound;
  std::uint16_t bound_port = 0;
  error_code lec;
  auto local = upstream.local_endpoint(lec);
  if (!lec && local.data()->sa_family == AF_INET) {
    sockaddr_in sin{};
    std::memcpy(&sin, local.data(), sizeof(sin));
    const auto *b = reinterpret_cast<const std::uint8_t *>(&sin.sin_addr);
    bound.assign(b, b + 4);
    bound_port = ntohs(sin.sin_port);
  } else if (!lec && local.data()->sa_family == AF_INET6) {
    sockaddr_in6 sin6{};
    std::memcpy(&sin6, local.data(), sizeof(sin6));
    const auto *b = reinterpret_cast<const std::uint8_t *>(&sin6.sin6_addr);
    bound.assign(b, b + 16);
    bound_port = ntohs(sin6.sin6_port);
  }
  out_ = reply_bytes(kSucceeded, bound, bound_port);
  asio::async_write(client_, asio::buffer(out_),
                    [self = shared_from_this(), up = std::move(upstream)](const error_code &e, std::size_t) mutable {
                      if (self->handed_off_) return;
                      if (e) return self->close();
                      self->handed_off_ = true;
                      start_relay(std::move(self->client_), std::move(up), std::string(self->pending()),
                                  std::move(self->slot_));
                    });
}

void Socks5Session::finish(std::string reply) {
  if (handed_off_) return;
  handed_off_ = true;
  timer_.cancel();
  error_code ignored;
  client_.cancel(ignored);
  reply_then_close(std::move(client_), std::move(reply), std::move(slot_));
}

void Socks5Session::close() {
  if (handed_off_) return;
  handed_off_ = true;
  timer_.cancel();
  error_code ignored;
  client_.close(ignored);
}

}  // namespace srt::proxy::socks5
