#include "body_reader.hpp"

#include "http_limits.hpp"
#include "http_syntax.hpp"

namespace srt::proxy::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

BodyReader::BodyReader(BodyFraming framing) : kind_(framing.kind), remaining_(framing.length) {
  switch (kind_) {
    case BodyKind::none: state_ = State::done; break;
    case BodyKind::length: state_ = remaining_ ? State::data : State::done; break;
    case BodyKind::chunked: state_ = State::size; break;
    case BodyKind::until_close: state_ = State::raw; break;
  }
}

BodyReader::Result BodyReader::fail(std::size_t consumed) {
  state_ = State::failed;
  return {consumed, false, true};
}

bool BodyReader::end_of_input() {
  if (state_ == State::raw) state_ = State::done;
  if (state_ != State::done) state_ = State::failed;
  return state_ == State::done;
}

BodyReader::Result BodyReader::feed(std::string_view in, std::vector<std::string_view> &payload) {
  std::size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    switch (state_) {
      case State::done: return {i, true, false};
      case State::failed: return {i, false, true};
      case State::raw: payload.push_back(in.substr(i)); return {in.size(), false, false};
      case State::data: {
        const std::size_t avail = in.size() - i;
        const std::size_t take = remaining_ < avail ? static_cast<std::size_t>(remaining_) : avail;
        payload.push_back(in.substr(i, take));
        i += take;
        remaining_ -= take;
        if (remaining_ == 0) state_ = kind_ == BodyKind::length ? State::done : State::data_cr;
        break;
      }
      case State::data_cr:
        if (c != '\r') return fail(i);
        state_ = State::data_lf;
        ++i;
        break;
      case State::data_lf:
        if (c != '\n') return fail(i);
        state_ = State::size;
        digits_ = 0;
        line_bytes_ = 0;
        remaining_ = 0;
        ++i;
        break;
      case State::size: {
        if (++line_bytes_ > kMaxChunkLineBytes) return fail(i);
        int v = hex_value(c);
        if (v >= 0) {
          if (++digits_ > kMaxChunkSizeDigits) return fail(i);
          remaining_ = remaining_ * 16 + static_cast<std::uint64_t>(v);
        } else if (digits_ == 0) {
          return fail(i);
        } else if (c == ';' || c == ' ' || c == '\t') {
          state_ = State::extension;
        } else if (c == '\r') {
          state_ = State::size_lf;
        } else {
          return fail(i);
        }
        ++i;
        break;
      }
      case State::extension:
        if (++line_bytes_ > kMaxChunkLineBytes) return fail(i);
        if (c == '\r') {
          state_ = State::size_lf;
        } else if (!is_field_value_char(static_cast<unsigned char>(c))) {
          return fail(i);
        }
        ++i;
        break;
      case State::size_lf:
        if (c != '\n') return fail(i);
        ++i;
        line_bytes_ = 0;
        trailer_line_has_colon_ = false;
        state_ = remaining_ ? State::data : State::trailer;
        break;
      case State::trailer:
        if (++trailer_bytes_ > kMaxTrailerBytes) return fail(i);
        if (c == '\r') {
          state_ = State::trailer_lf;
        } else if (!is_field_value_char(static_cast<unsigned char>(c)) ||
                   (line_bytes_ == 0 && (c == ' ' || c == '\t'))) {
          return fail(i);  // control character, or obs-fold
        } else {
          if (c == ':') trailer_line_has_colon_ = true;
          ++line_bytes_;
        }
        ++i;
        break;
      case State::trailer_lf:
        if (c != '\n') return fail(i);
        ++i;
        if (line_bytes_ == 0) {
          state_ = State::done;
          return {i, true, false};
        }
        if (!trailer_line_has_colon_) return fail(i);
        line_bytes_ = 0;
        trailer_line_has_colon_ = false;
        state_ = State::trailer;
        break;
    }
  }
  return {i, state_ == State::done, state_ == State::failed};
}

std::string chunk_header(std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), kHex[size & 0xF]);
    size >>= 4;
  } while (size);
  return digits + "\r\n";
}

}  // namespace srt::proxy::http
