// The Seatbelt profile: golden files per fixture policy (reviewed by hand,
// regenerated with SRT_UPDATE_GOLDEN=1), the SBPL checker on every profile,
// and decisions read from the profile with a model of Seatbelt's last-match
// rule for what issue 5 and the reference's macOS problems name.
#include "policy/compile.hpp"
#include "profile.hpp"
#include "../../plugins/seatbelt/render.hpp"  // (bwrap has a render.hpp too)
#include "sbpl_checker.hpp"
#include "sbpl_text.hpp"

#include "temp_dir.hpp"

#include <srt/settings.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using srt::test::SbplModel;

namespace {

constexpr const char *kMarker = "SRT_000000000000_SBX";
// What the scratch directory's path is replaced with in golden files.
constexpr const char *kScratch = "/SCRATCH";

// A fixed tree: a home with a project (the working directory) holding a git
// repository, secrets and packages.
struct Tree {
  srt::test::TempDir t;
  std::string home = t.dir("home");
  std::string cwd = t.dir("home/proj");
  std::string tmp = t.dir("srt-tmp");
  std::string run = t.dir("run");

  Tree() {
    t.file("home/proj/.git/hooks/pre-commit");
    t.file("home/proj/.git/config");
    t.file("home/proj/src/main.c");
    t.file("home/proj/.env");
    t.file("home/proj/node_modules/pkg/index.js");
    t.file("home/.ssh/id_rsa");
    t.dir("home/.npm/_logs");
  }

  srt::ir::Policy compile(const std::string &json) const {
    std::vector<std::string> warnings;
    auto settings = srt::parse_settings(json, "test.json", warnings);
    srt::policy::CompileContext c;
    c.cwd = cwd;
    c.home = home;
    c.tmpdir = tmp;
    c.runtime_dir = run;
    c.getenv = [](const char *) -> const char * { return nullptr; };
    return srt::policy::compile_policy(settings, c);
  }

  std::string render(const srt::ir::Policy &p) const {
    srt::seatbelt::ProfileOptions o;
    o.marker = kMarker;
    if (p.network.proxied) o.proxy_ports = {40001, 40002};
    return srt::seatbelt::render_profile(p, o);
  }

