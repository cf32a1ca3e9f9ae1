# Integration scenarios: each tries something inside the sandbox and checks
# from the host that what must fail failed and what must work worked. Run by
# run.sh as root and as an unprivileged user; the list is in meson.build.

# ---- filesystem -------------------------------------------------------------

scenario_fs_write_allowed() {
  settings <<<'{"filesystem": {"allowWrite": ["./out"]}}'
  mkdir out
  with_settings -- sh -c 'echo written > out/file && mkdir out/d && echo deep > out/d/f'
  expect_status 0
  expect_file "$WS/out/file" written
  expect_file "$WS/out/d/f" deep
}

scenario_fs_write_outside_refused() {
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  echo original >"$OUTSIDE/existing"
  with_settings -- sh -c "echo bad > '$OUTSIDE/new'; echo bad > '$OUTSIDE/existing'; rm -f '$OUTSIDE/existing'; mkdir '$OUTSIDE/dir'"
  expect_in "$ERR" "Read-only file system"
  expect_absent "$OUTSIDE/new"
  expect_absent "$OUTSIDE/dir"
  expect_file "$OUTSIDE/existing" original
}

scenario_fs_default_policy() {
  # No settings file: the built-in default reads everywhere, writes only TMPDIR.
  echo data >"$WS/readable"
  run_srt -- sh -c 'cat readable; echo x > here; echo t > "$TMPDIR/t" && cat "$TMPDIR/t"; mktemp >/dev/null && echo mktemp-ok'
  expect_in "$OUT" data
  expect_in "$OUT" mktemp-ok
  expect_in "$ERR" "Read-only file system"
  expect_absent "$WS/here"
  [[ -n "$(find "$TMPDIR" -name t -type f)" ]] || fail "the write to TMPDIR did not reach the host"
}

scenario_fs_deny_write_inside_allow() {
  settings <<<'{"filesystem": {"allowWrite": ["."], "denyWrite": ["./protected", "./config.json"]}}'
  mkdir protected
  echo keep >protected/f
  echo '{}' >config.json
  with_settings -- sh -c 'echo x > protected/f; echo x > protected/new; echo x > config.json; rm config.json; mv protected gone; echo ok > free'
  expect_file "$WS/protected/f" keep
  expect_absent "$WS/protected/new"
  expect_file "$WS/config.json" '{}'
  expect_absent "$WS/gone"
  expect_file "$WS/free" ok
}

scenario_fs_deny_read_file() {
  settings <<<'{"filesystem": {"denyRead": ["./secret.txt"], "allowWrite": ["."]}}'
  echo TOPSECRET >secret.txt
  with_settings -- sh -c 'cat secret.txt; echo overwritten > secret.txt; cp secret.txt copy'
  expect_not_in "$OUT" TOPSECRET
  expect_file "$WS/secret.txt" TOPSECRET
  [[ ! -s "$WS/copy" ]] || fail "a copy of the secret was made: $(cat "$WS/copy")"
}

scenario_fs_deny_read_dir() {
  settings <<<'{"filesystem": {"denyRead": ["~/.ssh"], "allowWrite": ["~"]}}'
  mkdir -p "$HOME/.ssh"
  echo KEYMATERIAL >"$HOME/.ssh/id_test"
  with_settings -- sh -c 'ls -A ~/.ssh; cat ~/.ssh/id_test; echo x > ~/.ssh/new && echo wrote-new'
  expect_not_in "$OUT" id_test
  expect_not_in "$OUT" KEYMATERIAL
  # An empty *read-only* view: writes fail instead of vanishing.
  expect_not_in "$OUT" wrote-new
  expect_in "$ERR" "Read-only file system"
  expect_absent "$HOME/.ssh/new"
}

scenario_fs_allow_read_inside_deny() {
  settings <<<'{"filesystem": {"denyRead": ["./d", "./d/pub/.env"], "allowRead": ["./d/pub"]}}'
  mkdir -p d/pub
  echo PRIVATE >d/private
  echo PUBLIC >d/pub/readme
  echo DOTENV >d/pub/.env
  with_settings -- sh -c 'cat d/private; cat d/pub/readme; cat d/pub/.env'
  expect_in "$OUT" PUBLIC
  expect_not_in "$OUT" PRIVATE
  expect_not_in "$OUT" DOTENV
}

scenario_fs_glob_deny() {
  settings <<<'{"filesystem": {"denyRead": ["./**/*.pem"]}}'
  mkdir -p a/b
  echo PEM1 >a/one.pem
  echo PEM2 >a/b/two.pem
  echo PLAIN >a/b/notes.txt
  with_settings -- sh -c 'cat a/one.pem a/b/two.pem; cat a/b/notes.txt'
  expect_in "$OUT" PLAIN
  expect_not_in "$OUT" PEM1
  expect_not_in "$OUT" PEM2
}

