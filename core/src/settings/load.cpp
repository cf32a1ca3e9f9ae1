// Settings JSON -> srt::Settings, with the checks of the TypeScript srt's
// schema (reference A.1-A.5) and the same key names.
#include <srt/settings.hpp>

#include "net/address.hpp"
#include "net/domain_pattern.hpp"
#include "settings/json_reader.hpp"
#include "util/strings.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace srt {

using settings_detail::ParseContext;
using settings_detail::Reader;

namespace {

// A settings file larger than this is certainly not a settings file.
constexpr std::size_t kMaxSettingsFileBytes = 16 * 1024 * 1024;

void read_domain_list(const Reader &r, std::vector<std::string> &out, bool deny_list) {
  out = r.string_list();
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::string why;
    if (!net::parse_domain_pattern(out[i], deny_list, why))
      r.at(i).fail(fmt::format("{} is not a valid domain pattern: {}", util::quoted(out[i]), why));
  }
}

bool has_glob_chars(std::string_view s) { return s.find_first_of("*?[]") != std::string_view::npos; }

// A deny glob that ends in "/" can match no path (the reference's rule).
void check_deny_glob(const Reader &r, const std::string &path) {
  if (has_glob_chars(path) && (path[0] == '/' || path[0] == '~') && path.size() > 1 && path.back() == '/')
    r.fail(fmt::format("deny glob {} ends in a separator, so as a pattern it can match no path; write {}", util::quoted(path),
                       util::quoted(path.substr(0, path.size() - 1))));
}

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

std::optional<std::uint16_t> read_port(const Reader &r) { return static_cast<std::uint16_t>(r.integer(1, 65535)); }

void read_absolute_path(const Reader &r, std::optional<std::string> &out) {
  auto s = r.non_empty_string();
  if (s[0] != '/') r.fail(fmt::format("{}: Binary path must be absolute", util::quoted(s)));
  out = s;
}

