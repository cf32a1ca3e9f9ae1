#include "request_target.hpp"

#include "http_syntax.hpp"

namespace srt::proxy::http {
namespace {

constexpr std::uint16_t kDefaultHttpPort = 80;

std::optional<std::uint16_t> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v == 0 || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

// Splits "host[:port]" / "[v6][:port]". `port_required` for CONNECT.
std::optional<Authority> split_authority(std::string_view s, bool port_required, std::uint16_t default_port) {
  Authority a;
  std::string_view port_text;
  bool has_port = false;
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    auto inner = s.substr(1, close - 1);
    for (char c : inner)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
        return std::nullopt;
    a.host = std::string(inner);
    auto rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port_text = rest.substr(1);
      has_port = true;
    }
  } else {
    auto colon = s.find(':');
    if (colon != std::string_view::npos) {
      port_text = s.substr(colon + 1);
      has_port = true;
      s = s.substr(0, colon);
    }
    if (s.empty() || s.find_first_of("[]@/?#\\") != std::string_view::npos) return std::nullopt;
    a.host = std::string(s);
  }
  if (!has_port || (port_text.empty() && !port_required)) {
    if (port_required) return std::nullopt;
    a.port = default_port;
    return a;
  }
  auto port = parse_port(port_text);
  if (!port) return std::nullopt;
  a.port = *port;
  return a;
}

}  // namespace

std::optional<Authority> parse_authority_form(std::string_view target) { return split_authority(target, true, 0); }

std::optional<AbsoluteUrl> parse_absolute_url(std::string_view target, UrlProblem &problem) {
  problem = UrlProblem::none;
  auto sep = target.find("://");
  auto scheme_end = target.find_first_of("/?#");
  if (sep == std::string_view::npos || sep == 0 || scheme_end < sep) {
    problem = UrlProblem::not_absolute;
    return std::nullopt;
  }
  auto scheme = target.substr(0, sep);
  if (iequals(scheme, "https")) {
    problem = UrlProblem::https;
    return std::nullopt;
  }
  if (!iequals(scheme, "http")) {
    problem = UrlProblem::other_scheme;
    return std::nullopt;
  }
  auto rest = target.substr(sep + 3);
  auto end = rest.find_first_of("/?#");
  auto authority_text = rest.substr(0, end);
  if (authority_text.find('@') != std::string_view::npos) {
    problem = UrlProblem::malformed;  // user information is never forwarded
    return std::nullopt;
  }
  auto authority = split_authority(authority_text, false, kDefaultHttpPort);
  if (!authority) {
    problem = UrlProblem::malformed;
    return std::nullopt;
  }
  AbsoluteUrl url;
  url.authority = std::move(*authority);
  std::string_view path = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  path = path.substr(0, path.find('#'));
  if (path.empty() || path.front() != '/') url.path = "/" + std::string(path);
  else url.path = std::string(path);
  return url;
}

std::string host_field_value(std::string_view host, std::uint16_t port) {
  std::string v = host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
  if (port != kDefaultHttpPort) v += ":" + std::to_string(port);
  return v;
}

}  // namespace srt::proxy::http
