// SBPL text: string literals and the regexes made from literal paths and
// globs. The regexes are checked with std::regex in POSIX extended syntax
// (the syntax SBPL's `regex` filter takes) against the core's own glob
// matcher, on fixed and on random hostile paths.
#include "sbpl_text.hpp"

#include "policy/glob.hpp"

#include <doctest/doctest.h>

#include <random>
#include <regex>
#include <string>
#include <vector>

using srt::seatbelt::glob_regex;
using srt::seatbelt::regex_literal;
using srt::seatbelt::sbpl_string;
using srt::seatbelt::Unrepresentable;

namespace {

bool regex_matches(const std::string &re, const std::string &path) {
  return std::regex_search(path, std::regex(re, std::regex::extended));
}

// Characters a hostile path may hold: every regex metacharacter, quotes,
// spaces, '-', and UTF-8 bytes.
const std::vector<std::string> kAtoms = {"a", "b", ".", "+", "(", ")", "[", "]", "$", "^", "{", "}", "|", "\\", "*", "?",
                                         " ", "\"", "'", "-", "!", "é", "日", "ab", "x.y"};

std::string random_component(std::mt19937 &rng) {
  std::uniform_int_distribution<std::size_t> len(1, 4), atom(0, kAtoms.size() - 1);
  std::string s;
  for (std::size_t i = len(rng); i > 0; --i) s += kAtoms[atom(rng)];
  return s;
}

std::string random_path(std::mt19937 &rng) {
  std::uniform_int_distribution<int> depth(1, 4);
  std::string p;
  for (int i = depth(rng); i > 0; --i) p += "/" + random_component(rng);
  return p;
}

}  // namespace

