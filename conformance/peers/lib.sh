# lib.sh — shared helpers of the conformance/peers/ scripts (sourced, not run):
# free loopback ports, waiting for a listener, the run directory's state file,
# and stopping a server by the PID it recorded. Stopping never looks a process
# up by name: it signals the recorded PID, then every process left in that
# PID's session (the servers daemonize with setsid, or are started with
# setsid here), so a server's children go with it.

PEERS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PEERS_DOMAIN=${PEERS_DOMAIN:-example.test}
PEERS_USERS=(alice bob postmaster)  # every test user's password is PEERS_PASSWORD (RFC 5321 §4.5.1: postmaster)
PEERS_PASSWORD=${PEERS_PASSWORD:-secret}
PEERS_START_TIMEOUT_S=10         # each server listens well within this (PEERS.md: < 0.5 s)
PEERS_STOP_TIMEOUT_S=5           # SIGTERM, then SIGKILL after this

peers_die() { echo "$PEERS_NAME: $*" >&2; exit 1; }

# The uid/gid that owns the mail and runs unprivileged servers: the caller's
# own when not root, else nobody:nogroup (PEERS_UID/PEERS_GID override).
peers_ids() {
  if [ -z "${PEERS_UID:-}" ]; then
    if [ "$(id -u)" -eq 0 ]; then PEERS_UID=$(id -u nobody); PEERS_GID=$(id -g nobody)
    else PEERS_UID=$(id -u); PEERS_GID=$(id -g); fi
  fi
  PEERS_GID=${PEERS_GID:-$PEERS_UID}
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now, below the
# kernel's ephemeral range (32768+) so no outgoing connection holds it. A
# server started right after may still lose a race with another test; its
# start then fails with a clear "cannot listen" and can be repeated.
free_port() {
  local port tries=0
  while [ $tries -lt 200 ]; do
    port=$((20000 + RANDOM % 12000)); tries=$((tries + 1))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  peers_die "no free port found in 20000-31999"
}

# wait_listen PORT: until a connection to 127.0.0.1:PORT succeeds.
wait_listen() {
  local port=$1 deadline=$((SECONDS + PEERS_START_TIMEOUT_S))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.02
  done
}

# wait_pidfile FILE: until FILE names a live process; prints the PID.
wait_pidfile() {
  local file=$1 deadline=$((SECONDS + PEERS_START_TIMEOUT_S)) pid
  while :; do
    pid=$(tr -dc 0-9 2>/dev/null <"$file" || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; return 0; fi
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.02
  done
}

# session_pids PID: the processes whose session id is PID (the server and
# every child it forked), one a line.
session_pids() { ps -e -o pid= -o sid= | awk -v s="$1" '$2 == s { print $1 }'; }

# stop_pid PID: SIGTERM to PID, wait up to PEERS_STOP_TIMEOUT_S for its whole
# session to exit, SIGKILL whatever is left; non-zero if anything survives.
stop_pid() {
  local pid=$1 deadline left
  # Only a session leader is signalled: a PID reused by an unrelated process
  # after the server died is not the leader of the server's session.
  if [ "$(ps -o sid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
  deadline=$((SECONDS + PEERS_STOP_TIMEOUT_S))
  while [ -n "$(session_pids "$pid")" ] && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
  left=$(session_pids "$pid")
  if [ -n "$left" ]; then
    echo "$PEERS_NAME: still running after SIGTERM, killed: $(echo $left)" >&2
    kill -KILL $left 2>/dev/null || true
    sleep 0.1
  fi
  [ -z "$(session_pids "$pid")" ]
}

# state_write DIR KEY=VALUE...: DIR/peer.env, read back by `stop` and by tests.
state_write() { local dir=$1; shift; printf '%s\n' "$@" >"$dir/peer.env"; }

# peers_private_dir DIR: creates DIR (0755) and prints its absolute path.
# The servers' unprivileged users must reach it, so every directory above it
# must be searchable by others; a private parent (mktemp -d makes 0700 ones)
# is reported instead of being changed.
peers_private_dir() {
  local dir=$1 p
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -e "$dir/peer.env" ] && peers_die "$dir/peer.env exists: stop that server first, or use another DIR"
  chmod 755 "$dir"
  p=$(dirname "$dir")
  while [ "$p" != / ]; do
    [ "$(( 0$(stat -c %a "$p") & 1 ))" -eq 1 ] \
      || peers_die "$p is not searchable by others (mode $(stat -c %a "$p")): the servers' own users could not reach $dir; chmod o+x it or choose another DIR"
    p=$(dirname "$p")
  done
  echo "$dir"
}

# The command line every script shares: start DIR | stop DIR.
peers_usage() {
  echo "usage: $0 start DIR [options] | stop DIR" >&2
  exit 2
}

# peers_stop DIR: stop the server whose PID DIR/peer.env recorded.
peers_stop() {
  local dir=$1 PID=
  [ -f "$dir/peer.env" ] || peers_die "$dir/peer.env: no server state here (not started?)"
  # shellcheck disable=SC1091
  . "$dir/peer.env"
  [ -n "$PID" ] || peers_die "$dir/peer.env: no PID recorded"
  if stop_pid "$PID"; then echo "$PEERS_NAME: stopped (pid $PID)"; else peers_die "pid $PID: processes left"; fi
}
