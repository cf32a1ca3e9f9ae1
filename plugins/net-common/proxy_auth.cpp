#include "proxy_auth.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace srt::proxy {
namespace {

// JavaScript's \s restricted to what a header value can hold.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Padding is optional (clients differ) but may only end the text.
std::optional<std::string> base64_decode(std::string_view in) {
  std::size_t end = in.size();
  while (end > 0 && in[end - 1] == '=') --end;
  if (in.size() - end > 2) return std::nullopt;
  std::string out;
  out.reserve(end / 4 * 3 + 3);
  unsigned bits = 0;
  int nbits = 0;
  for (std::size_t i = 0; i < end; ++i) {
    int v = base64_value(in[i]);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<char>((bits >> nbits) & 0xFF));
    }
  }
  // A single leftover sextet cannot encode a byte.
  if (end % 4 == 1) return std::nullopt;
  return out;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = b.size();
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ static_cast<unsigned char>(b[i]));
  }
  return diff == 0;
}

bool credentials_ok(std::string_view user, std::string_view password, std::string_view token) {
  const bool user_ok = user == "srt" || user.substr(0, 4) == "srt.";
  // Compare the token even for a wrong user: the time says nothing either way.
  const bool password_ok = constant_time_equal(password, token);
  return user_ok && password_ok && !token.empty();
}

bool basic_authorization_ok(std::string_view value, std::string_view token) {
  constexpr std::string_view kScheme = "basic";
  if (value.size() < kScheme.size() || !iequals_ascii(value.substr(0, kScheme.size()), kScheme)) return false;
  std::size_t i = kScheme.size();
  const std::size_t spaces_from = i;
  while (i < value.size() && is_space(value[i])) ++i;
  if (i == spaces_from) return false;
  const std::size_t payload_from = i;
  while (i < value.size() && (base64_value(value[i]) >= 0 || value[i] == '=')) ++i;
  if (i == payload_from) return false;
  std::string_view payload = value.substr(payload_from, i - payload_from);
  while (i < value.size() && is_space(value[i])) ++i;
  if (i != value.size()) return false;
  auto decoded = base64_decode(payload);
  if (!decoded) return false;
  auto colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  std::string_view pair(*decoded);
  return credentials_ok(pair.substr(0, colon), pair.substr(colon + 1), token);
}

}  // namespace srt::proxy
