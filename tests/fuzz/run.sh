#!/bin/sh
# Builds the proxies' fuzz targets with clang (libFuzzer, ASan, UBSan) straight
# from the parser sources and runs each for SRT_FUZZ_SECONDS (default 30).
#
#   tests/fuzz/run.sh BUILD_DIR [TARGET...]     TARGET: http_request socks5
#
# Exit 77 (skipped) when clang++ or its fuzzer runtime is missing, unless
# CI=true: then that is a failure. Any crash fails; the crashing input is
# left in BUILD_DIR/fuzz/.
set -eu

[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [TARGET...]" >&2; exit 2; }
build_dir=$1
shift
targets=${*:-http_request socks5}
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$(cd "$build_dir" && pwd)/fuzz
seconds=${SRT_FUZZ_SECONDS:-30}
cxx=${SRT_FUZZ_CXX:-clang++}

missing() {
  if [ "${CI:-}" = true ]; then
    echo "fuzz: $1 (required when CI=true)" >&2
    exit 1
  fi
  echo "fuzz: $1; skipping"
  exit 77
}

command -v "$cxx" >/dev/null 2>&1 || missing "$cxx not found"
mkdir -p "$out"

# Standard-library-only parser sources, as listed in the plugins' meson.build.
common="$src/plugins/net-common/proxy_auth.cpp $src/plugins/net-common/reason_text.cpp"
http="$src/plugins/proxy-http/http_syntax.cpp $src/plugins/proxy-http/head_parser.cpp
      $src/plugins/proxy-http/request_head.cpp $src/plugins/proxy-http/response_head.cpp
      $src/plugins/proxy-http/body_reader.cpp $src/plugins/proxy-http/request_target.cpp"
socks5="$src/plugins/proxy-socks5/socks5_handshake.cpp"
includes="-I$src/tests/fuzz -I$src/plugins/net-common -I$src/plugins/proxy-http -I$src/plugins/proxy-socks5"
flags="-std=c++20 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -O1 -g"

# Small valid inputs to start from (first byte: the fuzz target's mode/seed).
seed() {
  dir=$out/corpus-$1
  mkdir -p "$dir"
  [ -n "$(ls -A "$dir")" ] && return 0
  case $1 in
    http_request)
      printf '\000CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nProxy-Authorization: Basic c3J0OnRvaw==\r\n\r\nxyz' >"$dir/connect"
      printf '\007POST http://h:8080/p?q HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: keep-alive, x\r\n\r\nhello' >"$dir/post"
      printf '\003PUT http://[::1]/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n' >"$dir/chunked"
      printf '\001HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' >"$dir/response" ;;
    socks5)
      printf '\000\005\001\000\005\001\000\001\177\000\000\001\037\220data' >"$dir/noauth-v4"
      printf '\003\005\001\002\001\003srt\003tok\005\001\000\003\011echo.test\001\273' >"$dir/auth-domain"
      printf '\000\005\001\000\005\001\000\004\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\001\000\120' >"$dir/v6"
      printf '\000\005\001\000\005\003\000\001\000\000\000\000\000\000' >"$dir/udp" ;;
  esac
}

status=0
for t in $targets; do
  case $t in
    http_request) sources="$common $http"; max_len=70000 ;;
    socks5) sources="$common $socks5"; max_len=1024 ;;
    *) echo "fuzz: unknown target $t" >&2; exit 2 ;;
  esac
  bin=$out/${t}_fuzz
  # shellcheck disable=SC2086
  if ! "$cxx" $flags $includes "$src/tests/fuzz/${t}_fuzz.cpp" $sources -o "$bin" 2>"$out/$t.build.log"; then
    if grep -q -e "libclang_rt.fuzzer" -e "cannot find -l" "$out/$t.build.log"; then
      missing "the libFuzzer runtime is missing (install libclang-rt-dev)"
    fi
    cat "$out/$t.build.log" >&2
    echo "fuzz: building $t failed" >&2
    exit 1
  fi
  seed "$t"
  echo "fuzz: running $t for ${seconds}s"
  if ! (cd "$out" && ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$seconds" -max_len="$max_len" \
        -print_final_stats=1 -artifact_prefix="$out/$t-" "corpus-$t" 2>"$out/$t.log"); then
    tail -n 40 "$out/$t.log" >&2
    echo "fuzz: $t found a crash (input saved as $out/$t-*)" >&2
    status=1
    continue
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "$out/$t.log" | tail -n 3
done
exit $status
