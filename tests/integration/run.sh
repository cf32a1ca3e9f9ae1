#!/usr/bin/env bash
# Runs one integration scenario against the built srt and real bubblewrap.
#
#   run.sh MODE SCENARIO [BACKEND]
#
# BACKEND (default bwrap): every srt the scenario runs gets --backend BACKEND
# (lib.sh), so that one suite checks each backend.
#
# MODE root: as the invoking user (root in CI), with srt from the build tree.
# MODE user: as an unprivileged user the suite creates (srt-test), with srt
#            installed into a world-readable prefix (meson install --destdir),
#            which also checks that an installed, relocated srt works.
#
# Exit 0 pass, 1 fail, 77 skip. Under CI=true a scenario that cannot run
# fails instead of skipping.
set -euo pipefail

mode=$1
scenario=$2
backend=${3:-bwrap}
here=$(cd "$(dirname "$0")" && pwd)
: "${SRT_BUILD_DIR:?run through meson test}"
: "${SRT_TOOLS_DIR:?run through meson test}"
# (SRT_BUILD_DIR/tests/plugins holds the broken plugins for `srt backends`.)
test_user=srt-test

skip() {
  echo "SKIP: $*" >&2
  if [[ "${CI:-}" == "true" ]]; then
    echo "FAIL: CI=true, and an integration test that cannot run is a failure" >&2
    exit 1
  fi
  exit 77
}

# One probe for the whole suite: can the backend build a sandbox here at all?
case "$backend" in
  bwrap)
    if ! bwrap --unshare-user --unshare-pid --unshare-net --ro-bind / / --proc /proc --dev /dev true 2>/dev/null; then
      skip "bubblewrap cannot create namespaces here ($(bwrap --unshare-user --ro-bind / / true 2>&1 | head -1))"
    fi
    ;;
  landlock)
    abi=$("$SRT_TOOLS_DIR/escape-probe" landlock-abi 2>&1) || skip "this kernel has no usable Landlock ($abi)"
    (( abi >= 4 )) || skip "Landlock ABI $abi cannot restrict TCP; the suite needs ABI 4 (Linux 6.7) or later"
    ;;
  *) echo "unknown backend $backend" >&2; exit 2 ;;
esac

case "$mode" in
  root)
    srt="$SRT_BUILD_DIR/core/srt"
    ;;
  user)
    [[ $(id -u) == 0 ]] || skip "creating the unprivileged test user needs root"
    if ! id "$test_user" >/dev/null 2>&1; then
      useradd --create-home --shell /bin/bash "$test_user" 2>/dev/null || id "$test_user" >/dev/null || skip "cannot create user $test_user"
    fi
    # Install once per build (re-installed when srt changed), under a lock
    # because meson runs tests in parallel.
    prefix_root="$SRT_BUILD_DIR/test-install"
    (
      flock 9
      if [[ ! -f "$prefix_root/stamp" || "$SRT_BUILD_DIR/core/srt" -nt "$prefix_root/stamp" ||
            "$SRT_BUILD_DIR/core/srt-enter" -nt "$prefix_root/stamp" ||
            -n "$(find "$SRT_BUILD_DIR/plugins" -name '*.so' -newer "$prefix_root/stamp" 2>/dev/null)" ]]; then
        rm -rf "$prefix_root/root"
        meson install -C "$SRT_BUILD_DIR" --destdir "$prefix_root/root" --no-rebuild --quiet >/dev/null
        touch "$prefix_root/stamp"
      fi
    ) 9>"$SRT_BUILD_DIR/test-install.lock"
    srt=$(find "$prefix_root/root" -path '*/bin/srt' -type f | head -1)
    [[ -x "$srt" ]] || { echo "FAIL: srt was not installed under $prefix_root/root" >&2; exit 1; }
    # Every directory on the way must be traversable by the test user.
    dir=$(dirname "$srt")
    while [[ "$dir" != / ]]; do
      if ! setpriv --reuid="$test_user" --regid="$test_user" --init-groups test -x "$dir" 2>/dev/null; then
        chmod o+x "$dir" 2>/dev/null || skip "$dir is not traversable by $test_user"
      fi
      dir=$(dirname "$dir")
    done
    ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac

scratch=$(mktemp -d /tmp/srt-it-XXXXXX)
chmod 755 "$scratch"
# Test servers a scenario started in the background are listed in .pids.
cleanup() {
  if [[ -f "$scratch/.pids" ]]; then xargs -r kill 2>/dev/null <"$scratch/.pids" || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# Test helpers and deliberately broken plugins, copied where the test user
# can reach them (the build tree may sit in a directory it cannot enter).
mkdir -p "$scratch/tools" "$scratch/test-plugins/slow_http"
cp "$SRT_TOOLS_DIR/tcp-listen" "$SRT_TOOLS_DIR/test-server" "$SRT_TOOLS_DIR/no-userns" "$SRT_TOOLS_DIR/escape-probe" "$scratch/tools/"
cp "$SRT_BUILD_DIR"/tests/plugins/*.so "$scratch/test-plugins/"
cp "$SRT_BUILD_DIR"/tests/plugins/slow_http/*.so "$scratch/test-plugins/slow_http/"
chmod -R a+rX "$scratch/tools" "$scratch/test-plugins"

# Scenarios that need a host name resolving to this host get a private mount
# namespace whose /etc/hosts says so (srt resolves names on the host).
wrap=()
case "$scenario" in
  net_resolved_loopback)
    [[ $(id -u) == 0 ]] || skip "replacing /etc/hosts for this scenario needs root"
    { cat /etc/hosts; echo "127.0.0.1 loopback-name.test"; } >"$scratch/hosts"
    chmod 644 "$scratch/hosts"
    wrap=(unshare --mount --propagation private bash -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$scratch/hosts")
    ;;
esac

export SRT="$srt" SCRATCH="$scratch" TOOLS="$scratch/tools" TEST_PLUGINS="$scratch/test-plugins" SCENARIO="$scenario" MODE="$mode"
export BACKEND="$backend"
if [[ $mode == user ]]; then
  chown "$test_user:" "$scratch"
  user_home=$(getent passwd "$test_user" | cut -d: -f6)
  "${wrap[@]}" setpriv --reuid="$test_user" --regid="$test_user" --init-groups \
    env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$user_home" USER="$test_user" LANG=C.UTF-8 \
    SRT="$SRT" SCRATCH="$SCRATCH" TOOLS="$TOOLS" TEST_PLUGINS="$TEST_PLUGINS" SCENARIO="$SCENARIO" MODE="$MODE" BACKEND="$BACKEND" CI="${CI:-}" \
    ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
    bash -c 'set -euo pipefail; source "$1/lib.sh"; source "$1/scenarios.sh"; setup_workspace; "scenario_$SCENARIO"' run "$here"
else
  "${wrap[@]}" bash -c 'set -euo pipefail; source "$1/lib.sh"; source "$1/scenarios.sh"; setup_workspace; "scenario_$SCENARIO"' run "$here"
fi
echo "PASS: $scenario ($mode, $backend)"
