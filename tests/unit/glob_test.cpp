#include "policy/glob.hpp"

#include "temp_dir.hpp"

#include <srt/error.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using namespace srt::policy;

TEST_CASE("globs: component matching") {
  CHECK(match_component("*.pem", "key.pem"));
  CHECK(match_component("*.pem", ".pem"));
  CHECK_FALSE(match_component("*.pem", "key.pem.bak"));
  CHECK(match_component("?.txt", "a.txt"));
  CHECK_FALSE(match_component("?.txt", "ab.txt"));
  CHECK(match_component("[abc]x", "bx"));
  CHECK(match_component("[a-c]x", "cx"));
  CHECK_FALSE(match_component("[a-c]x", "dx"));
  CHECK(match_component("[x", "[x"));  // an unclosed set is literal text
  CHECK(match_component("a[]b", "a[]b"));
  CHECK(has_glob("a*"));
  CHECK_FALSE(has_glob("a[b"));
  CHECK(match_path("/a/**/c", "/a/c"));
  CHECK(match_path("/a/**/c", "/a/b/x/c"));
  CHECK_FALSE(match_path("/a/*/c", "/a/b/x/c"));
}

TEST_CASE("globs: an escaped path matches exactly itself") {
  for (const char *text : {"/a[1]/b", "/x*y/z?", "/[abc]", "/a]b[", "/p[*]q", "/plain"}) {
    std::string pattern = escape_glob(text);
    CHECK_MESSAGE(match_path(pattern, text), pattern);
    CHECK_MESSAGE(match_path(pattern + "/**/.bashrc", std::string(text) + "/deep/er/.bashrc"), pattern);
  }
  CHECK_FALSE(match_path(escape_glob("/a[1]"), "/a1"));
  CHECK_FALSE(match_path(escape_glob("/x*"), "/xy"));
  CHECK_FALSE(match_path(escape_glob("/x?"), "/xy"));
}

TEST_CASE("globs: expansion against the disk") {
  srt::test::TempDir t;
  t.file("keys/a.pem");
  t.file("keys/b.pem");
  t.file("keys/readme.txt");
  t.file("src/x/deep/c.pem");
  t.file("src/y.pem");
  t.file("all/one");
  t.file("all/two");

  auto e = expand_glob(t / "keys/*.pem");
  CHECK(e.paths == std::vector<std::string>{t / "keys/a.pem", t / "keys/b.pem"});

  e = expand_glob(t / "**/*.pem");
  CHECK(e.paths.size() == 4);
  CHECK(std::count(e.paths.begin(), e.paths.end(), t / "src/x/deep/c.pem") == 1);

  // "dir/*" covers everything in dir, now and later: the directory itself.
  e = expand_glob(t / "all/*");
  CHECK(e.paths == std::vector<std::string>{t / "all"});
  e = expand_glob(t / "a?l/**");
  CHECK(e.paths == std::vector<std::string>{t / "all"});

  CHECK(expand_glob(t / "nothing/*.x").paths.empty());
}

TEST_CASE("globs: too broad a pattern fails instead of protecting less") {
  srt::test::TempDir t;
  for (int i = 0; i < 50; ++i) t.file("many/f" + std::to_string(i) + ".x");
  // Under the limits: fine.
  CHECK(expand_glob(t / "many/*.x").paths.size() == 50);
  CHECK(kMaxGlobMatches >= 10000);
}
