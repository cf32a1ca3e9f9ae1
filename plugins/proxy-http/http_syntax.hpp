// Character classes and small text helpers of RFC 9110 / 9112.
// Standard library only (fuzzed).
#pragma once

#include <string>
#include <string_view>

namespace srt::proxy::http {

bool is_tchar(unsigned char c);
bool is_token(std::string_view s);
// HTAB, SP, VCHAR and obs-text: what a field value may hold.
bool is_field_value_char(unsigned char c);
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
// Drops leading and trailing SP and HTAB.
std::string_view trim_ows(std::string_view s);

}  // namespace srt::proxy::http
