#include "policy/paths.hpp"

#include "temp_dir.hpp"

#include <srt/error.hpp>

#include <doctest/doctest.h>

using namespace srt::policy;

TEST_CASE("paths: spelling") {
  CHECK(expand_path("~", "/cwd", "/home/u") == "/home/u");
  CHECK(expand_path("~/.ssh/", "/cwd", "/home/u") == "/home/u/.ssh");
  CHECK(expand_path(".", "/w/p", "/h") == "/w/p");
  CHECK(expand_path("..", "/w/p", "/h") == "/w");
  CHECK(expand_path("a//b/./c/../d", "/w", "/h") == "/w/a/b/d");
  CHECK(expand_path("/../..", "/w", "/h") == "/");
  CHECK_THROWS_AS(expand_path("~root/x", "/w", "/h"), srt::PolicyError);
  CHECK(parent_of("/a/b") == "/a");
  CHECK(parent_of("/a") == "/");
  CHECK(is_ancestor_or_self("/a", "/a/b"));
  CHECK(is_ancestor_or_self("/a", "/a"));
  CHECK_FALSE(is_ancestor_or_self("/a", "/ab"));
  CHECK(is_ancestor_or_self("/", "/x"));
  CHECK(depth_of("/") == 0);
  CHECK(depth_of("/a/b") == 2);
}

TEST_CASE("paths: resolution follows symlinks, also to paths that do not exist") {
  srt::test::TempDir t;
  t.dir("real/sub");
  t.symlink(t / "real", "link");
  t.symlink("real/sub", "rel");
  t.symlink(t / "nowhere/file", "dangling");
  t.file("file");

  auto r = resolve(t / "link/sub");
  CHECK(r.exists);
  CHECK(r.kind == srt::ir::Kind::dir);
  CHECK(r.real == t / "real/sub");
  CHECK(r.via_symlink);

  CHECK(resolve(t / "rel").real == t / "real/sub");

  auto d = resolve(t / "dangling");
  CHECK_FALSE(d.exists);
  CHECK(d.real == t / "nowhere/file");  // where a write through the link would land
  CHECK(d.first_missing == t / "nowhere");

  auto m = resolve(t / "real/new/deeper");
  CHECK(m.first_missing == t / "real/new");
  CHECK(m.real == t / "real/new/deeper");

  auto b = resolve(t / "file/below");
  CHECK_FALSE(b.exists);
  CHECK(b.first_missing.empty());
  CHECK(b.blocker == t / "file");

  t.symlink(t / "loop2", "loop1");
  t.symlink(t / "loop1", "loop2");
  CHECK_THROWS_AS(resolve(t / "loop1"), srt::PolicyError);
}
