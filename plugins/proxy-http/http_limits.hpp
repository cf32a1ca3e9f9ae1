// Every size limit of the HTTP proxy's parsers. A head over any of them is
// answered 431 (request) or 502 (response) and the connection is closed.
#pragma once

#include <cstddef>
#include <cstdint>

namespace srt::proxy::http {

inline constexpr std::size_t kMaxRequestLineBytes = 8 * 1024;
inline constexpr std::size_t kMaxStatusLineBytes = 8 * 1024;
inline constexpr std::size_t kMaxMethodBytes = 32;
// A whole head: start line, fields, every CRLF.
inline constexpr std::size_t kMaxHeadBytes = 64 * 1024;
inline constexpr std::size_t kMaxHeaderCount = 100;
inline constexpr std::size_t kMaxHeaderNameBytes = 256;
inline constexpr std::size_t kMaxHeaderValueBytes = 8 * 1024;
// Spaces and tabs around a header value, beyond which a line is too long.
inline constexpr std::size_t kMaxHeaderPaddingBytes = 64;
// Empty lines tolerated before a request line (RFC 9112 2.2: clients may
// send a CRLF after a body).
inline constexpr std::size_t kMaxLeadingEmptyLines = 4;
// Digits of a Content-Length: up to 10^18 - 1 bytes.
inline constexpr std::size_t kMaxContentLengthDigits = 18;

// Chunked bodies: hex digits of one chunk size (up to 2^60 - 1), one
// chunk-size line with its extensions, and all trailer lines together.
inline constexpr std::size_t kMaxChunkSizeDigits = 15;
inline constexpr std::size_t kMaxChunkLineBytes = 4 * 1024;
inline constexpr std::size_t kMaxTrailerBytes = 16 * 1024;

// Per connection: what is read from the client at once (request heads and
// bodies; bytes pipelined after a CONNECT head stay in it, so it must not
// exceed kMaxPipelinedBytes), and from a destination during a forwarded
// exchange.
inline constexpr std::size_t kClientBufferBytes = 16 * 1024;
inline constexpr std::size_t kUpstreamBufferBytes = 64 * 1024;

}  // namespace srt::proxy::http
