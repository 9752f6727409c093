#!/usr/bin/env bash
# bench_serve.sh — the `postino serve` load benchmark (docs/BENCHMARKS.md,
# "postino serve against Postfix"): in ONE run, on the same storage, the same
# SMTP load (bench/smtp_bench.py: N concurrent sessions on loopback, M
# messages each) against
#   1. Postfix's smtp-sink (accepts and discards: the client's own ceiling),
#   2. Postfix delivering to Maildir (queue file fsync'ed before the 250,
#      then virtual(8) writes the Maildir),
#   3. `postino serve` (spool file + directory fsync'ed before the 250, then
#      Maildir file + directory fsync'ed),
# and prints messages per second, latency p50/p90/p99 and how long after the
# last 250 the last message was in the Maildir. The servers come from
# conformance/peers/ (Postfix) and POSTINO; all are stopped by recorded PID.
#
#   bench/bench_serve.sh POSTINO [--sessions N] [--messages M] [--rounds R]
#                        [--size OCTETS] [--dir PARENT]
#
# PARENT (default /var/tmp) holds the run's directory, so every server
# writes to one file system; it is removed at the end. Needs root (Postfix).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
peers=$here/../conformance/peers
postino=${1:?usage: bench_serve.sh POSTINO [--sessions N] [--messages M] [--rounds R] [--size OCTETS] [--dir PARENT]}
shift
sessions=10 messages=100 rounds=1 size=512 parent=/var/tmp
while [ $# -gt 0 ]; do
  case $1 in
    --sessions) sessions=$2 ;; --messages) messages=$2 ;; --rounds) rounds=$2 ;;
    --size) size=$2 ;; --dir) parent=$2 ;;
    *) echo "bench_serve.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
DELIVERY_TIMEOUT_S=120   # every accepted message is in the Maildir well within this

dir=$(mktemp -d "$parent/postino-bench-serve.XXXXXX")
chmod 755 "$dir"
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ]; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  [ -f "$dir/postfix/peer.env" ] && "$peers/postfix.sh" stop "$dir/postfix" >/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

"$peers/postfix.sh" start "$dir/postfix" --sink 0 >/dev/null
. "$dir/postfix/peer.env"
cat >"$dir/serve.yaml" <<CF
name: mx.example.test
domains: [example.test]
mailboxes:
  - {name: alice, password: secret}
CF
"$postino" serve --smtp 0 --data "$dir/postino" --config "$dir/serve.yaml" >"$dir/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 500); do grep -q ready "$dir/serve.log" && break; sleep 0.02; done
serve_port=$(sed -n 's/.*SMTP on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/serve.log")
[ -n "$serve_port" ] || { cat "$dir/serve.log" >&2; echo "bench_serve.sh: postino serve did not start" >&2; exit 1; }

count() { { find "$1" -maxdepth 1 -type f 2>/dev/null || true; } | wc -l; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start;" \
     "storage $(df -T "$dir" | awk 'NR==2 {print $1 " (" $2 ")"}')"
echo "load: $sessions sessions x $messages messages of $size octets, one connection per session, $rounds round(s)"
echo
echo "| round | target | msg/s | p50 ms | p90 ms | p99 ms | errors | in Maildir after the last 250 |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq "$rounds"); do
  for target in smtp-sink postfix postino; do
    case $target in
      smtp-sink) port=$SINK_PORT maildir="" ;;
      postfix) port=$SMTP_PORT maildir=$MAILDIR_BASE/example.test/alice/Maildir/new ;;
      postino) port=$serve_port maildir=$dir/postino/mailboxes/alice/new ;;
    esac
    before=0; [ -n "$maildir" ] && before=$(count "$maildir")
    res=$(python3 "$here/smtp_bench.py" "$port" "$sessions" "$messages" --size "$size" --json || true)
    t_end=$EPOCHREALTIME
    read -r sent rate p50 p90 p99 errs < <(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["messages"], r["msg_per_s"], r["p50_ms"], r["p90_ms"], r["p99_ms"], r["errors"])' "$res")
    stored="n/a (discards)"
    if [ -n "$maildir" ]; then
      want=$((before + sent)) deadline=$((SECONDS + DELIVERY_TIMEOUT_S))
      while [ "$(count "$maildir")" -lt "$want" ] && [ $SECONDS -lt $deadline ]; do sleep 0.01; done
      have=$(( $(count "$maildir") - before ))
      stored=$(awk -v a="$t_end" -v b="$EPOCHREALTIME" -v h="$have" -v s="$sent" \
        'BEGIN { if (h == s) printf "%.2f s", b - a; else printf "only %d of %d", h, s }')
    fi
    echo "| $round | $target | $rate | $p50 | $p90 | $p99 | $errs | $stored |"
  done
done
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