scenario_fs_huge_glob() {
  # Thousands of matches spread over many directories: thousands of mounts,
  # passed through `bwrap --args` (the reference fails with E2BIG here).
  settings <<<'{"filesystem": {"denyRead": ["./keys/**/*.secret"], "allowWrite": ["."]}}'
  local long d i
  long=$(printf 'x%.0s' {1..100})
  for d in $(seq 1 40); do
    mkdir -p "keys/d$d"
    for i in $(seq 1 50); do : >"keys/d$d/$long-$i.secret"; done
    echo visible >"keys/d$d/readme"
  done
  echo SECRET >"keys/d7/$long-7.secret"
  with_settings -d -- sh -c "cat keys/d7/readme; cat keys/d7/$long-7.secret"
  expect_status 1
  expect_in "$OUT" visible
  expect_not_in "$OUT" SECRET
  expect_in "$ERR" "--args"
  # Thousands of matches in one directory: one mount for the directory and
  # one per entry it does not match.
  settings <<<'{"filesystem": {"denyRead": ["./one/*.secret"], "allowWrite": ["."]}}'
  mkdir one
  for i in $(seq 1 3000); do : >"one/$long-$i.secret"; done
  echo SECRET >"one/$long-9.secret"
  echo visible >one/readme
  with_settings -- sh -c "cat one/readme; cat one/$long-9.secret; ls one | wc -l; echo new > one/new"
  expect_in "$OUT" visible
  expect_not_in "$OUT" SECRET
  [[ "$(echo "$OUT" | sed -n 2p)" == 1 ]] || fail "the sandbox lists more than the re-opened entry: $OUT"
  expect_in "$ERR" "hidden as a whole"
  expect_absent "$WS/one/new"
}

scenario_fs_symlink_escape() {
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  ln -s "$OUTSIDE" escape
  with_settings -- sh -c 'echo bad > escape/via-link; ln -s /etc/passwd hard 2>/dev/null; ln escape/../outside/x hl 2>/dev/null; true'
  expect_absent "$OUTSIDE/via-link"
}

scenario_fs_symlinked_write_root() {
  mkdir -p "$SCRATCH/real-out"
  ln -s "$SCRATCH/real-out" out
  settings <<<'{"filesystem": {"allowWrite": ["./out"]}}'
  with_settings -- sh -c 'echo through-link > out/f'
  expect_status 0
  expect_file "$SCRATCH/real-out/f" through-link
  # A writable entry that leads to / is refused, not followed.
  ln -s / rootlink
  settings <<<'{"filesystem": {"allowWrite": ["./rootlink"]}}'
  with_settings -- true
  expect_status 125
  expect_in "$ERR" "leads through a symlink"
}

scenario_runtime_dir_hidden() {
  # srt's locks and placeholder manifests are not visible to the command, so
  # it cannot hold srt's locks or read what other sessions protect.
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  with_settings -- sh -c 'find "$TMPDIR/../run" -mindepth 1 | sed "s|.*/run/|run/|"; flock -n "$TMPDIR/../run/lock" true && echo got-lock; true'
  expect_status 0
  expect_not_in "$OUT" got-lock
  expect_not_in "$OUT" placeholders.jsonl
  expect_not_in "$OUT" /lock
}

scenario_fs_tmpdir() {
  run_srt -- sh -c 'test -d "$TMPDIR" && test -w "$TMPDIR" && f=$(mktemp) && echo hi > "$f" && cat "$f"'
  expect_status 0
  expect_in "$OUT" hi
}

# ---- mandatory denies -------------------------------------------------------

scenario_mandatory_existing() {
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  echo 'echo original' >.bashrc
  mkdir -p .vscode sub/dir
  echo '{}' >.vscode/settings.json
  echo '{}' >sub/dir/.mcp.json
  with_settings -- sh -c 'echo evil >> .bashrc; echo evil > .vscode/tasks.json; echo evil > sub/dir/.mcp.json; rm -f .bashrc; true'
  expect_file "$WS/.bashrc" 'echo original'
  expect_absent "$WS/.vscode/tasks.json"
  expect_file "$WS/sub/dir/.mcp.json" '{}'
}

scenario_mandatory_missing_uncreatable() {
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  snapshot "$WS"
  with_settings -- sh -c 'echo evil > .mcp.json; mkdir -p .vscode && echo evil > .vscode/tasks.json; mkdir -p .claude/commands && echo evil > .claude/commands/x.md; ls -A'
  expect_status 0
  # While it ran, srt's placeholders stood there; afterwards nothing is left.
  expect_unchanged "$WS"
}