  std::string render(const std::string &json) const { return render(compile(json)); }
};

std::string read_file(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string replace_all(std::string s, const std::string &from, const std::string &to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

bool contains(const std::string &s, const std::string &part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("seatbelt profile: every fixture policy renders to its reviewed golden profile, and the profile checks") {
  fs::path fixtures = fs::path(SRT_SOURCE_DIR) / "tests" / "fixtures";
  fs::path golden = fs::path(SRT_SOURCE_DIR) / "tests" / "golden" / "seatbelt";
  bool update = std::getenv("SRT_UPDATE_GOLDEN") != nullptr;
  std::vector<fs::path> files;
  for (const auto &e : fs::directory_iterator(fixtures))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const auto &f : files) {
    CAPTURE(f.filename().string());
    Tree tree;
    std::string profile = replace_all(tree.render(read_file(f)), tree.t.path(), kScratch);
    auto problems = srt::test::check_sbpl(profile);
    std::string first_problem = problems.empty() ? "" : problems.front();
    CHECK_MESSAGE(problems.empty(), first_problem);
    fs::path expected_file = golden / (f.stem().string() + ".sb");
    if (update) {
      fs::create_directories(golden);
      std::ofstream(expected_file, std::ios::binary) << profile;
      continue;
    }
    REQUIRE_MESSAGE(fs::exists(expected_file), "no golden file; run the unit tests with SRT_UPDATE_GOLDEN=1 and review it");
    std::string expected = read_file(expected_file);
    if (expected == profile) continue;
    // The first line that differs, so that a failure is readable.
    std::istringstream a(expected), b(profile);
    std::string la, lb;
    int line = 0;
    while (true) {
      ++line;
      bool ga = static_cast<bool>(std::getline(a, la)), gb = static_cast<bool>(std::getline(b, lb));
      if (!ga || !gb || la != lb) break;
    }
    FAIL_CHECK("profile differs from " << expected_file.string() << " at line " << line << ":\n  golden:   " << la
                                       << "\n  rendered: " << lb << "\n(SRT_UPDATE_GOLDEN=1 rewrites it; review the diff)");
  }
}

TEST_CASE("seatbelt profile: reads allowed except denied, allowRead re-opens, writes denied except allowed") {
  Tree tree;
  SbplModel m(tree.render(R"({"filesystem": {"denyRead": ["~"], "allowRead": ["."], "allowWrite": ["."],
                                              "denyWrite": ["./src/generated"]}})"));
  const std::string &cwd = tree.cwd;
  CHECK(m.allows("file-read-data", "/etc/hosts"));
  CHECK_FALSE(m.allows("file-write-create", "/etc/evil"));
  CHECK_FALSE(m.allows("file-read-data", tree.home + "/.ssh/id_rsa"));
  CHECK_FALSE(m.allows("file-read-data", tree.home + "/notes.txt"));  // also what is created later
  CHECK(m.allows("file-read-data", cwd + "/src/main.c"));               // allowRead "." inside denyRead "~"
  CHECK(m.allows("file-write-create", cwd + "/src/new.c"));
  CHECK(m.allows("file-write-data", "/private" + cwd + "/src/new.c"));  // macOS spells /tmp as /private/tmp
  CHECK_FALSE(m.allows("file-write-create", cwd + "/src/generated"));   // denyWrite inside allowWrite, absent at launch
  CHECK_FALSE(m.allows("file-write-create", cwd + "/src/generated/x.c"));
  CHECK(m.allows("file-write-create", tree.tmp + "/scratch"));  // TMPDIR
  CHECK_FALSE(m.allows("file-read-data", tree.run + "/lock"));  // srt's runtime directory
  CHECK(m.allows("file-write-data", "/dev/null"));
}

TEST_CASE("seatbelt profile: the mandatory denies cover names created later, at any depth, but not inside packages") {
  Tree tree;
  SbplModel m(tree.render(R"({"filesystem": {"denyRead": [], "allowWrite": ["."], "denyWrite": []}})"));
  const std::string &cwd = tree.cwd;
  CHECK_FALSE(m.allows("file-write-data", cwd + "/.git/hooks/pre-commit"));
  CHECK_FALSE(m.allows("file-write-create", cwd + "/.git/hooks/post-checkout"));
  CHECK_FALSE(m.allows("file-write-create", cwd + "/vendor/lib/.git/hooks/pre-commit"));  // a repository cloned later
  CHECK_FALSE(m.allows("file-write-data", cwd + "/.git/config"));
  CHECK_FALSE(m.allows("file-write-create", cwd + "/a/b/c/.vscode/settings.json"));  // deeper than the launch-time scan
  CHECK_FALSE(m.allows("file-write-create", cwd + "/.mcp.json"));
  CHECK_FALSE(m.allows("file-write-create", cwd + "/sub/.claude/commands/x.md"));
  CHECK(m.allows("file-write-create", cwd + "/sub/.claude/notes.md"));
  CHECK(m.allows("file-write-create", cwd + "/node_modules/pkg/.vscode/settings.json"));  // npm unpacking a package
  CHECK(m.allows("file-write-data", cwd + "/.git/index"));
}

TEST_CASE("seatbelt profile: protected paths and the directories above them cannot be renamed or removed") {
  Tree tree;
  SbplModel m(tree.render(R"({"filesystem": {"denyRead": [], "allowWrite": ["."], "denyWrite": ["./**/*.key"]}})"));
  const std::string &cwd = tree.cwd;
  CHECK_FALSE(m.allows("file-write-unlink", cwd + "/.git/hooks/pre-commit"));
  CHECK_FALSE(m.allows("file-write-unlink", cwd + "/.git/hooks"));
  CHECK_FALSE(m.allows("file-write-unlink", cwd + "/.git"));             // mv .git away, write hooks, mv back
  CHECK_FALSE(m.allows("file-write-unlink", cwd + "/vendor/lib/.git"));  // also for a repository made later
  CHECK_FALSE(m.allows("file-write-unlink", cwd));                       // the writable root itself
  CHECK_FALSE(m.allows("file-write-unlink", cwd + "/certs/server.key"));
  CHECK(m.allows("file-write-unlink", cwd + "/src/main.c"));
  CHECK(m.allows("file-write-unlink", cwd + "/src"));
  CHECK(m.allows("file-write-unlink", cwd + "/node_modules/pkg/.git"));
}

TEST_CASE("seatbelt profile: a deny glob written \"**/name\" holds everywhere, not only beneath the working directory") {
  Tree tree;
  tree.t.file("elsewhere/.env");
  auto policy = tree.compile(R"({"filesystem": {"denyRead": ["**/.env", "./**/*.pem"], "allowWrite": ["."], "denyWrite": []}})");
  SbplModel m(tree.render(policy));
  CHECK_FALSE(m.allows("file-read-data", tree.cwd + "/.env"));
  CHECK_FALSE(m.allows("file-read-data", tree.t / "elsewhere/.env"));
  CHECK_FALSE(m.allows("file-read-data", "/Users/someone/other/.env"));
  CHECK_FALSE(m.allows("file-read-data", tree.cwd + "/a/key.pem"));
  CHECK(m.allows("file-read-data", tree.t / "elsewhere/key.pem"));  // "./**/*.pem" is anchored, as written
  CHECK(m.allows("file-read-data", tree.cwd + "/.env.example"));
}

TEST_CASE("seatbelt profile: a literal path with hostile characters matches exactly itself") {
  const std::vector<std::string> names = {"a.b",      "a+b",      "a(b)",    "a[b]", "a$b", "a b",  "a\"b",
                                          "a'b",      "a\\b",     "a^b|c",   "a{1}", "a*?", "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac"};
  for (const auto &name : names) {
    CAPTURE(name);
    Tree tree;
    tree.t.file("home/proj/" + name);
    std::string settings = R"({"filesystem": {"denyRead": [{"path": ")" + replace_all(replace_all(name, "\\", "\\\\"), "\"", "\\\"") +
                           R"(", "literal": true}], "allowWrite": ["."], "denyWrite": []}})";
    std::string profile = tree.render(settings);
    CHECK(srt::test::check_sbpl(profile).empty());
    SbplModel m(profile);
    CHECK_FALSE(m.allows("file-read-data", tree.cwd + "/" + name));
    CHECK(m.allows("file-read-data", tree.cwd + "/" + name + "c"));
    CHECK(m.allows("file-read-data", tree.cwd + "/x" + name));
    CHECK(m.allows("file-read-data", tree.cwd + "/src/main.c"));
  }
}

