// The built proxy plugins as srt loads them: real shared modules through the
// registry, one tunnel through each, started and stopped via the C table.
#include "plugin/registry.hpp"

#include "net_test_host.hpp"
#include "net_test_sockets.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

using namespace srt::test;
using srt::plugin::Registry;
using srt::plugin::State;

namespace {

struct Text {
  std::string s;
  static void append(void *c, const char *d, std::size_t n) { static_cast<Text *>(c)->s.append(d, n); }
};

// Starts the plugin's proxy on 127.0.0.1, returns the instance and its port.
void *start(const srt_network_v1 *table, const TestNetHost &host, std::uint16_t &port) {
  const std::string config = R"({"listen":[{"tcp":"127.0.0.1:0"}],"token":null})";
  Text endpoints, error;
  srt_sink e{&endpoints, &Text::append}, err{&error, &Text::append};
  void *instance = nullptr;
  REQUIRE(table->start(nullptr, host.table(), {config.data(), config.size()}, &instance, &e, &err) == SRT_OK);
  auto tcp = boost::json::parse(endpoints.s).at("endpoints").at(0).at("tcp").as_string();
  port = port_of(std::string(tcp));
  return instance;
}

void stop(const srt_network_v1 *table, void *instance) {
  Text error;
  srt_sink err{&error, &Text::append};
  CHECK(table->stop(nullptr, instance, &err) == SRT_OK);
  CHECK(error.s.empty());
}

}  // namespace

TEST_CASE("proxy plugins: both modules load through the registry and serve a tunnel") {
  std::vector<std::string> log;
  Registry registry([&](int, const std::string &m) { log.push_back(m); });
  registry.load_file(SRT_HTTP_PLUGIN);
  registry.load_file(SRT_SOCKS5_PLUGIN);
  const auto *http = registry.find(SRT_PLUGIN_NETWORK, "http");
  const auto *socks5 = registry.find(SRT_PLUGIN_NETWORK, "socks5");
  REQUIRE(http);
  REQUIRE(socks5);
  CHECK(http->state == State::loaded);
  CHECK(socks5->state == State::loaded);
  CHECK(http->file.ends_with("srt-network-http.so"));
  CHECK(socks5->file.ends_with("srt-network-socks5.so"));

  EchoServer echo;
  TestNetHost host;
  host.allow("echo.test", {"127.0.0.1"});
  std::uint16_t port = 0;

  const auto *http_table = static_cast<const srt_network_v1 *>(http->descriptor->table);
  void *h = start(http_table, host, port);
  {
    auto c = connect_tcp(port);
    REQUIRE(c);
    REQUIRE(send_all(c.get(), "CONNECT echo.test:" + std::to_string(echo.port()) + " HTTP/1.1\r\n\r\nping"));
    CHECK(recv_n(c.get(), 43) == "HTTP/1.1 200 Connection Established\r\n\r\nping");
  }
  stop(http_table, h);

  const auto *socks5_table = static_cast<const srt_network_v1 *>(socks5->descriptor->table);
  void *s = start(socks5_table, host, port);
  {
    auto c = connect_tcp(port);
    REQUIRE(c);
    std::string hello = {5, 1, 0, 5, 1, 0, 3, 9};
    hello += "echo.test";
    hello += {static_cast<char>(echo.port() >> 8), static_cast<char>(echo.port() & 0xFF)};
    REQUIRE(send_all(c.get(), hello + "ping"));
    auto r = recv_n(c.get(), 2 + 10 + 4);
    CHECK(r.substr(2, 2) == std::string{5, 0});
    CHECK(r.substr(12) == "ping");
  }
  stop(socks5_table, s);
  CHECK(host.questions().size() == 2);
}
