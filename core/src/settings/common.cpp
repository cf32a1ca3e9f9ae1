#include "settings/common.hpp"

#include "util/strings.hpp"

#include <fmt/format.h>

namespace srt::settings_detail {

void read_domain_list(const Reader &r, std::vector<std::string> &out, bool deny_list) {
  out = r.string_list();
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::string why;
    if (!net::parse_domain_pattern(out[i], deny_list, why))
      r.at(i).fail(fmt::format("{} is not a valid domain pattern: {}", util::quoted(out[i]), why));
  }
}

namespace {
bool has_glob_chars(std::string_view s) { return s.find_first_of("*?[]") != std::string_view::npos; }
}  // namespace

void check_deny_glob(const Reader &r, const std::string &path) {
  if (has_glob_chars(path) && (path[0] == '/' || path[0] == '~') && path.size() > 1 && path.back() == '/')
    r.fail(fmt::format("deny glob {} ends in a separator, so as a pattern it can match no path; write {}", util::quoted(path),
                       util::quoted(path.substr(0, path.size() - 1))));
}

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

}  // namespace srt::settings_detail