TEST_CASE("seatbelt profile: a path that cannot be written exactly is refused, not approximated") {
  Tree tree;
  auto policy = tree.compile(R"({"filesystem": {"denyRead": ["./bad\u0001name"], "allowWrite": ["."], "denyWrite": []}})");
  CHECK_THROWS_AS(tree.render(policy), srt::seatbelt::Unrepresentable);
}

TEST_CASE("seatbelt profile: network only to the proxies; allowLocalBinding opens loopback, never other hosts") {
  Tree tree;
  std::string base = R"({"filesystem": {"denyRead": [], "allowWrite": [], "denyWrite": []}, "network": {"allowedDomains": ["example.com"], "deniedDomains": [])";
  std::string closed = tree.render(base + "}}");
  CHECK(contains(closed, "(allow network-outbound (remote ip \"localhost:40001\"))"));
  CHECK(contains(closed, "(allow network-outbound (remote ip \"localhost:40002\"))"));
  CHECK_FALSE(contains(closed, "network-bind"));
  CHECK_FALSE(contains(closed, "(allow network*"));
  CHECK_FALSE(contains(closed, "system-socket (socket-domain AF_UNIX)"));

  std::string local = tree.render(base + R"(, "allowLocalBinding": true}})");
  CHECK(contains(local, "(allow network-bind network-inbound (local ip \"localhost:*\"))"));
  CHECK(contains(local, "(allow network-outbound (remote ip \"localhost:*\"))"));
  // #131 / #225: nothing that lets traffic reach another host.
  std::istringstream lines(local);
  for (std::string l; std::getline(lines, l);) {
    if (l.empty() || l[0] == ';' || !contains(l, " ip \"")) continue;
    CAPTURE(l);
    CHECK(contains(l, "ip \"localhost:"));
  }

  std::string none = tree.render(R"({"filesystem": {"denyRead": [], "allowWrite": [], "denyWrite": []}})");
  CHECK_FALSE(contains(none, "network-outbound"));
}

