#include "sbpl_text.hpp"

#include <string>
#include <vector>

namespace srt::seatbelt {

namespace {

// The characters POSIX extended regexes give a meaning outside a bracket
// expression; `\` before any other character is undefined, and an
// unmatched ']' or '}' is an ordinary character.
constexpr std::string_view kRegexSpecial = ".[()*+?{|^$\\";
// One path component's character: anything but '/'.
constexpr std::string_view kNotSlash = "[^/]";

void check_printable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f)
      throw Unrepresentable("a path with a control character cannot be written into a Seatbelt profile exactly: " + std::string(s));
}

bool same_class(char a, char b) {
  auto cls = [](char c) { return c >= '0' && c <= '9' ? 1 : c >= 'a' && c <= 'z' ? 2 : c >= 'A' && c <= 'Z' ? 3 : 0; };
  return cls(a) != 0 && cls(a) == cls(b);
}

// A glob set's members ("a-z_." between the brackets) as an alternation.
// Ranges compare bytes as glob.cpp does (as char); ranges inside one class
// of ASCII letters or digits are written as a bracket range, others spelled
// out byte by byte, so that no bracket-expression subtlety ('^', ']', '-',
// collation) is left to the regex engine.
std::string set_regex(std::string_view set) {
  std::vector<std::string> alternatives;
  for (std::size_t k = 0; k < set.size(); ++k) {
    if (k + 2 < set.size() && set[k + 1] == '-') {
      char lo = set[k], hi = set[k + 2];
      if (same_class(lo, hi) && lo <= hi) {
        alternatives.push_back(std::string("[") + lo + "-" + hi + "]");
      } else {
        for (int c = lo; c <= hi; ++c)
          if (c != '/') alternatives.push_back(regex_literal(std::string(1, static_cast<char>(c))));
      }
      k += 2;
    } else if (set[k] != '/') {
      alternatives.push_back(regex_literal(set.substr(k, 1)));
    }
  }
  if (alternatives.empty())
    throw Unrepresentable("the set [" + std::string(set) + "] matches no character; fix the pattern (a range is written low-high)");
  std::string out = "(";
  for (std::size_t i = 0; i < alternatives.size(); ++i) out += (i ? "|" : "") + alternatives[i];
  return out + ")";
}

// Where a set that starts at p[i] == '[' ends (index after ']'), or npos
// when it is not closed: as glob.cpp's set_end.
std::size_t set_end(std::string_view p, std::size_t i) {
  std::size_t j = i + 1;
  if (j < p.size() && p[j] == ']') ++j;
  while (j < p.size() && p[j] != ']') ++j;
  return j < p.size() && j > i + 1 ? j + 1 : std::string_view::npos;
}

std::string component_regex(std::string_view part) {
  std::string out;
  for (std::size_t i = 0; i < part.size();) {
    char c = part[i];
    if (c == '*') {
      while (i < part.size() && part[i] == '*') ++i;
      out += std::string(kNotSlash) + "*";
      continue;
    }
    if (c == '?') {
      out += kNotSlash;
      ++i;
      continue;
    }
    if (c == '[') {
      auto end = set_end(part, i);
      if (end != std::string_view::npos) {
        out += set_regex(part.substr(i + 1, end - i - 2));
        i = end;
        continue;
      }
    }
    out += regex_literal(part.substr(i, 1));
    ++i;
  }
  return out;
}

}  // namespace

std::string sbpl_string(std::string_view s) {
  check_printable(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string regex_literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (kRegexSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string glob_regex(std::string_view pattern, bool subtree) {
  check_printable(pattern);
  std::string out = "^";
  std::size_t start = 0;
  bool any = false;
  while (start < pattern.size()) {
    std::size_t end = pattern.find('/', start);
    if (end == std::string_view::npos) end = pattern.size();
    std::string_view part = pattern.substr(start, end - start);
    start = end + 1;
    if (part.empty()) continue;
    any = true;
    // "**": any number of whole components, none included.
    out += part == "**" ? std::string("(/") + std::string(kNotSlash) + "+)*" : "/" + component_regex(part);
  }
  if (!any) return subtree ? "^/.*$" : "^/$";
  return out + (subtree ? "(/.*)?$" : "$");
}

}  // namespace srt::seatbelt
