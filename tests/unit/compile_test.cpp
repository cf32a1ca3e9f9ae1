#include "policy/compile.hpp"
#include "policy/paths.hpp"
#include "policy/verdict.hpp"

#include "temp_dir.hpp"

#include <srt/error.hpp>
#include <srt/settings.hpp>

#include <doctest/doctest.h>

#include <map>
#include <set>

using srt::ir::Access;
using srt::ir::Kind;
using srt::ir::Placeholder;

namespace {

struct Fixture {
  srt::test::TempDir t;
  std::string home = t.dir("home");
  std::string work = t.dir("home/work");
  std::string tmp = t.dir("srt-tmp");
  std::map<std::string, std::string> env;

  std::set<std::string> foreign;  // paths to report as another srt's placeholders

  srt::ir::Policy compile(const std::string &json, const std::string &cwd = "") {
    std::vector<std::string> w;
    auto s = srt::parse_settings(json, "test.json", w);
    srt::policy::CompileContext c;
    if (!foreign.empty()) c.foreign_placeholder = [this](const std::string &p) { return foreign.count(p) > 0; };
    c.cwd = cwd.empty() ? work : cwd;
    c.home = home;
    c.tmpdir = tmp;
    c.getenv = [this](const char *n) -> const char * {
      auto it = env.find(n);
      return it == env.end() ? nullptr : it->second.c_str();
    };
    return srt::policy::compile_policy(s, c);
  }
};

const srt::ir::Mount *mount(const srt::ir::Policy &p, const std::string &path) {
  for (const auto &m : p.filesystem.mounts)
    if (m.path == path) return &m;
  return nullptr;
}

srt::policy::PathVerdict verdict(const srt::ir::Policy &p, const std::string &path) {
  return srt::policy::path_verdict(p, path, "/nonexistent-home");
}

}  // namespace

TEST_CASE("compile: default policy: read everywhere, write only TMPDIR") {
  Fixture f;
  auto p = f.compile("{}");
  REQUIRE(!p.filesystem.mounts.empty());
  CHECK(p.filesystem.mounts[0].path == "/");
  CHECK(p.filesystem.mounts[0].access == Access::read_only);
  REQUIRE(mount(p, f.tmp));
  CHECK(mount(p, f.tmp)->access == Access::read_write);
  CHECK(p.process.env_set.at("TMPDIR") == f.tmp);
  CHECK(p.process.env_set.at("SANDBOX_RUNTIME") == "1");
  CHECK_FALSE(verdict(p, f.work).writable);
  CHECK(verdict(p, f.work).readable);
  CHECK(verdict(p, f.tmp + "/x").writable);
  // No project placeholders in srt's own TMPDIR.
  CHECK(mount(p, f.tmp + "/.vscode") == nullptr);
}

TEST_CASE("compile: mounts are ordered parents first") {
  Fixture f;
  f.t.dir("home/work/a/b");
  auto p = f.compile(R"({"filesystem": {"allowWrite": ["."], "denyWrite": ["a/b"], "denyRead": ["a"], "allowRead": ["a/b"]}})");
  for (std::size_t i = 1; i < p.filesystem.mounts.size(); ++i)
    for (std::size_t j = i + 1; j < p.filesystem.mounts.size(); ++j)
      CHECK_FALSE(srt::policy::is_ancestor_or_self(p.filesystem.mounts[j].path, p.filesystem.mounts[i].path));
}

TEST_CASE("compile: denyWrite beats allowWrite, also as an ancestor") {
  Fixture f;
  f.t.dir("home/work/build");
  f.t.file("home/work/.env");
  auto p = f.compile(R"({"filesystem": {"allowWrite": [".", "./build"], "denyWrite": ["./.env"]}})");
  CHECK(verdict(p, f.work + "/src.c").writable);
  CHECK_FALSE(verdict(p, f.work + "/.env").writable);
  CHECK(verdict(p, f.work + "/.env").readable);
  CHECK(mount(p, f.work + "/.env")->origin.find("filesystem.denyWrite[0]") != std::string::npos);

  auto q = f.compile(R"({"filesystem": {"allowWrite": ["./build"], "denyWrite": ["."]}})");
  CHECK_FALSE(verdict(q, f.work + "/build/out").writable);
}

