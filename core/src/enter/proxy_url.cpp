#include "enter/proxy_url.hpp"

#include "enter/sys.hpp"

namespace srt::enter {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool percent_decode(std::string_view in, std::string &out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool equals_nocase(std::string_view a, std::string_view b) { return a.size() == b.size() && starts_with_nocase(a, b); }

}  // namespace

bool parse_proxy_url(std::string_view url, ProxyUrl &out, std::string &why) {
  constexpr std::string_view kScheme = "http://";
  if (!starts_with_nocase(url, kScheme)) {
    why = "it is not an http:// URL";
    return false;
  }
  std::string_view rest = url.substr(kScheme.size());
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view hostport = authority;
  out = ProxyUrl{};
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    hostport = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    if (!percent_decode(userinfo.substr(0, colon), out.user) ||
        (colon != std::string_view::npos && !percent_decode(userinfo.substr(colon + 1), out.password))) {
      why = "its user or password has a malformed %-escape";
      return false;
    }
    out.has_credentials = true;
  }
  std::string_view host, port;
  if (!hostport.empty() && hostport[0] == '[') {
    auto close = hostport.find(']');
    if (close == std::string_view::npos || hostport.substr(close + 1, 1) != ":") {
      why = "it has no port";
      return false;
    }
    host = hostport.substr(0, close + 1);
    port = hostport.substr(close + 2);
  } else {
    auto colon = hostport.rfind(':');
    if (colon == std::string_view::npos) {
      why = "it has no port";
      return false;
    }
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  if (!equals_nocase(host, "localhost") && host != "127.0.0.1" && host != "[::1]") {
    why = "it does not point at the sandbox's loopback proxy (localhost)";
    return false;
  }
  int number = 0;
  if (!parse_port(port, number)) {
    why = "its port is not a number from 1 to 65535";
    return false;
  }
  out.port = static_cast<std::uint16_t>(number);
  return true;
}

std::string base64(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16 | static_cast<unsigned char>(data[i + 1]) << 8 |
                 static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  std::size_t left = data.size() - i;
  if (left > 0) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (left == 2) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += left == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace srt::enter
