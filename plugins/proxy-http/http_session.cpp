#include "http_session.hpp"

#include "forward_exchange.hpp"
#include "responses.hpp"

#include "closing_reply.hpp"
#include "dialer.hpp"
#include "proxy_auth.hpp"
#include "relay.hpp"

namespace srt::proxy::http {
namespace {

std::string describe(std::string_view host, std::uint16_t port) {
  std::string h(host);
  if (h.find(':') != std::string::npos) h = "[" + h + "]";
  return h + ":" + std::to_string(port);
}

Refusal refusal(std::string host, const sdk::Verdict &v) { return {std::move(host), v.reason, v.kind}; }

}  // namespace

HttpSession::HttpSession(Server &server, Socket client, ConnectionSlot slot, ClientBuffer buffer, bool first)
    : server_(server),
      client_(std::move(client)),
      slot_(std::move(slot)),
      in_(std::move(buffer)),
      timer_(client_.get_executor()),
      idle_(!first && in_.empty()) {}

void HttpSession::start() {
  const auto &t = server_.options().timeouts;
  arm_timer(idle_ ? t.keep_alive_idle : t.request_head);
  parse_buffered();
}

void HttpSession::arm_timer(std::chrono::milliseconds after) {
  const unsigned generation = ++timer_generation_;
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this(), generation](const error_code &ec) {
    if (ec || generation != self->timer_generation_ || self->handed_off_) return;
    if (self->idle_) return self->close();
    self->server_.log(SRT_LOG_DEBUG, "closing a client that sent no complete request head in time");
    self->finish(error_response(408, "srt: the request head did not arrive in time"));
  });
}

void HttpSession::stop_timer() {
  ++timer_generation_;
  timer_.cancel();
}

void HttpSession::parse_buffered() {
  while (!in_.empty()) {
    auto r = parser_.feed(in_.pending());
    in_.consume(r.consumed);
    if (r.status == HeadStatus::complete) {
      stop_timer();
      return on_head(parser_.take());
    }
    if (r.status == HeadStatus::invalid) {
      stop_timer();
      const auto &e = parser_.error();
      return finish(error_response(e.status, "srt: " + e.message));
    }
  }
  read_more();
}

void HttpSession::read_more() {
  client_.async_read_some(asio::buffer(in_.space(), in_.space_size()),
                          [self = shared_from_this()](const error_code &ec, std::size_t n) {
                            if (self->handed_off_) return;
                            if (ec) return self->close();
                            self->in_.filled(n);
                            if (self->idle_) {
                              self->idle_ = false;
                              self->arm_timer(self->server_.options().timeouts.request_head);
                            }
                            self->parse_buffered();
                          });
}

bool HttpSession::authorized(const RequestHead &head) const {
  const auto &token = server_.token();
  if (!token) return true;
  if (count_fields(head.fields, "proxy-authorization") != 1) return false;
  return basic_authorization_ok(find_field(head.fields, "proxy-authorization")->value, *token);
}

void HttpSession::on_head(RequestHead head) {
  if (!authorized(head)) return finish(proxy_auth_required_response());
  if (head.method == "CONNECT") return handle_connect(head);
  handle_forward(std::move(head));
}

void HttpSession::handle_connect(const RequestHead &head) {
  auto target = parse_authority_form(head.target);
  if (!target) return finish(error_response(400, "srt: CONNECT needs host:port or [address]:port"));
  // The client's pipelined bytes stay in in_ (at most its capacity): nothing
  // more is read until the tunnel is up.
  server_.decide(target->host, target->port, SRT_NET_CONNECT, client_.get_executor(),
                 [self = shared_from_this(), t = *target](sdk::Verdict v) { self->connect_verdict(t, v); });
}

void HttpSession::connect_verdict(const Authority &target, const sdk::Verdict &v) {
  const auto where = describe(target.host, target.port);
  if (!v.allow) {
    server_.log(SRT_LOG_DEBUG, "CONNECT " + where + " refused: " + v.reason);
    auto r = refusal(target.host, v);
    return finish(r.kind == "unreachable" ? unreachable_response(r) : connect_refusal_response(r));
  }
  dial(client_.get_executor(), v.addresses, target.port, server_.options().timeouts.connect,
       [self = shared_from_this(), where](const error_code &ec, Socket upstream) {
         if (ec) {
           self->server_.log(SRT_LOG_DEBUG, "CONNECT " + where + ": " + ec.message());
           return self->finish(error_response(502, "srt: cannot connect to " + where + ": " + ec.message()));
         }
         asio::async_write(self->client_, asio::buffer(kConnectEstablished),
                           [self, up = std::move(upstream)](const error_code &e, std::size_t) mutable {
                             if (e) return self->close();
                             self->handed_off_ = true;
                             std::string first(self->in_.pending());
                             start_relay(std::move(self->client_), std::move(up), std::move(first),
                                         std::move(self->slot_));
                           });
       });
}

void HttpSession::handle_forward(RequestHead head) {
  UrlProblem problem;
  auto url = parse_absolute_url(head.target, problem);
  if (!url) {
    switch (problem) {
      case UrlProblem::https:
        return finish(error_response(400, "srt: https:// URLs must be requested through CONNECT"));
      case UrlProblem::other_scheme: return finish(error_response(400, "srt: only http:// URLs can be forwarded"));
      case UrlProblem::malformed: return finish(error_response(400, "srt: malformed URL"));
      case UrlProblem::none:
      case UrlProblem::not_absolute: return finish(not_a_proxy_response());
    }
  }
  auto host = url->authority.host;
  auto port = url->authority.port;
  server_.decide(host, port, SRT_NET_HTTP, client_.get_executor(),
                 [self = shared_from_this(), head = std::move(head), url = std::move(*url)](sdk::Verdict v) mutable {
                   self->forward_verdict(std::move(head), std::move(url), v);
                 });
}

void HttpSession::forward_verdict(RequestHead head, AbsoluteUrl url, const sdk::Verdict &v) {
  const auto where = describe(url.authority.host, url.authority.port);
  if (!v.allow) {
    server_.log(SRT_LOG_DEBUG, head.method + " http://" + where + " refused: " + v.reason);
    auto r = refusal(url.authority.host, v);
    return finish(r.kind == "unreachable" ? unreachable_response(r) : plain_refusal_response(r));
  }
  auto canonical = v.host.empty() ? url.authority.host : v.host;
  dial(client_.get_executor(), v.addresses, url.authority.port, server_.options().timeouts.connect,
       [self = shared_from_this(), where, head = std::move(head), url = std::move(url),
        canonical = std::move(canonical)](const error_code &ec, Socket upstream) mutable {
         if (ec) {
           self->server_.log(SRT_LOG_DEBUG, where + ": " + ec.message());
           return self->finish(error_response(502, "srt: cannot connect to " + where + ": " + ec.message()));
         }
         self->handed_off_ = true;
         start_forward_exchange(self->server_, std::move(self->client_), std::move(self->slot_), std::move(self->in_),
                                std::move(head), std::move(url), std::move(canonical), std::move(upstream));
       });
}

void HttpSession::finish(std::string reply) {
  if (handed_off_) return;
  handed_off_ = true;
  stop_timer();
  error_code ignored;
  client_.cancel(ignored);
  reply_then_close(std::move(client_), std::move(reply), std::move(slot_));
}

void HttpSession::close() {
  if (handed_off_) return;
  handed_off_ = true;
  stop_timer();
  error_code ignored;
  client_.close(ignored);
}

}  // namespace srt::proxy::http
