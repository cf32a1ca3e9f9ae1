// The proxy credential check shared by both proxies (reference B.4): the user
// name is "srt" or "srt.<anything>", the password is the session's token.
// Standard library only: also compiled into the fuzz targets.
#pragma once

#include <string_view>

namespace srt::proxy {

// Compares in time that depends only on the lengths, never on where the
// first difference lies.
bool constant_time_equal(std::string_view a, std::string_view b);

// RFC 1929 user name and password (and the decoded HTTP Basic pair).
bool credentials_ok(std::string_view user, std::string_view password, std::string_view token);

// A Proxy-Authorization value: case-insensitive `^basic\s+([A-Za-z0-9+/=]+)\s*$`
// whose base64 payload decodes to "user:password" accepted by credentials_ok.
bool basic_authorization_ok(std::string_view header_value, std::string_view token);

}  // namespace srt::proxy
