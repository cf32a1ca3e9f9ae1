// Turns a refusal reason (configured text, the ask callback's answer) into
// something safe to put in a status line or a response body.
// Standard library only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace srt::proxy {

// Longest reason put in an HTTP status line, and in a response body.
inline constexpr std::size_t kMaxReasonPhraseBytes = 200;
inline constexpr std::size_t kMaxReasonBodyBytes = 1000;

// Printable ASCII only: each non-ASCII character (a UTF-8 sequence) becomes
// one '?', tabs become spaces, CR, LF and other control characters are
// dropped; the result is cut to `max_bytes` and trimmed of spaces.
std::string sanitize_reason(std::string_view text, std::size_t max_bytes);

}  // namespace srt::proxy