scenario_mandatory_git() {
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  git init -q . 2>/dev/null || mkdir -p .git/hooks
  mkdir -p .git/hooks
  : >.git/config
  mkdir -p a/nested && (cd a/nested && (git init -q . 2>/dev/null || mkdir -p .git/hooks) && mkdir -p .git/hooks)
  with_settings -- sh -c 'echo evil > .git/hooks/pre-commit; echo "[core] hooksPath = /tmp" >> .git/config;
    echo evil > a/nested/.git/hooks/post-checkout; echo evil > .gitmodules; mv .git .git-moved; echo ok > .git/objects-test; echo fine > tracked'
  expect_absent "$WS/.git/hooks/pre-commit"
  expect_absent "$WS/a/nested/.git/hooks/post-checkout"
  expect_absent "$WS/.gitmodules"
  expect_absent "$WS/.git-moved"
  [[ "$(cat .git/config)" != *hooksPath* ]] || fail ".git/config was modified"
  expect_file "$WS/.git/objects-test" ok  # the rest of .git stays writable
  expect_file "$WS/tracked" fine
  # allowGitConfig lifts .git/config only.
  settings <<<'{"filesystem": {"allowWrite": ["."], "allowGitConfig": true}}'
  with_settings -- sh -c 'echo "# ok" >> .git/config; echo evil > .git/hooks/pre-push'
  expect_in "$(cat .git/config)" "# ok"
  expect_absent "$WS/.git/hooks/pre-push"
}

scenario_mandatory_home_rc() {
  # The reference misses ~/.bashrc when cwd is below a writable home.
  mkdir -p "$HOME/proj"
  echo 'original' >"$HOME/.bashrc"
  cd "$HOME/proj"
  settings <<<'{"filesystem": {"allowWrite": ["~"]}}'
  with_settings -- sh -c 'echo evil >> ~/.bashrc; echo evil > ~/.zshrc; echo evil > ~/.profile; echo fine > ~/proj/ok'
  expect_file "$HOME/.bashrc" original
  expect_absent "$HOME/.zshrc"
  expect_absent "$HOME/.profile"
  expect_file "$HOME/proj/ok" fine
}

scenario_placeholders_after_kill() {
  # srt killed with SIGKILL cannot clean up; the next srt removes its placeholders.
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  snapshot "$WS"
  local marker=$((6000000 + RANDOM * 7 + $$))
  srt -s "$SCRATCH/settings.json" -- sleep "$marker" >/dev/null 2>&1 </dev/null &
  local pid=$!
  wait_for pgrep -f "^sleep $marker\$" || fail "the command never started"
  [[ -e "$WS/.mcp.json" ]] || fail "the placeholder is missing while the command runs"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  wait_for sh -c "! pgrep -f '^sleep $marker\$'" || fail "the sandbox outlived srt's SIGKILL"
  [[ -e "$WS/.mcp.json" ]] || fail "expected the killed srt's placeholder to remain until the next run"
  run_srt -s "$SCRATCH/settings.json" -- true
  expect_status 0
  expect_unchanged "$WS"
}

# ---- process ----------------------------------------------------------------

scenario_exit_status() {
  run_srt -- sh -c 'exit 3'
  expect_status 3
  run_srt -- sh -c 'kill -TERM $$'
  expect_status 143
  run_srt -- true
  expect_status 0
}

signal_scenario() {
  local sig=$1 code=$2
  local marker=$((3000000 + RANDOM * 7 + $$))
  # A background job of a script starts with SIGINT and SIGQUIT ignored, and
  # srt (rightly) keeps an ignored signal ignored: give it default handling.
  env --default-signal=INT,QUIT "$SRT" --backend "$BACKEND" -- sh -c "sleep $marker & sleep $marker & wait" >/dev/null 2>&1 </dev/null &
  local pid=$!
  wait_for pgrep -f "^sleep $marker" || fail "the command never started"
  kill "-$sig" "$pid"
  set +e
  wait "$pid"
  local status=$?
  set -e
  [[ $status == "$code" ]] || fail "srt exited $status after SIG$sig, expected $code"
  if pgrep -f "sleep $marker" >/dev/null; then fail "processes of the sandbox survived srt: $(pgrep -af "sleep $marker")"; fi
}

# A signal that arrives while the sandbox is still being set up ends the
# launch, and nothing of it is left either.
scenario_signal_during_setup() {
  local marker=$((5000000 + RANDOM * 7 + $$)) i
  for i in 1 2 3 4 5; do
    env --default-signal=INT,QUIT "$SRT" --backend "$BACKEND" -- sleep "$marker" >/dev/null 2>&1 </dev/null &
    local pid=$!
    sleep "0.00$i"
    kill -TERM "$pid"
    set +e
    wait "$pid"
    local status=$?
    set -e
    [[ $status == 143 ]] || fail "srt exited $status after an early SIGTERM, expected 143"
  done
  if pgrep -f "sleep $marker" >/dev/null; then fail "processes of the sandbox survived srt: $(pgrep -af "sleep $marker")"; fi
}