TEST_CASE("compile: allowRead beats denyRead unless the denyRead is more specific") {
  Fixture f;
  f.t.file("home/.ssh/id_rsa", "SECRET");
  f.t.file("home/.ssh/config");
  f.t.file("home/.ssh/pub/key.pub");
  f.t.file("home/.ssh/pub/.env");
  auto p = f.compile(R"({"filesystem": {"denyRead": ["~/.ssh", "~/.ssh/pub/.env"], "allowRead": ["~/.ssh/config", "~/.ssh/pub"]}})");
  auto ssh = mount(p, f.home + "/.ssh");
  REQUIRE(ssh);
  CHECK(ssh->access == Access::hidden);
  CHECK(ssh->kind == Kind::dir);
  CHECK_FALSE(verdict(p, f.home + "/.ssh/id_rsa").readable);
  CHECK(verdict(p, f.home + "/.ssh/config").readable);
  CHECK(verdict(p, f.home + "/.ssh/pub/key.pub").readable);
  CHECK_FALSE(verdict(p, f.home + "/.ssh/pub/.env").readable);
  CHECK(mount(p, f.home + "/.ssh/pub/.env")->kind == Kind::file);
  // Hidden is read-only too: nothing can be written into a hidden directory.
  CHECK_FALSE(verdict(p, f.home + "/.ssh/new").writable);
}

TEST_CASE("compile: allowWrite inside a denied directory stays readable and writable") {
  Fixture f;
  f.t.dir("home/work/out");
  auto p = f.compile(R"({"filesystem": {"denyRead": ["~"], "allowWrite": ["."]}})", f.work + "/out");
  CHECK(verdict(p, f.work + "/out/x").writable);
  CHECK(verdict(p, f.work + "/out/x").readable);
  CHECK_FALSE(verdict(p, f.home + "/other").readable);
}

TEST_CASE("compile: a working directory the policy hides is an error") {
  Fixture f;
  CHECK_THROWS_WITH_AS(f.compile(R"({"filesystem": {"denyRead": [".."]}})"), doctest::Contains("working directory"), srt::PolicyError);
}

TEST_CASE("compile: denyRead / hides everything but what is re-opened") {
  Fixture f;
  auto p = f.compile(R"({"filesystem": {"denyRead": ["/"], "allowRead": ["/usr", "/bin", "/lib"], "allowWrite": ["."]}})");
  CHECK(p.filesystem.mounts[0].access == Access::hidden);
  CHECK(verdict(p, "/usr/bin/env").readable);
  CHECK_FALSE(verdict(p, "/etc/passwd").readable);
  CHECK(verdict(p, f.work + "/x").writable);
}

TEST_CASE("compile: denied paths that do not exist stay uncreatable where the sandbox could create them") {
  Fixture f;
  auto p = f.compile(R"({"filesystem": {"allowWrite": ["."], "denyWrite": ["./secrets/key", "./token"], "denyRead": ["~/.aws/credentials"]}})");
  auto secrets = mount(p, f.work + "/secrets");
  REQUIRE(secrets);
  CHECK(secrets->kind == Kind::missing);
  CHECK(secrets->placeholder == Placeholder::dir);
  auto token = mount(p, f.work + "/token");
  REQUIRE(token);
  CHECK(token->placeholder == Placeholder::file);
  // ~ is read-only: ~/.aws cannot be created there, nothing to mount.
  CHECK(mount(p, f.home + "/.aws") == nullptr);
  CHECK_FALSE(verdict(p, f.work + "/secrets/key").writable);
}

