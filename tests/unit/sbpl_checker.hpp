// A small checker for Seatbelt profiles (SBPL), so that a malformed profile
// fails here, not on a user's Mac: balanced parentheses, well-formed string
// and regex literals, only operations and filters srt knows, and every regex
// compiling in POSIX extended syntax. Test code; not a full SBPL parser.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace srt::test {

// Every problem found, one line each ("line 12: unknown operation file-rede*").
// Empty: the profile passed.
std::vector<std::string> check_sbpl(std::string_view profile);

}  // namespace srt::test
