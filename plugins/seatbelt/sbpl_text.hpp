// The text pieces of a Seatbelt profile (SBPL): string literals, and the
// POSIX extended regular expressions that `(regex "...")` filters take,
// made from literal paths and from srt's globs (core/src/policy/glob.hpp:
// `*`, `**`, `?`, `[...]`). Pure functions; used on every platform, so that
// profiles are rendered and tested where they cannot be enforced.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace srt::seatbelt {

// A path or pattern SBPL cannot carry exactly (a control character): the
// profile is not rendered rather than rendered wrong.
class Unrepresentable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `s` as an SBPL string literal: in double quotes, with '"' and '\' escaped.
// Throws Unrepresentable for control characters.
std::string sbpl_string(std::string_view s);

// `text` written so that an extended regex matches exactly these bytes.
std::string regex_literal(std::string_view text);

// An anchored extended regex matching exactly what policy::match_path
// matches for the absolute `pattern`; with `subtree`, also everything
// beneath a match ("/a/*.pem" then covers "/a/x.pem/inner"). A pattern
// without glob characters matches only itself. Throws Unrepresentable for
// control characters and for a set that matches no character ("[z-a]").
std::string glob_regex(std::string_view pattern, bool subtree);

}  // namespace srt::seatbelt