void read_network(const Reader &r, NetworkSettings &n) {
  r.expect_keys({"allowedDomains", "deniedDomains", "deniedDomainReasons", "strictAllowlist", "deniedResolvedAddresses",
                 "allowUnixSockets", "allowAllUnixSockets", "allowLocalBinding", "allowMachLookup", "httpProxyPort",
                 "socksProxyPort", "mitmProxy", "filterRequest", "allowPlaintextHeaderSet", "stripResponseHeaders",
                 "refuseOpaqueTunnels", "requireHostMatch", "ambiguousRequestTarget", "tlsTerminate", "parentProxy"});
  if (auto v = r.get("allowedDomains")) read_domain_list(*v, n.allowedDomains, false);
  if (auto v = r.get("deniedDomains")) read_domain_list(*v, n.deniedDomains, true);
  if (auto v = r.get("deniedDomainReasons")) {
    if (!v->is_object()) v->fail(fmt::format("expected an object mapping a deniedDomains entry to a reason, got {}", v->type_name()));
    for (const auto &kv : v->value().get_object()) {
      auto item = *v->get(kv.key());
      std::string key(kv.key());
      n.deniedDomainReasons[key] = item.non_empty_string();
      bool listed = false;
      for (const auto &d : n.deniedDomains) listed = listed || d == key;
      if (!listed) item.warn(fmt::format("{} is not an entry of network.deniedDomains, so this reason is never used", util::quoted(key)));
    }
  }
  if (auto v = r.get("strictAllowlist")) n.strictAllowlist = v->boolean();
  if (auto v = r.get("deniedResolvedAddresses")) {
    n.deniedResolvedAddresses = v->string_list();
    for (std::size_t i = 0; i < n.deniedResolvedAddresses.size(); ++i)
      if (!net::parse_cidr(n.deniedResolvedAddresses[i]))
        v->at(i).fail(fmt::format("{}: Invalid IP address or CIDR range. Write e.g. \"10.0.0.0/8\", \"192.0.2.7\" or \"fd00::/8\" (IPv6 without brackets)",
                                  util::quoted(n.deniedResolvedAddresses[i])));
  }
  if (auto v = r.get("allowUnixSockets")) n.allowUnixSockets = v->string_list();
  if (auto v = r.get("allowAllUnixSockets")) n.allowAllUnixSockets = v->boolean();
  if (auto v = r.get("allowLocalBinding")) n.allowLocalBinding = v->boolean();
  if (auto v = r.get("allowMachLookup")) {
    n.allowMachLookup = v->string_list();
    for (std::size_t i = 0; i < n.allowMachLookup.size(); ++i) {
      const auto &s = n.allowMachLookup[i];
      auto star = s.find('*');
      if (star != std::string::npos && (star != s.size() - 1 || s.size() == 1))
        v->at(i).fail(fmt::format("{}: Wildcards are only allowed as a single trailing \"*\" after a prefix, e.g. \"com.apple.coreservices.*\"",
                                  util::quoted(s)));
    }
  }
  if (auto v = r.get("httpProxyPort")) n.httpProxyPort = read_port(*v);
  if (auto v = r.get("socksProxyPort")) n.socksProxyPort = read_port(*v);
  if (auto v = r.get("mitmProxy")) {
    v->expect_keys({"socketPath", "domains"});
    MitmProxySettings m;
    auto sp = v->get("socketPath");
    auto dom = v->get("domains");
    if (!sp || !dom) v->fail("needs both \"socketPath\" and \"domains\"");
    m.socketPath = sp->non_empty_string();
    read_domain_list(*dom, m.domains, false);
    if (m.domains.empty()) dom->fail("must list at least one domain pattern");
    n.mitmProxy = std::move(m);
  }
  if (auto v = r.get("filterRequest")) v->fail("is a library callback (a function) and cannot be set in a settings file");
  if (auto v = r.get("allowPlaintextHeaderSet")) n.allowPlaintextHeaderSet = v->boolean();
  if (auto v = r.get("stripResponseHeaders")) n.stripResponseHeaders = v->string_list(false);
  if (auto v = r.get("refuseOpaqueTunnels")) n.refuseOpaqueTunnels = v->boolean();
  if (auto v = r.get("requireHostMatch")) n.requireHostMatch = v->boolean();
  if (auto v = r.get("ambiguousRequestTarget")) n.ambiguousRequestTarget = v->one_of({"refuse", "asSpelled", "normalize"});
  if (auto v = r.get("tlsTerminate")) {
    v->expect_keys({"caCertPath", "caKeyPath", "excludeDomains", "extraCaCertPaths", "maxTunnels", "handshakeTimeoutMs"});
    TlsTerminateSettings t;
    if (auto c = v->get("caCertPath")) t.caCertPath = c->non_empty_string();
    if (auto c = v->get("caKeyPath")) t.caKeyPath = c->non_empty_string();
    if (t.caCertPath.has_value() != t.caKeyPath.has_value()) v->fail("caCertPath and caKeyPath must be provided together");
    if (auto c = v->get("excludeDomains")) {
      read_domain_list(*c, t.excludeDomains, false);
    }
    if (auto c = v->get("extraCaCertPaths")) t.extraCaCertPaths = c->string_list(false);
    if (auto c = v->get("maxTunnels")) t.maxTunnels = static_cast<int>(c->integer(1, 65536));
    if (auto c = v->get("handshakeTimeoutMs")) t.handshakeTimeoutMs = static_cast<int>(c->integer(100, 600000));
    n.tlsTerminate = std::move(t);
  }
  if (auto v = r.get("parentProxy")) {
    v->expect_keys({"http", "https", "noProxy"});
    ParentProxySettings p;
    auto url = [](const Reader &u) {
      auto s = u.non_empty_string();
      auto scheme_end = s.find("://");
      if (scheme_end != std::string::npos) {
        auto scheme = util::to_lower(s.substr(0, scheme_end));
        if (scheme != "http" && scheme != "https")
          u.fail(fmt::format("{}: only http:// and https:// proxy URLs are supported", util::quoted(s)));
      }
      return s;
    };
    if (auto c = v->get("http")) p.http = url(*c);
    if (auto c = v->get("https")) p.https = url(*c);
    if (auto c = v->get("noProxy")) p.noProxy = c->string();
    n.parentProxy = std::move(p);
  }
  if (n.tlsTerminate && n.mitmProxy) r.fail("network.tlsTerminate and network.mitmProxy are mutually exclusive");
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

// Counts the capturing groups of a JavaScript regular expression: "(" not
// followed by "?", or followed by "?<name>". Returns why the text is not a
// regular expression (unbalanced), or empty.
std::string count_capturing_groups(std::string_view re, int &groups) {
  int depth = 0;
  bool in_class = false;
  for (std::size_t i = 0; i < re.size(); ++i) {
    char c = re[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
      continue;
    }
    if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      ++depth;
      bool lookbehind = re.substr(i + 1, 3) == "?<=" || re.substr(i + 1, 3) == "?<!";
      if (i + 1 >= re.size() || re[i + 1] != '?' || (re.substr(i + 1, 2) == "?<" && !lookbehind)) ++groups;
    } else if (c == ')') {
      if (--depth < 0) return "unbalanced ')'";
    }
  }
  if (in_class) return "unterminated character class '['";
  if (depth != 0) return "unbalanced '('";
  return {};
}

