#!/usr/bin/env bash
# postfix.sh — runs Postfix (Debian package postfix, installed by
# scripts/install-deps.sh) on free 127.0.0.1 ports from a private directory,
# without systemd: its own main.cf/master.cf, queue and data directories,
# and delivery to Maildir through virtual(8) for the test users of lib.sh
# (alice@example.test → DIR/mail/example.test/alice/Maildir/). Nothing leaves
# the machine: no DNS, and mail for every other domain (accepted from
# 127.0.0.0/8, mynetworks) goes to the `nohost` transport, a pipe(8) that exits
# EX_NOHOST, so Postfix's own bounce(8) returns a DSN to the sender (the
# message suite's M7–M11 read it back).
#
#   postfix.sh start DIR [--smtp PORT] [--maildir-base BASE] [--sink PORT]
#   postfix.sh stop DIR
#
# start prints the ports and the PID file, and writes them to DIR/peer.env
# (SMTP_PORT, MAILDIR_BASE, PID, PID_FILE; SINK_PORT/SINK_PID with --sink,
# which also starts smtp-sink, Postfix's discarding test server). stop sends
# SIGTERM to the recorded master PID (never by name) and waits for its
# session to be gone. Needs root (the master starts as root and drops to the
# postfix user; mail is written as PEERS_UID, nobody by default).
set -euo pipefail
PEERS_NAME=postfix
. "$(dirname "$0")/lib.sh"

start() {
  local dir=$1; shift
  local port="" base="" sink=""
  while [ $# -gt 0 ]; do
    case $1 in
      --smtp) port=$2; shift 2 ;;
      --maildir-base) base=$2; shift 2 ;;
      --sink) sink=$2; shift 2 ;;
      *) peers_usage ;;
    esac
  done
  [ "$(id -u)" -eq 0 ] || peers_die "needs root (the Postfix master drops to the postfix user itself)"
  command -v postfix >/dev/null || peers_die "postfix is not installed (run scripts/install-deps.sh)"
  peers_ids
  dir=$(peers_private_dir "$dir")
  port=${port:-$(free_port)}
  base=${base:-$dir/mail}
  mkdir -p "$dir/etc" "$base"
  chown "$PEERS_UID:$PEERS_GID" "$base"
  # The queue and data directories with the owners and modes of Debian's
  # /etc/postfix/postfix-files (what `postfix check` would create, in ~3 s of
  # shell scripts; done here directly).
  install -d -o root -m 755 "$dir/queue" "$dir/queue/pid"
  install -d -o postfix -m 700 "$dir/data" "$dir/queue/private" \
    "$dir/queue/"{active,bounce,corrupt,defer,deferred,flush,hold,incoming,saved,trace}
  install -d -o postfix -g postdrop -m 730 "$dir/queue/maildrop"
  install -d -o postfix -g postdrop -m 710 "$dir/queue/public"

  local u maps=""
  for u in "${PEERS_USERS[@]}"; do maps+="$u@$PEERS_DOMAIN $PEERS_DOMAIN/$u/Maildir/"$'\n'; done
  printf '%s' "$maps" >"$dir/etc/vmailbox"

  cat >"$dir/etc/main.cf" <<CF
# Written by conformance/peers/postfix.sh: a private, loopback-only instance.
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
maillog_file_prefixes = $dir
maillog_file = $dir/maillog
myhostname = mx.$PEERS_DOMAIN
mydomain = $PEERS_DOMAIN
myorigin = \$mydomain
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relayhost =
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
disable_dns_lookups = yes
default_transport = nohost
relay_transport = nohost
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
virtual_mailbox_domains = $PEERS_DOMAIN
virtual_mailbox_base = $base
virtual_mailbox_maps = texthash:$dir/etc/vmailbox
virtual_uid_maps = static:$PEERS_UID
virtual_gid_maps = static:$PEERS_GID
virtual_minimum_uid = 1
biff = no
smtputf8_enable = yes
CF

  # master.cf: the SMTP listener on PORT and the internal services, nothing
  # chrooted (the private queue has no chroot tree).
  cat >"$dir/etc/master.cf" <<CF
# Written by conformance/peers/postfix.sh.
127.0.0.1:$port inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
virtual   unix  - n n -  - virtual
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
nohost    unix  - n n -  - pipe flags=q user=nobody argv=$dir/etc/nohost
CF
  # EX_NOHOST (sysexits.h 68): pipe(8) makes it a permanent failure, 5.1.2.
  printf '#!/bin/sh\nexit 68\n' >"$dir/etc/nohost"
  chmod 755 "$dir/etc/nohost"

  # The master is started directly: `postfix start` runs postfix-script's
  # checks first, and master's own -w waits in steps of a second; master
  # without -d detaches into its own session (setsid) and writes its PID file.
  "$(postconf -dh daemon_directory)/master" -c "$dir/etc" </dev/null >"$dir/start.log" 2>&1 &
  local pid_file="$dir/queue/pid/master.pid" pid
  pid=$(wait_pidfile "$pid_file") || peers_die "no master PID in $pid_file after ${PEERS_START_TIMEOUT_S} s"
  local state=("SMTP_PORT=$port" "MAILDIR_BASE=$base" "PID=$pid" "PID_FILE=$pid_file")
  if ! wait_listen "$port"; then
    stop_pid "$pid" || true
    peers_die "nothing listens on 127.0.0.1:$port after ${PEERS_START_TIMEOUT_S} s (see $dir/maillog)"
  fi

  if [ -n "$sink" ]; then
    [ "$sink" = 0 ] && sink=$(free_port)
    # smtp-sink: -c counts, -u drops to the postfix user; backlog 256.
    setsid smtp-sink -u postfix -h "sink.$PEERS_DOMAIN" "127.0.0.1:$sink" 256 \
      </dev/null >"$dir/sink.log" 2>&1 &
    local spid=$!
    echo "$spid" >"$dir/sink.pid"
    wait_listen "$sink" || { stop_pid "$spid" || true; stop_pid "$pid" || true; peers_die "smtp-sink does not listen on $sink"; }
    state+=("SINK_PORT=$sink" "SINK_PID=$spid")
  fi
  state_write "$dir" "${state[@]}"
  echo "postfix: SMTP on 127.0.0.1:$port"
  [ -n "$sink" ] && echo "postfix: smtp-sink on 127.0.0.1:$sink (pid $(cat "$dir/sink.pid"))"
  echo "postfix: Maildir base $base (alice@$PEERS_DOMAIN -> $base/$PEERS_DOMAIN/alice/Maildir/)"
  echo "postfix: pid $pid in $pid_file; state in $dir/peer.env"
}

stop() {
  local dir=$1 SINK_PID=
  [ -f "$dir/peer.env" ] && . "$dir/peer.env"
  if [ -n "$SINK_PID" ]; then stop_pid "$SINK_PID" || peers_die "smtp-sink pid $SINK_PID: processes left"; fi
  peers_stop "$dir"
  rm -f "$dir/peer.env"
}

case ${1:-} in
  start) [ $# -ge 2 ] || peers_usage; shift; start "$@" ;;
  stop) [ $# -eq 2 ] || peers_usage; stop "$2" ;;
  *) peers_usage ;;
esac