scenario_signal_int() { signal_scenario INT 130; }
scenario_signal_term() { signal_scenario TERM 143; }
scenario_signal_hup() { signal_scenario HUP 129; }

scenario_no_leftover_processes() {
  local marker=$((4000000 + RANDOM * 7 + $$))
  run_srt -- sh -c "sleep $marker >/dev/null 2>&1 & setsid sleep $marker >/dev/null 2>&1 & echo started"
  expect_status 0
  if pgrep -f "sleep $marker" >/dev/null; then fail "background processes outlived the command: $(pgrep -af "sleep $marker")"; fi
}

scenario_stdio_passthrough() {
  set +e
  OUT=$(echo "from stdin" | srt -- sh -c 'cat; echo to-stderr >&2' 2>"$SCRATCH/err")
  STATUS=$?
  set -e
  expect_status 0
  expect_in "$OUT" "from stdin"
  expect_in "$(cat "$SCRATCH/err")" to-stderr
}

scenario_shell_string() {
  run_srt -c 'echo a b | tr a-z A-Z; exit 4'
  expect_status 4
  expect_in "$OUT" "A B"
  # One quoted word is a command name, not a shell line; the message says so.
  run_srt "echo hi"
  expect_status 127
  expect_in "$ERR" 'srt -c "echo hi"'
  run_srt -- no-such-command-xyz
  expect_status 127
  expect_in "$ERR" "no-such-command-xyz: command not found"
}

scenario_pid_isolation() {
  run_srt -- sh -c 'ls /proc | grep -c "^[0-9]*$"; cat /proc/self/status | grep -E "^(CapEff|CapBnd|NoNewPrivs)"'
  expect_status 0
  local count
  count=$(echo "$OUT" | head -1)
  (( count < 10 )) || fail "the sandbox sees $count processes"
  expect_in "$OUT" "CapEff:	0000000000000000"
  expect_in "$OUT" "CapBnd:	0000000000000000"
  expect_in "$OUT" "NoNewPrivs:	1"
  run_srt -- sh -c "kill -0 $$ && echo can-signal-host"
  expect_not_in "$OUT" can-signal-host
  # As root on the host, a fresh procfs would leave /proc/sys writable.
  run_srt -- sh -c 'echo x > /proc/sys/kernel/core_pattern && echo wrote-sysctl'
  expect_not_in "$OUT" wrote-sysctl
  run_srt -- sh -c 'unshare -U true && echo nested-userns'
  expect_not_in "$OUT" nested-userns
}

scenario_no_network() {
  "$TOOLS/tcp-listen" 0 "$SCRATCH/tcp.log" >"$SCRATCH/port" &
  local listener=$!
  wait_for test -s "$SCRATCH/port" || fail "the test listener did not start"
  local port
  port=$(cat "$SCRATCH/port")
  # The host can reach it...
  bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && cat <&3" >"$SCRATCH/host-read"
  expect_file "$SCRATCH/host-read" hello
  rm -f "$SCRATCH/tcp.log"
  # ...the sandbox cannot: it has only its own loopback.
  run_srt -- bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && cat <&3; tail -n +3 /proc/net/dev | cut -d: -f1"
  kill "$listener"
  expect_not_in "$OUT" hello
  expect_absent "$SCRATCH/tcp.log"
  [[ "$(echo "$OUT" | tr -d ' \n')" == lo ]] || fail "network interfaces inside: $OUT"
}

# ---- network: proxies, bridge, system-call filter ---------------------------
# Servers run on the host's 127.0.0.1; the sandbox reaches them only through
# srt's proxies (the bridge on its own 127.0.0.1:3128 / :1080). Every refusal
# is also checked in the server's own log: the request never arrived.

# start_server MODE ARG LOG: a test-server in the background; sets PORT.
start_server() {
  local out="$SCRATCH/.server-$RANDOM"
  "$TOOLS/test-server" "$1" "$2" "$3" >"$out" 2>&1 &
  echo $! >>"$SCRATCH/.pids"
  wait_for test -s "$out" || fail "test-server $1 did not start: $(cat "$out")"
  PORT=$(head -1 "$out")
}

# curl inside the sandbox through srt's HTTP proxy (srt's NO_PROXY would
# send loopback names around the proxy, which the sandbox cannot reach).
PROXIED_CURL='curl -sS -i --max-time 20 --noproxy "" -x "$HTTP_PROXY"'