TEST_CASE("sbpl: string literals escape quotes and backslashes, refuse control characters") {
  CHECK(sbpl_string("/tmp/a b") == "\"/tmp/a b\"");
  CHECK(sbpl_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(sbpl_string("/é/日") == "\"/é/日\"");
  CHECK_THROWS_AS(sbpl_string("a\nb"), Unrepresentable);
  CHECK_THROWS_AS(sbpl_string(std::string("a\0b", 3)), Unrepresentable);
  CHECK_THROWS_AS(glob_regex("/a\tb", false), Unrepresentable);
}

TEST_CASE("sbpl: a literal path's regex matches that path and not its neighbours") {
  for (std::string path : {"/a/b", "/a.b/c+d", "/x/(y)/[z]", "/$HOME/^x", "/a b/\"q\"/'s'", "/é/日本", "/a\\b", "/{1,2}|x"}) {
    CAPTURE(path);
    std::string re = "^" + regex_literal(path) + "$";
    CHECK(regex_matches(re, path));
    CHECK_FALSE(regex_matches(re, path + "c"));
    CHECK_FALSE(regex_matches(re, path + "/c"));
    CHECK_FALSE(regex_matches(re, path.substr(0, path.size() - 1)));
    if (!srt::policy::has_glob(path)) CHECK(glob_regex(path, false) == re);  // no glob character: the literal
  }
  // A dot is not "any character"; ".." is not resolved by a regex.
  CHECK_FALSE(regex_matches(glob_regex("/a.b", false), "/axb"));
  CHECK_FALSE(regex_matches(glob_regex("/a/b", false), "/a/b/../c"));
  CHECK_FALSE(regex_matches(glob_regex("/a/b", false), "/a/bc"));
}

TEST_CASE("sbpl: subtree regexes cover what is beneath, not siblings with the same prefix") {
  std::string re = glob_regex("/a/b", true);
  CHECK(regex_matches(re, "/a/b"));
  CHECK(regex_matches(re, "/a/b/c/d"));
  CHECK_FALSE(regex_matches(re, "/a/bc"));
  CHECK_FALSE(regex_matches(re, "/a"));
  CHECK(glob_regex("/", true) == "^/.*$");
  CHECK(regex_matches(glob_regex("/", true), "/anything/at/all"));
}

TEST_CASE("sbpl: globs become the same matches as the core's glob matcher") {
  struct Case {
    const char *pattern;
    std::vector<const char *> yes, no;
  };
  const Case cases[] = {
      {"/h/*.pem", {"/h/a.pem", "/h/.pem"}, {"/h/a/b.pem", "/h/a.pemx", "/x/a.pem"}},
      {"/h/**/*.pem", {"/h/a.pem", "/h/x/y/a.pem"}, {"/h/a.pem/b", "/g/a.pem"}},
      {"/h/**", {"/h", "/h/x", "/h/x/y"}, {"/hx", "/g/h"}},
      {"/**/.env", {"/.env", "/a/.env", "/a/b/.env"}, {"/a/.envx", "/a/x.env"}},
      {"/h/?", {"/h/a", "/h/."}, {"/h/ab", "/h/"}},
      {"/h/[ab]x", {"/h/ax", "/h/bx"}, {"/h/cx", "/h/[ab]x"}},
      {"/h/[a-c]", {"/h/a", "/h/b", "/h/c"}, {"/h/d", "/h/-"}},
      {"/h/[]]", {"/h/]"}, {"/h/a"}},
      {"/h/[^]", {"/h/^"}, {"/h/a"}},
      {"/h/[.-.]", {"/h/."}, {"/h/a"}},
      {"/h/[!a]", {"/h/!", "/h/a"}, {"/h/b"}},
      {"/h/a[b", {"/h/a[b"}, {"/h/ab"}},
      {"/h/x.y+(z)", {"/h/x.y+(z)"}, {"/h/xxy+(z)", "/h/x.yy(z)"}},
  };
  for (const auto &c : cases) {
    CAPTURE(c.pattern);
    std::string re = glob_regex(c.pattern, false);
    CAPTURE(re);
    for (const char *p : c.yes) {
      CAPTURE(p);
      CHECK(srt::policy::match_path(c.pattern, p));
      CHECK(regex_matches(re, p));
    }
    for (const char *p : c.no) {
      CAPTURE(p);
      CHECK_FALSE(srt::policy::match_path(c.pattern, p));
      CHECK_FALSE(regex_matches(re, p));
    }
  }
  CHECK_THROWS_AS(glob_regex("/h/[z-a]", false), Unrepresentable);
}

TEST_CASE("sbpl: random hostile paths and patterns agree with the core's matcher") {
  std::mt19937 rng(20261124);
  std::uniform_int_distribution<int> pick(0, 9);
  for (int i = 0; i < 400; ++i) {
    std::string path = random_path(rng);
    // A pattern made from the path: some components become *, ? or **.
    std::string pattern;
    std::size_t start = 1;
    while (start <= path.size()) {
      std::size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      std::string part = path.substr(start, end - start);
      int r = pick(rng);
      pattern += "/" + (r == 0 ? std::string("*") : r == 1 ? std::string("**") : r == 2 ? part.substr(0, 1) + "*" : part);
      start = end + 1;
    }
    CAPTURE(path);
    CAPTURE(pattern);
    std::string re;
    try {
      re = glob_regex(pattern, false);
    } catch (const Unrepresentable &) {
      continue;  // a random set such as "[z-a]": refused, never rendered wrong
    }
    CAPTURE(re);
    std::string literal = "^" + regex_literal(path) + "$";
    CHECK(regex_matches(literal, path));
    // Every candidate: the path, its neighbours, and other random paths.
    for (const std::string &candidate : {path, path + "x", path + "/y", path.substr(0, path.size() - 1), random_path(rng)}) {
      // Only normalised paths (what the kernel checks): no trailing or double '/'.
      if (candidate.back() == '/' || candidate.find("//") != std::string::npos) continue;
      CAPTURE(candidate);
      CHECK(regex_matches(re, candidate) == srt::policy::match_path(pattern, candidate));
      CHECK(regex_matches(literal, candidate) == (candidate == path));
    }
  }
}
