// The SOCKS5 proxy end to end: started in-process through the SDK with a
// test decision table, against real sockets on 127.0.0.1 and ::1.
#include "net_test_host.hpp"
#include "net_test_sockets.hpp"
#include "socks5_proxy.hpp"

#include <doctest/doctest.h>

using namespace srt::test;
using srt::proxy::Options;
using srt::proxy::socks5::start_socks5_proxy;

namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}
std::string port_bytes(std::uint16_t port) { return bytes({port >> 8, port & 0xFF}); }

struct Socks5Proxy {
  TestNetHost host;
  std::unique_ptr<srt::sdk::Proxy> proxy;
  std::uint16_t port = 0;

  explicit Socks5Proxy(std::optional<std::string> token = std::nullopt) {
    Options o;
    o.timeouts.request_head = 400ms;
    o.timeouts.connect = 2000ms;
    srt::sdk::ProxyConfig config;
    config.listen.push_back({{}, "127.0.0.1:0"});
    config.token = std::move(token);
    proxy = start_socks5_proxy(host.net(), config, o);
    port = port_of(proxy->endpoints().at(0).tcp);
  }
  ~Socks5Proxy() { proxy->stop(); }
  Fd client() const {
    auto fd = connect_tcp(port);
    REQUIRE(fd);
    return fd;
  }
};

const std::string kNoAuth = bytes({5, 1, 0});
const std::string kNoAuthChosen = bytes({5, 0});
const std::string kNotAllowed = bytes({5, 2, 0, 1, 0, 0, 0, 0, 0, 0});

std::string connect_v4(std::uint16_t port) { return bytes({5, 1, 0, 1, 127, 0, 0, 1}) + port_bytes(port); }
std::string connect_domain(const std::string &name, std::uint16_t port) {
  return bytes({5, 1, 0, 3, static_cast<int>(name.size())}) + name + port_bytes(port);
}
std::string success_v4(std::uint16_t) { return bytes({5, 0, 0, 1, 127, 0, 0, 1}); }

// The answer and whether the proxy then closed.
std::string answer_then_eof(int fd, bool &closed) { return recv_to_eof(fd, closed, 2000ms); }

}  // namespace

TEST_CASE("socks5 proxy: CONNECT to an IPv4 address, pipelined payload, half-close") {
  EchoServer echo;
  Socks5Proxy p;
  p.host.allow("127.0.0.1", {"127.0.0.1"});
  auto c = p.client();
  REQUIRE(send_all(c.get(), kNoAuth + connect_v4(echo.port()) + "early"));
  auto reply = recv_n(c.get(), 2 + 10 + 5);
  REQUIRE(reply.size() == 17);
  CHECK(reply.substr(0, 2) == kNoAuthChosen);
  CHECK(reply.substr(2, 8) == success_v4(0));  // bound to 127.0.0.1, some port
  CHECK(reply.substr(12) == "early");
  REQUIRE(send_all(c.get(), "bye"));
  REQUIRE(::shutdown(c.get(), SHUT_WR) == 0);
  bool closed = false;
  CHECK(recv_to_eof(c.get(), closed) == "bye");
  CHECK(closed);
  auto q = p.host.questions();
  REQUIRE(q.size() == 1);
  CHECK(q[0].host == "127.0.0.1");
  CHECK(q[0].port == echo.port());
  CHECK(q[0].protocol == SRT_NET_SOCKS5);
}

TEST_CASE("socks5 proxy: CONNECT to a domain name") {
  EchoServer echo;
  Socks5Proxy p;
  p.host.allow("echo.test", {"127.0.0.1"});
  auto c = p.client();
  REQUIRE(send_all(c.get(), kNoAuth));
  CHECK(recv_n(c.get(), 2) == kNoAuthChosen);
  REQUIRE(send_all(c.get(), connect_domain("echo.test", echo.port())));
  auto reply = recv_n(c.get(), 10);
  CHECK(reply.substr(0, 4) == bytes({5, 0, 0, 1}));
  REQUIRE(send_all(c.get(), "hello"));
  CHECK(recv_n(c.get(), 5) == "hello");
  CHECK(p.host.questions().at(0).host == "echo.test");
}

