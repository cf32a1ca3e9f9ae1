// The "credentials" object of the settings (strict, as in the reference).
#include "settings/common.hpp"

#include "util/strings.hpp"

#include <fmt/format.h>

#include <set>

namespace srt::settings_detail {

namespace {

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

}  // namespace

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

}  // namespace srt::settings_detail