bool is_env_name(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// Is every host `pattern` can match also matched by one of `allowed`?
bool covered_by(const net::DomainPattern &p, const std::vector<net::DomainPattern> &allowed) {
  for (const auto &a : allowed) {
    if (a.port) continue;  // a port-limited allow entry does not cover a host on every port
    if (a.kind == net::DomainPattern::Kind::exact && p.kind == net::DomainPattern::Kind::exact && a.host == p.host) return true;
    if (a.kind == net::DomainPattern::Kind::subdomains) {
      std::string suffix = "." + a.host;
      if (util::ends_with(p.host, suffix)) return true;  // both exact and wildcard hosts below it
      if (p.kind == net::DomainPattern::Kind::subdomains && p.host == a.host) return true;
    }
  }
  return false;
}

void read_mask_options(const Reader &r, CredentialMaskOptions &m, const NetworkSettings &net) {
  if (auto v = r.get("extract")) {
    m.extract = v->non_empty_string();
    // A JavaScript regular expression (the reference's dialect, lookbehind
    // and named groups included): checked for balance and for a capturing
    // group here; compiled when masking is enforced.
    int groups = 0;
    std::string why = count_capturing_groups(*m.extract, groups);
    if (!why.empty()) v->fail(fmt::format("extract is not a valid regular expression: {}", why));
    if (groups < 1) v->fail("extract must contain at least one capturing group: the part to mask, e.g. \"password=([^&]+)\"");
  }
  if (auto v = r.get("onExtractNoMatch")) m.onExtractNoMatch = v->one_of({"warn", "deny", "error"});
  if (auto v = r.get("decode")) {
    m.decode = v->string();
    if (*m.decode != "jwt") v->fail(fmt::format("{} is not a supported decoding (only \"jwt\")", util::quoted(*m.decode)));
  }
  if (auto v = r.get("maskClaims")) {
    m.maskClaims = v->string_list();
    if (m.maskClaims.empty()) v->fail("must name at least one claim");
    if (!m.decode) v->fail("maskClaims requires decode: \"jwt\"");
  }
  if (auto v = r.get("injectHosts")) {
    std::vector<std::string> hosts;
    read_domain_list(*v, hosts, false);
    if (hosts.empty()) v->fail("an empty list would inject nowhere; omit injectHosts to use network.allowedDomains");
    std::vector<net::DomainPattern> allowed;
    for (const auto &a : net.allowedDomains) {
      std::string why;
      if (auto p = net::parse_domain_pattern(a, false, why)) allowed.push_back(*p);
    }
    for (std::size_t i = 0; i < hosts.size(); ++i) {
      std::string why;
      auto p = net::parse_domain_pattern(hosts[i], false, why);
      if (p && !covered_by(*p, allowed))
        v->at(i).fail(fmt::format("{} is not covered by network.allowedDomains; a credential can only be injected for hosts the sandbox may reach",
                                  util::quoted(hosts[i])));
    }
    m.injectHosts = std::move(hosts);
  }
}

// Each variable in at most one AWS pair, and only whole-value masked ones
// (re-signing needs the real value of exactly that variable).
void check_aws_pairs(const Reader &r, const CredentialsSettings &c) {
  std::set<std::string> used;
  for (std::size_t i = 0; i < c.awsPairs.size(); ++i) {
    const auto &p = c.awsPairs[i];
    std::vector<std::string> vars = {p.accessKeyIdVar, p.secretAccessKeyVar};
    if (p.sessionTokenVar) vars.push_back(*p.sessionTokenVar);
    auto item = r.get("awsPairs")->at(i);
    for (const auto &v : vars) {
      if (!used.insert(v).second) item.fail(fmt::format("{} is already part of another pair; each variable can be in one pair only", util::quoted(v)));
      const CredentialEnvVar *entry = nullptr;
      for (const auto &e : c.envVars)
        if (e.name == v) entry = &e;
      if (!entry || entry->mode != "mask" || entry->mask.extract || entry->mask.decode)
        item.fail(fmt::format("{} must name a credentials.envVars entry with mode \"mask\" and neither extract nor decode", util::quoted(v)));
    }
  }
}

// An injectHosts entry that tlsTerminate.excludeDomains covers would never be
// substituted (its traffic is not terminated).
void check_inject_hosts_terminated(const Reader &r, const CredentialsSettings &c, const NetworkSettings &net) {
  if (!net.tlsTerminate || net.tlsTerminate->excludeDomains.empty()) return;
  std::vector<net::DomainPattern> excluded;
  for (const auto &d : net.tlsTerminate->excludeDomains) {
    std::string why;
    if (auto p = net::parse_domain_pattern(d, false, why)) excluded.push_back(*p);
  }
  auto check = [&](const std::optional<std::vector<std::string>> &hosts, const Reader &where) {
    if (!hosts) return;
    for (std::size_t i = 0; i < hosts->size(); ++i) {
      std::string why;
      auto p = net::parse_domain_pattern((*hosts)[i], false, why);
      if (p && covered_by(*p, excluded))
        where.get("injectHosts")->at(i).fail(fmt::format(
            "{} is covered by network.tlsTerminate.excludeDomains, so its traffic is never terminated and nothing would be injected",
            util::quoted((*hosts)[i])));
    }
  };
  for (std::size_t i = 0; i < c.files.size(); ++i) check(c.files[i].mask.injectHosts, r.get("files")->at(i));
  for (std::size_t i = 0; i < c.envVars.size(); ++i) check(c.envVars[i].mask.injectHosts, r.get("envVars")->at(i));
}

void read_credentials(const Reader &r, CredentialsSettings &c, const NetworkSettings &net) {
  r.expect_keys({"files", "envVars", "allowPlaintextInject", "awsPairs", "sigv4"}, /*strict=*/true);
  if (auto v = r.get("allowPlaintextInject")) c.allowPlaintextInject = v->boolean();
  bool any_mask = false;
  if (auto v = r.get("files")) {
    for (std::size_t i = 0, n = v->size(); i < n; ++i) {
      auto item = v->at(i);
      item.expect_keys({"path", "mode", "extract", "onExtractNoMatch", "decode", "maskClaims", "maskDuplicates", "injectHosts"});
      CredentialFile f;
      auto p = item.get("path");
      auto m = item.get("mode");
      if (!p || !m) item.fail("needs \"path\" and \"mode\"");
      f.path = p->non_empty_string();
      f.mode = m->one_of({"deny", "mask"});
      if (f.mode == "mask" && f.path.back() == '/') p->fail("a masked file must be a file, not a directory (remove the trailing '/')");
      if (f.mode == "deny") check_deny_glob(*p, f.path);
      read_mask_options(item, f.mask, net);
      if (auto d = item.get("maskDuplicates")) f.maskDuplicates = d->boolean();
      any_mask = any_mask || f.mode == "mask";
      c.files.push_back(std::move(f));
    }
  }
  if (auto v = r.get("envVars")) {
    for (std::size_t i = 0, n = v->size(); i < n; ++i) {
      auto item = v->at(i);
      item.expect_keys({"name", "mode", "extract", "onExtractNoMatch", "decode", "maskClaims", "injectHosts"});
      CredentialEnvVar e;
      auto nm = item.get("name");
      auto m = item.get("mode");
      if (!nm || !m) item.fail("needs \"name\" and \"mode\"");
      e.name = nm->string();
      if (!is_env_name(e.name))
        nm->fail(fmt::format("{} is not an environment variable name (letters, digits and '_', not starting with a digit)",
                             util::quoted(e.name)));
      e.mode = m->one_of({"deny", "mask"});
      read_mask_options(item, e.mask, net);
      any_mask = any_mask || e.mode == "mask";
      c.envVars.push_back(std::move(e));
    }
  }
  if (auto v = r.get("awsPairs")) {
    for (std::size_t i = 0, n = v->size(); i < n; ++i) {
      auto item = v->at(i);
      item.expect_keys({"accessKeyIdVar", "secretAccessKeyVar", "sessionTokenVar"}, /*strict=*/true);
      AwsPair a;
      auto id = item.get("accessKeyIdVar");
      auto secret = item.get("secretAccessKeyVar");
      if (!id || !secret) item.fail("needs \"accessKeyIdVar\" and \"secretAccessKeyVar\"");
      a.accessKeyIdVar = id->non_empty_string();
      a.secretAccessKeyVar = secret->non_empty_string();
      if (auto t = item.get("sessionTokenVar")) a.sessionTokenVar = t->non_empty_string();
      c.awsPairs.push_back(std::move(a));
    }
  }
  if (auto v = r.get("sigv4")) {
    v->expect_keys({"streaming", "presigned", "sigv4a"}, /*strict=*/true);
    Sigv4Settings s;
    if (auto p = v->get("streaming")) s.streaming = p->one_of({"deny", "passthrough"});
    if (auto p = v->get("presigned")) s.presigned = p->one_of({"deny", "passthrough"});
    if (auto p = v->get("sigv4a")) s.sigv4a = p->one_of({"deny", "passthrough"});
    c.sigv4 = s;
  }
  check_aws_pairs(r, c);
  check_inject_hosts_terminated(r, c, net);
  if (any_mask && !net.tlsTerminate && !c.allowPlaintextInject)
    r.fail("Credential masking requires network.tlsTerminate so substitution runs only over a verified TLS connection; "
           "set credentials.allowPlaintextInject to accept substitution on plain HTTP");
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
    v->expect_keys({"backend"});
    if (auto c = v->get("backend")) {
      s.srt.backend = c->non_empty_string();
      if (!is_plugin_name(s.srt.backend))
        c->fail(fmt::format("{} is not a backend name (lower-case letters, digits and '-'; e.g. \"auto\", \"bwrap\")",
                            util::quoted(s.srt.backend)));
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
