# Integration scenarios: each tries something inside the sandbox and checks
# from the host that what must fail failed and what must work worked. Run by
# run.sh as root and as an unprivileged user; the list is in meson.build.

# ---- filesystem -------------------------------------------------------------

# Landlock cannot grant a directory without granting everything beneath it,
# so a writable directory that holds protected entries (srt's placeholders
# for .vscode, .mcp.json, ...) keeps its own entries: what is in it stays
# writable, but nothing is added to it or removed from it
# (docs/architecture.md, "The landlock backend"). The scenarios create what
# they write into beforehand there, and check the refusal.
landlock_fixed_entries() {
  [[ "$BACKEND" == landlock ]]
}

scenario_fs_write_allowed() {
  settings <<<'{"filesystem": {"allowWrite": ["./out"]}}'
  mkdir out
  if landlock_fixed_entries; then
    : >out/file
    mkdir out/d
    with_settings -- sh -c 'echo written > out/file && mkdir out/d/e && echo deep > out/d/f && echo new > out/new'
    expect_file "$WS/out/file" written
    expect_file "$WS/out/d/f" deep
    expect_absent "$WS/out/new"
    return
  fi
  with_settings -- sh -c 'echo written > out/file && mkdir out/d && echo deep > out/d/f'
  expect_status 0
  expect_file "$WS/out/file" written
  expect_file "$WS/out/d/f" deep
}

scenario_fs_write_outside_refused() {
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  echo original >"$OUTSIDE/existing"
  with_settings -- sh -c "echo bad > '$OUTSIDE/new'; echo bad > '$OUTSIDE/existing'; rm -f '$OUTSIDE/existing'; mkdir '$OUTSIDE/dir'"
  expect_in "$ERR" "$(readonly_error)"
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
  expect_in "$ERR" "$(readonly_error)"
  expect_absent "$WS/here"
  [[ -n "$(find "$TMPDIR" -name t -type f)" ]] || fail "the write to TMPDIR did not reach the host"
}

