// Incremental reader of one message body: finds where it ends and yields its
// payload (chunked framing removed, trailers dropped). Standard library only
// (fuzzed). Chunk-size lines need CRLF, at most kMaxChunkSizeDigits hex
// digits and extensions of visible characters; trailer lines are checked
// like header fields and bounded by kMaxTrailerBytes.
#pragma once

#include "body_framing.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace srt::proxy::http {

class BodyReader {
 public:
  explicit BodyReader(BodyFraming framing);

  struct Result {
    std::size_t consumed;  // bytes of this input that belong to the body
    bool done;             // the body ended within them
    bool error;            // malformed framing: stop, close the connection
  };
  // Appends the payload in `in` to `payload` (views into `in`).
  Result feed(std::string_view in, std::vector<std::string_view> &payload);
  // The peer closed its side: the end of an until_close body, an error for
  // an unfinished body of any other kind.
  bool end_of_input();
  bool done() const { return state_ == State::done; }
  bool failed() const { return state_ == State::failed; }

 private:
  enum class State { size, extension, size_lf, data, data_cr, data_lf, trailer, trailer_lf, raw, done, failed };
  Result fail(std::size_t consumed);

  BodyKind kind_;
  State state_;
  std::uint64_t remaining_ = 0;  // of the current chunk, or of a length body
  std::size_t digits_ = 0;
  std::size_t line_bytes_ = 0;
  std::size_t trailer_bytes_ = 0;
  bool trailer_line_has_colon_ = false;
};

// Chunked framing for re-encoding a payload.
std::string chunk_header(std::size_t size);
inline constexpr std::string_view kChunkEnd = "\r\n";
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

}  // namespace srt::proxy::http
