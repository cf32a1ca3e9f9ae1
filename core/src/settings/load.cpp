// Settings JSON -> srt::Settings, with the checks of the TypeScript srt's
// schema (reference A.1-A.5) and the same key names.
#include <srt/settings.hpp>

#include "net/address.hpp"
#include "net/domain_pattern.hpp"
#include "settings/common.hpp"
#include "settings/json_reader.hpp"
#include "util/strings.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace srt {

using settings_detail::ParseContext;
using settings_detail::Reader;
using namespace settings_detail;

namespace {

// A settings file larger than this is certainly not a settings file.
constexpr std::size_t kMaxSettingsFileBytes = 16 * 1024 * 1024;

void read_path_list(const Reader &r, std::vector<PathEntry> &out, bool deny_list) {
  auto n = r.size();
  for (std::size_t i = 0; i < n; ++i) {
    auto item = r.at(i);
    PathEntry e;
    if (item.is_string()) {
      e.path = item.string();
      if (e.path.empty()) item.fail("expected a path, or { \"path\": \"<path>\", \"literal\": true }; got an empty string");
    } else if (item.is_object()) {
      item.expect_keys({"path", "literal"}, /*strict=*/true);
      auto p = item.get("path");
      auto lit = item.get("literal");
      if (!p || !lit) item.fail("expected a path, or { \"path\": \"<path>\", \"literal\": true }");
      e.path = p->non_empty_string();
      if (!lit->boolean()) lit->fail("must be true (write a plain string for a pattern)");
      e.literal = true;
    } else {
      item.fail(fmt::format("expected a path, or {{ \"path\": \"<path>\", \"literal\": true }}; got {}", item.type_name()));
    }
    if (e.path.find('\0') != std::string::npos) item.fail("a path cannot contain a NUL character");
    if (deny_list && !e.literal) check_deny_glob(item, e.path);
    out.push_back(std::move(e));
  }
}

void read_absolute_path(const Reader &r, std::optional<std::string> &out) {
  auto s = r.non_empty_string();
  if (s[0] != '/') r.fail(fmt::format("{}: Binary path must be absolute", util::quoted(s)));
  out = s;
}

void read_filesystem(const Reader &r, FilesystemSettings &f) {
  r.expect_keys({"disabled", "denyRead", "allowRead", "allowWrite", "denyWrite", "allowGitConfig"});
  if (auto v = r.get("disabled")) f.disabled = v->boolean();
  if (auto v = r.get("denyRead")) read_path_list(*v, f.denyRead, true);
  if (auto v = r.get("allowRead")) read_path_list(*v, f.allowRead, false);
  if (auto v = r.get("allowWrite")) read_path_list(*v, f.allowWrite, false);
  if (auto v = r.get("denyWrite")) read_path_list(*v, f.denyWrite, true);
  if (auto v = r.get("allowGitConfig")) f.allowGitConfig = v->boolean();
}

// Length as JavaScript (and Windows) count it: UTF-16 code units.
std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    n += c >= 0xF0 ? 2 : 1;            // 4-byte sequences are surrogate pairs
  }
  return n;
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

void read_windows(const Reader &r, WindowsSettings &w) {
  r.expect_keys({"backend", "sandboxUser", "sublayerGuid", "wfpSublayerGuid", "proxyPortRange", "srtWin"});
  if (auto v = r.get("backend")) w.backend = v->one_of({"srt-win", "mxc"});
  if (auto v = r.get("sandboxUser")) {
    w.sandboxUser = v->non_empty_string();
    if (utf16_length(w.sandboxUser) > 20) v->fail("Windows user names are at most 20 characters");
  }
  for (auto key : {"sublayerGuid", "wfpSublayerGuid"}) {
    if (auto v = r.get(key)) {
      auto g = v->string();
      if (!is_uuid(g)) v->fail(fmt::format("{} is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", util::quoted(g)));
      w.sublayerGuid = g;
    }
  }
  if (auto v = r.get("proxyPortRange")) {
    if (v->size() != 2) v->fail("expected [lowest, highest]");
    int lo = static_cast<int>(v->at(0).integer(1, 65535));
    int hi = static_cast<int>(v->at(1).integer(1, 65535));
    if (lo > hi) v->fail("the first port must not be greater than the second");
    if (hi - lo + 1 > 64) v->fail("the range may hold at most 64 ports");
    w.proxyPortRange = std::make_pair(lo, hi);
  }
  if (auto v = r.get("srtWin")) {
    v->expect_keys({"path"});
    if (auto p = v->get("path")) w.srtWinPath = p->non_empty_string();
  }
}

bool is_plugin_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

