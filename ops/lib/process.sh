# shellcheck shell=bash
# The process supervisor of the local platform: start a server detached from the
# terminal with its pid, log and port recorded; tell whether it is up; stop it.
# A component is named like `zookeeper` or `cell-a/mysql`; its files use `cell-a_mysql`.

file_name() { echo "${1//\//_}"; }
pid_file() { echo "$CELLSHOP_PID_DIR/$(file_name "$1").pid"; }
log_file() { echo "$CELLSHOP_LOG_DIR/$(file_name "$1").log"; }

port_open() { # port [address] -> 0 when something accepts connections there (default: this host's address)
  (exec 3<>"/dev/tcp/${2:-$(host_address)}/$1") 2>/dev/null
}

# The pid of a component when it is alive and really ours (a pid file can outlive its
# process, and the kernel reuses pids): its command line or working directory must
# point into our state directory.
component_pid() {
  local f pid
  f=$(pid_file "$1")
  [[ -f $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ && -d /proc/$pid ]] || return 1
  if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$CELLSHOP_STATE_DIR" \
     || [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$CELLSHOP_STATE_DIR"* ]]; then
    echo "$pid"
    return 0
  fi
  return 1
}

port_owner() { # port -> "pid N (command)" when ss can tell
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\"\([^\"]*\)\",pid=\([0-9]*\).*/pid \2 (\1)/p' | head -n 1
}

# Refuses to start a component whose port another process holds: a clear message
# instead of a server that dies on bind (or, worse, clients talking to a stranger).
require_port_free() { # name port
  port_open "$2" || return 0
  local owner
  owner=$(port_owner "$2")
  die "cannot start $1: port $(host_address):$2 is already in use${owner:+ by $owner}.
Stop that process, or move this platform to other ports (CELLSHOP_PORT_BASE=... or --port-base; state dir $CELLSHOP_STATE_DIR)."
}

# start_detached name workdir command... : runs the command in its own session (so a
# Ctrl-C or the end of the calling shell does not take it down), output to its log.
start_detached() {
  local name=$1 dir=$2; shift 2
  local log pidf
  log=$(log_file "$name"); pidf=$(pid_file "$name")
  mkdir -p "$dir"
  printf '\n=== %s starting %s\n' "$(date -u +%FT%TZ)" "$name" >> "$log"
  # bash -c writes its own pid, then execs: the pid file names the server itself even
  # when setsid had to fork. The redirections cover the whole subshell, so no process
  # keeps the caller's stdout open (a pipe reading `ops/cellshop up` would never end).
  ( cd "$dir" || exit 1; exec setsid bash -c 'echo $$ > "$0"; exec "$@"' "$pidf" "$@" ) >>"$log" 2>&1 </dev/null &
}

# wait_ready name seconds check-command... : polls the check until it passes; fails with
# the log's tail when the process dies or the time runs out.
wait_ready() {
  local name=$1 timeout=$2; shift 2
  local deadline=$(( SECONDS + timeout )) log
  log=$(log_file "$name")
  while (( SECONDS < deadline )); do
    if ! component_pid "$name" >/dev/null; then
      sleep 0.2   # the pid file is written a moment after the fork
      component_pid "$name" >/dev/null || {
        printf '%s\n' "--- last lines of $log:" >&2; tail -n 25 "$log" >&2
        die "$name failed to start: the process exited. Its log: $log"
      }
    fi
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  printf '%s\n' "--- last lines of $log:" >&2; tail -n 25 "$log" >&2
  die "$name did not become ready within ${timeout}s. Its log: $log"
}

# stop_pid name seconds: SIGTERM (every server here shuts down cleanly on it), then
# waits; SIGKILL only when the time runs out, and says so.
stop_component() {
  local name=$1 timeout=${2:-30} pid
  pid=$(component_pid "$name") || { rm -f "$(pid_file "$name")"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  wait_exit "$name" "$pid" "$timeout"
}

wait_exit() { # name pid seconds
  local deadline=$(( SECONDS + $3 ))
  while [[ -d /proc/$2 ]] && (( SECONDS < deadline )); do sleep 0.1; done
  if [[ -d /proc/$2 ]]; then
    warn "$1 (pid $2) did not stop within $3s; killing it. Its log: $(log_file "$1")"
    kill -KILL "$2" 2>/dev/null || true
  fi
  rm -f "$(pid_file "$1")"
}

# Every process still holding on to the state directory (command line or working
# directory): what `down` must leave behind is nothing.
platform_processes() {
  local dir pid
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
    if tr '\0' ' ' 2>/dev/null < "$dir/cmdline" | grep -qF -- "$CELLSHOP_STATE_DIR/" \
       || [[ $(readlink "$dir/cwd" 2>/dev/null) == "$CELLSHOP_STATE_DIR"/* ]]; then
      printf '%s %s\n' "$pid" "$(tr '\0' ' ' < "$dir/cmdline" 2>/dev/null | cut -c1-120)"
    fi
  done
}
