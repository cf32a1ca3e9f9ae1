#include "plugin/backend.hpp"
#include "plugin/registry.hpp"

#include <srt/error.hpp>
#include <srt/policy_json.hpp>

#include <boost/dll/library_info.hpp>
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "temp_dir.hpp"

using namespace srt::plugin;
using srt::test::TempDir;

namespace {

const std::string kDir = SRT_TEST_PLUGIN_DIR;

struct Loaded {
  std::vector<std::string> log;
  Registry registry{[this](int, const std::string &m) { log.push_back(m); }};
};

const PluginInfo &only(Registry &r) {
  REQUIRE(r.plugins().size() == 1);
  return r.plugins()[0];
}

}  // namespace

TEST_CASE("plugins: a good plugin loads through the SDK") {
  Loaded l;
  l.registry.load_file(kDir + "/test-good.so");
  const auto &p = only(l.registry);
  CHECK(p.state == State::loaded);
  CHECK(p.name == "test-good");
  CHECK(p.kind == SRT_PLUGIN_BACKEND);
  CHECK(p.abi_major == 1);
  CHECK(l.registry.find(SRT_PLUGIN_BACKEND, "test-good") == &p);
  srt::ir::Policy policy;
  policy.process.cwd = "/";
  policy.filesystem.mounts.push_back({"/", srt::ir::Access::read_only, srt::ir::Kind::dir, srt::ir::Placeholder::none, false, "d"});
  auto probe = Backend(p).probe(boost::json::serialize(srt::ir::to_json(policy)), false);
  CHECK_FALSE(probe.usable);
  CHECK(probe.reason == "test plugin: never usable");
  srt::LaunchRequest req;
  req.enter_argv = {"/x"};
  CHECK_THROWS_WITH_AS(Backend(p).render(boost::json::serialize(srt::ir::to_json(policy)), req),
                       doctest::Contains("test plugin renders nothing"), srt::SandboxError);
  // Malformed IR is refused by the SDK, not a crash.
  CHECK_THROWS_WITH_AS(Backend(p).probe("{not json", false), doctest::Contains("status 1"), srt::SandboxError);
}

TEST_CASE("plugins: the SDK parses a policy once for probe and render, and never hands render another policy") {
  Loaded l;
  l.registry.load_file(kDir + "/test-good.so");
  Backend b(only(l.registry));
  auto policy_json = [](const std::string &cwd) {
    srt::ir::Policy policy;
    policy.process.cwd = cwd;
    policy.filesystem.mounts.push_back({"/", srt::ir::Access::read_only, srt::ir::Kind::dir, srt::ir::Placeholder::none, false, "d"});
    return boost::json::serialize(srt::ir::to_json(policy));
  };
  srt::LaunchRequest req;
  req.enter_argv = {"/x"};
  auto renders = [&](const std::string &json) {
    try {
      b.render(json, req);
    } catch (const srt::SandboxError &e) {
      return std::string(e.what());
    }
    return std::string("rendered");
  };
  const std::string a = policy_json("/a"), other = policy_json("/b");
  b.probe(a, false);
  CHECK(renders(a).find("(cwd /a)") != std::string::npos);
  CHECK(renders(other).find("(cwd /b)") != std::string::npos);  // not the policy probe saw
  CHECK(renders(a).find("(cwd /a)") != std::string::npos);
  // A policy that fails to parse leaves nothing behind for the next call.
  CHECK_THROWS_AS(b.probe(a.substr(0, a.size() - 1), false), srt::SandboxError);
  CHECK(renders(other).find("(cwd /b)") != std::string::npos);
}

TEST_CASE("plugins: a plugin built against the frozen ABI 1.0 header still loads and its table is called") {
  Loaded l;
  l.registry.load_file(kDir + "/test-abi10.so");
  const auto &p = only(l.registry);
  REQUIRE_MESSAGE(p.state == State::loaded, p.error);
  CHECK(p.abi_major == 1);
  CHECK(p.abi_minor == 0);
  srt::ir::Policy policy;
  policy.process.cwd = "/";
  policy.filesystem.mounts.push_back({"/", srt::ir::Access::read_only, srt::ir::Kind::dir, srt::ir::Placeholder::none, false, "d"});
  auto json = boost::json::serialize(srt::ir::to_json(policy));
  auto probe = Backend(p).probe(json, false);
  CHECK(probe.usable);
  CHECK(probe.features.at("filesystem") == "unsupported");
  CHECK(probe.feature_notes.empty());  // a 1.0 report has none: read as absent
  srt::LaunchRequest req;
  req.enter_argv = {"/x"};
  CHECK_THROWS_WITH_AS(Backend(p).render(json, req), doctest::Contains("the ABI 1.0 test backend renders nothing"), srt::SandboxError);
}

