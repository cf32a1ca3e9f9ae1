// The SOCKS5 proxy as the SDK sees it. No Asio here: included by the
// plugin's entry file and by the tests.
#pragma once

#include "options.hpp"

#include <srt/plugin.hpp>

#include <memory>

namespace srt::proxy::socks5 {

// Starts listening on every configured endpoint and serving SOCKS5 CONNECT,
// each destination decided by `host`. `options` is internal, not ABI.
std::unique_ptr<sdk::Proxy> start_socks5_proxy(sdk::NetHost host, const sdk::ProxyConfig &config,
                                               const Options &options = {});

class Socks5Network : public sdk::Network {
 public:
  std::unique_ptr<sdk::Proxy> start(sdk::NetHost host, const sdk::ProxyConfig &config) override {
    return start_socks5_proxy(host, config);
  }
};

}  // namespace srt::proxy::socks5