Settings parse_root(const Reader &r) {
  Settings s;
  if (!r.is_object()) r.fail(fmt::format("expected a JSON object such as {{\"filesystem\": {{\"allowWrite\": [\".\"]}}}}, got {}", r.type_name()));
  r.expect_keys({"$schema", "network", "filesystem", "credentials", "ignoreViolations", "enableWeakerNestedSandbox",
                 "allowNestedUserNamespaces", "enableWeakerNetworkIsolation", "allowAppleEvents", "allowPty", "ripgrep",
                 "mandatoryDenySearchDepth", "seccomp", "bwrapPath", "socatPath", "javaAgentJarPath", "git", "windows", "srt"});
  if (auto v = r.get("$schema")) v->string();
  if (auto v = r.get("network")) read_network(*v, s.network);
  if (auto v = r.get("filesystem")) read_filesystem(*v, s.filesystem);
  if (auto v = r.get("credentials")) {
    CredentialsSettings c;
    read_credentials(*v, c, s.network);
    s.credentials = std::move(c);
  }
  if (auto v = r.get("ignoreViolations")) {
    if (!v->is_object()) v->fail(fmt::format("expected an object mapping a command substring (or \"*\") to a list of patterns, got {}", v->type_name()));
    for (const auto &kv : v->value().get_object()) s.ignoreViolations[std::string(kv.key())] = v->get(kv.key())->string_list(false);
  }
  if (auto v = r.get("enableWeakerNestedSandbox")) s.enableWeakerNestedSandbox = v->boolean();
  if (auto v = r.get("allowNestedUserNamespaces")) s.allowNestedUserNamespaces = v->boolean();
  if (auto v = r.get("enableWeakerNetworkIsolation")) s.enableWeakerNetworkIsolation = v->boolean();
  if (auto v = r.get("allowAppleEvents")) s.allowAppleEvents = v->boolean();
  if (auto v = r.get("allowPty")) s.allowPty = v->boolean();
  if (auto v = r.get("ripgrep")) {
    v->expect_keys({"command", "args", "argv0"});
    RipgrepSettings rg;
    if (auto c = v->get("command")) rg.command = c->non_empty_string();
    if (auto c = v->get("args")) rg.args = c->string_list(false);
    if (auto c = v->get("argv0")) rg.argv0 = c->non_empty_string();
    s.ripgrep = std::move(rg);
  }
  if (auto v = r.get("mandatoryDenySearchDepth"))
    s.mandatoryDenySearchDepth = static_cast<int>(v->integer(kMinMandatoryDenySearchDepth, kMaxMandatoryDenySearchDepth));
  if (auto v = r.get("seccomp")) {
    v->expect_keys({"applyPath", "argv0"});
    SeccompSettings sc;
    if (auto c = v->get("applyPath")) sc.applyPath = c->non_empty_string();
    if (auto c = v->get("argv0")) sc.argv0 = c->non_empty_string();
    if (sc.argv0 && !sc.applyPath) v->fail("seccomp.argv0 requires seccomp.applyPath");
    s.seccomp = std::move(sc);
  }
  if (auto v = r.get("bwrapPath")) read_absolute_path(*v, s.bwrapPath);
  if (auto v = r.get("socatPath")) read_absolute_path(*v, s.socatPath);
  if (auto v = r.get("javaAgentJarPath")) read_absolute_path(*v, s.javaAgentJarPath);
  if (auto v = r.get("git")) {
    v->expect_keys({"safeDirectories"});
    if (auto c = v->get("safeDirectories")) s.git.safeDirectories = c->string_list();
  }
  if (auto v = r.get("windows")) {
    WindowsSettings w;
    read_windows(*v, w);
    s.windows = std::move(w);
  }
  if (auto v = r.get("srt")) {
    v->expect_keys({"backend", "acceptWeaker"});
    if (auto c = v->get("backend")) {
      s.srt.backend = c->non_empty_string();
      if (!is_plugin_name(s.srt.backend))
        c->fail(fmt::format("{} is not a backend name (lower-case letters, digits and '-'; e.g. \"auto\", \"bwrap\")",
                            util::quoted(s.srt.backend)));
    }
    if (auto c = v->get("acceptWeaker")) {
      s.srt.acceptWeaker = c->string_list();
      for (const auto &f : s.srt.acceptWeaker)
        if (std::find(std::begin(kWeakenableFeatures), std::end(kWeakenableFeatures), f) == std::end(kWeakenableFeatures))
          c->fail(fmt::format("{} is not a sandbox feature (one of: filesystem, network, ipc_isolation)", util::quoted(f)));
    }
  }
  return s;
}

// 1-based line and column of byte `offset` in `text`.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

}  // namespace

Settings default_settings() {
  Settings s;
  s.source = "<built-in default>";
  return s;
}

Settings parse_settings(std::string_view json_text, const std::string &name, std::vector<std::string> &warnings) {
  bool blank = true;
  for (char c : json_text) blank = blank && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
  if (blank) throw SettingsError(fmt::format("{}: is empty; write a JSON object such as {{\"filesystem\": {{\"allowWrite\": [\".\"]}}}}", name));

  boost::json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t consumed = parser.write_some(json_text.data(), json_text.size(), ec);
  if (!ec && consumed < json_text.size()) ec = boost::json::error::extra_data;
  if (!ec) parser.finish(ec);
  if (ec) {
    auto [line, col] = line_column(json_text, consumed);
    throw SettingsError(fmt::format("{}: line {}, column {}: not valid JSON: {}", name, line, col, ec.message()));
  }
  boost::json::value doc = parser.release();

  Settings s;
  ParseContext ctx{name, &warnings, &s.present};
  Reader root(doc, "", ctx);
  auto parsed = parse_root(root);
  parsed.present = std::move(s.present);
  parsed.source = name;
  return parsed;
}

Settings load_settings_file(const std::filesystem::path &file, std::vector<std::string> &warnings) {
  const std::string name = file.string();
  int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) throw SettingsError(fmt::format("{}: no such file; create it or pass another with --settings", name));
    throw SettingsError(fmt::format("{}: cannot open: {}", name, std::strerror(err)));
  }
  std::string text;
  struct stat st{};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw SettingsError(fmt::format("{}: is a directory, not a settings file", name));
  }
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw SettingsError(fmt::format("{}: cannot read: {}", name, std::strerror(err)));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > kMaxSettingsFileBytes) {
      ::close(fd);
      throw SettingsError(fmt::format("{}: larger than {} MiB; this is not a settings file", name, kMaxSettingsFileBytes >> 20));
    }
  }
  ::close(fd);
  return parse_settings(text, name, warnings);
}

std::filesystem::path default_settings_path() {
  const char *home = std::getenv("HOME");
  std::filesystem::path base = (home && *home) ? home : "/";
  return base / ".srt-settings.json";
}

}  // namespace srt
