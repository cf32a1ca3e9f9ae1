// Pieces of the settings loader shared by its files (load.cpp, network.cpp,
// credentials.cpp).
#pragma once

#include "net/domain_pattern.hpp"
#include "settings/json_reader.hpp"

#include <srt/settings.hpp>

#include <string>
#include <vector>

namespace srt::settings_detail {

// A list of domain patterns; `deny_list` admits the bare "*" forms.
void read_domain_list(const Reader &r, std::vector<std::string> &out, bool deny_list);

// A deny glob that ends in "/" can match no path (the reference's rule).
void check_deny_glob(const Reader &r, const std::string &path);

// Is every host `pattern` can match also matched by one of `allowed`?
bool covered_by(const net::DomainPattern &pattern, const std::vector<net::DomainPattern> &allowed);

void read_network(const Reader &r, NetworkSettings &n);
void read_credentials(const Reader &r, CredentialsSettings &c, const NetworkSettings &net);

}  // namespace srt::settings_detail