TEST_CASE("seatbelt profile: Unix sockets, PTY, mach services and the weaker-isolation opt-ins appear only when asked") {
  Tree tree;
  std::string base = R"({"filesystem": {"denyRead": [], "allowWrite": [], "denyWrite": []}, "network": {"allowedDomains": [], "deniedDomains": [])";
  std::string plain = tree.render(base + "}}");
  CHECK_FALSE(contains(plain, "com.apple.trustd.agent"));
  CHECK_FALSE(contains(plain, "pseudo-tty"));
  CHECK_FALSE(contains(plain, "appleevent-send"));
  CHECK_FALSE(contains(plain, "unix-socket"));

  std::string sockets = tree.render(base + R"(, "allowUnixSockets": ["/var/run/docker.sock"]}})");
  CHECK(contains(sockets, "(allow system-socket (socket-domain AF_UNIX))"));
  CHECK(contains(sockets, "(allow network-outbound (remote unix-socket (subpath \"/var/run/docker.sock\")))"));
  CHECK(contains(sockets, "(allow network-outbound (remote unix-socket (subpath \"/private/var/run/docker.sock\")))"));
  std::string all = tree.render(base + R"(, "allowAllUnixSockets": true}})");
  CHECK(contains(all, "(allow network-outbound (remote unix-socket (path-regex \"^/\")))"));

  std::string mach = tree.render(base + R"(, "allowMachLookup": ["com.apple.coreservices.*", "com.example.one"]}, "enableWeakerNetworkIsolation": true, "allowPty": true, "allowAppleEvents": true})");
  CHECK(contains(mach, "(global-name-prefix \"com.apple.coreservices.\")"));
  CHECK(contains(mach, "(global-name \"com.example.one\")"));
  CHECK(contains(mach, "(allow mach-lookup (global-name \"com.apple.trustd.agent\"))"));
  CHECK(contains(mach, "(allow pseudo-tty)"));
  CHECK(contains(mach, "(allow appleevent-send)"));
  for (const auto &p : {plain, sockets, all, mach}) CHECK(srt::test::check_sbpl(p).empty());
}

TEST_CASE("seatbelt profile: filesystem.disabled allows every file operation") {
  Tree tree;
  SbplModel m(tree.render(R"({"filesystem": {"disabled": true, "denyRead": [], "allowWrite": [], "denyWrite": []}})"));
  CHECK(m.allows("file-write-create", "/etc/anything"));
  CHECK(m.allows("file-read-data", tree.home + "/.ssh/id_rsa"));
}

TEST_CASE("seatbelt profile: srt's helper is readable and executable under a denied home, and nothing next to it is") {
  Tree tree;
  std::string helper = tree.t.file("home/.local/libexec/srt/srt-enter");
  srt::seatbelt::ProfileOptions o;
  o.marker = kMarker;
  o.helper = helper;
  std::string profile = srt::seatbelt::render_profile(tree.compile(R"({"filesystem": {"denyRead": ["~"], "allowWrite": ["."]}})"), o);
  SbplModel m(profile);
  CHECK(m.allows("file-read-data", helper));
  CHECK(m.allows("process-exec", helper));
  CHECK_FALSE(m.allows("file-write-data", helper));
  CHECK_FALSE(m.allows("file-read-data", helper + "-other"));
  CHECK_FALSE(m.allows("file-read-data", tree.home + "/.local/libexec/srt/other"));
  CHECK_FALSE(m.allows("file-read-data", tree.home + "/.ssh/id_rsa"));
}

