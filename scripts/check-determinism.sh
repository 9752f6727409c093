#!/usr/bin/env bash
# check-determinism.sh A B — runs every deterministic job with two builds of
# `postino` (e.g. Debug and Release) and fails unless the traces are
# byte-identical (DESIGN.md §2.2: same input and seed, same trace, in any
# build type).
set -euo pipefail
a="$1"; b="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail=0
for seed in 1 2 42; do
  "$a" demo --quiet --seed "$seed" --trace "$tmp/a.jsonl" >/dev/null
  "$b" demo --quiet --seed "$seed" --trace "$tmp/b.jsonl" >/dev/null
  if cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl"; then
    echo "determinism: demo seed $seed identical ($(wc -l <"$tmp/a.jsonl") lines)"
  else
    echo "determinism: demo seed $seed DIFFERS between $a and $b" >&2
    fail=1
  fi
done
exit "$fail"
