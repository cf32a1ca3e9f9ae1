#include "socks5_handshake.hpp"

namespace srt::proxy::socks5 {
namespace {

std::uint8_t byte(const std::string &s, std::size_t i) { return static_cast<std::uint8_t>(s[i]); }

}  // namespace

Handshake::Handshake(bool require_credentials) : require_credentials_(require_credentials) {}

Handshake::Step Handshake::fail(std::size_t consumed, std::uint8_t reply) {
  phase_ = Phase::done;
  failure_reply_ = reply;
  buf_.clear();
  return {Event::failed, consumed};
}

void Handshake::accept_credentials() {
  if (phase_ == Phase::auth) phase_ = Phase::request;
}

std::size_t Handshake::message_size() const {
  switch (phase_) {
    case Phase::greeting:  // VER NMETHODS METHODS...
      return buf_.size() < 2 ? 0 : 2 + byte(buf_, 1);
    case Phase::auth: {  // VER ULEN UNAME PLEN PASSWD
      if (buf_.size() < 2) return 0;
      const std::size_t plen_at = 2 + byte(buf_, 1);
      return buf_.size() <= plen_at ? 0 : plen_at + 1 + byte(buf_, plen_at);
    }
    case Phase::request:  // VER CMD RSV ATYP ADDR PORT
      if (buf_.size() < 4) return 0;
      switch (byte(buf_, 3)) {
        case kIPv4: return 4 + 4 + 2;
        case kIPv6: return 4 + 16 + 2;
        case kDomain: return buf_.size() < 5 ? 0 : 5 + byte(buf_, 4) + 2;
        default: return 0;
      }
    case Phase::done: return 0;
  }
  return 0;
}

Handshake::Step Handshake::feed(std::string_view in) {
  std::size_t i = 0;
  while (phase_ != Phase::done) {
    // Early checks, as soon as the deciding byte is there.
    if (phase_ == Phase::greeting && !buf_.empty() && byte(buf_, 0) != kVersion) return fail(i, 0);
    if (phase_ == Phase::auth && !buf_.empty() && byte(buf_, 0) != kAuthVersion) return fail(i, 0);
    if (phase_ == Phase::request && buf_.size() >= 1 && byte(buf_, 0) != kVersion) return fail(i, 0);
    if (phase_ == Phase::request && buf_.size() >= 2 && byte(buf_, 1) != kConnect) return fail(i, kCommandNotSupported);
    if (phase_ == Phase::request && buf_.size() >= 3 && byte(buf_, 2) != 0) return fail(i, 0);
    if (phase_ == Phase::request && buf_.size() >= 4 && byte(buf_, 3) != kIPv4 && byte(buf_, 3) != kIPv6 &&
        byte(buf_, 3) != kDomain)
      return fail(i, kAddressTypeNotSupported);

    const std::size_t size = message_size();
    if (size != 0 && buf_.size() == size) return complete(i);
    if (i == in.size()) return {Event::need_more, i};
    // Take as much as the message needs (or one byte while its size is unknown).
    const std::size_t want = size ? size - buf_.size() : 1;
    const std::size_t take = want < in.size() - i ? want : in.size() - i;
    buf_.append(in.substr(i, take));
    i += take;
  }
  return {Event::failed, i};
}

Handshake::Step Handshake::complete(std::size_t consumed) {
  std::string msg;
  msg.swap(buf_);
  switch (phase_) {
    case Phase::greeting: {
      const std::uint8_t wanted = require_credentials_ ? kUserPassword : kNoAuth;
      method_ = kNoAcceptableMethod;
      for (std::size_t k = 2; k < msg.size(); ++k)
        if (byte(msg, k) == wanted) method_ = wanted;
      if (method_ == kNoAcceptableMethod) phase_ = Phase::done;
      else phase_ = method_ == kUserPassword ? Phase::auth : Phase::request;
      return {Event::method_selected, consumed};
    }
    case Phase::auth: {
      const std::size_t ulen = byte(msg, 1);
      user_ = msg.substr(2, ulen);
      password_ = msg.substr(3 + ulen);
      return {Event::credentials, consumed};
    }
    case Phase::request: {
      atyp_ = byte(msg, 3);
      std::size_t port_at = 0;
      if (atyp_ == kIPv4) {
        host_ = std::to_string(byte(msg, 4)) + "." + std::to_string(byte(msg, 5)) + "." + std::to_string(byte(msg, 6)) +
                "." + std::to_string(byte(msg, 7));
        port_at = 8;
      } else if (atyp_ == kIPv6) {
        std::array<std::uint8_t, 16> a{};
        for (std::size_t k = 0; k < 16; ++k) a[k] = byte(msg, 4 + k);
        host_ = ipv6_text(a);
        port_at = 20;
      } else {
        const std::size_t len = byte(msg, 4);
        if (len == 0) return fail(consumed, 0);  // an empty name: malformed
        host_ = msg.substr(5, len);
        port_at = 5 + len;
      }
      port_ = static_cast<std::uint16_t>(byte(msg, port_at) << 8 | byte(msg, port_at + 1));
      phase_ = Phase::done;
      return {Event::request, consumed};
    }
    case Phase::done: break;
  }
  return fail(consumed, 0);
}

std::string reply_bytes(std::uint8_t code, std::span<const std::uint8_t> bound_address, std::uint16_t bound_port) {
  std::string out{static_cast<char>(kVersion), static_cast<char>(code), 0};
  if (bound_address.size() == 16) {
    out.push_back(static_cast<char>(kIPv6));
  } else {
    out.push_back(static_cast<char>(kIPv4));
    if (bound_address.size() != 4) bound_address = {};
  }
  if (bound_address.empty()) out.append(4, '\0');
  for (auto b : bound_address) out.push_back(static_cast<char>(b));
  out.push_back(static_cast<char>(bound_port >> 8));
  out.push_back(static_cast<char>(bound_port & 0xFF));
  return out;
}

std::string ipv6_text(const std::array<std::uint8_t, 16> &a) {
  std::array<unsigned, 8> g{};
  for (std::size_t k = 0; k < 8; ++k) g[k] = static_cast<unsigned>(a[2 * k] << 8 | a[2 * k + 1]);
  // The longest run of two or more zero groups becomes "::" (first one on ties).
  int best_at = -1, best_len = 0;
  for (int k = 0; k < 8;) {
    if (g[static_cast<std::size_t>(k)] != 0) {
      ++k;
      continue;
    }
    int j = k;
    while (j < 8 && g[static_cast<std::size_t>(j)] == 0) ++j;
    if (j - k > best_len && j - k >= 2) {
      best_at = k;
      best_len = j - k;
    }
    k = j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int k = 0; k < 8; ++k) {
    if (k == best_at) {
      out += "::";
      k += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    unsigned v = g[static_cast<std::size_t>(k)];
    std::string digits;
    do {
      digits.insert(digits.begin(), kHex[v & 0xF]);
      v >>= 4;
    } while (v);
    out += digits;
  }
  return out;
}

}  // namespace srt::proxy::socks5
