// The HTTP proxy end to end: started in-process through the SDK with a test
// decision table, against real sockets on 127.0.0.1.
#include "http_proxy.hpp"
#include "net_test_host.hpp"
#include "net_test_sockets.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

using namespace srt::test;
using srt::proxy::Options;
using srt::proxy::http::start_http_proxy;

namespace {

Options fast_options() {
  Options o;
  o.timeouts.request_head = 400ms;
  o.timeouts.keep_alive_idle = 400ms;
  o.timeouts.connect = 2000ms;
  o.timeouts.exchange_idle = 2000ms;
  return o;
}

struct HttpProxy {
  TestNetHost host;
  std::unique_ptr<srt::sdk::Proxy> proxy;
  std::uint16_t port = 0;

  explicit HttpProxy(std::optional<std::string> token = std::nullopt, Options options = fast_options()) {
    srt::sdk::ProxyConfig config;
    config.listen.push_back({{}, "127.0.0.1:0"});
    config.token = std::move(token);
    proxy = start_http_proxy(host.net(), config, options);
    port = port_of(proxy->endpoints().at(0).tcp);
  }
  ~HttpProxy() { proxy->stop(); }
  Fd client() const {
    auto fd = connect_tcp(port);
    REQUIRE(fd);
    return fd;
  }
};

std::string connect_request(const std::string &authority, const std::string &extra = {}) {
  return "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n" + extra + "\r\n";
}

const std::string kEstablished = "HTTP/1.1 200 Connection Established\r\n\r\n";

// "srt:tok" and friends, base64.
const std::string kGoodAuth = "Proxy-Authorization: Basic c3J0OnRvaw==\r\n";

}  // namespace

TEST_CASE("http proxy: CONNECT allowed keeps pipelined bytes and half-closes") {
  EchoServer echo;
  HttpProxy p;
  p.host.allow("echo.test", {"127.0.0.1"});
  auto c = p.client();
  const std::string target = "echo.test:" + std::to_string(echo.port());
  REQUIRE(send_all(c.get(), connect_request(target) + "pipelined-before-200"));
  auto got = recv_n(c.get(), kEstablished.size() + 20);
  CHECK(got == kEstablished + "pipelined-before-200");
  REQUIRE(send_all(c.get(), "second"));
  CHECK(recv_n(c.get(), 6) == "second");
  // Half-close: the last bytes still come back after the client stops sending.
  REQUIRE(send_all(c.get(), "last words"));
  REQUIRE(::shutdown(c.get(), SHUT_WR) == 0);
  bool closed = false;
  CHECK(recv_to_eof(c.get(), closed) == "last words");
  CHECK(closed);
  auto q = p.host.questions();
  REQUIRE(q.size() == 1);
  CHECK(q[0].host == "echo.test");
  CHECK(q[0].port == echo.port());
  CHECK(q[0].protocol == SRT_NET_CONNECT);
}

TEST_CASE("http proxy: CONNECT to an IPv6 literal") {
  EchoServer echo6(AF_INET6);
  if (!echo6.ok()) {
    MESSAGE("no IPv6 loopback here: skipped");
    return;
  }
  HttpProxy p;
  p.host.allow("::1", {"::1"});
  auto c = p.client();
  REQUIRE(send_all(c.get(), connect_request("[::1]:" + std::to_string(echo6.port())) + "v6"));
  CHECK(recv_n(c.get(), kEstablished.size() + 2) == kEstablished + "v6");
  CHECK(p.host.questions().at(0).host == "::1");
}

