// The proxy URL srt puts in the sandbox's environment
// (HTTP_PROXY=http://USER:PASS@localhost:3128, user and password possibly
// percent-encoded), and the pieces `srt-enter connect` needs from it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace srt::enter {

struct ProxyUrl {
  std::uint16_t port = 0;
  bool has_credentials = false;
  std::string user;      // percent-decoded
  std::string password;  // percent-decoded
};

// Accepts only http:// URLs naming the sandbox's loopback (localhost,
// 127.0.0.1 or [::1]) with an explicit port: the bridge is the only proxy
// reachable from inside. Returns false and sets `why` otherwise.
bool parse_proxy_url(std::string_view url, ProxyUrl &out, std::string &why);

// Standard base64 with padding (RFC 4648), for Proxy-Authorization: Basic.
std::string base64(std::string_view data);

}  // namespace srt::enter
