#!/usr/bin/env bash
# exim.sh — runs Exim 4 on a free 127.0.0.1 port from a private directory,
# without systemd and without installing it: exim4-daemon-light conflicts
# with postfix (both are a mail-transport-agent), so scripts/install-deps.sh
# only fetches its .deb into POSTINO_PEERS_CACHE (/var/cache/postino-peers)
# and this script unpacks it with dpkg-deb -x into DIR/root. Exim runs in the
# foreground (`exim4 -C CONF -bdf`) as an unprivileged user (PEERS_UID,
# nobody when run by root), in its own session, and delivers mail for the
# test users of lib.sh to Maildir (BASE/example.test/<user>/Maildir/, the
# layout postfix.sh and dovecot.sh use). Nothing leaves the machine: no DNS;
# mail for every other domain is accepted only from 127.0.0.1 (relay_from_hosts)
# and then fails in the `unroutable` router, so Exim's own bounce returns a DSN
# to the sender (the message suite's M7–M11 read it back).
#
#   exim.sh start DIR [--smtp PORT] [--maildir-base BASE]
#   exim.sh stop DIR
#
# start prints the port and the PID file and writes them to DIR/peer.env
# (SMTP_PORT, MAILDIR_BASE, PID, PID_FILE). stop sends SIGTERM to the
# recorded PID (never by name) and waits for its session to be gone.
set -euo pipefail
PEERS_NAME=exim
. "$(dirname "$0")/lib.sh"
PEERS_CACHE="${POSTINO_PEERS_CACHE:-/var/cache/postino-peers}"

start() {
  local dir=$1; shift
  local port="" base=""
  while [ $# -gt 0 ]; do
    case $1 in
      --smtp) port=$2; shift 2 ;;
      --maildir-base) base=$2; shift 2 ;;
      *) peers_usage ;;
    esac
  done
  local deb
  deb=$(compgen -G "$PEERS_CACHE/exim4-daemon-light_*.deb" | sort | tail -1) \
    || peers_die "no exim4-daemon-light .deb in $PEERS_CACHE (run scripts/install-deps.sh)"
  peers_ids
  dir=$(peers_private_dir "$dir")
  port=${port:-$(free_port)}
  base=${base:-$dir/mail}
  dpkg-deb -x "$deb" "$dir/root"
  local exim="$dir/root/usr/sbin/exim4"
  # The packaged binary is setuid root; this copy runs unprivileged only.
  chmod u-s "$exim"
  mkdir -p "$dir/spool" "$dir/log" "$base/$PEERS_DOMAIN"
  local u users=""
  for u in "${PEERS_USERS[@]}"; do users+="${users:+ : }$u"; done

  cat >"$dir/exim.conf" <<CF
# Written by conformance/peers/exim.sh: a private, loopback-only instance.
exim_path = $exim
exim_user = $PEERS_UID
exim_group = $PEERS_GID
never_users =
keep_environment =
primary_hostname = mx2.$PEERS_DOMAIN
qualify_domain = $PEERS_DOMAIN
local_interfaces = <; 127.0.0.1.$port
daemon_smtp_ports = $port
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
pid_file_path = $dir/exim.pid
host_lookup =
rfc1413_hosts =
dns_again_means_nonexist = *
domainlist local_domains = $PEERS_DOMAIN
hostlist relay_from_hosts = <; 127.0.0.1
acl_smtp_rcpt = acl_check_rcpt
acl_smtp_data = acl_check_data
deliver_drop_privilege = true
queue_only = false

begin acl
acl_check_rcpt:
  accept domains = +local_domains
         local_parts = $users
  deny   domains = +local_domains
         message = unknown user
  accept hosts = +relay_from_hosts
  deny   message = relay not permitted
acl_check_data:
  accept

begin routers
local_user:
  driver = accept
  domains = +local_domains
  local_parts = $users
  transport = maildir
unroutable:
  driver = redirect
  data = :fail: this test instance delivers nothing off the machine
  allow_fail

begin transports
maildir:
  driver = appendfile
  # The *_data variables are the untainted values the router matched.
  directory = $base/\$domain_data/\$local_part_data/Maildir
  maildir_format = true
  create_directory = true
  delivery_date_add
  envelope_to_add
  return_path_add
  user = $PEERS_UID
  group = $PEERS_GID
  mode = 0600

begin retry
*   *   F,1h,1m
CF
  chown -R "$PEERS_UID:$PEERS_GID" "$dir/spool" "$dir/log" "$base"
  chown "$PEERS_UID:$PEERS_GID" "$dir"

  # -bdf: daemon in the foreground, so setsid gives it its own session and
  # its PID is the one recorded; as root, it drops to PEERS_UID first.
  local run=()
  [ "$(id -u)" -eq 0 ] && run=(setpriv --reuid="$PEERS_UID" --regid="$PEERS_GID" --clear-groups)
  setsid "${run[@]}" "$exim" -C "$dir/exim.conf" -bdf -oX "$port" </dev/null >"$dir/exim.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/pid"
  if ! wait_listen "$port"; then
    stop_pid "$pid" || true
    cat "$dir/exim.log" "$dir/log/paniclog" >&2 2>/dev/null || true
    peers_die "nothing listens on 127.0.0.1:$port after ${PEERS_START_TIMEOUT_S} s (above; logs in $dir/log)"
  fi
  state_write "$dir" "SMTP_PORT=$port" "MAILDIR_BASE=$base" "PID=$pid" "PID_FILE=$dir/pid"
  echo "exim: SMTP on 127.0.0.1:$port ($(basename "$deb"))"
  echo "exim: Maildir base $base (alice@$PEERS_DOMAIN -> $base/$PEERS_DOMAIN/alice/Maildir/)"
  echo "exim: pid $pid in $dir/pid; state in $dir/peer.env"
}

stop() {
  peers_stop "$1"
  rm -f "$1/peer.env"
}

case ${1:-} in
  start) [ $# -ge 2 ] || peers_usage; shift; start "$@" ;;
  stop) [ $# -eq 2 ] || peers_usage; stop "$2" ;;
  *) peers_usage ;;
esac