scenario_fs_deny_write_inside_allow() {
  settings <<<'{"filesystem": {"allowWrite": ["."], "denyWrite": ["./protected", "./config.json"]}}'
  mkdir protected
  echo keep >protected/f
  echo '{}' >config.json
  landlock_fixed_entries && : >free
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
  # Landlock cannot hide names: the listing works, the content does not.
  [[ "$BACKEND" == landlock ]] || expect_not_in "$OUT" id_test
  expect_not_in "$OUT" KEYMATERIAL
  # An empty *read-only* view: writes fail instead of vanishing.
  expect_not_in "$OUT" wrote-new
  expect_in "$ERR" "$(readonly_error)"
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
  [[ "$BACKEND" == landlock ]] || expect_in "$ERR" "--args"
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
  [[ "$BACKEND" == landlock ]] || [[ "$(echo "$OUT" | sed -n 2p)" == 1 ]] || fail "the sandbox lists more than the re-opened entry: $OUT"
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
  landlock_fixed_entries && : >"$SCRATCH/real-out/f"
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
  with_settings -- sh -c 'find "$TMPDIR/../run" -mindepth 1 | sed "s|.*/run/|run/|"; flock -n "$TMPDIR/../run/lock" true && echo got-lock;
    cat "$TMPDIR"/../run/sessions/*/placeholders.jsonl && echo read-manifest; true'
  expect_status 0
  expect_not_in "$OUT" got-lock
  expect_not_in "$OUT" read-manifest
  # Landlock cannot hide names, only refuse opening what they name.
  [[ "$BACKEND" == landlock ]] && return
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
  landlock_fixed_entries && : >tracked && : >.git/objects-test
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
  "$SRT" --backend "$BACKEND" -s "$SCRATCH/settings.json" -- sleep "$marker" >/dev/null 2>&1 </dev/null &
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

scenario_concurrent_launches() {
  # Parallel launches in one project (an agent's parallel tool calls, half of
  # them with a network) share the placeholders that keep absent protected
  # paths uncreatable: none fails because another srt removed a placeholder
  # it mounts, none can create a protected path, and nothing is left behind.
  settings <<<'{"filesystem": {"allowWrite": ["."], "denyWrite": ["./missing/deep"]}}'
  cp "$SCRATCH/settings.json" "$SCRATCH/settings-local.json"
  echo '{"filesystem": {"allowWrite": ["."], "denyWrite": ["./missing/deep"]}, "network": {"allowedDomains": ["example.com"]}}' \
    >"$SCRATCH/settings-net.json"
  snapshot "$WS"
  local i n=12 s
  for ((i = 0; i < n; i++)); do
    s=$SCRATCH/settings-local.json
    ((i % 2)) && s=$SCRATCH/settings-net.json
    (
      set +e
      srt -s "$s" -- sh -c "sleep 0.0$((i % 8))"'
        for p in .mcp.json .vscode/x .claude/agents/x missing/deep/x; do
          mkdir -p "$(dirname "$p")" 2>/dev/null; (echo evil >"$p") 2>/dev/null && { echo "wrote $p"; exit 3; }
        done
        exit 0' >"$SCRATCH/conc.out.$i" 2>"$SCRATCH/conc.err.$i" </dev/null
      echo $? >"$SCRATCH/conc.status.$i"
    ) &
  done
  wait
  for ((i = 0; i < n; i++)); do
    [[ "$(cat "$SCRATCH/conc.status.$i")" == 0 ]] ||
      fail "launch $i of $n exited $(cat "$SCRATCH/conc.status.$i"): $(cat "$SCRATCH/conc.out.$i" "$SCRATCH/conc.err.$i")"
  done
  expect_unchanged "$WS"
  local left
  left=$(find "$TMPDIR" -path '*/sessions/*' 2>/dev/null)
  [[ -z "$left" ]] || fail "session directories left behind: $left"
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
  signal_srt "$pid" "$sig" "$code"
  expect_no_process "sleep $marker"
}

# A signal that arrives while the sandbox is still being set up ends the
# launch, and nothing of it is left either.
scenario_signal_during_setup() {
  local marker=$((5000000 + RANDOM * 7 + $$)) i
  for i in 1 2 3 4 5; do
    env --default-signal=INT,QUIT "$SRT" --backend "$BACKEND" -- sleep "$marker" >/dev/null 2>&1 </dev/null &
    local pid=$!
    sleep "0.00$i"
    signal_srt "$pid" TERM 143
  done
  expect_no_process "sleep $marker"
}

# forwarded_signal_scenario [SRT OPTIONS...]: the command itself gets the
# forwarded SIGTERM (it may clean up), not just a kill, and nothing is left.
forwarded_signal_scenario() {
  local out="$SCRATCH/forwarded" marker=$((7000000 + RANDOM * 7 + $$))
  env --default-signal=INT,QUIT "$SRT" --backend "$BACKEND" "$@" -- \
    sh -c "trap 'echo got-term; exit 0' TERM; sleep $marker & echo ready; while :; do sleep 0.05; done" >"$out" 2>&1 </dev/null &
  local pid=$!
  wait_for grep -q ready "$out" || fail "the command never started: $(cat "$out")"
  signal_srt "$pid" TERM 143
  expect_in "$(cat "$out")" got-term
  expect_no_process "sleep $marker"
}

scenario_signal_forwarded() { forwarded_signal_scenario; }

# With allowPty the launcher shares srt's process group (and terminal).
scenario_signal_pty() {
  settings <<<'{"allowPty": true}'
  forwarded_signal_scenario -s "$SCRATCH/settings.json"
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
  # Landlock has no PID namespace (its probe says "pid_isolation degraded");
  # what it keeps from outside processes is checked below and in
  # landlock_signal_outside.
  [[ "$BACKEND" == landlock ]] || (( count < 10 )) || fail "the sandbox sees $count processes"
  expect_in "$OUT" "CapEff:	0000000000000000"
  # (Without a user namespace an unprivileged user cannot shrink its bounding
  # set; no_new_privs is what keeps exec from granting anything.)
  [[ "$BACKEND" == landlock && $(id -u) != 0 ]] || expect_in "$OUT" "CapBnd:	0000000000000000"
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
  # Landlock shares the host's interfaces and refuses the connection.
  if [[ "$BACKEND" == landlock ]]; then expect_in "$ERR" "connect: Permission denied"; return; fi
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

# srt starts its proxies while bwrap builds the sandbox, and the command
# waits for them: when they fail to start (a test plugin that takes 400 ms
# to fail), the launch ends before the command ran, and nothing is left.
scenario_net_proxies_fail_late() {
  local marker=$((6000000 + RANDOM * 7 + $$))
  settings <<<'{"network": {"allowedDomains": ["localhost"]}}'
  with_settings --plugin-dir "$TEST_PLUGINS/slow_http" -- sh -c "echo command-ran; sleep $marker"
  expect_status 125
  expect_in "$ERR" "refusing to start"
  expect_not_in "$OUT" command-ran
  expect_no_process "sleep $marker"
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
  # The hint names the deniedDomains entry to change, not allowedDomains.
  expect_in "$ERR" "network: localhost:$PORT is refused by network.deniedDomains[0] \"localhost:$PORT\", which wins over allowedDomains"
}

scenario_net_refusals_ignored() {
  start_server http 0 "$SCRATCH/http.log"
  # ignoreViolations keeps a refusal out of the exit summary (never lets it through).
  settings <<JSON
{"network": {"allowedDomains": [], "deniedDomains": []},
 "ignoreViolations": {"sh -c": ["127.0.0.1:$PORT"], "npm install": ["evil.example"]}}
JSON
  with_settings -- sh -c "$PROXIED_CURL http://127.0.0.1:$PORT/; $PROXIED_CURL http://evil.example/; exit 3"
  expect_status 3
  expect_in "$OUT" "HTTP/1.1 403"
  expect_absent "$SCRATCH/http.log"
  expect_not_in "$ERR" "refused 127.0.0.1:$PORT"
  # The other key does not apply to this command line.
  expect_in "$ERR" "network: refused evil.example:80"
  # With --debug the suppressed line is shown, marked.
  with_settings --debug -- sh -c "$PROXIED_CURL http://127.0.0.1:$PORT/; exit 3"
  expect_in "$ERR" "refused 127.0.0.1:$PORT (host is not on the allow list) (suppressed by ignoreViolations)"
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
  # (The proxies' address comes from the environment: the bridge on
  # localhost:3128 and :1080, or with landlock the proxies' own ports.)
  with_settings -- sh -c "curl -sS -i --max-time 20 --noproxy '' -x http://\${HTTP_PROXY##*@} http://localhost:$PORT/;
                          curl -sS -i --max-time 20 --noproxy '' -x http://srt:wrong@\${HTTP_PROXY##*@} http://localhost:$PORT/;
                          curl -sS --max-time 20 --noproxy '' -x socks5h://srt:wrong@\${FTP_PROXY##*@} http://localhost:$PORT/"
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
  mkdir steps
  # The command tries once, tells the test, waits for the update, tries again.
  set +e
  srt -s "$SCRATCH/settings.json" --control-fd 3 -- sh -c "
    $PROXIED_CURL http://localhost:$PORT/first; echo > steps/1
    i=0; while [ ! -e steps/go ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i+1)); done
    $PROXIED_CURL http://localhost:$PORT/second; readlink /proc/self/fd/3 || echo no-fd-3" \
    3<"$SCRATCH/control" >"$SCRATCH/.out" 2>"$SCRATCH/.err" &
  local srt_pid=$!
  exec 7>"$SCRATCH/control"
  wait_for test -e "$WS/steps/1" || fail "the command did not start"
  echo 'this is not json' >&7
  echo '{"network": {"allowedDomains": ["localhost"]}, "filesystem": {"allowWrite": ["."]}}' >&7
  sleep 0.3
  touch "$WS/steps/go"
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
  expect_in "$OUT" "no-fd-3"
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
  # (Without a network namespace the command reaches the user's proxy itself.)
  if [[ "$BACKEND" == landlock ]]; then expect_in "$OUT" "http://127.0.0.1:$PORT socks5h://srt:"
  else expect_in "$OUT" "http://localhost:3128 socks5h://srt:"; fi
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
  local at=localhost:3128 host=localhost port=3128
  if [[ "$BACKEND" == landlock ]]; then
    at=$(grep -o '^HTTP_PROXY=http://srt:[0-9a-f]*@127\.0\.0\.1:[0-9]*$' <<<"$OUT" | sed 's/.*@//') || fail "HTTP_PROXY: $OUT"
    host=127.0.0.1 port=${at#*:}
  fi
  expect_in "$OUT" "@$at"
  expect_in "$OUT" "ALL_PROXY=http://srt:"
  expect_in "$OUT" "FTP_PROXY=socks5h://srt:"
  expect_in "$OUT" "NO_PROXY=localhost,127.0.0.1,::1"
  expect_in "$OUT" "GIT_CONFIG_PARAMETERS='http.proxyAuthMethod=basic'"
  expect_in "$OUT" "connect %h %p'"
  expect_in "$OUT" "JAVA_TOOL_OPTIONS=-Dhttp.proxyHost=$host -Dhttp.proxyPort=$port"
  expect_in "$OUT" "CLOUDSDK_PROXY_PORT=$port"
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
  # A plan may skip srt-enter only when srt offered it (here the network
  # needs srt-enter's bridge).
  settings <<<'{"network": {"allowedDomains": ["localhost"]}}'
  with_settings --plugin-dir "$TEST_PLUGINS" --backend test-unoffered-direct -- touch "$OUTSIDE/ran"
  expect_status 125
  expect_in "$ERR" "which srt did not offer for this launch"
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
  if [[ "$BACKEND" == landlock ]]; then
    expect_in "$OUT" "HTTP_PROXY=http://srt:<token>@127.0.0.1:40001"
    expect_in "$OUT" "Landlock ruleset (ABI"
  else
    expect_in "$OUT" "HTTP_PROXY=http://srt:<token>@localhost:3128"
    expect_in "$OUT" "bwrap --die-with-parent"
  fi
  expect_in "$OUT" "readable: no, writable: no"
  expect_in "$OUT" 'decided by: filesystem.denyRead[0] "~/.ssh"'
  expect_in "$OUT" "placeholder here"
  # explain runs nothing and creates nothing.
  [[ ! -e .mcp.json ]] || fail "explain created a placeholder"
  run_srt policy explain -s "$SCRATCH/settings.json" --json
  expect_status 0
  expect_in "$OUT" '"version":1'
}

scenario_seatbelt_on_linux() {
  settings <<<'{"filesystem": {"allowWrite": ["."], "denyRead": ["~/.ssh", "**/.env"]}, "network": {"allowedDomains": ["example.com"]}}'
  mkdir -p "$HOME/.ssh"
  # The profile is printed here, where it cannot run.
  run_srt policy explain -s "$SCRATCH/settings.json" --backend seatbelt
  expect_status 0
  expect_in "$OUT" "NOT usable here: Seatbelt is macOS's sandbox"
  expect_in "$OUT" "/usr/bin/sandbox-exec -p <argument 2, below> --"
  expect_in "$OUT" "(version 1)"
  expect_in "$OUT" "(deny file-read* file-write* (subpath \"$HOME/.ssh\")"
  expect_in "$OUT" '(regex "^(/[^/]+)*/\\.env(/.*)?$")'
  expect_in "$OUT" "(allow network-outbound (remote ip \"localhost:40001\"))"
  expect_in "$OUT" "denials read from (seatbelt format, marker SRT_"
  # sandbox-exec runs srt-enter, which may read and run itself under any deny.
  [[ "$OUT" =~ " -- "(/[^ ]*/srt-enter)" --report-fd " ]] || fail "the plan does not run srt-enter: $OUT"
  expect_in "$OUT" "(allow file-read* process-exec (literal \"${BASH_REMATCH[1]}\")"
  # Running with it is refused, saying why; nothing runs.
  run_srt -s "$SCRATCH/settings.json" --backend seatbelt -- touch ran
  expect_status 125
  expect_in "$ERR" "Seatbelt is macOS's sandbox"
  [[ ! -e ran ]] || fail "the command ran"
  run_srt backends
  expect_in "$OUT" "seatbelt"
}