TEST_CASE("socks5 proxy: CONNECT to ::1") {
  EchoServer echo6(AF_INET6);
  if (!echo6.ok()) {
    MESSAGE("no IPv6 loopback here: skipped");
    return;
  }
  Socks5Proxy p;
  p.host.allow("::1", {"::1"});
  auto c = p.client();
  REQUIRE(send_all(c.get(), kNoAuth + bytes({5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}) +
                                port_bytes(echo6.port()) + "six"));
  auto reply = recv_n(c.get(), 2 + 22 + 3);
  REQUIRE(reply.size() == 27);
  CHECK(reply.substr(2, 4) == bytes({5, 0, 0, 4}));
  CHECK(reply.substr(6, 16) == bytes({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  CHECK(reply.substr(24) == "six");
  CHECK(p.host.questions().at(0).host == "::1");
}

TEST_CASE("socks5 proxy: refusals") {
  Socks5Proxy p;
  p.host.deny("denied.test", "host is on the deny list");
  p.host.deny("guarded.test", "resolved to a loopback address", "address");
  p.host.deny("nowhere.test", "does not resolve", "unreachable");
  std::uint16_t closed_port = 0;
  { auto l = listen_loopback(AF_INET, closed_port); }
  p.host.allow("refusing.test", {"127.0.0.1"});
  auto answer = [&](const std::string &request) {
    auto c = p.client();
    REQUIRE(send_all(c.get(), kNoAuth + request));
    bool closed = false;
    auto r = answer_then_eof(c.get(), closed);
    CHECK(closed);
    REQUIRE(r.substr(0, 2) == kNoAuthChosen);
    return r.substr(2);
  };
  CHECK(answer(connect_domain("denied.test", 443)) == kNotAllowed);
  CHECK(answer(connect_domain("guarded.test", 443)) == kNotAllowed);
  CHECK(answer(connect_domain("unknown.test", 443)) == kNotAllowed);
  CHECK(answer(connect_domain("nowhere.test", 443)) == bytes({5, 4, 0, 1, 0, 0, 0, 0, 0, 0}));
  CHECK(answer(connect_domain("refusing.test", closed_port)) == bytes({5, 5, 0, 1, 0, 0, 0, 0, 0, 0}));
  CHECK(answer(bytes({5, 3, 0, 1, 0, 0, 0, 0, 0, 0})) == bytes({5, 7, 0, 1, 0, 0, 0, 0, 0, 0}));     // UDP ASSOCIATE
  CHECK(answer(bytes({5, 2, 0, 1, 127, 0, 0, 1, 0, 80})) == bytes({5, 7, 0, 1, 0, 0, 0, 0, 0, 0}));  // BIND
  CHECK(answer(bytes({5, 1, 0, 9})) == bytes({5, 8, 0, 1, 0, 0, 0, 0, 0, 0}));
  CHECK(answer(bytes({5, 1, 7, 1})).empty());  // malformed: closed without a reply
  auto q = p.host.questions();
  CHECK(q.size() == 5);  // only the well-formed CONNECTs were decided
}

TEST_CASE("socks5 proxy: with a token") {
  EchoServer echo;
  Socks5Proxy p("tok");
  p.host.allow("echo.test", {"127.0.0.1"});
  bool closed = false;
  {  // a client offering no authentication
    auto c = p.client();
    REQUIRE(send_all(c.get(), kNoAuth));
    CHECK(answer_then_eof(c.get(), closed) == bytes({5, 0xFF}));
    CHECK(closed);
  }
  auto with = [&](const std::string &user, const std::string &pass) {
    return bytes({5, 2, 0, 2, 1, static_cast<int>(user.size())}) + user + bytes({static_cast<int>(pass.size())}) + pass;
  };
  for (auto [user, pass] : {std::pair<std::string, std::string>{"srt", "bad"}, {"bob", "tok"}, {"", ""}}) {
    auto c = p.client();
    REQUIRE(send_all(c.get(), with(user, pass) + connect_domain("echo.test", echo.port())));
    CHECK(answer_then_eof(c.get(), closed) == bytes({5, 2, 1, 1}));
    CHECK(closed);
  }
  CHECK(p.host.questions().empty());
  // Everything pipelined at once, right credentials.
  auto c = p.client();
  REQUIRE(send_all(c.get(), with("srt.abc", "tok") + connect_domain("echo.test", echo.port()) + "data"));
  auto r = recv_n(c.get(), 2 + 2 + 10 + 4);
  CHECK(r.substr(0, 4) == bytes({5, 2, 1, 0}));
  CHECK(r.substr(4, 2) == bytes({5, 0}));
  CHECK(r.substr(14) == "data");
}

TEST_CASE("socks5 proxy: an unfinished handshake is cut off at the deadline") {
  Socks5Proxy p;
  auto c = p.client();
  REQUIRE(send_all(c.get(), kNoAuth + bytes({5, 1})));
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  CHECK(recv_to_eof(c.get(), closed, 3000ms) == kNoAuthChosen);
  CHECK(closed);
  CHECK(std::chrono::steady_clock::now() - start < 2000ms);
}

TEST_CASE("socks5 proxy: 200 concurrent tunnels") {
  constexpr int kTunnels = 200;
  want_descriptors(4096);
  EchoServer echo;
  Socks5Proxy p;
  p.host.allow("echo.test", {"127.0.0.1"});
  std::vector<Fd> clients;
  int errors = 0;
  for (int i = 0; i < kTunnels; ++i) {
    auto c = connect_tcp(p.port);
    if (!c || !send_all(c.get(), kNoAuth + connect_domain("echo.test", echo.port()) + "x")) {
      ++errors;
      continue;
    }
    clients.push_back(std::move(c));
  }
  for (auto &c : clients) {
    auto r = recv_n(c.get(), 2 + 10 + 1, 10000ms);
    if (r.size() != 13 || r[3] != 0 || r.back() != 'x') ++errors;
  }
  CHECK(errors == 0);
}
