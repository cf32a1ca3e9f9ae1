#include "runtime/session.hpp"

#include "temp_dir.hpp"

#include <srt/error.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using srt::ir::Access;
using srt::ir::Kind;
using srt::ir::Placeholder;

namespace {

srt::runtime::Dirs dirs_in(const srt::test::TempDir &t) {
  srt::runtime::Dirs d{t.dir("run"), t.dir("tmp")};
  t.dir("run/sessions");
  return d;
}

std::vector<srt::ir::Mount> placeholders(const srt::test::TempDir &t) {
  return {{t / "w/.mcp.json", Access::read_only, Kind::missing, Placeholder::file, false, "m"},
          {t / "w/.vscode", Access::read_only, Kind::missing, Placeholder::dir, false, "m"},
          {t / "w", Access::read_write, Kind::dir, Placeholder::none, false, "aw"}};
}

}  // namespace

TEST_CASE("session: placeholders exist while the session lives and are removed after") {
  srt::test::TempDir t;
  t.dir("w");
  auto d = dirs_in(t);
  {
    srt::runtime::Session s(d, nullptr);
    s.end_compile();  // as a launch does once its policy is compiled
    s.create_placeholders(placeholders(t));
    CHECK(fs::is_regular_file(t / "w/.mcp.json"));
    CHECK(fs::is_directory(t / "w/.vscode"));
  }
  CHECK_FALSE(fs::exists(t / "w/.mcp.json"));
  CHECK_FALSE(fs::exists(t / "w/.vscode"));
  CHECK(fs::is_empty(t / "run/sessions"));
}

TEST_CASE("session: what the user changed is left alone") {
  srt::test::TempDir t;
  t.dir("w");
  auto d = dirs_in(t);
  {
    srt::runtime::Session s(d, nullptr);
    s.end_compile();
    s.create_placeholders(placeholders(t));
    t.file("w/.mcp.json", "{\"real\": true}");  // written by the user on the host meanwhile
    t.file("w/.vscode/settings.json", "{}");
  }
  CHECK(fs::exists(t / "w/.mcp.json"));
  CHECK(fs::exists(t / "w/.vscode/settings.json"));
}

TEST_CASE("session: a path that appeared since compiling is refused") {
  srt::test::TempDir t;
  t.file("w/.mcp.json", "{}");
  auto d = dirs_in(t);
  srt::runtime::Session s(d, nullptr);
  s.end_compile();
  CHECK_THROWS_WITH_AS(s.create_placeholders(placeholders(t)), doctest::Contains("appeared"), srt::SandboxError);
}

TEST_CASE("session: a placeholder shared by two live sessions is removed by the last") {
  srt::test::TempDir t;
  t.dir("w");
  auto d = dirs_in(t);
  auto a = std::make_unique<srt::runtime::Session>(d, nullptr);
  a->end_compile();
  a->create_placeholders(placeholders(t));
  {
    srt::runtime::Session b(d, nullptr);
    b.end_compile();
    b.create_placeholders(placeholders(t));  // sees a's placeholders: shared, not "appeared"
    a.reset();
    CHECK(fs::exists(t / "w/.mcp.json"));  // b still relies on it
  }
  CHECK_FALSE(fs::exists(t / "w/.mcp.json"));
}

TEST_CASE("session: another live session's placeholders are named to the compiler, and only while it lives") {
  srt::test::TempDir t;
  t.dir("w");
  t.file("w/own.txt", "");
  auto d = dirs_in(t);
  CHECK_FALSE(srt::runtime::Session(d, nullptr).foreign_placeholders());  // no other session
  auto a = std::make_unique<srt::runtime::Session>(d, nullptr);
  a->end_compile();
  a->create_placeholders(placeholders(t));
  // A session notes the others' placeholders when it starts, as the
  // compiler runs right after.
  auto b = std::make_unique<srt::runtime::Session>(d, nullptr);
  b->end_compile();
  auto foreign = b->foreign_placeholders();
  REQUIRE(foreign);
  CHECK(foreign(t / "w/.mcp.json"));
  CHECK(foreign(t / "w/.vscode"));
  CHECK_FALSE(foreign(t / "w/own.txt"));
  CHECK_FALSE(foreign(t / "w"));
  // A file put where the placeholder was is not it (another inode).
  fs::rename(t / "w/.mcp.json", t / "w/moved");
  t.file("w/.mcp.json", "");
  CHECK_FALSE(foreign(t / "w/.mcp.json"));
  fs::remove(t / "w/.mcp.json");
  fs::rename(t / "w/moved", t / "w/.mcp.json");
  a.reset();
  b = std::make_unique<srt::runtime::Session>(d, nullptr);
  b->end_compile();
  CHECK_FALSE(b->foreign_placeholders());
  // The session's own placeholders are not foreign to it.
  b->create_placeholders(placeholders(t));
  CHECK_FALSE(b->foreign_placeholders());
}

TEST_CASE("session: a shared placeholder of the other kind is refused") {
  srt::test::TempDir t;
  t.dir("w");
  auto d = dirs_in(t);
  srt::runtime::Session a(d, nullptr);
  a.end_compile();
  a.create_placeholders(placeholders(t));
  srt::runtime::Session b(d, nullptr);
  b.end_compile();
  std::vector<srt::ir::Mount> as_dir = {{t / "w/.mcp.json", Access::read_only, Kind::missing, Placeholder::dir, false, "m"}};
  CHECK_THROWS_WITH_AS(b.create_placeholders(as_dir), doctest::Contains("where this launch needs a directory"), srt::SandboxError);
}

TEST_CASE("session: placeholders of an srt that died are removed by the next one") {
  srt::test::TempDir t;
  t.dir("w");
  auto d = dirs_in(t);
  pid_t pid = ::fork();
  if (pid == 0) {
    // A child "srt" that creates its placeholders and is killed.
    try {
      auto *s = new srt::runtime::Session(d, nullptr);
      s->end_compile();
      s->create_placeholders(placeholders(t));
    } catch (...) {
      ::_exit(1);
    }
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK(fs::exists(t / "w/.mcp.json"));
  srt::runtime::Session next(d, nullptr);  // the next srt
  next.end_compile();
  CHECK_FALSE(fs::exists(t / "w/.mcp.json"));
  CHECK_FALSE(fs::exists(t / "w/.vscode"));
  CHECK(fs::is_empty(t / "run/sessions"));
}

TEST_CASE("session: a launch with nothing to record leaves nothing on disk; dir() makes the directory when asked") {
  srt::test::TempDir t;
  auto d = dirs_in(t);
  {
    srt::runtime::Session s(d, nullptr);
    s.end_compile();
    s.create_placeholders({});
    CHECK(fs::is_empty(t / "run/sessions"));
    const std::string &dir = s.dir();
    CHECK(fs::is_directory(dir));
    CHECK(s.dir() == dir);  // once
  }
  CHECK(fs::is_empty(t / "run/sessions"));
}
