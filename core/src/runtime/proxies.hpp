// The filtering proxies of one launch: srt's "http" and "socks5" network
// plugins, listening on Unix sockets in the launch's private session
// directory, asking the sandbox's Decider for every destination, and
// accepting only clients that present this launch's token.
//
// Not thread-safe (start and stop from the thread that spawns); the proxies'
// own threads only call decide(), which is.
#pragma once

#include "net/decisions.hpp"
#include "plugin/network.hpp"
#include "plugin/registry.hpp"
#include "runtime/session.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace srt::runtime {

// A fresh random proxy password (32 hex characters). Throws SandboxError when
// the kernel gives no randomness (never a weaker token).
std::string make_proxy_token();

class Proxies {
 public:
  // Starts both proxies. Throws SandboxError naming what is missing or
  // failed; whatever had started is stopped again.
  // `log` receives the proxies' own lines (level as in srt_log_level); it
  // must be callable from any thread until stop() returns. `http` / `socks`:
  // which of the two to start (the other may be an external proxy).
  // `loopback_tcp`: listen on 127.0.0.1 (a port the kernel picks) instead of
  // the Unix sockets, for backends that share the host's network. `token`:
  // the password clients must give (make_proxy_token()).
  Proxies(plugin::Registry &registry, std::shared_ptr<net::Decider> decider, const std::string &session_dir,
          std::function<void(int, const std::string &)> log, std::string token, bool http = true, bool socks = true,
          bool loopback_tcp = false);
  ~Proxies();
  Proxies(const Proxies &) = delete;
  Proxies &operator=(const Proxies &) = delete;

  const std::string &token() const { return token_; }
  // With loopback_tcp: where each proxy listens on 127.0.0.1 (0: not started).
  std::uint16_t http_port() const { return http_port_; }
  std::uint16_t socks_port() const { return socks_port_; }

  // Stops both (joins their threads). Idempotent; returns problems as
  // messages instead of throwing.
  std::vector<std::string> stop();

 private:
  static int32_t decide(void *ctx, srt_str host, uint16_t port, int32_t protocol, srt_sink *verdict);
  static void log(void *ctx, int32_t level, srt_str message);
  static std::uint16_t tcp_port(const char *name, const std::vector<plugin::Endpoint> &endpoints);

  std::shared_ptr<net::Decider> decider_;
  std::function<void(int, const std::string &)> log_;
  srt_net_host_v1 host_{};
  std::string token_;
  std::uint16_t http_port_ = 0;
  std::uint16_t socks_port_ = 0;
  std::vector<std::pair<plugin::Network, void *>> running_;
};

}  // namespace srt::runtime