scenario_net_http_allowed() {
  start_server http 0 "$SCRATCH/http.log"
  settings <<<'{"network": {"allowedDomains": ["localhost"]}}'
  with_settings -- sh -c "$PROXIED_CURL 'http://localhost:$PORT/path?q=1'"
  expect_status 0
  expect_in "$OUT" "HTTP/1.1 200 OK"
  expect_in "$OUT" "hello from host server"
  expect_in "$(cat "$SCRATCH/http.log")" "REQUEST GET /path?q=1 HTTP/1.1"
  # The proxy's credentials stop at the proxy.
  expect_not_in "$(cat "$SCRATCH/http.log")" "Proxy-Authorization"
  expect_not_in "$(cat "$SCRATCH/http.log")" "Proxy-Connection"
  # A body crosses intact.
  with_settings -- sh -c "head -c 100000 /dev/zero | $PROXIED_CURL --data-binary @- http://localhost:$PORT/upload"
  expect_in "$OUT" "body 100000"
}

scenario_net_http_refused() {
  start_server http 0 "$SCRATCH/http.log"
  settings <<JSON
{"network": {"allowedDomains": ["example.com"], "deniedDomains": ["localhost:$PORT"],
             "deniedDomainReasons": {"localhost:$PORT": "no local servers here"}}}
JSON
  # Not on the allow list (127.0.0.1 is not "localhost").
  with_settings -- sh -c "$PROXIED_CURL http://127.0.0.1:$PORT/"
  expect_in "$OUT" "HTTP/1.1 403 Forbidden"
  expect_in "$OUT" "X-Proxy-Error: blocked-by-allowlist"
  expect_in "$OUT" "Connection blocked by network allowlist"
  expect_in "$OUT" "host is not on the allow list"
  # On the deny list, with its reason (in the body too: the reference omits it).
  with_settings -- sh -c "$PROXIED_CURL http://localhost:$PORT/; $PROXIED_CURL -p http://localhost:$PORT/; exit 3"
  expect_status 3
  expect_in "$OUT" "no local servers here"
  expect_in "$OUT" "HTTP/1.1 403 no local servers here"
  expect_absent "$SCRATCH/http.log"
  # The command failed: srt says which destinations it refused.
  expect_in "$ERR" "network: refused localhost:$PORT (no local servers here), 2 times"
}

scenario_net_connect() {
  start_server http 0 "$SCRATCH/http.log"
  settings <<<'{"network": {"allowedDomains": ["localhost"]}}'
  with_settings -- sh -c "$PROXIED_CURL -p http://localhost:$PORT/tunneled"
  expect_status 0
  expect_in "$OUT" "200 Connection Established"
  expect_in "$OUT" "hello from host server"
  expect_in "$(cat "$SCRATCH/http.log")" "REQUEST GET /tunneled HTTP/1.1"
  rm -f "$SCRATCH/http.log"
  with_settings -- sh -c "$PROXIED_CURL -p http://127.0.0.1:$PORT/"
  expect_in "$OUT" "HTTP/1.1 403 host is not on the allow list"
  expect_in "$ERR" "CONNECT tunnel failed, response 403"
  expect_absent "$SCRATCH/http.log"
}

scenario_net_socks() {
  start_server http 0 "$SCRATCH/http.log"
  settings <<<'{"network": {"allowedDomains": ["localhost"]}}'
  # FTP_PROXY is srt's socks5h:// URL with this launch's credentials.
  with_settings -- sh -c "curl -sS --max-time 20 --noproxy '' -x \"\$FTP_PROXY\" http://localhost:$PORT/socks"
  expect_status 0
  expect_in "$OUT" "hello from host server"
  expect_in "$(cat "$SCRATCH/http.log")" "REQUEST GET /socks HTTP/1.1"
  rm -f "$SCRATCH/http.log"
  with_settings -- sh -c "curl -sS --max-time 20 --noproxy '' -x \"\$FTP_PROXY\" http://127.0.0.1:$PORT/"
  expect_status 97
  expect_in "$ERR" "SOCKS5 connection to 127.0.0.1. (2)"  # reply 02: not allowed by ruleset
  expect_absent "$SCRATCH/http.log"
}

scenario_net_auth_required() {
  start_server http 0 "$SCRATCH/http.log"
  settings <<<'{"network": {"allowedDomains": ["localhost"]}}'
  with_settings -- sh -c "curl -sS -i --max-time 20 --noproxy '' -x http://localhost:3128 http://localhost:$PORT/;
                          curl -sS -i --max-time 20 --noproxy '' -x http://srt:wrong@localhost:3128 http://localhost:$PORT/;
                          curl -sS --max-time 20 --noproxy '' -x socks5h://srt:wrong@localhost:1080 http://localhost:$PORT/"
  expect_in "$OUT" "HTTP/1.1 407"
  expect_in "$OUT" 'Proxy-Authenticate: Basic realm="srt"'
  [[ $(grep -c "HTTP/1.1 407" <<<"$OUT") == 2 ]] || fail "expected two 407 answers: $OUT"
  expect_in "$ERR" "curl: (97)"
  expect_absent "$SCRATCH/http.log"
}

