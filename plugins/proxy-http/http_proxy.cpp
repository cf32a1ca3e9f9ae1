#include "http_proxy.hpp"

#include "http_session.hpp"

#include "server.hpp"

namespace srt::proxy::http {

std::unique_ptr<sdk::Proxy> start_http_proxy(sdk::NetHost host, const sdk::ProxyConfig &config,
                                             const Options &options) {
  auto server = std::make_unique<Server>("http proxy", host, config, options);
  Server &s = *server;
  s.start([&s](Socket client, ConnectionSlot slot) {
    std::make_shared<HttpSession>(s, std::move(client), std::move(slot), ClientBuffer{}, true)->start();
  });
  return server;
}

}  // namespace srt::proxy::http
