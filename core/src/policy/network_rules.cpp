// Network and socket settings -> the IR's domain rules and socket rules.
// The grammar was checked by the loader; this keeps the canonical form.
#include "policy/compile.hpp"

#include "net/domain_pattern.hpp"
#include "util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace srt::policy {

void compile_network_rules(const Settings &s, bool live, ir::Policy &out) {
  const auto &n = s.network;
  auto add = [&](const std::vector<std::string> &list, ir::Effect effect, const char *key) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string why;
      auto p = net::parse_domain_pattern(list[i], effect == ir::Effect::deny, why);
      if (!p) continue;  // the loader already refused invalid patterns
      ir::DomainRule r;
      r.pattern = p->to_string();
      r.port = p->port;
      r.effect = effect;
      r.origin = fmt::format("network.{}[{}] {}", key, i, util::quoted(list[i]));
      if (effect == ir::Effect::deny) {
        auto it = n.deniedDomainReasons.find(list[i]);
        r.reason = it != n.deniedDomainReasons.end() ? it->second : "host is on the deny list";
      }
      out.network.domain_rules.push_back(std::move(r));
    }
  };
  add(n.deniedDomains, ir::Effect::deny, "deniedDomains");
  add(n.allowedDomains, ir::Effect::allow, "allowedDomains");
  // Settings without a network section mean no network: the sandbox gets
  // only its own loopback and no proxy is started. A network section, even
  // one that allows nothing, starts the proxies, as does a caller that will
  // change the rules live (an update can then open what is closed now).
  out.network.proxied = live || std::any_of(s.present.begin(), s.present.end(), [](const std::string &k) {
    return k == "network" || k.starts_with("network.");
  });
  out.network.strict_allowlist = n.strictAllowlist;
  out.network.denied_resolved_addresses = n.deniedResolvedAddresses;
  out.network.http_proxy_port = n.httpProxyPort;
  out.network.socks_proxy_port = n.socksProxyPort;
  out.sockets.allow_all_unix = n.allowAllUnixSockets;
  out.sockets.allow_unix_paths = n.allowUnixSockets;
  out.sockets.allow_local_binding = n.allowLocalBinding;
}

}  // namespace srt::policy