scenario_net_resolved_loopback() {
  # run.sh gives this scenario an /etc/hosts where loopback-name.test is
  # 127.0.0.1 (a name that resolves to this host).
  [[ "$(getent hosts loopback-name.test)" == 127.0.0.1* ]] || fail "the test's /etc/hosts is not in place"
  start_server http 0 "$SCRATCH/http.log"
  settings <<<'{"network": {"allowedDomains": ["loopback-name.test"]}}'
  with_settings -- sh -c "$PROXIED_CURL http://loopback-name.test:$PORT/; $PROXIED_CURL -p http://loopback-name.test:$PORT/"
  expect_in "$OUT" "X-Proxy-Error: blocked-by-sandbox-runtime"
  expect_in "$OUT" "Connection to loopback-name.test blocked: resolved to a loopback address"
  expect_absent "$SCRATCH/http.log"
  # Allowing the address (and port) itself permits the name.
  settings <<JSON
{"network": {"allowedDomains": ["loopback-name.test", "127.0.0.1:$PORT"]}}
JSON
  with_settings -- sh -c "$PROXIED_CURL http://loopback-name.test:$PORT/"
  expect_in "$OUT" "hello from host server"
}

scenario_net_direct_blocked() {
  start_server http 0 "$SCRATCH/http.log"
  local tcp_port=$PORT
  start_server udp 0 "$SCRATCH/udp.log"
  local udp_port=$PORT
  local addrs
  addrs=$(hostname -I 2>/dev/null || true)
  settings <<<'{"network": {"allowedDomains": ["localhost"]}}'
  with_settings -- bash -c "
    curl -sS --max-time 5 --noproxy '*' http://127.0.0.1:$tcp_port/ && echo DIRECT-TCP-REACHED
    (exec 3<>/dev/tcp/127.0.0.1/$tcp_port) 2>/dev/null && echo DEVTCP-CONNECTED
    for a in 127.0.0.1 $addrs; do echo ping >/dev/udp/\$a/$udp_port; done 2>/dev/null
    getent hosts example.com && echo DNS-ANSWERED
    true"
  expect_status 0
  expect_not_in "$OUT" REACHED
  expect_not_in "$OUT" CONNECTED
  expect_not_in "$OUT" DNS-ANSWERED
  sleep 0.2
  expect_absent "$SCRATCH/http.log"
  expect_absent "$SCRATCH/udp.log"
  # The check itself works: the same datagram sent from the host arrives.
  echo ping >/dev/udp/127.0.0.1/$udp_port
  wait_for test -s "$SCRATCH/udp.log" || fail "the UDP test server received nothing from the host either"
}

scenario_net_unix_socket() {
  start_server unix "$SCRATCH/host.sock" "$SCRATCH/unix.log"
  chmod 777 "$SCRATCH/host.sock"
  settings <<<'{"network": {"allowedDomains": []}}'
  with_settings -- sh -c "curl -sS --max-time 5 --unix-socket '$SCRATCH/host.sock' http://x/ ; true"
  expect_absent "$SCRATCH/unix.log"
  # The system-call filter, not the file system, refused it.
  with_settings -- python3 -c 'import socket; socket.socket(socket.AF_UNIX)'
  expect_in "$ERR" "Operation not permitted"
  settings <<<'{"network": {"allowedDomains": [], "allowAllUnixSockets": true}}'
  with_settings -- sh -c "curl -sS --max-time 5 --unix-socket '$SCRATCH/host.sock' http://x/ ; true"
  wait_for test -s "$SCRATCH/unix.log" || fail "with allowAllUnixSockets the host socket was not reached"
}

scenario_net_syscall_filter() {
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  with_settings -- bash -c "unshare -U true 2>&1; unshare -Ur true 2>&1; echo done"
  expect_in "$OUT" "done"
  [[ $(grep -c "Operation not permitted" <<<"$OUT") -ge 2 ]] || fail "user namespaces were not refused: $OUT"
}

