// Small string helpers shared by the core.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace srt::util {

// Edit distance (insert, delete, substitute), ASCII case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` by edit_distance; empty when there are none.
std::string nearest(std::string_view word, const std::vector<std::string_view> &candidates);

// `s` as a double-quoted string with control characters and quotes escaped,
// for messages that quote user input.
std::string quoted(std::string_view s);

bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
std::string to_lower(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string> &parts, std::string_view sep);

}  // namespace srt::util
