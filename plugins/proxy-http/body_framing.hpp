// How a message body is delimited (RFC 9112 6.3).
#pragma once

#include <cstdint>

namespace srt::proxy::http {

enum class BodyKind {
  none,        // no body
  length,      // exactly `length` bytes (Content-Length)
  chunked,     // Transfer-Encoding: chunked
  until_close  // a response delimited by the end of the connection
};

struct BodyFraming {
  BodyKind kind = BodyKind::none;
  std::uint64_t length = 0;
};

}  // namespace srt::proxy::http