scenario_net_live_update() {
  start_server http 0 "$SCRATCH/http.log"
  settings <<<'{"network": {"allowedDomains": []}, "filesystem": {"allowWrite": ["."]}}'
  mkfifo "$SCRATCH/control"
  # The command tries once, tells the test, waits for the update, tries again.
  set +e
  srt -s "$SCRATCH/settings.json" --control-fd 3 -- sh -c "
    $PROXIED_CURL http://localhost:$PORT/first; echo > step1
    i=0; while [ ! -e go ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i+1)); done
    $PROXIED_CURL http://localhost:$PORT/second; ls -l /proc/self/fd/3" \
    3<"$SCRATCH/control" >"$SCRATCH/.out" 2>"$SCRATCH/.err" &
  local srt_pid=$!
  exec 7>"$SCRATCH/control"
  wait_for test -e "$WS/step1" || fail "the command did not start"
  echo 'this is not json' >&7
  echo '{"network": {"allowedDomains": ["localhost"]}, "filesystem": {"allowWrite": ["."]}}' >&7
  sleep 0.3
  touch "$WS/go"
  wait "$srt_pid"
  STATUS=$?
  exec 7>&-
  set -e
  OUT=$(cat "$SCRATCH/.out")
  ERR=$(cat "$SCRATCH/.err")
  expect_status 0
  expect_in "$OUT" "403"
  expect_in "$OUT" "hello from host server"
  expect_in "$ERR" "Invalid config on control fd 3: ignored, previous config still in force"
  expect_in "$OUT" "/proc/self/fd/3 -> /dev/null"
  expect_in "$(cat "$SCRATCH/http.log")" "GET /second"
  expect_not_in "$(cat "$SCRATCH/http.log")" "GET /first"
  run_srt --control-fd 2 -- true
  expect_status 125
  expect_in "$ERR" "must be an integer file descriptor >= 3"
  run_srt --control-fd 9 -- true
  expect_status 125
  expect_in "$ERR" "--control-fd 9 is not usable"
}

scenario_net_external_proxy() {
  # httpProxyPort: the sandbox's HTTP proxy is the user's own (here a test
  # server that logs what reaches it), without srt's credentials; srt relays
  # to it and does not filter. SOCKS stays srt's own, with its password.
  start_server http 0 "$SCRATCH/proxy.log"
  settings <<JSON
{"network": {"allowedDomains": [], "httpProxyPort": $PORT}}
JSON
  with_settings -- sh -c 'echo "$HTTP_PROXY $FTP_PROXY"; '"$PROXIED_CURL"' http://anything.example/through-the-external-proxy'
  expect_status 0
  expect_in "$OUT" "http://localhost:3128 socks5h://srt:"
  expect_in "$OUT" "hello from host server"
  expect_in "$(cat "$SCRATCH/proxy.log")" "REQUEST GET http://anything.example/through-the-external-proxy HTTP/1.1"
  # No forwarder is left behind.
  ! pgrep -u "$(id -u)" -f "srt-enter forward" >/dev/null || fail "srt-enter forward outlived srt"
}

scenario_low_fd_limit() {
  # A common soft limit of 1024 (or lower) must not stop srt, and the command
  # keeps the limit it was given even though srt raises its own.
  settings <<<'{"network": {"allowedDomains": ["localhost"]}}'
  ulimit -Sn 256
  with_settings -- sh -c 'ulimit -Sn'
  expect_status 0
  [[ "$OUT" == 256 ]] || fail "the command's descriptor limit is $OUT, not 256"
}

scenario_net_environment() {
  settings <<<'{"network": {"allowedDomains": ["example.com"]}}'
  with_settings -- sh -c 'env | sort'
  expect_status 0
  expect_in "$OUT" "SANDBOX_RUNTIME=1"
  expect_in "$OUT" "HTTP_PROXY=http://srt:"
  expect_in "$OUT" "@localhost:3128"
  expect_in "$OUT" "ALL_PROXY=http://srt:"
  expect_in "$OUT" "FTP_PROXY=socks5h://srt:"
  expect_in "$OUT" "NO_PROXY=localhost,127.0.0.1,::1"
  expect_in "$OUT" "GIT_CONFIG_PARAMETERS='http.proxyAuthMethod=basic'"
  expect_in "$OUT" "connect %h %p'"
  expect_in "$OUT" "JAVA_TOOL_OPTIONS=-Dhttp.proxyHost=localhost -Dhttp.proxyPort=3128"
  expect_in "$OUT" "CLOUDSDK_PROXY_PORT=3128"
  expect_not_in "$OUT" "CLAUDE_"
  # No network section: no proxies, no proxy variables.
  run_srt -- sh -c 'env'
  expect_not_in "$OUT" "HTTP_PROXY"
}

# ---- settings and CLI -------------------------------------------------------

scenario_settings_errors() {
  local marker="$OUTSIDE/ran"
  run_srt -s "$SCRATCH/missing.json" -- touch "$marker"
  expect_status 125
  expect_in "$ERR" "$SCRATCH/missing.json: no such file"
  : >"$SCRATCH/empty.json"
  run_srt -s "$SCRATCH/empty.json" -- touch "$marker"
  expect_status 125
  expect_in "$ERR" "empty.json: is empty"
  printf '{\n  "network": {,}\n}\n' >"$SCRATCH/bad.json"
  run_srt -s "$SCRATCH/bad.json" -- touch "$marker"
  expect_status 125
  expect_in "$ERR" "bad.json: line 2, column"
  echo '{"filesystem": {"allowWrite": "."}}' >"$SCRATCH/shape.json"
  run_srt -s "$SCRATCH/shape.json" -- touch "$marker"
  expect_status 125
  expect_in "$ERR" "shape.json: filesystem.allowWrite: expected an array"
  expect_in "$ERR" "refusing to run"
  expect_absent "$marker"
}

