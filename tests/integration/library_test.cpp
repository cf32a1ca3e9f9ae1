// The library API as an embedder uses it: settings from a JSON string, a
// command spawned with its own stdout, its status, and a refused write
// checked from outside. Runs real bwrap; exits 77 (skip) when bwrap cannot
// run here, or 1 under CI=true.
#include <srt/srt.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

int failures = 0;

void check(bool ok, const std::string &what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

std::string read_fd(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

}  // namespace

int main() {
  if (std::system("bwrap --unshare-user --unshare-pid --unshare-net --ro-bind / / --proc /proc --dev /dev true 2>/dev/null") != 0) {
    std::puts("SKIP: bubblewrap cannot create namespaces here");
    const char *ci = std::getenv("CI");
    return ci && std::string(ci) == "true" ? 1 : 77;
  }
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/srt-lib-XXXXXX";
  fs::path dir = ::mkdtemp(tmpl);
  fs::create_directories(dir / "out");
  ::setenv("TMPDIR", dir.c_str(), 1);
  ::setenv("HOME", dir.c_str(), 1);

  srt::Options o;
  o.plugin_dirs = {SRT_BWRAP_PLUGIN_DIR};
  o.enter_path = SRT_ENTER_PATH;
  o.cwd = dir.string();
  try {
    auto sandbox = srt::Sandbox::from_json(R"({"filesystem": {"allowWrite": ["./out"]}})", o);
    check(sandbox.settings().filesystem.allowWrite.size() == 1, "settings from a JSON string");
    auto policy = sandbox.compile();
    check(sandbox.choose_backend(policy) == "bwrap", "auto chooses bwrap");

    int pipefd[2];
    if (::pipe(pipefd) != 0) return 1;
    srt::SpawnOptions so;
    so.stdout_fd = pipefd[1];
    srt::Command cmd;
    cmd.shell = "echo hello; echo inside > out/f; echo outside > not-allowed; exit 7";
    auto child = sandbox.spawn(cmd, so);
    ::close(pipefd[1]);
    std::string out = read_fd(pipefd[0]);
    ::close(pipefd[0]);
    auto status = child.wait();
    check(out == "hello\n", "the command's stdout reached the embedder's pipe (got \"" + out + "\")");
    check(!status.setup_failed && status.code == 7, "exit status 7 (got " + std::to_string(status.code) + ")");
    check(fs::exists(dir / "out/f"), "the allowed write reached the host");
    check(!fs::exists(dir / "not-allowed"), "the refused write did not");

    bool threw = false;
    try {
      srt::Sandbox::from_json(R"({"network": {"allowedDomains": ["*.com"]}})", o);
    } catch (const srt::SettingsError &e) {
      threw = std::string(e.what()).find("network.allowedDomains[0]") != std::string::npos;
    }
    check(threw, "invalid settings raise SettingsError naming the JSON path");
  } catch (const std::exception &e) {
    check(false, std::string("unexpected exception: ") + e.what());
  }
  fs::remove_all(dir);
  return failures ? 1 : 0;
}