TEST_CASE("seatbelt plan: sandbox-exec runs srt-enter's argv under the profile, which lets srt-enter run") {
  Tree tree;
  auto policy = tree.compile(R"({"filesystem": {"denyRead": ["~"], "allowWrite": ["."]}})");
  srt::LaunchRequest req;
  req.enter_host_path = tree.home + "/.local/libexec/srt/srt-enter";
  req.enter_sandbox_path = req.enter_host_path;
  req.enter_argv = {req.enter_host_path, "--report-fd", "3", "--own-process-group", "--", "ls", "-l"};
  req.command = {"ls", "-l"};
  req.env = {"PATH=/usr/bin:/bin"};
  auto plan = srt::seatbelt::render(policy, req, 1);
  REQUIRE(plan.argv.size() == 4 + req.enter_argv.size());
  CHECK(plan.argv[0] == srt::seatbelt::kSandboxExec);
  CHECK(plan.argv[1] == "-p");
  CHECK(plan.argv[3] == "--");
  CHECK(std::vector<std::string>(plan.argv.begin() + 4, plan.argv.end()) == req.enter_argv);
  SbplModel m(plan.argv[2]);
  CHECK(m.allows("process-exec", req.enter_host_path));
  CHECK(plan.confine.new_session);
  CHECK(plan.violation_log);
  // No mount namespace: paths srt would bind, or srt-enter elsewhere, are refused.
  auto bound = req;
  bound.binds.push_back({"/a", "/b"});
  CHECK_THROWS_AS(srt::seatbelt::render(policy, bound, 1), srt::sdk::Unsupported);
  auto moved = req;
  moved.enter_argv[0] = "/elsewhere/srt-enter";
  CHECK_THROWS_AS(srt::seatbelt::render(policy, moved, 1), srt::sdk::Unsupported);
  // Shown on Linux as macOS runs it: srt there gives srt-enter no seccomp
  // filter (a command's own "--seccomp-fd" argument is kept).
  auto linux_request = req;
  linux_request.enter_argv = {req.enter_host_path, "--report-fd", "3", "--seccomp-fd", "4", "--", "x", "--seccomp-fd", "4"};
  auto shown = srt::seatbelt::render(policy, linux_request, 1);
  CHECK(std::vector<std::string>(shown.argv.begin() + 4, shown.argv.end()) ==
        std::vector<std::string>{req.enter_host_path, "--report-fd", "3", "--", "x", "--seccomp-fd", "4"});
}

TEST_CASE("seatbelt probe: absent protected paths are kept absent by the profile alone (no placeholders)") {
  Tree tree;
  tree.t.dir("home/proj/a/b");
  auto policy = tree.compile(R"({"filesystem": {"allowWrite": ["."], "denyWrite": ["./a/b/nothere/deeper"]}})");
  CHECK(srt::seatbelt::probe(policy).keeps_absent_paths);
  // srt makes nothing on the host for a Seatbelt launch: the profile must
  // refuse creating the path (and anything beneath it) by itself...
  SbplModel m(tree.render(policy));
  for (const char *p : {"/a/b/nothere", "/a/b/nothere/deeper", "/a/b/nothere/other", "/.vscode", "/.mcp.json", "/.claude/agents"}) {
    CAPTURE(p);
    CHECK_FALSE(m.allows("file-write-create", tree.cwd + p));
  }
  CHECK(m.allows("file-write-create", tree.cwd + "/a/b/elsewhere"));
  // ...and keep the directories above it from being moved away, filled and
  // moved back.
  for (const char *p : {"/a", "/a/b"}) {
    CAPTURE(p);
    CHECK_FALSE(m.allows("file-write-unlink", tree.cwd + p));
  }
}
