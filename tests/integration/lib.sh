# Helpers for integration scenarios (sourced by run.sh, which sets SRT,
# SCRATCH, TOOLS). Every check looks at the host from outside the sandbox.

fail() {
  echo "FAIL: $*" >&2
  if [[ -n "${ERR:-}" ]]; then echo "--- srt's stderr:" >&2; echo "$ERR" >&2; fi
  exit 1
}

# A fresh workspace (the sandboxed command's working directory) and a fake
# home, so that no scenario can touch the real user's files.
setup_workspace() {
  WS="$SCRATCH/ws"
  OUTSIDE="$SCRATCH/outside"
  export HOME="$SCRATCH/home"
  mkdir -p "$WS" "$OUTSIDE" "$HOME"
  # srt's private TMPDIR and runtime directory live under here.
  export TMPDIR="$SCRATCH/tmp"
  mkdir -p "$TMPDIR"
  unset XDG_RUNTIME_DIR
  cd "$WS"
}

# Writes settings JSON (from stdin) to $SCRATCH/settings.json.
settings() {
  cat >"$SCRATCH/settings.json"
}

# srt ARGS...: the srt under test on the backend under test (unless ARGS
# name one).
srt() {
  local a
  for a in "$@"; do
    [[ "$a" == -- ]] && break
    [[ "$a" == --backend || "$a" == --backend=* ]] && { "$SRT" "$@"; return; }
  done
  "$SRT" --backend "$BACKEND" "$@"
}

# How a write the sandbox refuses fails: bwrap shows read-only mounts,
# Landlock refuses access.
readonly_error() {
  if [[ "$BACKEND" == landlock ]]; then echo "Permission denied"; else echo "Read-only file system"; fi
}

# run_srt ARGS...: runs srt; sets STATUS, OUT, ERR. Never fails by itself.
run_srt() {
  set +e
  srt "$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err" </dev/null
  STATUS=$?
  set -e
  OUT=$(cat "$SCRATCH/.out")
  ERR=$(cat "$SCRATCH/.err")
}

# with_settings ARGS...: run_srt with the settings written by `settings`.
with_settings() {
  run_srt -s "$SCRATCH/settings.json" "$@"
}

expect_status() {
  [[ "$STATUS" == "$1" ]] || fail "expected exit status $1, got $STATUS (stdout: $OUT)"
}

expect_in() {  # expect_in HAYSTACK NEEDLE
  [[ "$1" == *"$2"* ]] || fail "expected to find [$2] in [$1]"
}

expect_not_in() {
  [[ "$1" != *"$2"* ]] || fail "did not expect [$2] in [$1]"
}

expect_file() {  # expect_file PATH CONTENT
  [[ -f "$1" ]] || fail "expected $1 to exist on the host"
  [[ "$(cat "$1")" == "$2" ]] || fail "expected $1 to hold [$2], it holds [$(cat "$1")]"
}

expect_absent() {
  [[ ! -e "$1" && ! -L "$1" ]] || fail "expected $1 not to exist on the host"
}

# snapshot DIR: records every path under DIR; expect_unchanged DIR: fails if
# anything was added or removed since (e.g. a placeholder left behind).
snapshot() {
  find "$1" -mindepth 1 | sort >"$SCRATCH/.snapshot"
}

expect_unchanged() {
  local now
  now=$(find "$1" -mindepth 1 | sort)
  [[ "$now" == "$(cat "$SCRATCH/.snapshot")" ]] ||
    fail "$1 changed on the host: $(diff <(cat "$SCRATCH/.snapshot") <(echo "$now") | grep '^[<>]' | tr '\n' ' ')"
}

# signal_srt PID SIG STATUS: sends SIG to the srt running in the background
# as PID and expects it to exit with STATUS.
signal_srt() {
  local status
  kill "-$2" "$1"
  set +e
  wait "$1"
  status=$?
  set -e
  [[ $status == "$3" ]] || fail "srt exited $status after SIG$2, expected $3"
}

# expect_no_process PATTERN: no process whose command line matches is left.
expect_no_process() {
  if pgrep -f "$1" >/dev/null; then fail "processes of the sandbox survived srt: $(pgrep -af "$1")"; fi
}

# wait_for COMMAND...: retries for up to 10 s.
wait_for() {
  local i
  for ((i = 0; i < 200; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.05
  done
  return 1
}
