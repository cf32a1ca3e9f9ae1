// Typed settings: the TypeScript srt's ~/.srt-settings.json format, every key
// parsed and checked (schemas/srt-settings.schema.json describes the same
// format), plus srt's own additions under "srt".
//
// Loading never exits and never falls back to another policy: a file that is
// missing, empty, unreadable, not JSON or of the wrong shape raises
// srt::SettingsError whose message names the file, the JSON path and the
// problem. Unknown keys are accepted with a warning naming the nearest known
// key. Values are plain data, safe to copy between threads.
#pragma once

#include <srt/error.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace srt {

// A filesystem entry: a path (with ~, relative paths and globs) or, with
// `literal`, a path whose *, ?, [ ] are plain characters.
struct PathEntry {
  std::string path;
  bool literal = false;
  bool operator==(const PathEntry &) const = default;
};

struct MitmProxySettings {
  std::string socketPath;
  std::vector<std::string> domains;
};

struct TlsTerminateSettings {
  std::optional<std::string> caCertPath;
  std::optional<std::string> caKeyPath;
  std::vector<std::string> excludeDomains;
  std::vector<std::string> extraCaCertPaths;
  int maxTunnels = 256;
  int handshakeTimeoutMs = 10000;
};

struct ParentProxySettings {
  std::optional<std::string> http;
  std::optional<std::string> https;
  std::optional<std::string> noProxy;
};

struct NetworkSettings {
  std::vector<std::string> allowedDomains;
  std::vector<std::string> deniedDomains;
  std::map<std::string, std::string> deniedDomainReasons;
  bool strictAllowlist = false;
  std::vector<std::string> deniedResolvedAddresses;
  std::vector<std::string> allowUnixSockets;
  bool allowAllUnixSockets = false;
  bool allowLocalBinding = false;
  std::vector<std::string> allowMachLookup;
  std::optional<std::uint16_t> httpProxyPort;
  std::optional<std::uint16_t> socksProxyPort;
  std::optional<MitmProxySettings> mitmProxy;
  bool allowPlaintextHeaderSet = false;
  std::vector<std::string> stripResponseHeaders;
  bool refuseOpaqueTunnels = false;
  bool requireHostMatch = false;
  std::string ambiguousRequestTarget = "refuse";  // refuse | asSpelled | normalize
  std::optional<TlsTerminateSettings> tlsTerminate;
  std::optional<ParentProxySettings> parentProxy;
};

struct FilesystemSettings {
  bool disabled = false;
  std::vector<PathEntry> denyRead;
  std::vector<PathEntry> allowRead;
  std::vector<PathEntry> allowWrite;
  std::vector<PathEntry> denyWrite;
  bool allowGitConfig = false;
  bool operator==(const FilesystemSettings &) const = default;
};

struct CredentialMaskOptions {
  std::optional<std::string> extract;           // regex with >= 1 capture group
  std::string onExtractNoMatch = "warn";        // warn | deny | error
  std::optional<std::string> decode;            // "jwt"
  std::vector<std::string> maskClaims;          // requires decode
  std::optional<std::vector<std::string>> injectHosts;  // domain patterns
};

struct CredentialFile {
  std::string path;
  std::string mode;  // deny | mask
  CredentialMaskOptions mask;
  bool maskDuplicates = false;
};

struct CredentialEnvVar {
  std::string name;
  std::string mode;  // deny | mask
  CredentialMaskOptions mask;
};

struct AwsPair {
  std::string accessKeyIdVar;
  std::string secretAccessKeyVar;
  std::optional<std::string> sessionTokenVar;
};

struct Sigv4Settings {
  std::string streaming = "deny";  // deny | passthrough
  std::string presigned = "deny";
  std::string sigv4a = "deny";
};

struct CredentialsSettings {
  std::vector<CredentialFile> files;
  std::vector<CredentialEnvVar> envVars;
  bool allowPlaintextInject = false;
  std::vector<AwsPair> awsPairs;
  std::optional<Sigv4Settings> sigv4;
};

struct RipgrepSettings {
  std::string command = "rg";
  std::vector<std::string> args;
  std::optional<std::string> argv0;
};

struct SeccompSettings {
  std::optional<std::string> applyPath;
  std::optional<std::string> argv0;
};

struct GitSettings {
  std::vector<std::string> safeDirectories;
};

struct WindowsSettings {
  std::string backend = "srt-win";  // srt-win | mxc
  std::string sandboxUser = "srt-sandbox";
  std::optional<std::string> sublayerGuid;
  std::optional<std::pair<int, int>> proxyPortRange;
  std::optional<std::string> srtWinPath;
};

// srt's own additions (not in the TypeScript srt).
// The guarantees a backend may give only in part (its probe's "features");
// srt refuses to launch with less than all of them unless the settings accept
// the weaker one by name in srt.acceptWeaker.
inline constexpr const char *kWeakenableFeatures[] = {"filesystem", "network", "ipc_isolation"};

struct SrtSettings {
  std::string backend = "auto";  // auto | bwrap | landlock | seatbelt | a plugin's name
  std::vector<std::string> acceptWeaker;  // names from kWeakenableFeatures
};

struct Settings {
  NetworkSettings network;
  FilesystemSettings filesystem;
  std::optional<CredentialsSettings> credentials;
  std::map<std::string, std::vector<std::string>> ignoreViolations;
  bool enableWeakerNestedSandbox = false;
  bool allowNestedUserNamespaces = false;
  bool enableWeakerNetworkIsolation = false;
  bool allowAppleEvents = false;
  bool allowPty = false;
  std::optional<RipgrepSettings> ripgrep;
  int mandatoryDenySearchDepth = 3;
  std::optional<SeccompSettings> seccomp;
  std::optional<std::string> bwrapPath;
  std::optional<std::string> socatPath;
  std::optional<std::string> javaAgentJarPath;
  GitSettings git;
  std::optional<WindowsSettings> windows;
  SrtSettings srt;

  // Dotted paths of every key the file set ("network.mitmProxy", "allowPty",
  // ...), so that a key this build does not enforce can be reported.
  std::set<std::string> present;
  // Where these settings came from, for messages: a file path,
  // "<built-in default>" or the name given to parse_settings.
  std::string source;
};

// Limits of the format, shared with the schema.
inline constexpr int kMinMandatoryDenySearchDepth = 1;
inline constexpr int kMaxMandatoryDenySearchDepth = 10;

// The settings used when ~/.srt-settings.json does not exist: no network,
// writes only to srt's own TMPDIR, reads everywhere.
Settings default_settings();

// Parses settings JSON. `name` is used in messages (a file path, or e.g.
// "--control-fd line 3"). Appends one line per unknown key to `warnings`.
// Throws SettingsError.
Settings parse_settings(std::string_view json_text, const std::string &name, std::vector<std::string> &warnings);

// Reads and parses a file. Throws SettingsError when it is missing, empty,
// unreadable, not JSON or invalid.
Settings load_settings_file(const std::filesystem::path &file, std::vector<std::string> &warnings);

// The default settings path: $HOME/.srt-settings.json.
std::filesystem::path default_settings_path();

}  // namespace srt
