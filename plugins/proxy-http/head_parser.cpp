#include "head_parser.hpp"

#include "http_limits.hpp"
#include "http_syntax.hpp"

namespace srt::proxy::http {

const Field *find_field(const std::vector<Field> &fields, std::string_view name) {
  for (const auto &f : fields)
    if (iequals(f.name, name)) return &f;
  return nullptr;
}

std::size_t count_fields(const std::vector<Field> &fields, std::string_view name) {
  std::size_t n = 0;
  for (const auto &f : fields)
    if (iequals(f.name, name)) ++n;
  return n;
}

bool connection_options(const std::vector<Field> &fields, std::vector<std::string> &out) {
  for (const auto &f : fields) {
    if (!iequals(f.name, "connection")) continue;
    std::string_view rest = f.value;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto item = trim_ows(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (item.empty()) continue;  // "a, , b" is allowed (RFC 9110 5.6.1)
      if (!is_token(item)) return false;
      out.push_back(to_lower(item));
    }
  }
  return true;
}

HeadParser::HeadParser(std::size_t max_start_line, int syntax_status, int size_status)
    : max_start_line_(max_start_line), syntax_status_(syntax_status), size_status_(size_status) {}

bool HeadParser::fail(int status, std::string message) {
  if (status_ == HeadStatus::invalid) return false;
  status_ = HeadStatus::invalid;
  error_ = {status, std::move(message)};
  line_.clear();
  return false;
}

HeadParser::Result HeadParser::feed(std::string_view in) {
  constexpr std::size_t kMaxFieldLine = kMaxHeaderNameBytes + 1 + kMaxHeaderValueBytes + kMaxHeaderPaddingBytes;
  std::size_t i = 0;
  while (i < in.size() && status_ == HeadStatus::need_more) {
    const char c = in[i++];
    if (++total_ > kMaxHeadBytes) {
      fail(size_status_, "head too large");
      break;
    }
    if (after_cr_) {
      after_cr_ = false;
      if (c != '\n') {
        fail(syntax_status_, "CR not followed by LF");
        break;
      }
      end_of_line();
      continue;
    }
    if (c == '\r') {
      after_cr_ = true;
      continue;
    }
    if (c == '\n') {
      fail(syntax_status_, "LF without CR");
      break;
    }
    line_.push_back(c);
    if (line_.size() > (seen_start_line_ ? kMaxFieldLine : max_start_line_)) {
      fail(size_status_, seen_start_line_ ? "header line too long" : "start line too long");
      break;
    }
  }
  return {status_, i};
}

void HeadParser::end_of_line() {
  std::string line;
  line.swap(line_);
  if (!seen_start_line_) {
    if (line.empty()) {
      if (++leading_empty_lines_ > kMaxLeadingEmptyLines)
        fail(syntax_status_, "too many empty lines before the start line");
      return;
    }
    seen_start_line_ = true;
    start_line(line);
    return;
  }
  if (line.empty()) {
    if (finish()) status_ = HeadStatus::complete;
    return;
  }
  field_line(line);
}

bool HeadParser::field_line(std::string_view line) {
  if (line.front() == ' ' || line.front() == '\t') return fail(syntax_status_, "folded header line (obs-fold)");
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return fail(syntax_status_, "header line without a colon");
  auto name = line.substr(0, colon);
  // Also refuses "Name :" (RFC 9112 5.1: whitespace before the colon).
  if (!is_token(name)) return fail(syntax_status_, "invalid header name");
  if (name.size() > kMaxHeaderNameBytes) return fail(size_status_, "header name too long");
  auto value = trim_ows(line.substr(colon + 1));
  for (unsigned char c : value)
    if (!is_field_value_char(c)) return fail(syntax_status_, "control character in a header value");
  if (value.size() > kMaxHeaderValueBytes) return fail(size_status_, "header value too long");
  if (fields_.size() >= kMaxHeaderCount) return fail(size_status_, "too many header fields");
  fields_.push_back({std::string(name), std::string(value)});
  return true;
}

}  // namespace srt::proxy::http