TEST_CASE("http proxy: CONNECT refusals are exact") {
  HttpProxy p;
  p.host.deny("denied.test", "host is on the deny list");
  p.host.deny("guarded.test", "resolved to a loopback address", "address");
  p.host.deny("nowhere.test", "the name does not resolve", "unreachable");
  p.host.deny("bad%host", "malformed host", "malformed");
  auto answer = [&](const std::string &authority) {
    auto c = p.client();
    REQUIRE(send_all(c.get(), connect_request(authority)));
    bool closed = false;
    auto r = recv_to_eof(c.get(), closed);
    CHECK(closed);
    return r;
  };
  CHECK(answer("denied.test:443") ==
        "HTTP/1.1 403 host is on the deny list\r\nContent-Type: text/plain\r\n"
        "X-Proxy-Error: blocked-by-allowlist\r\n\r\nConnection blocked by network allowlist");
  CHECK(answer("unknown.test:443") ==
        "HTTP/1.1 403 host is not on the allow list\r\nContent-Type: text/plain\r\n"
        "X-Proxy-Error: blocked-by-allowlist\r\n\r\nConnection blocked by network allowlist");
  CHECK(answer("guarded.test:443") ==
        "HTTP/1.1 403 resolved to a loopback address\r\nContent-Type: text/plain\r\n"
        "X-Proxy-Error: blocked-by-sandbox-runtime\r\n\r\n"
        "Connection to guarded.test blocked: resolved to a loopback address");
  CHECK(answer("bad%host:443") ==
        "HTTP/1.1 403 malformed host\r\nContent-Type: text/plain\r\n"
        "X-Proxy-Error: blocked-by-allowlist\r\n\r\nConnection blocked by network allowlist");
  CHECK(answer("nowhere.test:443").rfind("HTTP/1.1 502 Bad Gateway\r\n", 0) == 0);
  CHECK(answer("no-port.test").rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  CHECK(answer("[::1:443").rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
}

TEST_CASE("http proxy: CONNECT to a closed port is 502") {
  std::uint16_t closed_port = 0;
  { auto l = listen_loopback(AF_INET, closed_port); }
  HttpProxy p;
  p.host.allow("gone.test", {"127.0.0.1"});
  auto c = p.client();
  REQUIRE(send_all(c.get(), connect_request("gone.test:" + std::to_string(closed_port))));
  bool closed = false;
  auto r = recv_to_eof(c.get(), closed);
  CHECK(r.rfind("HTTP/1.1 502 Bad Gateway\r\n", 0) == 0);
  CHECK(r.find("gone.test:" + std::to_string(closed_port)) != std::string::npos);
}

TEST_CASE("http proxy: plain requests are forwarded without hop-by-hop fields, bodies intact") {
  HttpUpstream web({
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\nKeep-Alive: x\r\nX-Resp: 1\r\n\r\nabcde",
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4;x=y\r\ndefg\r\n0\r\nT: 1\r\n\r\n",
      "HTTP/1.1 200 OK\r\n\r\nuntil the end",
  });
  HttpProxy p;
  // The client's spelling is decided; the verdict's canonical host is sent.
  p.host.allow("WEB.test.", {"127.0.0.1"}, "web.test");
  auto c = p.client();
  const std::string port = std::to_string(web.port());

  // 1: Content-Length body, hop-by-hop fields in the request.
  REQUIRE(send_all(c.get(), "POST http://WEB.test.:" + port + "/path?q=1 HTTP/1.1\r\nHost: WEB.test.:" + port +
                                "\r\nConnection: keep-alive, X-Drop\r\nKeep-Alive: timeout=5\r\n"
                                "Proxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: h2c\r\nX-Drop: 1\r\n"
                                "X-Keep: yes\r\nContent-Length: 11\r\n\r\nhello world"));
  auto r1 = recv_until(c.get(), "abcde");
  CHECK(r1 == "HTTP/1.1 200 OK\r\nX-Resp: 1\r\nContent-Length: 5\r\n\r\nabcde");

  // 2: chunked request body on the same (kept-alive) client connection.
  REQUIRE(send_all(c.get(), "PUT http://WEB.test.:" + port +
                                "/up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n"
                                "0\r\nTrailer-Field: x\r\n\r\n"));
  auto r2 = recv_until(c.get(), "0\r\n\r\n");
  REQUIRE(r2.rfind("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n", 0) == 0);
  CHECK(dechunk(r2.substr(r2.find("\r\n\r\n") + 4)) == "abcdefg");

  // 3: a response delimited by the end of the connection reaches an
  // HTTP/1.1 client chunked, and the connection stays usable.
  REQUIRE(send_all(c.get(), "GET http://WEB.test.:" + port + "/end HTTP/1.1\r\n\r\n"));
  auto r3 = recv_until(c.get(), "0\r\n\r\n");
  REQUIRE(r3.rfind("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 0) == 0);
  CHECK(dechunk(r3.substr(r3.find("\r\n\r\n") + 4)) == "until the end");

  auto got = web.received();
  REQUIRE(got.size() == 3);
  CHECK(got[0].head == "POST /path?q=1 HTTP/1.1\r\nHost: web.test:" + port +
                           "\r\nX-Keep: yes\r\nContent-Length: 11\r\nConnection: close\r\n\r\n");
  CHECK(got[0].body == "hello world");
  CHECK(got[1].head ==
        "PUT /up HTTP/1.1\r\nHost: web.test:" + port + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  CHECK(got[1].body == "hello world");
  CHECK(got[2].head == "GET /end HTTP/1.1\r\nHost: web.test:" + port + "\r\nConnection: close\r\n\r\n");
  // Each request was decided separately.
  auto q = p.host.questions();
  REQUIRE(q.size() == 3);
  CHECK(q[0].host == "WEB.test.");
  CHECK(q[0].protocol == SRT_NET_HTTP);
}

TEST_CASE("http proxy: pipelined requests are answered in order") {
  HttpUpstream web(
      {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo"});
  HttpProxy p;
  p.host.allow("web.test", {"127.0.0.1"});
  auto c = p.client();
  const std::string url = "http://web.test:" + std::to_string(web.port());
  REQUIRE(
      send_all(c.get(), "GET " + url + "/1 HTTP/1.1\r\n\r\nGET " + url + "/2 HTTP/1.1\r\nConnection: close\r\n\r\n"));
  bool closed = false;
  auto r = recv_to_eof(c.get(), closed);
  CHECK(r ==
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\ntwo");
  CHECK(closed);
}

TEST_CASE("http proxy: interim responses, HEAD and large bodies") {
  const std::string big_request(8 << 20, 'q');
  std::string big_response(8 << 20, 'r');
  big_response[12345] = 'X';
  HttpUpstream web({"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                    "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nX-Head: 1\r\n\r\n",
                    "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(big_response.size()) + "\r\n\r\n" +
                        big_response});
  HttpProxy p;
  p.host.allow("web.test", {"127.0.0.1"});
  auto c = p.client();
  const std::string url = "http://web.test:" + std::to_string(web.port());
  REQUIRE(send_all(c.get(), "POST " + url + "/a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody"));
  CHECK(recv_until(c.get(), "ok") ==
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  REQUIRE(send_all(c.get(), "HEAD " + url + "/b HTTP/1.1\r\n\r\n"));
  CHECK(recv_until(c.get(), "\r\n\r\n") == "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nX-Head: 1\r\n\r\n");
  // The connection is still usable after a body-less HEAD answer.
  REQUIRE(send_all(c.get(), "PUT " + url + "/c HTTP/1.1\r\nContent-Length: " + std::to_string(big_request.size()) +
                                "\r\n\r\n" + big_request));
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(big_response.size()) + "\r\n\r\n";
  auto r = recv_n(c.get(), head.size() + big_response.size(), 20000ms);
  CHECK(r.size() == head.size() + big_response.size());
  CHECK(r.substr(0, head.size()) == head);
  CHECK((r.substr(head.size()) == big_response));
  auto got = web.received();
  REQUIRE(got.size() == 3);
  CHECK(got[0].head.find("\r\nExpect: 100-continue\r\n") != std::string::npos);
  CHECK(got[0].body == "body");
  CHECK(got[1].head.rfind("HEAD /b HTTP/1.1\r\n", 0) == 0);
  CHECK((got[2].body == big_request));
}

TEST_CASE("http proxy: clients beyond the connection limit are closed at once") {
  EchoServer echo;
  Options o = fast_options();
  o.max_connections = 2;
  HttpProxy p(std::nullopt, o);
  p.host.allow("echo.test", {"127.0.0.1"});
  const std::string request = connect_request("echo.test:" + std::to_string(echo.port()));
  auto a = p.client();
  auto b = p.client();
  REQUIRE(send_all(a.get(), request));
  REQUIRE(send_all(b.get(), request));
  CHECK(recv_n(a.get(), kEstablished.size()) == kEstablished);
  CHECK(recv_n(b.get(), kEstablished.size()) == kEstablished);
  auto third = p.client();
  bool closed = false;
  CHECK(recv_to_eof(third.get(), closed, 2000ms).empty());
  CHECK(closed);
  a.reset();  // a slot frees when a tunnel ends
  bool fourth_ok = false;
  for (int i = 0; i < 50 && !fourth_ok; ++i) {
    auto d = p.client();
    send_all(d.get(), request);
    fourth_ok = recv_n(d.get(), kEstablished.size(), 200ms) == kEstablished;
  }
  CHECK(fourth_ok);
}

TEST_CASE("http proxy: an HTTP/1.0 client gets a close-delimited body") {
  HttpUpstream web({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"});
  HttpProxy p;
  p.host.allow("web.test", {"127.0.0.1"});
  auto c = p.client();
  REQUIRE(send_all(c.get(), "GET http://web.test:" + std::to_string(web.port()) + "/ HTTP/1.0\r\n\r\n"));
  bool closed = false;
  CHECK(recv_to_eof(c.get(), closed) == "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhi");
  CHECK(closed);
}

TEST_CASE("http proxy: an invalid response head is 502") {
  HttpUpstream web({"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx"});
  HttpProxy p;
  p.host.allow("web.test", {"127.0.0.1"});
  auto c = p.client();
  REQUIRE(send_all(c.get(), "GET http://web.test:" + std::to_string(web.port()) + "/ HTTP/1.1\r\n\r\n"));
  bool closed = false;
  auto r = recv_to_eof(c.get(), closed);
  CHECK(r.rfind("HTTP/1.1 502 Bad Gateway\r\n", 0) == 0);
  CHECK(closed);
}

TEST_CASE("http proxy: plain refusals are exact and carry the reason") {
  HttpProxy p;
  p.host.deny("denied.test", "host is on the deny list");
  p.host.deny("guarded.test", "resolved to a loopback address", "address");
  auto answer = [&](const std::string &request) {
    auto c = p.client();
    REQUIRE(send_all(c.get(), request));
    bool closed = false;
    auto r = recv_to_eof(c.get(), closed);
    CHECK(closed);
    return r;
  };
  const std::string body = "Connection blocked by network allowlist\nreason: host is on the deny list\n";
  CHECK(answer("GET http://denied.test/x HTTP/1.1\r\nHost: denied.test\r\n\r\n") ==
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nX-Proxy-Error: blocked-by-allowlist\r\n"
        "Content-Length: " +
            std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  const std::string guard = "Connection to guarded.test blocked: resolved to a loopback address";
  CHECK(answer("GET http://guarded.test/ HTTP/1.1\r\n\r\n") ==
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nX-Proxy-Error: blocked-by-sandbox-runtime\r\n"
        "Content-Length: " +
            std::to_string(guard.size()) + "\r\nConnection: close\r\n\r\n" + guard);
  // A refused request with a body still gets its answer.
  auto r = answer("POST http://denied.test/ HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + std::string(100000, 'b'));
  CHECK(r.rfind("HTTP/1.1 403 Forbidden\r\n", 0) == 0);
}

TEST_CASE("http proxy: requests that are not proxy requests") {
  HttpProxy p;
  auto answer = [&](const std::string &request) {
    auto c = p.client();
    REQUIRE(send_all(c.get(), request));
    bool closed = false;
    return recv_to_eof(c.get(), closed);
  };
  auto origin = answer("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(origin.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  CHECK(origin.find("this is a proxy") != std::string::npos);
  CHECK(answer("GET https://x/ HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  CHECK(answer("GET ftp://x/ HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  CHECK(answer("GET http://u:p@x/ HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  CHECK(answer("GET http://x/ HTTP/1.1\r\nA: b\r\n c\r\n\r\n").rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  CHECK(answer("GET http://x/ HTTP/3.0\r\n\r\n").rfind("HTTP/1.1 505 ", 0) == 0);
  CHECK(answer("GET http://x/ HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n")
            .rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0) == 0);
  CHECK(answer(std::string(200000, 'A')).rfind("HTTP/1.1 4", 0) == 0);
  CHECK(p.host.questions().empty());  // nothing was decided
}

TEST_CASE("http proxy: 407 without or with wrong credentials") {
  EchoServer echo;
  HttpProxy p("tok");
  p.host.allow("echo.test", {"127.0.0.1"});
  const std::string target = "echo.test:" + std::to_string(echo.port());
  auto answer = [&](const std::string &request) {
    auto c = p.client();
    REQUIRE(send_all(c.get(), request));
    bool closed = false;
    return recv_to_eof(c.get(), closed, 2000ms);
  };
  const std::string k407 = "HTTP/1.1 407 Proxy Authentication Required\r\n";
  const std::string challenge = "\r\nProxy-Authenticate: Basic realm=\"srt\"\r\n";
  for (const std::string &auth : {std::string(), std::string("Proxy-Authorization: Basic c3J0Ondyb25n\r\n"),
                                  std::string("Proxy-Authorization: Basic Ym9iOnRvaw==\r\n"),
                                  std::string("Proxy-Authorization: Bearer tok\r\n"), kGoodAuth + kGoodAuth}) {
    CAPTURE(auth);
    auto r = answer(connect_request(target, auth));
    CHECK(r.rfind(k407, 0) == 0);
    CHECK(r.find(challenge) != std::string::npos);
    CHECK(answer("GET http://echo.test/ HTTP/1.1\r\n" + auth + "\r\n").rfind(k407, 0) == 0);
  }
  CHECK(p.host.questions().empty());
  auto c = p.client();
  REQUIRE(send_all(c.get(), connect_request(target, "Proxy-Authorization: basic c3J0LnNlc3Npb246dG9r\r\n") + "x"));
  CHECK(recv_n(c.get(), kEstablished.size() + 1) == kEstablished + "x");
}

TEST_CASE("http proxy: a slow head is cut off at the deadline, an idle client too") {
  HttpProxy p;
  auto slow = p.client();
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(send_all(slow.get(), "GET http://x/ HTTP/1.1\r\n"));
  std::string got;
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {
    if (!send_all(slow.get(), "X")) break;
    got += recv_while(
        slow.get(), [](const std::string &) { return false; }, 50ms, &closed);
  }
  got += recv_to_eof(slow.get(), closed, 3000ms);
  CHECK(closed);
  CHECK(got.rfind("HTTP/1.1 408 Request Timeout\r\n", 0) == 0);
  CHECK(std::chrono::steady_clock::now() - start < 3000ms);

  // A client that never sends anything is closed too.
  auto silent = p.client();
  recv_to_eof(silent.get(), closed, 3000ms);
  CHECK(closed);

  // A kept-alive client idle after its request is closed without an answer.
  HttpUpstream web({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"});
  p.host.allow("web.test", {"127.0.0.1"});
  auto idle = p.client();
  REQUIRE(send_all(idle.get(), "GET http://web.test:" + std::to_string(web.port()) + "/ HTTP/1.1\r\n\r\n"));
  CHECK(recv_until(idle.get(), "ok").find("ok") != std::string::npos);
  CHECK(recv_to_eof(idle.get(), closed, 3000ms).empty());
  CHECK(closed);
}

TEST_CASE("http proxy: 1000 concurrent CONNECT tunnels") {
  constexpr int kTunnels = 1000;
  want_descriptors(16384);
  EchoServer echo;
  HttpProxy p;
  p.host.allow("echo.test", {"127.0.0.1"});
  const std::string request = connect_request("echo.test:" + std::to_string(echo.port()));
  std::vector<Fd> clients;
  clients.reserve(kTunnels);
  int errors = 0;
  for (int i = 0; i < kTunnels; ++i) {
    auto c = connect_tcp(p.port);
    if (!c || !send_all(c.get(), request + "ping " + std::to_string(i) + "\n")) {
      ++errors;
      continue;
    }
    clients.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const std::string expected = kEstablished + "ping " + std::to_string(i) + "\n";
    if (recv_n(clients[i].get(), expected.size(), 10000ms) != expected) ++errors;
  }
  // All open at once: a second round trip on every tunnel.
  for (auto &c : clients)
    if (!send_all(c.get(), "pong\n")) ++errors;
  for (auto &c : clients)
    if (recv_n(c.get(), 5, 10000ms) != "pong\n") ++errors;
  CHECK(errors == 0);
  CHECK(clients.size() == static_cast<std::size_t>(kTunnels));
  CHECK(echo.accepted() == static_cast<std::size_t>(kTunnels));
}

TEST_CASE("http proxy: through the C ABI, on a Unix socket; stop closes everything") {
  TempDir dir;
  const std::string path = dir / "http.sock";
  TestNetHost host;
  EchoServer echo;
  host.allow("echo.test", {"127.0.0.1"});
  using Glue = srt::sdk::detail::NetworkGlue<srt::proxy::http::HttpNetwork>;
  std::string config = R"({"listen":[{"unix":")" + path + R"("},{"tcp":"127.0.0.1:0"}],"token":null})";
  struct Text {
    std::string s;
    static void append(void *c, const char *d, std::size_t n) { static_cast<Text *>(c)->s.append(d, n); }
  } endpoints, error;
  srt_sink endpoints_sink{&endpoints, &Text::append}, error_sink{&error, &Text::append};
  void *instance = nullptr;
  REQUIRE(Glue::start(nullptr, host.table(), {config.data(), config.size()}, &instance, &endpoints_sink, &error_sink) ==
          SRT_OK);
  CHECK(error.s.empty());
  CHECK(endpoints.s.find(R"({"unix":")" + path + "\"}") != std::string::npos);
  CHECK(endpoints.s.find(R"({"tcp":"127.0.0.1:)") != std::string::npos);
  CHECK(endpoints.s.find(R"({"tcp":"127.0.0.1:0"})") == std::string::npos);
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  CHECK(S_ISSOCK(st.st_mode));
  CHECK((st.st_mode & 0777) == 0600);

  auto c = connect_unix(path);
  REQUIRE(c);
  REQUIRE(send_all(c.get(), connect_request("echo.test:" + std::to_string(echo.port())) + "via unix"));
  CHECK(recv_n(c.get(), kEstablished.size() + 8) == kEstablished + "via unix");
  auto waiting = connect_unix(path);  // a client still in its head
  REQUIRE(send_all(waiting.get(), "GET http://x/"));

  REQUIRE(Glue::stop(nullptr, instance, &error_sink) == SRT_OK);
  bool closed = false;
  recv_to_eof(c.get(), closed, 1000ms);
  CHECK(closed);
  recv_to_eof(waiting.get(), closed, 1000ms);
  CHECK(closed);
  CHECK(::lstat(path.c_str(), &st) != 0);  // the socket file is gone
  CHECK_FALSE(connect_unix(path));
  for (const auto &line : host.log_lines()) CHECK(line.find("outlived") == std::string::npos);
}

TEST_CASE("http proxy: listeners refuse to replace what is not a socket") {
  TempDir dir;
  TestNetHost host;
  srt::sdk::ProxyConfig config;
  config.listen.push_back({dir.file("not-a-socket", "data"), {}});
  CHECK_THROWS_WITH(start_http_proxy(host.net(), config), doctest::Contains("is not a socket"));
  srt::sdk::ProxyConfig bad_tcp;
  bad_tcp.listen.push_back({{}, "localhost:0"});
  CHECK_THROWS_WITH(start_http_proxy(host.net(), bad_tcp), doctest::Contains("numeric IP address"));
  // A stale socket (left by a crashed run) is replaced.
  const std::string stale_path = dir / "stale.sock";
  {
    Fd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, stale_path.c_str(), sizeof(a.sun_path) - 1);
    REQUIRE(::bind(s.get(), reinterpret_cast<sockaddr *>(&a), sizeof(a)) == 0);
  }
  CHECK_FALSE(connect_unix(stale_path));
  srt::sdk::ProxyConfig stale;
  stale.listen.push_back({stale_path, {}});
  auto again = start_http_proxy(host.net(), stale);
  CHECK(connect_unix(dir / "stale.sock"));
  again->stop();
}

// Not run by default (it moves 9 GiB): `unit-tests --no-skip
// --test-case='*throughput*'`. Compares 1 GiB loopback transfers direct and
// through a CONNECT tunnel (client on TCP, and on a Unix socket as the
// sandbox's bridge connects).
TEST_CASE("http proxy: CONNECT throughput against a direct loopback transfer" * doctest::skip()) {
  constexpr std::size_t kTotal = std::size_t{1} << 30;
  constexpr std::size_t kChunk = 256 * 1024;
  enum Path { direct, tcp_client, unix_client };
  // Counts what arrives on one connection until its end.
  auto sink = [](Fd &listener, std::atomic<std::size_t> &received) {
    pollfd pfd{listener.get(), POLLIN, 0};
    ::poll(&pfd, 1, 5000);
    Fd c(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    std::vector<char> buf(kChunk);
    for (;;) {
      ssize_t n = ::recv(c.get(), buf.data(), buf.size(), 0);
      if (n <= 0) break;
      received += static_cast<std::size_t>(n);
    }
  };
  // CPU seconds of the whole process (sender, receiver, proxy): unlike the
  // rate, other load on the machine hardly changes it.
  auto process_cpu_seconds = [] {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  TempDir dir;
  auto transfer = [&](Path path, double &cpu) {
    std::uint16_t port = 0;
    Fd listener = listen_loopback(AF_INET, port);
    std::atomic<std::size_t> received{0};
    std::thread receiver([&] { sink(listener, received); });
    TestNetHost host;
    host.allow("sink.test", {"127.0.0.1"});
    srt::sdk::ProxyConfig config;
    config.listen.push_back({{}, "127.0.0.1:0"});
    config.listen.push_back({dir / "bench.sock", {}});
    auto proxy = start_http_proxy(host.net(), config, fast_options());
    Fd c = path == direct       ? connect_tcp(port)
           : path == tcp_client ? connect_tcp(port_of(proxy->endpoints().at(0).tcp))
                                : connect_unix(dir / "bench.sock");
    REQUIRE(c);
    if (path != direct) {
      REQUIRE(send_all(c.get(), connect_request("sink.test:" + std::to_string(port))));
      REQUIRE(recv_n(c.get(), kEstablished.size()) == kEstablished);
    }
    std::string chunk(kChunk, 'x');
    const double cpu_before = process_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t sent = 0; sent < kTotal; sent += kChunk) REQUIRE(send_all(c.get(), chunk));
    ::shutdown(c.get(), SHUT_WR);
    receiver.join();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    CHECK(received.load() == kTotal);
    cpu = std::min(cpu, process_cpu_seconds() - cpu_before);
    proxy->stop();
    return static_cast<double>(kTotal) / took.count() / (1024 * 1024);
  };
  // Best of three each, interleaved: other load on the machine only slows.
  double rate[3] = {0, 0, 0}, cpu[3] = {1e9, 1e9, 1e9};
  for (int round = 0; round < 3; ++round)
    for (Path path : {direct, tcp_client, unix_client}) rate[path] = std::max(rate[path], transfer(path, cpu[path]));
  MESSAGE("MiB/s: direct " << rate[direct] << ", TCP client through the proxy " << rate[tcp_client] << " (ratio "
                           << rate[tcp_client] / rate[direct] << "), Unix client through the proxy "
                           << rate[unix_client] << " (ratio " << rate[unix_client] / rate[direct]
                           << "); CPU seconds per GiB: " << cpu[direct] << ", " << cpu[tcp_client] << ", "
                           << cpu[unix_client]);
}
