// libFuzzer target for the SOCKS5 handshake parser. The first byte chooses
// the mode (token or not, credentials accepted or not) and how the rest is
// split; the handshake fed at once and in pieces must give the same events
// and the same request.
#include "fuzz_chunks.hpp"

#include "proxy_auth.hpp"
#include "socks5_handshake.hpp"

#include <string>
#include <vector>

using namespace srt::proxy::socks5;
using srt::fuzz::require;

namespace {

struct Trace {
  std::vector<Handshake::Event> events;
  std::size_t consumed = 0;
  std::string host, user, password;
  std::uint16_t port = 0;
  std::uint8_t failure = 0;
};

Trace run(bool token, bool accept, const std::vector<std::string_view> &pieces) {
  Handshake h(token);
  Trace t;
  bool over = false;
  for (auto piece : pieces) {
    while (!over) {
      auto step = h.feed(piece);
      require(step.consumed <= piece.size());
      piece.remove_prefix(step.consumed);
      t.consumed += step.consumed;
      if (step.event == Handshake::Event::need_more) {
        require(piece.empty());
        break;
      }
      t.events.push_back(step.event);
      switch (step.event) {
        case Handshake::Event::method_selected:
          if (h.method() == kNoAcceptableMethod) over = true;
          else require(h.method() == (token ? kUserPassword : kNoAuth));
          break;
        case Handshake::Event::credentials:
          require(token && h.user().size() <= 255 && h.password().size() <= 255);
          (void)srt::proxy::credentials_ok(h.user(), h.password(), "token");
          if (accept) h.accept_credentials();
          else over = true;
          break;
        case Handshake::Event::request:
          require(!h.host().empty() && h.host().size() <= 255);
          require(h.address_type() == kIPv4 || h.address_type() == kIPv6 || h.address_type() == kDomain);
          t.host = h.host();
          t.port = h.port();
          over = true;
          break;
        case Handshake::Event::failed:
          t.failure = h.failure_reply();
          require(t.failure == 0 || t.failure == kCommandNotSupported || t.failure == kAddressTypeNotSupported);
          over = true;
          break;
        case Handshake::Event::need_more: break;
      }
    }
    if (over) break;
  }
  t.user = h.user();
  t.password = h.password();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size < 1) return 0;
  const bool token = data[0] & 1;
  const bool accept = data[0] & 2;
  const std::string_view in(reinterpret_cast<const char *>(data) + 1, size - 1);
  auto a = run(token, accept, {in});
  auto b = run(token, accept, srt::fuzz::split(in, data[0] >> 2, 8));
  require(a.events == b.events);
  require(a.consumed == b.consumed && a.consumed <= in.size());
  require(a.host == b.host && a.port == b.port && a.failure == b.failure);
  require(a.user == b.user && a.password == b.password);
  (void)reply_bytes(data[0], {reinterpret_cast<const std::uint8_t *>(in.data()), in.size() < 16 ? in.size() : 16}, 1);
  return 0;
}
