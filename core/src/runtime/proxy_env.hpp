// The environment that points a sandboxed command's tools at srt's proxies
// through the in-sandbox bridge (reference B.3, without the product-specific
// CLAUDE_* variables, plus the JVM and npm/yarn/pip keys).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace srt::runtime {

// The ports srt-enter's bridge listens on inside the sandbox's network
// namespace (127.0.0.1 and ::1), as in the reference.
inline constexpr std::uint16_t kSandboxHttpPort = 3128;
inline constexpr std::uint16_t kSandboxSocksPort = 1080;
// The user name clients present with the token.
inline constexpr const char *kProxyUser = "srt";

// Where the command reaches the proxies: srt-enter's bridge in the sandbox's
// own network namespace, or (backends sharing the host's network) the
// proxies' own ports on the host's 127.0.0.1.
struct ProxyAddress {
  std::string host = "localhost";
  std::uint16_t http_port = kSandboxHttpPort;
  std::uint16_t socks_port = kSandboxSocksPort;
};

// `http_token` / `socks_token`: the password of srt's own HTTP / SOCKS proxy,
// or empty for an external proxy (which asks for none); `enter_path`:
// srt-enter as the sandbox sees it (git's ssh ProxyCommand runs `srt-enter
// connect %h %p`); `java_tool_options`: the inherited JAVA_TOOL_OPTIONS, kept
// after ours.
std::map<std::string, std::string> proxy_environment(const ProxyAddress &at, const std::string &http_token,
                                                     const std::string &socks_token, const std::string &enter_path,
                                                     const std::string &java_tool_options);

}  // namespace srt::runtime
