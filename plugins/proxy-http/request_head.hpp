// Incremental HTTP/1.x request-head parser. Standard library only (fuzzed).
//
// Refuses (400 unless noted): a method that is not a token, a target with
// characters outside VCHAR, a version other than HTTP/1.0 or 1.1 (505 when
// well-formed), bare CR or LF, obs-fold, control characters or NUL in a
// field, a field name that is not a token (whitespace before the colon),
// more than one Content-Length, Host or Transfer-Encoding field, a
// Content-Length that is not plain digits, Content-Length together with
// Transfer-Encoding, any transfer coding other than exactly "chunked",
// Transfer-Encoding in HTTP/1.0, a Connection option that is not a token.
// Anything over a limit of http_limits.hpp: 431.
#pragma once

#include "body_framing.hpp"
#include "head_parser.hpp"

#include <string>
#include <vector>

namespace srt::proxy::http {

struct RequestHead {
  std::string method;
  std::string target;
  int minor_version = 1;  // HTTP/1.<minor>
  std::vector<Field> fields;
  BodyFraming body;
  std::vector<std::string> connection;  // lower-case Connection options
  bool keep_alive = true;               // the client expects the connection to stay open
};

class RequestHeadParser : public HeadParser {
 public:
  RequestHeadParser();
  // Valid once status() is complete.
  const RequestHead &head() const { return head_; }
  RequestHead take() { return std::move(head_); }

 private:
  bool start_line(std::string_view line) override;
  bool finish() override;
  RequestHead head_;
};

}  // namespace srt::proxy::http