scenario_selftest() {
  # Every escape the backend claims to block is blocked, judged from outside.
  run_srt selftest --backend "$BACKEND"
  expect_status 0
  expect_in "$OUT" "passed: every escape of what backend $BACKEND claims to enforce was blocked"
  expect_not_in "$OUT" "NOT BLOCKED"
  # The probes do catch a backend that lies.
  run_srt selftest --plugin-dir "$TEST_PLUGINS" --backend test-leaky
  expect_status 1
  expect_in "$OUT" "write outside allowWrite                   filesystem     enforced     NOT BLOCKED"
  expect_in "$OUT" "read a denyRead file                       filesystem     enforced     NOT BLOCKED"
  expect_in "$OUT" "direct TCP connection to 127.0.0.1         network        enforced     NOT BLOCKED"
  expect_in "$OUT" "FAILED:"
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

# ---- both backends: descriptors ----------------------------------------------

scenario_inherited_fds() {
  # A descriptor is access no sandbox rule sees: what srt's caller left open
  # (here a writable file and a directory outside) never reaches the command.
  : >"$OUTSIDE/fd-target"
  echo SECRET >"$OUTSIDE/secret"
  settings <<<'{"filesystem": {"denyRead": ["'"$OUTSIDE"'"]}}'
  exec 7>"$OUTSIDE/fd-target" 8<"$OUTSIDE"
  with_settings -- sh -c 'ls /proc/self/fd | tr "\n" " "; echo; echo leaked >&7; cat /proc/self/fd/8/secret; true'
  exec 7>&- 8<&-
  expect_in "$OUT" "0 1 2 3 "
  expect_not_in "$OUT" "7 "
  expect_not_in "$OUT" SECRET
  expect_file "$OUTSIDE/fd-target" ""
}

# ---- landlock only: what a sandbox without namespaces must still refuse -------

scenario_auto_fallback() {
  # Where user namespaces are refused (Docker's default seccomp policy, many
  # CI runners), "auto" falls back to landlock, says so, and still enforces.
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  : >here
  set +e
  "$TOOLS/no-userns" "$SRT" -s "$SCRATCH/settings.json" -- sh -c 'echo in > here; echo out > "$0/escaped"' "$OUTSIDE" \
    >"$SCRATCH/.out" 2>"$SCRATCH/.err" </dev/null
  STATUS=$?
  set -e
  ERR=$(cat "$SCRATCH/.err")
  expect_in "$ERR" "using the landlock backend (bwrap: cannot create a user namespace here"
  expect_file "$WS/here" in
  expect_absent "$OUTSIDE/escaped"
  [[ $STATUS == 2 ]] || fail "the refused write should fail the command (status 2), got $STATUS"
  # Asked for by name, bwrap is refused with the reason, never replaced.
  set +e
  "$TOOLS/no-userns" "$SRT" --backend bwrap -s "$SCRATCH/settings.json" -- touch "$OUTSIDE/ran" >/dev/null 2>"$SCRATCH/.err" </dev/null
  STATUS=$?
  set -e
  ERR=$(cat "$SCRATCH/.err")
  expect_status 125
  expect_in "$ERR" 'backend "bwrap" is not usable here: cannot create a user namespace'
  expect_absent "$OUTSIDE/ran"
}

scenario_landlock_rename_across() {
  # REFER: no rename or link moves a file across the boundary of what is
  # writable; entries protected inside a writable directory cannot be moved
  # away and recreated.
  settings <<<'{"filesystem": {"allowWrite": ["./w"]}}'
  mkdir -p w/sub w/other
  echo original >ro-file
  echo mine >w/sub/mine
  with_settings -- sh -c 'mv ro-file w/sub/ 2>&1; ln ro-file w/sub/hard 2>&1; ln w/sub/mine ../outside/hard 2>&1; mv w/sub/mine ../outside/ 2>&1;
    mv w/sub/mine w/other/moved && echo moved-inside; true'
  expect_in "$OUT" moved-inside
  expect_in "$OUT" "ln: failed to create hard link 'w/sub/hard' => 'ro-file': Invalid cross-device link"
  expect_file "$WS/ro-file" original
  expect_absent "$WS/w/sub/ro-file"
  expect_absent "$WS/w/sub/hard"
  expect_absent "$OUTSIDE/hard"
  expect_absent "$OUTSIDE/mine"
  expect_file "$WS/w/other/moved" mine
  # A protected entry (here the .vscode placeholder) inside a writable root.
  settings <<<'{"filesystem": {"allowWrite": ["."]}}'
  mkdir -p sub
  with_settings -- sh -c 'mv .vscode sub/ 2>&1; rmdir .vscode 2>&1; echo "{}" > .vscode/settings.json 2>&1;
    mkdir sub/.vscode && echo "{}" > sub/.vscode/ok.json && echo nested-ok; true'
  expect_absent "$WS/.vscode/settings.json"
  expect_absent "$WS/sub/.vscode/settings.json"
  [[ ! -e "$WS/.vscode" ]] || fail "the placeholder stayed behind"
}

scenario_landlock_proc_self_root() {
  # /proc/self/root, /proc/1/root and other magic links lead to the same
  # paths, checked the same way.
  mkdir -p "$HOME/private"
  echo SECRET >"$HOME/private/key"
  settings <<<'{"filesystem": {"denyRead": ["~/private"]}}'
  with_settings -- sh -c 'cat /proc/self/root'"$HOME"'/private/key 2>&1; cat /proc/1/root'"$HOME"'/private/key 2>&1;
    echo bad > /proc/self/root'"$OUTSIDE"'/via-proc 2>&1; cat /proc/$$/cwd/../home/private/key 2>&1; true'
  expect_not_in "$OUT" SECRET
  expect_absent "$OUTSIDE/via-proc"
}

scenario_landlock_tcp_other_port() {
  # TCP is allowed only to srt's proxies: any other port fails, however the
  # connection is attempted (connect, TCP Fast Open, MPTCP).
  "$TOOLS/tcp-listen" 0 "$SCRATCH/tcp.log" >"$SCRATCH/.tcp" 2>&1 &
  echo $! >>"$SCRATCH/.pids"
  wait_for test -s "$SCRATCH/.tcp" || fail "tcp-listen did not start"
  local port
  port=$(head -1 "$SCRATCH/.tcp")
  settings <<<'{"network": {"allowedDomains": ["example.com"]}}'
  with_settings -- sh -c "$TOOLS/escape-probe tcp $port; $TOOLS/escape-probe fastopen $port; $TOOLS/escape-probe mptcp $port; true"
  expect_not_in "$OUT" WORKED
  expect_in "$OUT" "refused: connect: Permission denied"
  sleep 0.2
  [[ ! -s "$SCRATCH/tcp.log" ]] || fail "a connection reached the host's listener: $(cat "$SCRATCH/tcp.log")"
}

scenario_landlock_udp() {
  # UDP, raw, packet and netlink sockets, System V IPC and the keyring are
  # refused by the system-call filter (no namespace contains them).
  start_server udp 0 "$SCRATCH/udp.log"
  run_srt -- sh -c "for t in 'udp $PORT' raw netlink packet sysv keyring; do $TOOLS/escape-probe \$t; done; getent ahosts localhost >/dev/null && echo resolves; true"
  expect_not_in "$OUT" WORKED
  expect_in "$OUT" "refused: socket(AF_INET, SOCK_DGRAM): Operation not permitted"
  expect_in "$OUT" "refused: socket(AF_NETLINK): Address family not supported"
  # What a normal libc needs still works: getaddrinfo with AI_ADDRCONFIG
  # (getent ahosts), which asks netlink for the interfaces and copes without.
  expect_in "$OUT" resolves
  sleep 0.2
  [[ ! -s "$SCRATCH/udp.log" ]] || fail "a datagram reached the host: $(cat "$SCRATCH/udp.log")"
}

scenario_landlock_abstract_unix() {
  # Even with Unix sockets allowed, abstract sockets outside the sandbox are
  # out of reach (Landlock scope, ABI 6), as in bwrap's network namespace.
  local name="srt-test-$$-$RANDOM"
  "$TOOLS/escape-probe" abstract-listen "$name" "$SCRATCH/abstract.log" >"$SCRATCH/.abs" 2>&1 &
  echo $! >>"$SCRATCH/.pids"
  wait_for test -s "$SCRATCH/.abs" || fail "abstract-listen did not start"
  "$TOOLS/escape-probe" abstract "$name" | grep -q WORKED || fail "the host cannot reach its own abstract socket"
  sleep 0.2
  : >"$SCRATCH/abstract.log"
  settings <<<'{"network": {"allowAllUnixSockets": true}}'
  with_settings -- "$TOOLS/escape-probe" abstract "$name"
  expect_status 1
  expect_in "$OUT" "refused: connect to the abstract socket"
  run_srt -- "$TOOLS/escape-probe" abstract "$name"
  expect_in "$OUT" "refused: socket(AF_UNIX)"
  sleep 0.2
  [[ ! -s "$SCRATCH/abstract.log" ]] || fail "the sandbox reached the host's abstract socket"
}

scenario_landlock_signal_outside() {
  # No signal reaches a process outside the sandbox (Landlock scope, ABI 6),
  # though it runs as the same user; processes inside can signal each other.
  sleep 300 &
  local victim=$!
  echo "$victim" >>"$SCRATCH/.pids"
  run_srt -- sh -c "$TOOLS/escape-probe signal $victim; kill -9 $victim 2>&1; sleep 30 & kill \$! && echo inside-ok"
  expect_in "$OUT" "refused: kill: Operation not permitted"
  expect_in "$OUT" inside-ok
  kill -0 "$victim" 2>/dev/null || fail "the sandbox killed a process outside it"
}

scenario_landlock_listen() {
  # listen() on an unbound socket would bind a port on every address unseen
  # by Landlock: refused, like bind, unless allowLocalBinding.
  run_srt -- sh -c "$TOOLS/escape-probe listen; $TOOLS/escape-probe bind 0; true"
  expect_not_in "$OUT" WORKED
  expect_in "$OUT" "refused: listen"
  settings <<<'{"network": {"allowLocalBinding": true}}'
  with_settings -- "$TOOLS/escape-probe" listen
  expect_status 0
  expect_in "$OUT" "WORKED: listen"
}

scenario_landlock_devices() {
  # The devices are bubblewrap's --dev set; no disk opens (as root the owner
  # bits would otherwise let the command read past every rule).
  local disk
  disk=$(find /dev -maxdepth 1 -type b | head -1)
  run_srt -- sh -c "echo x > /dev/null && head -c 4 /dev/urandom | wc -c && ls /dev >/dev/null && echo devices-ok;
    ${disk:+head -c 16 $disk >/dev/null 2>&1 && echo read-disk;} true"
  expect_in "$OUT" devices-ok
  expect_not_in "$OUT" read-disk
}

scenario_landlock_older_abi() {
  # On an older kernel (simulated: SRT_LANDLOCK_MAX_ABI), srt refuses to run
  # with less than the policy asks and names the setting that would accept it.
  SRT_LANDLOCK_MAX_ABI=3 run_srt -- touch "$OUTSIDE/ran"
  expect_status 125
  expect_in "$ERR" "Landlock ABI 3 (the kernel has"
  expect_in "$ERR" 'cannot restrict TCP connections (needs ABI 4, Linux 6.7)'
  expect_in "$ERR" 'add "network" to "srt": {"acceptWeaker": [...]}'
  expect_absent "$OUTSIDE/ran"
  SRT_LANDLOCK_MAX_ABI=5 run_srt -- true
  expect_status 125
  expect_in "$ERR" 'add "ipc_isolation"'
  settings <<<'{"srt": {"acceptWeaker": ["ipc_isolation"]}, "filesystem": {"allowWrite": ["."]}}'
  : >here
  SRT_LANDLOCK_MAX_ABI=5 with_settings -- sh -c 'echo ok > here; echo bad > "$0/x"' "$OUTSIDE"
  expect_file "$WS/here" ok
  expect_absent "$OUTSIDE/x"
  SRT_LANDLOCK_MAX_ABI=2 run_srt -- true
  expect_status 125
  expect_in "$ERR" "cannot refuse truncating files"
  SRT_LANDLOCK_MAX_ABI=0 run_srt -- true
  expect_status 125
  expect_in "$ERR" 'backend "landlock" is not usable here: Landlock disabled by SRT_LANDLOCK_MAX_ABI=0'
}

scenario_landlock_explain() {
  mkdir -p "$HOME/.ssh" w/sub
  echo hi >"$HOME/notes"
  settings <<<'{"filesystem": {"allowWrite": ["./w"], "denyRead": ["~/.ssh"]}, "network": {"allowedDomains": ["example.com"]}}'
  run_srt policy explain -s "$SCRATCH/settings.json"
  expect_status 0
  expect_in "$OUT" "Landlock ruleset (ABI"
  # w holds protected entries (the mandatory placeholders): its own entries
  # are granted one by one.
  expect_in "$OUT" "|truncate beneath $WS/w/sub  <- filesystem.allowWrite[0]"
  # ~ is split around ~/.ssh: its other entries are granted one by one.
  expect_in "$OUT" "execute|read_file beneath $HOME/notes  <-"
  expect_in "$OUT" "connect_tcp to port 40001"
  expect_in "$OUT" "HTTP_PROXY=http://srt:<token>@127.0.0.1:40001"
  expect_in "$OUT" "listen: fails with EPERM when allowLocalBinding is off"
  expect_not_in "$OUT" "beneath $HOME/.ssh"
  run_srt policy explain -s "$SCRATCH/settings.json" --json
  expect_in "$OUT" '"landlock":{"abi":'
  # `srt backends` lists both backends, what each enforces and what is missing.
  run_srt backends
  expect_in "$OUT" "backend   landlock"
  expect_in "$OUT" "backend   bwrap"
  expect_in "$OUT" "pid_isolation degraded"
  expect_in "$OUT" "pid_isolation: no PID namespace"
  SRT_LANDLOCK_MAX_ABI=5 run_srt backends
  expect_in "$OUT" "ipc_isolation: Landlock ABI 5 (the kernel has"
}
