// A small checker for Seatbelt profiles (SBPL), so that a malformed profile
// fails here, not on a user's Mac: balanced parentheses, well-formed string
// and regex literals, only operations and filters srt knows, and every regex
// compiling in POSIX extended syntax. Test code; not a full SBPL parser.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace srt::test {

// Every problem found, one line each ("line 12: unknown operation file-rede*").
// Empty: the profile passed.
std::vector<std::string> check_sbpl(std::string_view profile);

// What a profile decides for one file operation on one path, by Seatbelt's
// rule: the last rule that matches wins; when none matches, denied. Knows
// the path filters srt's profiles use (literal, subpath, regex, require-all,
// require-any, require-not); any other filter never matches, so a rule that
// needs one (vnode-type, ...) is ignored. `operation` is a concrete one
// ("file-read-data", "file-write-create", "file-write-unlink"): a rule's
// "file-write*" or "default" covers it. A test model of Seatbelt, not
// Seatbelt: it cannot tell what macOS itself would add or refuse.
class SbplModel {
 public:
  // Throws std::invalid_argument when check_sbpl finds a problem.
  explicit SbplModel(std::string_view profile);
  ~SbplModel();
  bool allows(std::string_view operation, std::string_view path) const;

 private:
  struct Rules;
  std::unique_ptr<Rules> rules_;
};

}  // namespace srt::test
