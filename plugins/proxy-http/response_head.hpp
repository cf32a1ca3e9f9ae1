// Incremental HTTP/1.x response-head parser for what a destination answers.
// Standard library only (fuzzed). Same line and field rules as requests;
// any violation (or size limit) makes the response invalid: the proxy
// answers 502.
#pragma once

#include "body_framing.hpp"
#include "head_parser.hpp"

#include <optional>
#include <string>
#include <vector>

namespace srt::proxy::http {

struct ResponseHead {
  int minor_version = 1;
  int status = 0;
  std::string reason;
  std::vector<Field> fields;
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
  std::vector<std::string> connection;  // lower-case Connection options
};

class ResponseHeadParser : public HeadParser {
 public:
  ResponseHeadParser();
  const ResponseHead &head() const { return head_; }
  ResponseHead take() { return std::move(head_); }

 private:
  bool start_line(std::string_view line) override;
  bool finish() override;
  ResponseHead head_;
};

// How the body of `head` is delimited, for a request with method `method`
// (RFC 9112 6.3): none for HEAD, 1xx, 204 and 304.
BodyFraming response_body(const ResponseHead &head, std::string_view method);

}  // namespace srt::proxy::http
