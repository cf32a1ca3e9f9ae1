#!/usr/bin/env bash
# Tests srt-enter on its own under real bubblewrap (no srt): the network
# bridge, the seccomp program built by the core, and `srt-enter connect`.
#
#   enter_test.sh MODE CASE   (the cases are the case_* functions below)
#
# MODE root: as the invoking user (root in CI). MODE user: as the
# unprivileged user the integration suite uses (srt-test), with srt-enter and
# the tools copied where it can reach them: bwrap then needs a user namespace,
# and root's CAP_SYS_PTRACE no longer hides what "non-dumpable" does.
#
# Exit 0 pass, 1 fail, 77 skip. Under CI=true a case that cannot run fails
# instead of skipping.
set -euo pipefail

mode=$1
name=$2
: "${SRT_BUILD_DIR:?run through meson test}"
: "${SRT_TOOLS_DIR:?run through meson test}"
enter="$SRT_BUILD_DIR/core/srt-enter"
tools=$SRT_TOOLS_DIR
test_user=srt-test
# In a sanitizer build, LeakSanitizer stops the world with ptrace at exit,
# which the seccomp filter under test refuses (by design): leak checking
# cannot run in the tools these cases start under the filter.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

skip() {
  echo "SKIP: $*" >&2
  if [[ "${CI:-}" == "true" ]]; then
    echo "FAIL: CI=true, and a test that cannot run is a failure" >&2
    exit 1
  fi
  exit 77
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

case "$mode" in
  root) ;;
  user)
    [[ $(id -u) == 0 ]] || skip "running as the unprivileged test user needs root"
    if ! id "$test_user" >/dev/null 2>&1; then
      useradd --create-home --shell /bin/bash "$test_user" 2>/dev/null || id "$test_user" >/dev/null ||
        skip "cannot create user $test_user"
    fi
    copy=$(mktemp -d /tmp/srt-enter-user-XXXXXX)
    trap 'rm -rf "$copy"' EXIT
    mkdir -p "$copy/core" "$copy/tools"
    cp "$enter" "$copy/core/"
    find "$tools" -maxdepth 1 -type f -executable -exec cp {} "$copy/tools/" \;
    chmod -R a+rX "$copy"
    set +e
    setpriv --reuid="$test_user" --regid="$test_user" --init-groups \
      env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 CI="${CI:-}" \
      SRT_BUILD_DIR="$copy" SRT_TOOLS_DIR="$copy/tools" bash "$0" root "$name"
    exit $?
    ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac

# The sandbox the bridge is made for: a private network namespace (bwrap
# brings up its loopback) and a private pid namespace.
sandbox() {
  timeout 60 bwrap --unshare-net --unshare-pid --die-with-parent --dev-bind / / --proc /proc "$@"
}

if ! sandbox true 2>/dev/null; then
  skip "bubblewrap cannot create namespaces here ($(bwrap --unshare-net --dev-bind / / true 2>&1 | head -1))"
fi

