#include <srt/settings.hpp>

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

using srt::parse_settings;
using srt::SettingsError;

namespace {

srt::Settings parse(const std::string &json) {
  std::vector<std::string> w;
  return parse_settings(json, "s.json", w);
}

std::string error_of(const std::string &json) {
  try {
    parse(json);
  } catch (const SettingsError &e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("settings: every reference key is parsed and typed") {
  auto s = parse(R"({
    "network": {"allowedDomains": ["example.com", "*.github.com", "localhost:3000", "[::1]:8080"],
                "deniedDomains": ["*", "evil.com:22"], "deniedDomainReasons": {"evil.com:22": "no ssh"},
                "strictAllowlist": true, "deniedResolvedAddresses": ["10.0.0.0/8", "fd00::/8"],
                "allowUnixSockets": ["/tmp/x.sock"], "allowAllUnixSockets": true, "allowLocalBinding": true,
                "allowMachLookup": ["com.apple.*"], "httpProxyPort": 8080, "socksProxyPort": 1080,
                "ambiguousRequestTarget": "normalize", "parentProxy": {"http": "http://proxy:3128", "noProxy": "corp"}},
    "filesystem": {"denyRead": ["~/.ssh", {"path": "/a[1]", "literal": true}], "allowRead": ["~/.ssh/config"],
                   "allowWrite": ["."], "denyWrite": ["./.env"], "allowGitConfig": true},
    "ignoreViolations": {"*": ["/usr/bin"], "git": ["/tmp"]},
    "enableWeakerNestedSandbox": true, "allowNestedUserNamespaces": true, "enableWeakerNetworkIsolation": true,
    "allowAppleEvents": true, "allowPty": true, "ripgrep": {"command": "rg", "args": ["--x"]},
    "mandatoryDenySearchDepth": 5, "seccomp": {"applyPath": "/x", "argv0": "y"}, "bwrapPath": "/usr/bin/bwrap",
    "socatPath": "/usr/bin/socat", "javaAgentJarPath": "/opt/a.jar", "git": {"safeDirectories": ["/repo"]},
    "windows": {"backend": "mxc", "sandboxUser": "u", "proxyPortRange": [60080, 60089]},
    "srt": {"backend": "bwrap"}
  })");
  CHECK(s.network.allowedDomains.size() == 4);
  CHECK(s.network.deniedDomainReasons.at("evil.com:22") == "no ssh");
  CHECK(s.network.strictAllowlist);
  CHECK(*s.network.httpProxyPort == 8080);
  CHECK(s.network.ambiguousRequestTarget == "normalize");
  CHECK(s.filesystem.denyRead[1].literal);
  CHECK(s.filesystem.denyRead[1].path == "/a[1]");
  CHECK(s.filesystem.allowGitConfig);
  CHECK(s.ignoreViolations.at("git").at(0) == "/tmp");
  CHECK(s.allowPty);
  CHECK(s.mandatoryDenySearchDepth == 5);
  CHECK(*s.bwrapPath == "/usr/bin/bwrap");
  CHECK(s.windows->proxyPortRange->second == 60089);
  CHECK(s.srt.backend == "bwrap");
  CHECK(s.present.count("network.parentProxy"));
  CHECK(s.present.count("allowPty"));
}

TEST_CASE("settings: missing keys take the restrictive defaults") {
  auto s = parse("{}");
  CHECK(s.network.allowedDomains.empty());
  CHECK(s.filesystem.allowWrite.empty());
  CHECK_FALSE(s.filesystem.disabled);
  CHECK(s.mandatoryDenySearchDepth == 3);
  CHECK(s.srt.backend == "auto");
}

TEST_CASE("settings: errors name the document, the JSON path and the problem") {
  CHECK(error_of("").find("s.json: is empty") != std::string::npos);
  CHECK(error_of("  \n ").find("is empty") != std::string::npos);
  CHECK(error_of("{\"network\": }").find("s.json: line 1, column 13: not valid JSON") != std::string::npos);
  CHECK(error_of("{}\n{}").find("line 2") != std::string::npos);
  CHECK(error_of("[]").find("expected a JSON object") != std::string::npos);
  CHECK(error_of(R"({"network": {"allowedDomains": "example.com"}})").find("network.allowedDomains: expected an array of strings, got a string") !=
        std::string::npos);
  CHECK(error_of(R"({"network": {"allowedDomains": ["ok.com", "*.com"]}})").find("network.allowedDomains[1]: \"*.com\" is not a valid domain pattern") !=
        std::string::npos);
  CHECK(error_of(R"({"network": {"allowedDomains": ["*"]}})").find("only allowed in deniedDomains") != std::string::npos);
  CHECK(error_of(R"({"network": {"allowedDomains": ["2001:db8::1"]}})").find("must be written in brackets") != std::string::npos);
  CHECK(error_of(R"({"network": {"allowedDomains": ["https://x.com"]}})").find("not a URL") != std::string::npos);
  CHECK(error_of(R"({"network": {"httpProxyPort": 0}})").find("network.httpProxyPort: must be an integer from 1 to 65535") !=
        std::string::npos);
  CHECK(error_of(R"({"network": {"deniedResolvedAddresses": ["10.0.0.0/33"]}})").find("Invalid IP address or CIDR range") !=
        std::string::npos);
  CHECK(error_of(R"({"network": {"allowMachLookup": ["a*b"]}})").find("single trailing") != std::string::npos);
  CHECK(error_of(R"({"network": {"mitmProxy": {"socketPath": "/s", "domains": ["a.com"]}, "tlsTerminate": {}}})")
            .find("mutually exclusive") != std::string::npos);
  CHECK(error_of(R"({"network": {"tlsTerminate": {"caCertPath": "/c"}}})").find("must be provided together") != std::string::npos);
  CHECK(error_of(R"({"filesystem": {"denyRead": [""]}})").find("filesystem.denyRead[0]: expected a path") != std::string::npos);
  CHECK(error_of(R"({"filesystem": {"denyRead": [{"path": "/x", "literal": false}]}})").find("filesystem.denyRead[0].literal: must be true") !=
        std::string::npos);
  CHECK(error_of(R"({"filesystem": {"denyRead": [{"path": "/x", "extra": 1}]}})").find("unknown key \"extra\"") != std::string::npos);
  CHECK(error_of(R"({"filesystem": {"denyWrite": ["/data/*/"]}})").find("ends in a separator") != std::string::npos);
  CHECK(error_of(R"({"mandatoryDenySearchDepth": 11})").find("mandatoryDenySearchDepth: must be an integer from 1 to 10") != std::string::npos);
  CHECK(error_of(R"({"mandatoryDenySearchDepth": "3"})").find("expected an integer") != std::string::npos);
  CHECK(error_of(R"({"bwrapPath": "bwrap"})").find("Binary path must be absolute") != std::string::npos);
  CHECK(error_of(R"({"seccomp": {"argv0": "x"}})").find("seccomp.argv0 requires seccomp.applyPath") != std::string::npos);
  CHECK(error_of(R"({"credentials": {"envVars": [{"name": "1BAD", "mode": "deny"}]}})").find("credentials.envVars[0].name") !=
        std::string::npos);
  CHECK(error_of(R"({"credentials": {"injectHosts": []}})").find("credentials: unknown key \"injectHosts\"") != std::string::npos);
  CHECK(error_of(R"({"credentials": {"envVars": [{"name": "T", "mode": "mask"}]}})").find("requires network.tlsTerminate") !=
        std::string::npos);
  CHECK(error_of(R"j({"credentials": {"allowPlaintextInject": true, "envVars": [{"name": "T", "mode": "mask", "extract": "abc"}]}})j")
            .find("at least one capturing group") != std::string::npos);
  CHECK(error_of(R"({"credentials": {"allowPlaintextInject": true, "envVars": [{"name": "T", "mode": "mask", "injectHosts": ["x.com"]}]}})")
            .find("not covered by network.allowedDomains") != std::string::npos);
  CHECK(error_of(R"({"windows": {"sandboxUser": "a-very-long-windows-user-name"}})").find("at most 20") != std::string::npos);
  // Counted as JavaScript counts: 11 "é" are 11 characters (22 bytes).
  CHECK(error_of("{\"windows\": {\"sandboxUser\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}}") == "(accepted)");
  CHECK(error_of(R"({"credentials": {"files": [{"path": "/data/*/", "mode": "deny"}]}})").find("ends in a separator") != std::string::npos);
  CHECK(error_of(R"({"credentials": {"allowPlaintextInject": true, "envVars": [{"name": "K", "mode": "mask"}, {"name": "S", "mode": "deny"}],
                     "awsPairs": [{"accessKeyIdVar": "K", "secretAccessKeyVar": "S"}]}})")
            .find("must name a credentials.envVars entry with mode \"mask\"") != std::string::npos);
  CHECK(error_of(R"({"credentials": {"allowPlaintextInject": true, "envVars": [{"name": "K", "mode": "mask"}, {"name": "S", "mode": "mask"}],
                     "awsPairs": [{"accessKeyIdVar": "K", "secretAccessKeyVar": "S"}, {"accessKeyIdVar": "K", "secretAccessKeyVar": "S"}]}})")
            .find("already part of another pair") != std::string::npos);
  CHECK(error_of(R"({"network": {"allowedDomains": ["api.example.com"], "tlsTerminate": {"excludeDomains": ["api.example.com"]}},
                     "credentials": {"envVars": [{"name": "K", "mode": "mask", "injectHosts": ["api.example.com"]}]}})")
            .find("covered by network.tlsTerminate.excludeDomains") != std::string::npos);
  // JavaScript regular expressions: lookbehind and named groups are fine.
  CHECK(error_of(R"j({"credentials": {"allowPlaintextInject": true, "envVars": [{"name": "U", "mode": "mask", "extract": "(?<=password=)([^&]+)"}]}})j") ==
        "(accepted)");
  CHECK(error_of(R"j({"credentials": {"allowPlaintextInject": true, "envVars": [{"name": "U", "mode": "mask", "extract": "password=(?<pw>[^&]+)"}]}})j") ==
        "(accepted)");
  CHECK(error_of(R"j({"credentials": {"allowPlaintextInject": true, "envVars": [{"name": "U", "mode": "mask", "extract": "(?:a)[(]"}]}})j")
            .find("at least one capturing group") != std::string::npos);
  CHECK(error_of(R"j({"credentials": {"allowPlaintextInject": true, "envVars": [{"name": "U", "mode": "mask", "extract": "(a"}]}})j")
            .find("unbalanced") != std::string::npos);
  CHECK(error_of(R"({"srt": {"backend": "Bad Name"}})").find("srt.backend") != std::string::npos);
  CHECK(error_of(R"({"network": {"filterRequest": "x"}})").find("library callback") != std::string::npos);
}

TEST_CASE("settings: unknown keys are warnings naming the nearest known key") {
  std::vector<std::string> w;
  auto s = parse_settings(R"({"filesytem": {}, "network": {"alowedDomains": []}, "allowAllUnixSockets": true})", "s.json", w);
  REQUIRE(w.size() == 3);
  std::string all = w[0] + "\n" + w[1] + "\n" + w[2];
  CHECK(all.find("s.json: filesytem: unknown key, ignored (did you mean \"filesystem\"?)") != std::string::npos);
  CHECK(all.find("s.json: network.alowedDomains: unknown key, ignored (did you mean \"network.allowedDomains\"?)") != std::string::npos);
  CHECK(all.find("s.json: allowAllUnixSockets: unknown key") != std::string::npos);  // misplaced: it belongs in "network"
}

TEST_CASE("settings: unknown keys in credential entries are warnings, as in the reference") {
  std::vector<std::string> w;
  parse_settings(R"({"credentials": {"files": [{"path": "~/.netrc", "mode": "deny", "comment": "x"}]}})", "s.json", w);
  REQUIRE(w.size() == 1);
  CHECK(w[0].find("credentials.files[0].comment: unknown key") != std::string::npos);
}

TEST_CASE("settings: deniedDomainReasons keys that match no deny entry are reported") {
  std::vector<std::string> w;
  parse_settings(R"({"network": {"deniedDomains": ["a.com"], "deniedDomainReasons": {"b.com": "why"}}})", "s.json", w);
  REQUIRE(w.size() == 1);
  CHECK(w[0].find("\"b.com\" is not an entry of network.deniedDomains") != std::string::npos);
}

TEST_CASE("settings files: missing, directory, unreadable") {
  srt::test::TempDir t;
  std::vector<std::string> w;
  auto err = [&](const std::string &path) {
    try {
      srt::load_settings_file(path, w);
    } catch (const SettingsError &e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  CHECK(err(t / "nope.json").find("nope.json: no such file") != std::string::npos);
  CHECK(err(t.path()).find("is a directory") != std::string::npos);
  auto f = t.file("empty.json", "");
  CHECK(err(f).find("empty.json: is empty") != std::string::npos);
  auto good = t.file("good.json", R"({"filesystem": {"allowWrite": ["."]}})");
  CHECK(srt::load_settings_file(good, w).filesystem.allowWrite.at(0).path == ".");
  if (::geteuid() != 0) {  // root reads mode-000 files anyway
    auto secret = t.file("secret.json", "{}");
    ::chmod(secret.c_str(), 0);
    CHECK(err(secret).find("cannot open: Permission denied") != std::string::npos);
  }
}
