// The credential check and reason sanitising both proxies share.
#include "proxy_auth.hpp"
#include "reason_text.hpp"

#include <doctest/doctest.h>

using namespace srt::proxy;

TEST_CASE("proxy auth: user names and token") {
  CHECK(credentials_ok("srt", "tok", "tok"));
  CHECK(credentials_ok("srt.", "tok", "tok"));
  CHECK(credentials_ok("srt.0123456789abcdefghijk", "tok", "tok"));
  CHECK_FALSE(credentials_ok("srtx", "tok", "tok"));
  CHECK_FALSE(credentials_ok("SRT", "tok", "tok"));
  CHECK_FALSE(credentials_ok("", "tok", "tok"));
  CHECK_FALSE(credentials_ok("srt", "tok2", "tok"));
  CHECK_FALSE(credentials_ok("srt", "to", "tok"));
  CHECK_FALSE(credentials_ok("srt", "", ""));  // an empty token accepts nothing
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abcd", "abc"));
  CHECK_FALSE(constant_time_equal("", "abc"));
}

TEST_CASE("proxy auth: Proxy-Authorization values") {
  // "srt:tok" and "srt.id:tok"
  CHECK(basic_authorization_ok("Basic c3J0OnRvaw==", "tok"));
  CHECK(basic_authorization_ok("basic c3J0OnRvaw==", "tok"));
  CHECK(basic_authorization_ok("BASIC \t c3J0OnRvaw==  ", "tok"));
  CHECK(basic_authorization_ok("Basic c3J0OnRvaw", "tok"));  // padding optional
  CHECK(basic_authorization_ok("Basic c3J0LmlkOnRvaw==", "tok"));
  // "srt:tok:x": the password is everything after the first colon
  CHECK_FALSE(basic_authorization_ok("Basic c3J0OnRvazp4", "tok"));
  CHECK(basic_authorization_ok("Basic c3J0OnRvazp4", "tok:x"));
  CHECK_FALSE(basic_authorization_ok("Basic c3J0OnRvaw==", "other"));
  CHECK_FALSE(basic_authorization_ok("Basicc3J0OnRvaw==", "tok"));
  CHECK_FALSE(basic_authorization_ok("Bearer c3J0OnRvaw==", "tok"));
  CHECK_FALSE(basic_authorization_ok("Basic c3J0OnRvaw== x", "tok"));
  CHECK_FALSE(basic_authorization_ok("Basic c3J0O=nRvaw==", "tok"));
  CHECK_FALSE(basic_authorization_ok("Basic c3J0OnRvaw===", "tok"));
  CHECK_FALSE(basic_authorization_ok("Basic c3J0-nRvaw==", "tok"));
  CHECK_FALSE(basic_authorization_ok("Basic ", "tok"));
  CHECK_FALSE(basic_authorization_ok("Basic c3J0dG9r", "tok"));  // "srttok": no colon
  CHECK_FALSE(basic_authorization_ok("", "tok"));
}

TEST_CASE("proxy auth: reasons are made safe for a status line") {
  CHECK(sanitize_reason("host is on the deny list", 200) == "host is on the deny list");
  CHECK(sanitize_reason("a\r\nb\tc\x01\x7f", 200) == "ab c");
  CHECK(sanitize_reason("caf\xc3\xa9 \xf0\x9f\x98\x80!", 200) == "caf? ?!");
  CHECK(sanitize_reason("  padded  ", 200) == "padded");
  CHECK(sanitize_reason(std::string(300, 'x'), 200).size() == 200);
  CHECK(sanitize_reason("\r\n", 200).empty());
}
