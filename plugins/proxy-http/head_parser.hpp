// The incremental part shared by the request and response head parsers:
// strict CRLF lines, header fields, limits. Standard library only (fuzzed).
//
// Line endings: every line ends in CRLF. A CR not followed by LF, or an LF
// not preceded by CR, makes the head invalid (no lenient parsing that a
// server behind the proxy might read differently).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace srt::proxy::http {

struct Field {
  std::string name;   // as sent
  std::string value;  // without surrounding spaces
};

enum class HeadStatus { need_more, complete, invalid };

struct HeadError {
  int status = 400;     // the answer to give: 400, 431 or 505
  std::string message;  // one line, safe to send back
};

// Finds the only field named `name` (case-insensitive); null when absent.
const Field *find_field(const std::vector<Field> &fields, std::string_view name);
std::size_t count_fields(const std::vector<Field> &fields, std::string_view name);
// The lower-case options of every Connection field ("close", "keep-alive",
// names of hop-by-hop fields). False when one is not a token.
bool connection_options(const std::vector<Field> &fields, std::vector<std::string> &out);

class HeadParser {
 public:
  struct Result {
    HeadStatus status;
    std::size_t consumed;  // bytes of this input that belong to the head
  };
  virtual ~HeadParser() = default;

  // Feeds the next bytes. Once complete or invalid, consumes nothing more.
  Result feed(std::string_view in);
  HeadStatus status() const { return status_; }
  const HeadError &error() const { return error_; }
  const std::vector<Field> &fields() const { return fields_; }
  // Bytes of head seen so far.
  std::size_t size() const { return total_; }

 protected:
  // `syntax_status` answers malformed heads, `size_status` heads over a limit.
  HeadParser(std::size_t max_start_line, int syntax_status, int size_status);
  // Parses the start line; returns false after fail().
  virtual bool start_line(std::string_view line) = 0;
  // Checks the complete head (framing fields); returns false after fail().
  virtual bool finish() = 0;
  bool fail(int status, std::string message);
  std::vector<Field> fields_;

 private:
  void end_of_line();
  bool field_line(std::string_view line);

  std::size_t max_start_line_;
  int syntax_status_;
  int size_status_;
  HeadStatus status_ = HeadStatus::need_more;
  HeadError error_;
  std::string line_;
  std::size_t total_ = 0;
  std::size_t leading_empty_lines_ = 0;
  bool after_cr_ = false;
  bool seen_start_line_ = false;
};

}  // namespace srt::proxy::http
