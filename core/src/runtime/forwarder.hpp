// The host side of external proxies (the settings' httpProxyPort /
// socksProxyPort): srt listens on the session's proxy socket(s) itself, so
// the sandbox's bridge works unchanged, and runs `srt-enter forward`, which
// relays each connection to the proxy's port on 127.0.0.1. srt does not
// filter that traffic: the external proxy does.
//
// Not thread-safe; one per launch.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace srt::runtime {

class Forwarder {
 public:
  // `enter`: srt-enter on the host. Creates the socket for each port given
  // (http.sock, socks.sock in `session_dir`), starts the helper and waits
  // until it serves. Throws SandboxError; nothing is left running then.
  Forwarder(const std::string &enter, const std::string &session_dir, std::optional<std::uint16_t> http_port,
            std::optional<std::uint16_t> socks_port);
  ~Forwarder();
  Forwarder(const Forwarder &) = delete;
  Forwarder &operator=(const Forwarder &) = delete;

  // Ends the helper and waits for it. Idempotent, never throws.
  void stop() noexcept;

 private:
  pid_t pid_ = -1;
};

}  // namespace srt::runtime
