// A network plugin named "http" that fails to start, slowly: long enough
// that a command srt let run before its proxies were up would have run
// (tests/integration/scenarios.sh, scenario_net_proxies_fail_late).
#include <srt/plugin.hpp>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace {

constexpr auto kStartDelay = std::chrono::milliseconds(400);

class SlowFailing : public srt::sdk::Network {
 public:
  std::unique_ptr<srt::sdk::Proxy> start(srt::sdk::NetHost, const srt::sdk::ProxyConfig &) override {
    std::this_thread::sleep_for(kStartDelay);
    throw std::runtime_error("test plugin: refusing to start");
  }
};

}  // namespace

SRT_NETWORK_PLUGIN(SlowFailing, "http", "1.0", "test plugin: an http proxy that fails to start after 400 ms")