TEST_CASE("compile: another running srt's placeholders are compiled as absent, to be shared") {
  Fixture f;
  f.t.file("home/work/.mcp.json", "");   // another srt's file placeholder
  f.t.dir("home/work/.claude");          // its directory placeholder for .claude/agents and .claude/commands
  f.t.dir("home/work/.vscode");          // a placeholder that is a protected directory itself
  f.t.dir("home/work/missing");          // on the way to a denied path that does not exist
  f.t.file("home/work/.gitmodules", "");  // a real file: not another srt's
  for (const char *p : {"/.mcp.json", "/.claude", "/.vscode", "/missing"}) f.foreign.insert(f.work + p);
  auto p = f.compile(R"({"filesystem": {"allowWrite": ["."], "denyWrite": ["missing/deep"]}})");
  auto placeholder = [&](const std::string &rel, Placeholder kind) {
    const auto *m = mount(p, f.work + rel);
    REQUIRE_MESSAGE(m, rel);
    CHECK(m->kind == Kind::missing);
    CHECK(m->placeholder == kind);
    CHECK(m->access == Access::read_only);
  };
  placeholder("/.mcp.json", Placeholder::file);
  placeholder("/.claude", Placeholder::dir);  // not .claude/agents inside the other srt's placeholder
  CHECK(mount(p, f.work + "/.claude/agents") == nullptr);
  placeholder("/.vscode", Placeholder::dir);
  placeholder("/missing", Placeholder::dir);
  REQUIRE(mount(p, f.work + "/.gitmodules"));
  CHECK(mount(p, f.work + "/.gitmodules")->kind == Kind::file);
}

TEST_CASE("compile: mandatory denies in every writable root") {
  Fixture f;
  f.t.file("home/work/.bashrc");
  f.t.dir("home/work/.git/hooks");
  f.t.file("home/work/.git/config");
  f.t.dir("home/work/a/b/c/.git/hooks");  // a nested repository, 3 levels down
  f.t.file("home/work/a/.vscode/settings.json");
  f.t.file("home/work/node_modules/pkg/.bashrc");
  f.t.dir("other");
  f.t.file("other/.mcp.json");
  auto p = f.compile(R"({"filesystem": {"allowWrite": [".", "../../other"]}})");
  CHECK(mount(p, f.work + "/.bashrc")->access == Access::read_only);
  CHECK(mount(p, f.work + "/.git/hooks")->access == Access::read_only);
  CHECK(mount(p, f.work + "/.git/config")->access == Access::read_only);
  CHECK(mount(p, f.work + "/a/b/c/.git/hooks"));
  CHECK(mount(p, f.work + "/a/.vscode"));
  CHECK(mount(p, f.t / "other/.mcp.json"));
  // node_modules: checked at its top level, packages are not walked.
  CHECK(mount(p, f.work + "/node_modules/pkg/.bashrc") == nullptr);
  // Absent project names get placeholders; home-only names do not (not home).
  CHECK(mount(p, f.work + "/.mcp.json")->placeholder == Placeholder::file);
  CHECK(mount(p, f.work + "/.vscode")->placeholder == Placeholder::dir);
  CHECK(mount(p, f.work + "/.claude")->placeholder == Placeholder::dir);
  CHECK(mount(p, f.work + "/.gitmodules")->placeholder == Placeholder::file);
  CHECK(mount(p, f.work + "/.profile") == nullptr);
  // Directories between a protected path and its writable root are pinned.
  auto pin = mount(p, f.work + "/.git");
  REQUIRE(pin);
  CHECK(pin->pin);
  CHECK(pin->access == Access::read_write);
  CHECK(mount(p, f.work + "/a/b/c")->pin);
  // .git internals stay writable.
  CHECK(verdict(p, f.work + "/.git/objects/ab").writable);
}

