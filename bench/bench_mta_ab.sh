#!/usr/bin/env bash
# bench_mta_ab.sh — two builds of bench_mta side by side: the same world run
# by each binary in turn, REPS times, so that both see the same machine
# (this 2-core VM swings by ±10% from one run to the next, and a drift
# over minutes would favour whichever ran in the better minute). Prints
# each run's messages per wall second, the medians, and their ratio; exits
# non-zero if the two binaries disagree on the run's fingerprint, since
# then they did not simulate the same thing. See docs/BENCHMARKS.md.
#
#   bench/bench_mta_ab.sh BEFORE AFTER [REPS] [SERVERS] [MESSAGES]
#   bench/bench_mta_ab.sh /tmp/base/build/release/bench/bench_mta build/release/bench/bench_mta 7 100 10000
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 BEFORE AFTER [REPS=7] [SERVERS=100] [MESSAGES=10000]" >&2
    exit 2
fi
before=$1
after=$2
reps=${3:-7}
servers=${4:-100}
messages=${5:-10000}
for b in "$before" "$after"; do
    if [[ ! -x $b ]]; then
        echo "$0: $b is not an executable bench_mta" >&2
        exit 2
    fi
done
if ! [[ $reps =~ ^[1-9][0-9]*$ ]]; then
    echo "$0: REPS must be a positive integer, not '$reps'" >&2
    exit 2
fi

# One run: "<messages per wall second> <fingerprint>".
run() {
    local out rate fp
    out=$("$1" "$servers" "$messages")
    rate=$(sed -n 's/.*=> \([0-9]*\) messages\/s of wall time.*/\1/p' <<<"$out")
    fp=$(sed -n 's/.*fingerprint \([0-9a-f]*\).*/\1/p' <<<"$out")
    if [[ -z $rate || -z $fp ]]; then
        echo "$0: no rate or fingerprint in the output of $1:" >&2
        echo "$out" >&2
        exit 1
    fi
    echo "$rate $fp"
}

median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

rates_before=""
rates_after=""
fp_before=""
fp_after=""
for ((i = 1; i <= reps; i++)); do
    result=$(run "$before")
    read -r rate_b fp_before <<<"$result"
    result=$(run "$after")
    read -r rate_a fp_after <<<"$result"
    rates_before+=" $rate_b"
    rates_after+=" $rate_a"
    echo "run $i: before $rate_b, after $rate_a messages/s"
done
m_before=$(median <<<"$rates_before")
m_after=$(median <<<"$rates_after")
echo "world: $servers servers, $messages messages; $reps runs each, alternating"
echo "before:$rates_before  median $m_before  (fingerprint $fp_before)"
echo "after: $rates_after  median $m_after  (fingerprint $fp_after)"
awk -v a="$m_after" -v b="$m_before" 'BEGIN {printf "after / before: %.3f\n", a / b}'
if [[ $fp_before != "$fp_after" ]]; then
    echo "$0: the fingerprints differ: the two builds did not simulate the same world" >&2
    exit 1
fi