TEST_CASE("plugins: every kind of broken file gives one line naming it, and the others still load") {
  Loaded l;
  l.registry.load_directories({kDir, "/nonexistent/plugin/dir"});
  std::map<std::string, const PluginInfo *> by_file;
  for (const auto &p : l.registry.plugins()) by_file[p.file.substr(p.file.rfind('/') + 1)] = &p;
  auto error = [&](const std::string &f) {
    REQUIRE(by_file.count(f));
    return by_file[f]->error;
  };
  CHECK(by_file.at("test-good.so")->state == State::loaded);
  CHECK(error("test-not-a-library.so").find("not a shared library") != std::string::npos);
  CHECK(error("test-no-entry.so").find("does not export srt_plugin_entry_v1") != std::string::npos);
  CHECK(error("test-other-abi-symbol.so").find("built for another plugin ABI (exports srt_plugin_entry_v2)") != std::string::npos);
  CHECK(error("test-wrong-abi.so").find("built for plugin ABI 2.0") != std::string::npos);
  CHECK(error("test-entry-error.so").find("needs /dev/test-device") != std::string::npos);
  CHECK(error("test-throws.so").find("constructor failed on purpose") != std::string::npos);
  // Two plugins with one name: the first wins, the second is reported.
  CHECK(by_file.at("test-good2.so")->state == State::shadowed);
  CHECK(error("test-good2.so").find("already provided by") != std::string::npos);
  // Each failure was logged once, with the file's path.
  int lines = 0;
  for (const auto &m : l.log)
    if (m.find("plugin " + kDir + "/test-no-entry.so: ") == 0) ++lines;
  CHECK(lines == 1);
}

TEST_CASE("plugins: srt's bwrap plugin exports exactly one symbol") {
  Loaded l;
  l.registry.load_file(SRT_BWRAP_PLUGIN);
  CHECK(only(l.registry).state == State::loaded);
  CHECK(only(l.registry).name == "bwrap");
  std::vector<std::string> exported;
  for (const auto &s : boost::dll::library_info(SRT_BWRAP_PLUGIN).symbols())
    if (!s.empty()) exported.push_back(s);
  CHECK(exported == std::vector<std::string>{"srt_plugin_entry_v1"});
}

TEST_CASE("plugins: a file named srt-backend-NAME.so must be NAME; find() skips files named for other plugins") {
  TempDir dir;
  // The same good plugin ("test-good") under three names.
  std::filesystem::copy_file(kDir + "/test-good.so", std::filesystem::path(dir.path()) / "srt-backend-aaa.so");     // wrong name: refused
  std::filesystem::copy_file(kDir + "/test-good.so", std::filesystem::path(dir.path()) / "srt-backend-test-good.so");  // named for itself
  std::filesystem::copy_file(kDir + "/test-good.so", std::filesystem::path(dir.path()) / "zzz-any-name.so");       // no convention: later, shadowed
  Loaded l;
  l.registry.load_directories({dir.path()});
  // Looking it up does not load the file named for "aaa".
  const PluginInfo *p = l.registry.find(SRT_PLUGIN_BACKEND, "test-good");
  REQUIRE(p != nullptr);
  CHECK(p->file == (std::filesystem::path(dir.path()) / "srt-backend-test-good.so").string());
  for (const auto &line : l.log) CHECK(line.find("srt-backend-aaa.so") == std::string::npos);
  // Listing loads everything: the misnamed file is refused, the last one shadowed.
  std::map<std::string, const PluginInfo *> by_file;
  for (const auto &info : l.registry.plugins()) by_file[std::filesystem::path(info.file).filename().string()] = &info;
  REQUIRE(by_file.size() == 3);
  CHECK(by_file.at("srt-backend-aaa.so")->state == State::failed);
  CHECK(by_file.at("srt-backend-aaa.so")->error ==
        "its file name says backend plugin \"aaa\", but it is backend plugin \"test-good\"; rename the file (or give it another "
        "name than srt-backend-*/srt-network-*)");
  CHECK(by_file.at("srt-backend-test-good.so")->state == State::loaded);
  CHECK(by_file.at("zzz-any-name.so")->state == State::shadowed);
  // A file without the convention could be any plugin: finding another name
  // loads every file before it, in order, so the first of a name still wins.
  Loaded l2;
  TempDir dir2;
  std::filesystem::copy_file(kDir + "/test-good.so", std::filesystem::path(dir2.path()) / "a-first.so");
  std::filesystem::copy_file(kDir + "/test-good.so", std::filesystem::path(dir2.path()) / "srt-backend-test-good.so");
  l2.registry.load_directories({dir2.path()});
  const PluginInfo *q = l2.registry.find(SRT_PLUGIN_BACKEND, "test-good");
  REQUIRE(q != nullptr);
  CHECK(q->file == (std::filesystem::path(dir2.path()) / "a-first.so").string());
}
