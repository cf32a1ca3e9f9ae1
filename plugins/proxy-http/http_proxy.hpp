// The HTTP proxy as the SDK sees it. No Asio here: included by the plugin's
// entry file and by the tests.
#pragma once

#include "options.hpp"

#include <srt/plugin.hpp>

#include <memory>

namespace srt::proxy::http {

// Starts listening on every configured endpoint and serving: CONNECT tunnels
// and absolute-form http:// requests, each destination decided by `host`.
// `options` (timeouts, connection limit) is internal, not part of the ABI.
std::unique_ptr<sdk::Proxy> start_http_proxy(sdk::NetHost host, const sdk::ProxyConfig &config,
                                             const Options &options = {});

class HttpNetwork : public sdk::Network {
 public:
  std::unique_ptr<sdk::Proxy> start(sdk::NetHost host, const sdk::ProxyConfig &config) override {
    return start_http_proxy(host, config);
  }
};

}  // namespace srt::proxy::http