TEST_CASE("compile: allowGitConfig and search depth") {
  Fixture f;
  f.t.file("home/work/.git/config");
  f.t.dir("home/work/.git/hooks");
  f.t.file("home/work/a/b/c/d/.bashrc");
  auto p = f.compile(R"({"allowPty": false, "filesystem": {"allowWrite": ["."], "allowGitConfig": true}, "mandatoryDenySearchDepth": 3})");
  CHECK(mount(p, f.work + "/.git/config") == nullptr);
  CHECK(mount(p, f.work + "/.git/hooks"));
  CHECK(mount(p, f.work + "/a/b/c/d/.bashrc") == nullptr);  // 4 levels down
  auto q = f.compile(R"({"filesystem": {"allowWrite": ["."]}, "mandatoryDenySearchDepth": 4})");
  CHECK(mount(q, f.work + "/a/b/c/d/.bashrc"));
}

TEST_CASE("compile: a writable home protects its start-up files even from a subdirectory") {
  Fixture f;
  f.t.file("home/.bashrc");
  auto p = f.compile(R"({"filesystem": {"allowWrite": ["~"]}})");  // cwd is ~/work
  CHECK(mount(p, f.home + "/.bashrc")->access == Access::read_only);
  CHECK(mount(p, f.home + "/.zshrc")->placeholder == Placeholder::file);  // absent: kept absent
  CHECK(mount(p, f.home + "/.gitconfig"));
}

