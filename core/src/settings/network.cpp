// The "network" object of the settings.
#include "settings/common.hpp"

#include "net/address.hpp"
#include "util/strings.hpp"

#include <fmt/format.h>

namespace srt::settings_detail {

namespace {

std::optional<std::uint16_t> read_port(const Reader &r) { return static_cast<std::uint16_t>(r.integer(1, 65535)); }

}  // namespace

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

}  // namespace srt::settings_detail
