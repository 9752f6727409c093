#!/usr/bin/env bash
# check-determinism.sh A B — runs every deterministic job (the network demo
# and every scenario of the library) with two builds of `postino` (e.g. Debug
# and Release) and fails unless the traces are byte-identical (DESIGN.md
# §2.2: same input and seed, same trace, in any build type).
set -euo pipefail
a="$1"; b="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail=0
compare() {  # name
  if cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl"; then
    echo "determinism: $1 identical ($(wc -l <"$tmp/a.jsonl") lines)"
  else
    echo "determinism: $1 DIFFERS between $a and $b" >&2
    fail=1
  fi
}
for seed in 1 42; do
  "$a" demo --quiet --seed "$seed" --trace "$tmp/a.jsonl" >/dev/null
  "$b" demo --quiet --seed "$seed" --trace "$tmp/b.jsonl" >/dev/null
  compare "demo seed $seed"
done
for s in scenarios/*.yaml; do
  "$a" run "$s" --quiet --trace "$tmp/a.jsonl" >/dev/null || true
  "$b" run "$s" --quiet --trace "$tmp/b.jsonl" >/dev/null || true
  compare "$s"
done
exit "$fail"