TEST_CASE("compile: symlinks") {
  Fixture f;
  f.t.dir("home/work/real");
  f.t.symlink(f.work + "/real", "home/work/link");
  f.t.symlink("/", "home/work/root-link");
  f.t.file("home/dotfiles/bashrc");
  f.t.symlink(f.home + "/dotfiles/bashrc", "home/work/.bashrc");

  auto p = f.compile(R"({"filesystem": {"allowWrite": ["./link"]}})");
  CHECK(verdict(p, f.work + "/real/x").writable);

  CHECK_THROWS_WITH_AS(f.compile(R"({"filesystem": {"allowWrite": ["./root-link"]}})"), doctest::Contains("leads through a symlink"),
                       srt::PolicyError);

  // A dangerous name that is a symlink: its target is protected, and the
  // compiler says that the link itself can be replaced.
  auto q = f.compile(R"({"filesystem": {"allowWrite": [".", "~/dotfiles"]}})");
  CHECK_FALSE(verdict(q, f.home + "/dotfiles/bashrc").writable);
  bool warned = false;
  for (const auto &w : q.warnings) warned = warned || w.find("can be replaced") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("compile: globs are expanded, one mount per directory for dir/*") {
  Fixture f;
  f.t.file("home/work/a/k1.pem");
  f.t.file("home/work/b/c/k2.pem");
  f.t.file("home/work/b/c/ok.txt");
  f.t.file("home/work/secrets/one");
  f.t.file("home/work/secrets/two");
  auto p = f.compile(R"({"filesystem": {"denyRead": ["./**/*.pem", "./secrets/*"]}})");
  CHECK(mount(p, f.work + "/a/k1.pem")->access == Access::hidden);
  CHECK(mount(p, f.work + "/b/c/k2.pem")->access == Access::hidden);
  CHECK(mount(p, f.work + "/b/c/ok.txt") == nullptr);
  CHECK(mount(p, f.work + "/secrets")->access == Access::hidden);
  CHECK(mount(p, f.work + "/secrets/one") == nullptr);
  bool rule = false;
  for (const auto &r : p.filesystem.path_rules) rule = rule || (r.glob && r.pattern == f.work + "/**/*.pem");
  CHECK(rule);
}

TEST_CASE("compile: literal entries are not globs") {
  Fixture f;
  f.t.file("home/work/a[1]/f");
  f.t.file("home/work/a1/f");
  auto p = f.compile(R"({"filesystem": {"denyRead": [{"path": "./a[1]", "literal": true}]}})");
  CHECK(mount(p, f.work + "/a[1]"));
  CHECK(mount(p, f.work + "/a1") == nullptr);
}

TEST_CASE("compile: filesystem.disabled") {
  Fixture f;
  auto p = f.compile(R"({"filesystem": {"disabled": true, "denyRead": ["~"]}})");
  REQUIRE(p.filesystem.mounts.size() == 1);
  CHECK(p.filesystem.mounts[0].access == Access::read_write);
  CHECK_FALSE(p.filesystem.restricted);
  CHECK(p.process.env_set.count("TMPDIR") == 0);
}

TEST_CASE("compile: credentials, git safe directories, process flags") {
  Fixture f;
  f.t.file("home/.netrc");
  f.env["GIT_CONFIG_COUNT"] = "2";
  auto p = f.compile(R"({"credentials": {"files": [{"path": "~/.netrc", "mode": "deny"}], "envVars": [{"name": "API_TOKEN", "mode": "deny"}]},
                         "git": {"safeDirectories": ["/repo"]}, "allowPty": true, "enableWeakerNestedSandbox": true})");
  CHECK(mount(p, f.home + "/.netrc")->access == Access::hidden);
  CHECK(p.process.env_unset == std::vector<std::string>{"API_TOKEN"});
  CHECK(p.process.env_set.at("GIT_CONFIG_COUNT") == "4");
  CHECK(p.process.env_set.at("GIT_CONFIG_KEY_2") == "safe.directory");
  CHECK(p.process.env_set.at("GIT_CONFIG_VALUE_3") == "/repo/*");
  CHECK(p.process.allow_pty);
  CHECK(p.process.weaker_nested_sandbox);
}

TEST_CASE("compile: network rules and the not-enforced report") {
  Fixture f;
  auto p = f.compile(R"({"network": {"allowedDomains": ["Example.com", "*.github.com:443"], "deniedDomains": ["evil.com"],
                                      "deniedDomainReasons": {"evil.com": "no"}}, "ripgrep": {"command": "rg"}})");
  REQUIRE(p.network.domain_rules.size() == 3);
  CHECK(p.network.domain_rules[0].effect == srt::ir::Effect::deny);  // deny rules first
  CHECK(p.network.domain_rules[0].reason == "no");
  CHECK(p.network.domain_rules[1].pattern == "example.com");
  CHECK(p.network.domain_rules[2].port == 443);
  CHECK(p.network.proxied);  // a network section starts the proxies
  std::map<std::string, std::string> notes;
  for (const auto &n : p.notes) notes[n.key] = n.status;
  CHECK(notes.count("network.allowedDomains") == 0);  // enforced
  CHECK(notes.at("ripgrep") == "ignored");
  CHECK(notes.count("network.allowAllUnixSockets") == 0);
  CHECK(notes.count("filesystem.allowWrite") == 0);
  CHECK_FALSE(f.compile(R"({"filesystem": {"allowWrite": ["."]}})").network.proxied);
  CHECK(f.compile(R"({"network": {}})").network.proxied);
}

TEST_CASE("compile: many denyRead glob matches in one directory become one mount plus the re-opened rest") {
  Fixture f;
  for (int i = 0; i < 100; ++i) f.t.file("home/work/keys/k" + std::to_string(i) + ".pem");
  f.t.file("home/work/keys/readme");
  f.t.file("home/work/keys/also-denied.txt");
  auto p = f.compile(R"({"filesystem": {"allowWrite": ["."], "denyRead": ["./keys/*.pem", "./keys/also-denied.txt"]}})");
  CHECK(mount(p, f.work + "/keys")->access == Access::hidden);
  CHECK(mount(p, f.work + "/keys/readme")->access == Access::read_write);
  CHECK(mount(p, f.work + "/keys/k1.pem") == nullptr);
  CHECK_FALSE(verdict(p, f.work + "/keys/k1.pem").readable);
  // An entry another rule denies is not re-opened.
  CHECK_FALSE(verdict(p, f.work + "/keys/also-denied.txt").readable);
  CHECK(p.filesystem.mounts.size() < 30);
  CHECK_FALSE(p.warnings.empty());
}
