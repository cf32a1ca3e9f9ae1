// Incremental SOCKS5 handshake parser: RFC 1928 greeting and request, RFC
// 1929 user/password sub-negotiation. Standard library only (fuzzed). It
// never replies itself: each step tells the session what to answer.
//
// Every message has a bounded size (at most 2 + 255 bytes greeting,
// 3 + 255 + 255 sub-negotiation, 6 + 1 + 255 request), so the parser holds
// at most one message's bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace srt::proxy::socks5 {

inline constexpr std::uint8_t kVersion = 0x05;
inline constexpr std::uint8_t kAuthVersion = 0x01;

enum Method : std::uint8_t { kNoAuth = 0x00, kUserPassword = 0x02, kNoAcceptableMethod = 0xFF };
enum Command : std::uint8_t { kConnect = 0x01, kBind = 0x02, kUdpAssociate = 0x03 };
enum AddressType : std::uint8_t { kIPv4 = 0x01, kDomain = 0x03, kIPv6 = 0x04 };
enum Reply : std::uint8_t {
  kSucceeded = 0x00,
  kGeneralFailure = 0x01,
  kNotAllowed = 0x02,
  kNetworkUnreachable = 0x03,
  kHostUnreachable = 0x04,
  kConnectionRefused = 0x05,
  kTtlExpired = 0x06,
  kCommandNotSupported = 0x07,
  kAddressTypeNotSupported = 0x08
};

class Handshake {
 public:
  enum class Event {
    need_more,        // all input used, the message is incomplete
    method_selected,  // reply {5, method()}; kNoAcceptableMethod: then close
    credentials,      // check user()/password(); accept_credentials() or reply failure and close
    request,          // a CONNECT for host():port()
    failed            // reply failure_reply() if it is set, then close
  };
  struct Step {
    Event event;
    std::size_t consumed;  // bytes of this input used up to the event
  };

  // With `require_credentials`, only user/password (0x02) is offered;
  // without, only "no authentication" (0x00).
  explicit Handshake(bool require_credentials);

  // Feeds bytes until the next event; call again with the rest of the input
  // after handling it. After `request` or `failed`, consumes nothing more.
  Step feed(std::string_view in);
  // After `credentials` when they are right.
  void accept_credentials();

  std::uint8_t method() const { return method_; }
  const std::string &user() const { return user_; }
  const std::string &password() const { return password_; }
  std::uint8_t address_type() const { return atyp_; }
  // The destination as text: dotted IPv4, RFC 5952 IPv6 (no brackets), or
  // the domain name's bytes as sent.
  const std::string &host() const { return host_; }
  std::uint16_t port() const { return port_; }
  // For `failed`: the reply code to send first (0 = close without reply).
  std::uint8_t failure_reply() const { return failure_reply_; }

 private:
  enum class Phase { greeting, auth, request, done };
  Step fail(std::size_t consumed, std::uint8_t reply);
  // The size of the message in buf_ once enough of it is known; 0 while not.
  std::size_t message_size() const;
  Step complete(std::size_t consumed);

  bool require_credentials_;
  Phase phase_ = Phase::greeting;
  std::string buf_;
  std::uint8_t method_ = kNoAcceptableMethod;
  std::string user_, password_;
  std::uint8_t atyp_ = 0;
  std::string host_;
  std::uint16_t port_ = 0;
  std::uint8_t failure_reply_ = 0;
};

// A reply to a request: version, code, reserved, and the bound address
// (IPv4 0.0.0.0:0 unless given: 4 or 16 bytes).
std::string reply_bytes(std::uint8_t code, std::span<const std::uint8_t> bound_address = {},
                        std::uint16_t bound_port = 0);

// RFC 5952 text of an IPv6 address.
std::string ipv6_text(const std::array<std::uint8_t, 16> &a);

}  // namespace srt::proxy::socks5
