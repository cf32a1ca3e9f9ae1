#include "socks5_proxy.hpp"

#include "socks5_session.hpp"

#include "server.hpp"

namespace srt::proxy::socks5 {

std::unique_ptr<sdk::Proxy> start_socks5_proxy(sdk::NetHost host, const sdk::ProxyConfig &config,
                                               const Options &options) {
  auto server = std::make_unique<Server>("socks5 proxy", host, config, options);
  Server &s = *server;
  s.start([&s](Socket client, ConnectionSlot slot) {
    std::make_shared<Socks5Session>(s, std::move(client), std::move(slot))->start();
  });
  return server;
}

}  // namespace srt::proxy::socks5