scratch=$(mktemp -d /tmp/srt-enter-XXXXXX)
server_pids=()
cleanup() {
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

# start_server MODE NAME [LOGFILE]: a stream-server on $scratch/NAME.sock.
start_server() {
  local ready="$scratch/$2.ready"
  "$tools/stream-server" "unix:$scratch/$2.sock" "$1" "${3:-/dev/null}" >"$ready" &
  server_pids+=($!)
  for _ in $(seq 100); do
    [[ -s "$ready" ]] && return 0
    sleep 0.05
  done
  fail "stream-server $1 did not start"
}

# run CMD...: sets STATUS, OUT, ERR; never fails by itself.
run() {
  set +e
  "$@" >"$scratch/.out" 2>"$scratch/.err"
  STATUS=$?
  set -e
  OUT=$(cat "$scratch/.out")
  ERR=$(cat "$scratch/.err")
}

expect_status() {
  [[ "$STATUS" == "$1" ]] || fail "expected exit status $1, got $STATUS (stdout: [$OUT], stderr: [$ERR])"
}

expect_in() {
  [[ "$1" == *"$2"* ]] || fail "expected to find [$2] in [$1]"
}

policy_json() {  # policy_json ALLOW_ALL_UNIX ALLOW_NESTED_USERNS
  cat <<EOF
{"version": 1, "filesystem": {"restricted": true, "mounts": []}, "network": {"proxied": true},
 "sockets": {"allow_all_unix": $1}, "process": {"cwd": "/", "allow_nested_user_namespaces": $2}}
EOF
}

# ---- bridge -----------------------------------------------------------------

case_bridge_echo() {
  start_server echo echo
  run sandbox "$enter" --bridge 3128="$scratch/echo.sock" -- sh -c "printf hello | '$tools/tcp-pipe' 127.0.0.1 3128"
  expect_status 0
  [[ "$OUT" == hello ]] || fail "expected the echo [hello], got [$OUT] ($ERR)"
  # A second bridge on another port reaches its own socket.
  start_server count count
  run sandbox "$enter" --bridge 3128="$scratch/echo.sock" --bridge 1080="$scratch/count.sock" -- \
    sh -c "printf 12345 | '$tools/tcp-pipe' 127.0.0.1 1080"
  expect_status 0
  [[ "$OUT" == 5 ]] || fail "expected port 1080 to reach the counting server, got [$OUT] ($ERR)"
}

case_bridge_ipv6() {
  if ! sandbox grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
    skip "the sandbox's loopback has no IPv6 address (::1)"
  fi
  start_server echo echo
  run sandbox "$enter" --bridge 3128="$scratch/echo.sock" -- sh -c "printf v6 | '$tools/tcp-pipe' ::1 3128"
  expect_status 0
  [[ "$OUT" == v6 ]] || fail "expected the echo over [::1], got [$OUT] ($ERR)"
}

case_bridge_large() {
  start_server echo echo
  head -c $((64 << 20)) /dev/urandom >"$scratch/big"
  sandbox "$enter" --bridge 3128="$scratch/echo.sock" -- "$tools/tcp-pipe" 127.0.0.1 3128 \
    <"$scratch/big" >"$scratch/back" 2>"$scratch/.err" || fail "the transfer failed: $(cat "$scratch/.err")"
  cmp -s "$scratch/big" "$scratch/back" ||
    fail "64 MiB through the bridge came back different ($(stat -c %s "$scratch/back") bytes)"
}

case_bridge_half_close() {
  # The server answers only after it has seen EOF, and the client reads the
  # answer after it has shut its sending side: both halves must travel
  # separately, in both hops.
  start_server count count
  head -c 3000000 /dev/zero >"$scratch/in"
  run sandbox "$enter" --bridge 3128="$scratch/count.sock" -- sh -c "'$tools/tcp-pipe' 127.0.0.1 3128 <'$scratch/in'"
  expect_status 0
  [[ "$OUT" == 3000000 ]] || fail "expected the server to count 3000000 bytes after EOF, got [$OUT] ($ERR)"
}

case_bridge_many() {
  start_server echo echo
  run sandbox "$enter" --bridge 3128="$scratch/echo.sock" -- "$tools/tcp-many" 127.0.0.1 3128 1200
  expect_status 0
  [[ "$OUT" == "ok 1200" ]] || fail "expected 1200 concurrent connections to work, got [$OUT] ($ERR)"
}

case_bridge_over_capacity() {
  # An fd limit that leaves the relay room for about 20 connections: the rest
  # wait in the listen backlog and are served as earlier ones finish.
  command -v prlimit >/dev/null || skip "prlimit is not installed"
  start_server echo echo
  run prlimit --nofile=230 timeout 60 bwrap --unshare-net --unshare-pid --die-with-parent --dev-bind / / --proc /proc \
    "$enter" --bridge 3128="$scratch/echo.sock" -- "$tools/tcp-many" 127.0.0.1 3128 100
  expect_status 0
  [[ "$OUT" == "ok 100" ]] || fail "expected 100 connections to be served in turn, got [$OUT] ($ERR)"
}

case_bridge_process_hygiene() {
  start_server echo echo
  # The relay is in a session of its own, holding none of the fds srt-enter
  # inherited.
  : >"$scratch/inherited"
  exec 7<"$scratch/inherited"
  run sandbox "$enter" --bridge 3128="$scratch/echo.sock" -- sh -c '
    relay=""
    for p in /proc/[0-9]*; do
      p=${p#/proc/}
      { [ "$p" = 1 ] || [ "$p" = $$ ]; } && continue
      [ "$(cat /proc/$p/comm 2>/dev/null)" = srt-enter ] && relay=$p
    done
    echo "relay=$relay"
    echo "session=$(cut -d" " -f6 /proc/$relay/stat) mine=$(cut -d" " -f6 /proc/$$/stat)"
    if head -c1 /proc/$relay/mem >/dev/null 2>&1; then echo "mem=readable"; else echo "mem=refused"; fi
    echo "stdout=$(readlink /proc/$relay/fd/1)"
    for fd in /proc/$relay/fd/*; do echo "fd: $(readlink $fd)"; done'
  exec 7<&-
  expect_status 0
  [[ "$OUT" =~ relay=([0-9]+) ]] || fail "no relay process found in the sandbox: [$OUT]"
  [[ "$OUT" =~ session=([0-9]+)\ mine=([0-9]+) ]] && [[ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ]] ||
    fail "the relay shares the command's session: [$OUT]"
  if [[ $(id -u) == 0 ]]; then
    # Root keeps CAP_SYS_PTRACE and sees through "non-dumpable": look inside.
    expect_in "$OUT" "stdout=/dev/null"
    expect_in "$OUT" "fd: anon_inode:[eventpoll]"
    [[ "$OUT" != *"$scratch/inherited"* ]] || fail "the relay kept an fd it inherited: [$OUT]"
  else
    # Same uid as the command, yet its fds (PTRACE_MODE_READ, which Yama
    # does not restrict) and its memory are closed to it: non-dumpable.
    expect_in "$OUT" "stdout="$'\n'
    expect_in "$OUT" "mem=refused"
  fi

  # The relay is not the command's child: wait() in the command finds none.
  run sandbox "$enter" --bridge 3128="$scratch/echo.sock" -- sh -c 'exec cat /proc/$$/task/$$/children'
  expect_status 0
  [[ -z "$OUT" ]] || fail "the command has children it did not start: [$OUT]"

  # Without a pid namespace to end it, the relay exits with the command.
  cp "$enter" "$scratch/srt-enter-copy"
  timeout 60 bwrap --unshare-net --die-with-parent --dev-bind / / \
    "$scratch/srt-enter-copy" --bridge 3128="$scratch/echo.sock" -- true ||
    fail "srt-enter without a pid namespace failed"
  for _ in $(seq 100); do
    left=""
    for p in /proc/[0-9]*; do
      [[ "$(readlink "$p/exe" 2>/dev/null)" == "$scratch/srt-enter-copy" ]] && left+="${p#/proc/} "
    done
    [[ -z "$left" ]] && return 0
    sleep 0.05
  done
  kill $left 2>/dev/null || true
  fail "the relay outlived the command: pid $left"
}

case_bridge_upstream_down() {
  # No server behind the socket: the client sees a reset or an immediate
  # close, never a hang.
  run sandbox "$enter" --bridge 3128="$scratch/nothing.sock" -- sh -c "printf x | '$tools/tcp-pipe' 127.0.0.1 3128"
  [[ "$OUT" == "" ]] || fail "expected no answer, got [$OUT]"
  expect_in "$ERR" "Connection reset by peer"
}

case_bridge_setup_failure() {
  # The port is taken inside the sandbox: the bind fails, and the command
  # must not run without the bridge it was promised.
  run sandbox sh -c "'$tools/tcp-listen' 3128 /dev/null >'$scratch/taken' &
    while [ ! -s '$scratch/taken' ]; do sleep 0.01; done
    '$enter' --bridge 3128='$scratch/x.sock' -- touch '$scratch/ran'"
  expect_status 125
  expect_in "$ERR" "cannot listen on 127.0.0.1:3128"
  [[ ! -e "$scratch/ran" ]] || fail "the command ran although the bridge could not be set up"
  run "$enter" --bridge 3128=relative.sock -- true
  expect_status 125
  run "$enter" --bridge 0="$scratch/x.sock" -- true
  expect_status 125
  run "$enter" --bridge 3128="$scratch/x.sock" --bridge 3128="$scratch/y.sock" -- true
  expect_status 125
}

# ---- seccomp ----------------------------------------------------------------

case_seccomp_enforced() {
  policy_json false false >"$scratch/policy.json"
  "$tools/seccomp-program" "$scratch/policy.json" >"$scratch/filter.bpf"
  run sandbox "$enter" --seccomp-fd 3 -- sh -c \
    "'$tools/socket-probe' unix; '$tools/socket-probe' unix-dgram; '$tools/socket-probe' inet; '$tools/socket-probe' socketpair" \
    3<"$scratch/filter.bpf"
  [[ "$OUT" == $'EPERM\nEPERM\nok\nok' ]] || fail "expected unix EPERM, inet and socketpair ok; got [$OUT] ($ERR)"
  grep -q '^NoNewPrivs:[[:space:]]*1' <(sandbox "$enter" --seccomp-fd 3 -- cat /proc/self/status 3<"$scratch/filter.bpf") ||
    fail "no_new_privs is not set in the command"
  grep -q '^Seccomp:[[:space:]]*2' <(sandbox "$enter" --seccomp-fd 3 -- cat /proc/self/status 3<"$scratch/filter.bpf") ||
    fail "the command does not run in seccomp filter mode"

  # The relay is forked before the filter: it still reaches its Unix socket
  # while the command cannot make one.
  start_server echo echo
  run sandbox "$enter" --seccomp-fd 3 --bridge 3128="$scratch/echo.sock" -- sh -c \
    "'$tools/socket-probe' unix; printf through | '$tools/tcp-pipe' 127.0.0.1 3128" 3<"$scratch/filter.bpf"
  [[ "$OUT" == $'EPERM\nthrough' ]] || fail "expected EPERM and the echo through the bridge, got [$OUT] ($ERR)"

  policy_json true false >"$scratch/policy.json"
  "$tools/seccomp-program" "$scratch/policy.json" >"$scratch/allow.bpf"
  run sandbox "$enter" --seccomp-fd 3 -- "$tools/socket-probe" unix 3<"$scratch/allow.bpf"
  [[ "$OUT" == ok ]] || fail "allow_all_unix: expected socket(AF_UNIX) to work, got [$OUT] ($ERR)"
}

case_seccomp_refuses_bad_program() {
  # Every way the program can be wrong stops srt-enter before the command.
  expect_refused() {  # expect_refused WHAT ARGS...
    local what=$1
    shift
    rm -f "$scratch/ran"
    run sandbox "$enter" "$@" -- touch "$scratch/ran"
    expect_status 125
    [[ ! -e "$scratch/ran" ]] || fail "$what: the command ran unfiltered"
    expect_in "$ERR" "srt-enter:"
  }
  printf 'abc' >"$scratch/short.bpf"
  expect_refused "a partial instruction" --seccomp-fd 3 3<"$scratch/short.bpf"
  : >"$scratch/empty.bpf"
  expect_refused "an empty program" --seccomp-fd 3 3<"$scratch/empty.bpf"
  printf '\xff\xff\xff\xff\xff\xff\xff\xff' >"$scratch/invalid.bpf"
  expect_refused "an invalid instruction" --seccomp-fd 3 3<"$scratch/invalid.bpf"
  head -c $((4097 * 8)) /dev/zero >"$scratch/long.bpf"
  expect_refused "a program over BPF_MAXINSNS" --seccomp-fd 3 3<"$scratch/long.bpf"
  expect_refused "a closed fd" --seccomp-fd 9
  # From a pipe (not seekable) it works.
  policy_json false false >"$scratch/policy.json"
  "$tools/seccomp-program" "$scratch/policy.json" >"$scratch/filter.bpf"
  run sh -c "cat '$scratch/filter.bpf' | '$enter' --seccomp-fd 0 -- '$tools/socket-probe' unix"
  [[ "$OUT" == EPERM ]] || fail "a program read from a pipe: expected EPERM, got [$OUT] ($ERR)"
}

# ---- connect (SSH ProxyCommand) ----------------------------------------------

case_connect_tunnel() {
  start_server connect proxy "$scratch/requests.log"
  printf 'client data\nline two\n' >"$scratch/in"
  # The user name has a percent-encoded "=" and the password an "@".
  run sandbox "$enter" --bridge 3128="$scratch/proxy.sock" -- env -u http_proxy \
    HTTP_PROXY='http://srt.c3J0%3D:tok%40en@localhost:3128' "$enter" connect example.com 22 <"$scratch/in"
  expect_status 0
  [[ "$OUT" == $'BANNER example.com:22\nclient data\nline two' ]] ||
    fail "expected the banner and the echo through the tunnel, got [$OUT] ($ERR)"
  local log
  log=$(cat "$scratch/requests.log")
  expect_in "$log" $'CONNECT example.com:22 HTTP/1.1\r\nHost: example.com:22\r\n'
  expect_in "$log" "Proxy-Authorization: Basic $(printf '%s' 'srt.c3J0=:tok@en' | base64 -w0)"$'\r\n'

  run sandbox "$enter" --bridge 3128="$scratch/proxy.sock" -- env HTTP_PROXY='http://u:p@127.0.0.1:3128' \
    "$enter" connect 2001:db8::1 2222 </dev/null
  expect_status 0
  expect_in "$(cat "$scratch/requests.log")" "CONNECT [2001:db8::1]:2222 HTTP/1.1"
}

case_connect_refused() {
  start_server connect proxy "$scratch/requests.log"
  run sandbox "$enter" --bridge 3128="$scratch/proxy.sock" -- env HTTP_PROXY='http://u:p@localhost:3128' \
    "$enter" connect denied.example 22 </dev/null
  expect_status 1
  [[ "$OUT" == "" ]] || fail "nothing may reach stdout after a refusal, got [$OUT]"
  expect_in "$ERR" "srt: proxy refused denied.example:22: HTTP/1.1 403 Forbidden"
  # No proxy listening at all.
  run sandbox env HTTP_PROXY='http://u:p@localhost:3128' "$enter" connect example.com 22 </dev/null
  expect_status 1
  expect_in "$ERR" "cannot reach the proxy at 127.0.0.1:3128"
}

case_connect_bad_arguments() {
  export HTTP_PROXY='http://u:p@localhost:3128'
  run "$enter" connect 'evil.example:22 HTTP/1.1'$'\r\n''X: y' 22
  expect_status 125
  run "$enter" connect 'a b' 22
  expect_status 125
  run "$enter" connect example.com 0
  expect_status 125
  run "$enter" connect example.com 65536
  expect_status 125
  run "$enter" connect example.com
  expect_status 125
  HTTP_PROXY='http://u:p@proxy.example.com:3128' run "$enter" connect example.com 22
  expect_status 125
  expect_in "$ERR" "does not point at the sandbox's loopback proxy"
  HTTP_PROXY='http://u:p%zz@localhost:3128' run "$enter" connect example.com 22
  expect_status 125
  unset HTTP_PROXY http_proxy
  run "$enter" connect example.com 22
  expect_status 125
  expect_in "$ERR" "HTTP_PROXY is not set"
}

"case_$name"
echo "PASS: enter/$name ($(id -un))"
