#!/usr/bin/env bash
# The README's two commands: install what is missing, build, then run the demo
# or the whole test suite.
#
#   ./scripts/setup.sh demo          build and run a sandboxed demo (built-in default policy)
#   ./scripts/setup.sh test          build and run every test suite
#   ./scripts/setup.sh test --asan   the same, built with AddressSanitizer and UBSan (build-asan/)
#   ./scripts/setup.sh build         only install and build
#
# Works as root on a fresh Debian 12 machine (packages are installed with
# apt-get); as another user it installs nothing and says what is missing.
set -euo pipefail

cd "$(dirname "$0")/.."
action=${1:-}
flavour=${2:-}

packages=(
  meson ninja-build pkg-config g++ cmake
  libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev
  libseccomp-dev libfmt-dev doctest-dev
  bubblewrap
  # Used by the tests only (srt itself runs none of them):
  git python3 python3-jsonschema util-linux passwd procps curl
  # The fuzz suite (libFuzzer):
  clang libclang-rt-14-dev
  # The macOS build check (tests/macos; llvm-nm reads its objects):
  llvm-14
)

install_missing() {
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) != 0 ]]; then
    echo "setup: missing packages: ${missing[*]}" >&2
    echo "setup: run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  local dir=$1
  shift
  if [[ ! -f "$dir/build.ninja" ]]; then
    meson setup "$dir" "$@" >/dev/null
  fi
  ninja -C "$dir"
}

demo() {
  local srt=build/core/srt
  # A fresh home without ~/.srt-settings.json: the built-in default policy
  # (reads everywhere, writes only to srt's private TMPDIR, no network).
  demo_home=$(mktemp -d)
  trap 'rm -rf "$demo_home"' EXIT
  local home=$demo_home
  echo
  echo "== srt policy explain (what the built-in default policy means here)"
  HOME=$home "$srt" policy explain | sed -n '1,/^network:/p' | head -n -1
  echo "== allowed: write a file to \$TMPDIR inside the sandbox, read it back"
  HOME=$home "$srt" -- sh -c 'echo "hello from inside the sandbox" > "$TMPDIR/demo.txt" && cat "$TMPDIR/demo.txt"'
  echo
  echo "== refused: write to the home directory (a fresh one, $home)"
  if HOME=$home "$srt" -- sh -c 'echo owned > "$HOME/not-allowed.txt"'; then
    echo "demo: the write was NOT refused" >&2
    exit 1
  fi
  [[ ! -e "$home/not-allowed.txt" ]] || { echo "demo: the file appeared on the host" >&2; exit 1; }
  echo "refused: $home/not-allowed.txt was not created on the host"
}

summary() {
  local log=$1/meson-logs/testlog.json passed failed skipped
  passed=$(grep -cE '"result": "(OK|EXPECTEDFAIL)"' "$log" || true)
  failed=$(grep -cE '"result": "(FAIL|TIMEOUT|UNEXPECTEDPASS|ERROR)"' "$log" || true)
  skipped=$(grep -cE '"result": "SKIP"' "$log" || true)
  echo "$passed passed, $failed failed, $skipped skipped"
  [[ $failed == 0 ]]
}

run_tests() {
  local dir=build
  local opts=()
  if [[ $flavour == --asan ]]; then
    dir=build-asan
    opts=(-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug -Dstatic_runtime=false)
    # intercept_tls_get_addr=0: GCC 12's LeakSanitizer records bogus ranges for
    # the dynamic TLS of dlopen'd plugins and its exit-time tracer crashes on
    # them ("Tracer caught signal 11", seen with 2 of srt's 4 plugins loaded).
    # Without the interceptor it does not scan dynamic TLS: memory only that
    # TLS points to would be reported as leaked, never hidden.
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:intercept_tls_get_addr=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  fi
  build "$dir" "${opts[@]}"
  set +e
  meson test -C "$dir" --print-errorlogs --num-processes 2
  set -e
  summary "$dir"
}

case "$action" in
  demo) install_missing; build build; demo ;;
  test) install_missing; run_tests ;;
  build) install_missing; build build ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
