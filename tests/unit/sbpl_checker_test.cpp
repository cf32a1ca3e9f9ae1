// The SBPL checker itself: it must pass what srt writes and fail each kind
// of malformed profile, or the golden tests that rely on it prove nothing.
#include "sbpl_checker.hpp"
#include "sbpl_text.hpp"

#include <doctest/doctest.h>

#include <string>

using srt::test::check_sbpl;

namespace {

bool mentions(const std::vector<std::string> &problems, const std::string &needle) {
  for (const auto &p : problems)
    if (p.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("sbpl checker: a profile made of srt's pieces passes") {
  using namespace srt::seatbelt;
  std::string profile = "(version 1)\n(deny default (with message \"srt\"))\n; reads\n(allow file-read*)\n";
  for (const char *p : {"/Users/a b/.ssh", "/tmp/x\"y", "/a\\b", "/é/(x)+[y]"})
    profile += "(deny file-read* (subpath " + sbpl_string(p) + "))\n";
  for (const char *g : {"/Users/u/**/*.pem", "/w/[a-c]?/x.y", "/**/.env"})
    profile += "(deny file-read* file-write* (regex " + sbpl_string(glob_regex(g, true)) + "))\n";
  profile += "(allow network-outbound (remote ip \"localhost:3128\"))\n";
  profile += "(allow file-read* (require-all (vnode-type DIRECTORY) (require-not (literal \"/x\"))))\n";
  auto problems = check_sbpl(profile);
  CHECK(problems.empty());
  for (const auto &p : problems) MESSAGE(p);
}

TEST_CASE("sbpl checker: each kind of malformed profile fails with its line") {
  CHECK(mentions(check_sbpl("(allow file-read*)"), "no (version 1)"));
  CHECK(mentions(check_sbpl("(version 1)\n(allow file-read* (subpath \"/a\")"), "never closed"));
  CHECK(mentions(check_sbpl("(version 1))"), "without a matching"));
  CHECK(mentions(check_sbpl("(version 1)\n(allow file-rede*)"), "line 2: unknown operation file-rede*"));
  CHECK(mentions(check_sbpl("(version 1)\n(allow file-read* (subpth \"/a\"))"), "unknown filter subpth"));
  CHECK(mentions(check_sbpl("(version 1)\n(allow file-read* (regex \"^/a(\"))"), "does not compile"));
  CHECK(mentions(check_sbpl("(version 1)\n(allow file-read* (subpath /a))"), "takes a string"));
  CHECK(mentions(check_sbpl("(version 1)\n(allow file-read* (literal \"/a\\q\"))"), "unknown escape"));
  CHECK(mentions(check_sbpl("(version 1)\n(allow file-read* (literal \"/a\nb\"))"), "newline inside a string"));
  CHECK(mentions(check_sbpl("(version 1)\n(allow (literal \"/a\"))"), "names no operation"));
  CHECK(mentions(check_sbpl("(version 1)\n(permit file-read*)"), "unknown form permit"));
}