scenario_settings_unreadable() {
  [[ $(id -u) != 0 ]] || { echo "root reads any file; covered in user mode" >&2; return 0; }
  echo '{}' >"$SCRATCH/locked.json"
  chmod 000 "$SCRATCH/locked.json"
  run_srt -s "$SCRATCH/locked.json" -- touch "$OUTSIDE/ran"
  expect_status 125
  expect_in "$ERR" "locked.json: cannot open: Permission denied"
  expect_absent "$OUTSIDE/ran"
}

scenario_settings_unknown_key() {
  settings <<<'{"filesytem": {"allowWrite": ["."]}, "network": {"allowedDomains": []}}'
  with_settings -- true
  expect_status 0
  expect_in "$ERR" 'filesytem: unknown key, ignored (did you mean "filesystem"?)'
}

scenario_backend_errors() {
  settings <<<'{"bwrapPath": "/nonexistent/bwrap"}'
  with_settings --backend bwrap -- touch "$OUTSIDE/ran"
  expect_status 125
  expect_in "$ERR" "bwrapPath /nonexistent/bwrap is not an executable file"
  run_srt --backend no-such-backend -- true
  expect_status 125
  expect_in "$ERR" 'no backend plugin "no-such-backend"'
  expect_absent "$OUTSIDE/ran"
}

scenario_backends_list() {
  run_srt backends
  expect_status 0
  expect_in "$OUT" "backend   bwrap"
  expect_in "$OUT" "usable here"
  # Broken plugins next to a good one: one line each, naming the file and the
  # reason; bwrap still loads and works.
  run_srt --plugin-dir "$TEST_PLUGINS" backends
  expect_status 0
  expect_in "$OUT" "$TEST_PLUGINS/test-not-a-library.so"
  expect_in "$OUT" "not a shared library"
  expect_in "$OUT" "does not export srt_plugin_entry_v1"
  expect_in "$OUT" "built for plugin ABI 2.0"
  expect_in "$OUT" "built for another plugin ABI (exports srt_plugin_entry_v2)"
  expect_in "$OUT" "needs /dev/test-device"
  expect_in "$OUT" "constructor failed on purpose"
  expect_in "$OUT" "already provided by $TEST_PLUGINS/test-good.so"
  expect_in "$OUT" "not usable here: test plugin: never usable"
  expect_in "$OUT" "backend   bwrap"
  [[ $(grep -c "test-no-entry.so" <<<"$ERR") == 1 ]] || fail "expected one warning line for test-no-entry.so: $ERR"
  run_srt --plugin-dir "$TEST_PLUGINS" -- sh -c 'echo still-runs'
  expect_status 0
  expect_in "$OUT" still-runs
  run_srt --plugin-dir "$TEST_PLUGINS" --backend test-good -- true
  expect_status 125
  expect_in "$ERR" 'backend "test-good" is not usable here: test plugin: never usable'
  SRT_PLUGIN_PATH="$TEST_PLUGINS" run_srt -d backends
  expect_in "$ERR" "plugin directory $TEST_PLUGINS"
}

scenario_explain() {
  settings <<<'{"filesystem": {"allowWrite": ["."], "denyRead": ["~/.ssh"]}, "network": {"allowedDomains": ["example.com"]}}'
  mkdir -p "$HOME/.ssh"
  run_srt policy explain -s "$SCRATCH/settings.json" --path "$HOME/.ssh/id_rsa" --path .mcp.json --path newfile
  expect_status 0
  expect_in "$OUT" "hidden      $HOME/.ssh"
  expect_in "$OUT" "allow example.com  <- network.allowedDomains[0]"
  expect_in "$OUT" "socket: fails with EPERM when"
  expect_in "$OUT" "HTTP_PROXY=http://srt:<token>@localhost:3128"
  expect_in "$OUT" "bwrap --die-with-parent"
  expect_in "$OUT" "readable: no, writable: no"
  expect_in "$OUT" 'decided by: filesystem.denyRead[0] "~/.ssh"'
  expect_in "$OUT" "placeholder here"
  # explain runs nothing and creates nothing.
  [[ ! -e .mcp.json ]] || fail "explain created a placeholder"
  run_srt policy explain -s "$SCRATCH/settings.json" --json
  expect_status 0
  expect_in "$OUT" '"version":1'
}

scenario_version_help() {
  run_srt --version
  expect_status 0
  [[ "$OUT" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version: $OUT"
  run_srt --help
  expect_in "$OUT" "Exit status"
  run_srt
  expect_status 125
  expect_in "$ERR" "No command specified"
}
