#!/usr/bin/env bash
# dovecot.sh — runs Dovecot IMAP and POP3 (Debian packages dovecot-core,
# dovecot-imapd, dovecot-pop3d, installed by scripts/install-deps.sh) on free
# 127.0.0.1 ports from a private directory, without systemd: a standalone
# config file, passwd-file users of lib.sh (alice, bob; password "secret"),
# and the Maildirs Postfix writes (BASE/example.test/<user>/Maildir/, see
# postfix.sh), so a message sent through Postfix can be read back here.
#
#   dovecot.sh start DIR [--imap PORT] [--pop3 PORT] [--maildir-base BASE] [--tls CERT KEY]
#   dovecot.sh stop DIR
#
# --tls offers STARTTLS (IMAP) and STLS (POP3) with the PEM certificate and
# key given (plaintext login stays allowed, as without it).
# start prints the ports and the PID file and writes them to DIR/peer.env
# (IMAP_PORT, POP3_PORT, MAILDIR_BASE, PID, PID_FILE); BASE defaults to
# DIR/mail. stop sends SIGTERM to the recorded master PID (never by name)
# and waits for its session to be gone. Needs root (the master starts as
# root; mail is read as PEERS_UID, nobody by default).
set -euo pipefail
PEERS_NAME=dovecot
. "$(dirname "$0")/lib.sh"

start() {
  local dir=$1; shift
  local imap="" pop3="" base="" cert="" key=""
  while [ $# -gt 0 ]; do
    case $1 in
      --tls) [ $# -ge 3 ] || peers_usage; cert=$(realpath "$2"); key=$(realpath "$3"); shift 3 ;;
      --imap) imap=$2; shift 2 ;;
      --pop3) pop3=$2; shift 2 ;;
      --maildir-base) base=$2; shift 2 ;;
      *) peers_usage ;;
    esac
  done
  [ "$(id -u)" -eq 0 ] || peers_die "needs root (the Dovecot master starts as root)"
  command -v dovecot >/dev/null || peers_die "dovecot is not installed (run scripts/install-deps.sh)"
  peers_ids
  dir=$(peers_private_dir "$dir")
  imap=${imap:-$(free_port)}
  pop3=${pop3:-$(free_port)}
  [ "$imap" != "$pop3" ] || pop3=$(free_port)
  base=${base:-$dir/mail}
  mkdir -p "$dir/run" "$dir/state" "$base/$PEERS_DOMAIN"
  chown "$PEERS_UID:$PEERS_GID" "$base" "$base/$PEERS_DOMAIN"
  : >"$dir/passwd"
  local u
  for u in "${PEERS_USERS[@]}"; do echo "$u:{PLAIN}$PEERS_PASSWORD::::::" >>"$dir/passwd"; done

  local ssl="ssl = no"
  if [ -n "$cert" ]; then
    [ -r "$cert" ] && [ -r "$key" ] || peers_die "--tls: cannot read $cert or $key"
    ssl="ssl = yes
ssl_cert = <$cert
ssl_key = <$key"
  fi
  cat >"$dir/dovecot.conf" <<CF
# Written by conformance/peers/dovecot.sh: a private, loopback-only instance.
protocols = imap pop3
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
instance_name = dovecot-peers-$imap
login_greeting = Dovecot ready.
$ssl
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
# Failed logins answer at once (the default waits 2 s), so tests stay quick.
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Ln $dir/passwd
}
userdb {
  driver = static
  args = uid=$PEERS_UID gid=$PEERS_GID home=$base/$PEERS_DOMAIN/%Ln
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $pop3
  }
  inet_listener pop3s {
    port = 0
  }
}
CF

  # dovecot forks, detaches into its own session and writes its PID file;
  # configuration errors are printed before that.
  dovecot -c "$dir/dovecot.conf" >"$dir/start.log" 2>&1 </dev/null \
    || { cat "$dir/start.log" >&2; peers_die "dovecot did not start (above; log in $dir/dovecot.log)"; }
  local pid_file="$dir/run/master.pid" pid
  pid=$(wait_pidfile "$pid_file") || peers_die "no master PID in $pid_file after ${PEERS_START_TIMEOUT_S} s"
  if ! wait_listen "$imap" || ! wait_listen "$pop3"; then
    stop_pid "$pid" || true
    peers_die "IMAP $imap / POP3 $pop3 not listening after ${PEERS_START_TIMEOUT_S} s (see $dir/dovecot.log)"
  fi
  state_write "$dir" "IMAP_PORT=$imap" "POP3_PORT=$pop3" "MAILDIR_BASE=$base" "PID=$pid" "PID_FILE=$pid_file"
  echo "dovecot: IMAP on 127.0.0.1:$imap"
  echo "dovecot: POP3 on 127.0.0.1:$pop3"
  echo "dovecot: users ${PEERS_USERS[*]} (password $PEERS_PASSWORD), Maildirs in $base/$PEERS_DOMAIN/<user>/Maildir/"
  echo "dovecot: pid $pid in $pid_file; state in $dir/peer.env"
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
