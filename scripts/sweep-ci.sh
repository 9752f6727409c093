#!/usr/bin/env bash
# sweep-ci.sh POSTINO — the bounded sweep CI runs on every commit (docs/sweep.md):
# 500 seeds over the three sweep scenarios of the library, two worker
# processes; then the same 100 seeds with --jobs 1 and --jobs 2 must give the
# same per-seed results and fingerprints; shards merged equal the whole run;
# the planted bug is found and --minimize writes replayable reproductions into
# a directory it creates (or says clearly why it cannot).
set -euo pipefail
postino="$1"
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$postino" sweep scenarios/sweep-relay.yaml   --seeds 200 --jobs 2 --quiet
"$postino" sweep scenarios/sweep-bounces.yaml --seeds 150 --jobs 2 --quiet
"$postino" sweep scenarios/sweep-aliases.yaml --seeds 150 --jobs 2 --quiet
"$postino" sweep scenarios/sweep-relay.yaml --seeds 100 --from 1000 --jobs 1 --quiet --json "$tmp/j1.json" >/dev/null
"$postino" sweep scenarios/sweep-relay.yaml --seeds 100 --from 1000 --jobs 2 --quiet --json "$tmp/j2.json" >/dev/null
if cmp -s "$tmp/j1.json" "$tmp/j2.json"; then
  echo "sweep: --jobs 1 and --jobs 2 give identical results for 100 seeds"
else
  echo "sweep: --jobs 1 and --jobs 2 DIFFER" >&2
  diff "$tmp/j1.json" "$tmp/j2.json" | head -20 >&2
  exit 1
fi
# Shards: two halves merged equal the whole.
"$postino" sweep scenarios/sweep-relay.yaml --seeds 100 --from 1000 --shard 0/2 --quiet --json "$tmp/s0.json" >/dev/null
"$postino" sweep scenarios/sweep-relay.yaml --seeds 100 --from 1000 --shard 1/2 --quiet --json "$tmp/s1.json" >/dev/null
"$postino" sweep merge "$tmp/s0.json" "$tmp/s1.json" --json "$tmp/merged.json" >/dev/null
python3 - "$tmp/j1.json" "$tmp/merged.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["results"]; b = json.load(open(sys.argv[2]))["results"]
sys.exit(0 if a == b else "sweep: merged shards differ from the whole run")
PY
echo "sweep: shards 0/2 + 1/2 merged equal the whole run"
# The planted bug: found, and minimized into a directory that did not exist.
set +e
"$postino" sweep tests/sweep/planted-bug.yaml --seeds 30 --quiet --minimize "$tmp/min/nested" >"$tmp/planted.txt" 2>&1
rc=$?
set -e
if [ "$rc" -ne 1 ] || ! grep -q "^FAIL seed 27: conservation" "$tmp/planted.txt" \
   || [ ! -s "$tmp/min/nested/sweep-planted-bug-seed-27.yaml" ]; then
  echo "sweep: the planted bug was not found and minimized into a new directory" >&2
  cat "$tmp/planted.txt" >&2
  exit 1
fi
if "$postino" run "$tmp/min/nested/sweep-planted-bug-seed-27.yaml" --quiet >/dev/null; then
  echo "sweep: the minimized reproduction of seed 27 does not fail" >&2
  exit 1
fi
echo "sweep: planted bug found, minimized into a new directory, the reproduction fails"
# A --minimize directory that cannot be created is named in a clear error.
touch "$tmp/a-file"
set +e
"$postino" sweep tests/sweep/planted-bug.yaml --seeds 1 --from 27 --quiet --minimize "$tmp/a-file/sub" >/dev/null 2>"$tmp/err.txt"
set -e
if ! grep -q "^postino: --minimize: cannot create the directory $tmp/a-file/sub: " "$tmp/err.txt"; then
  echo "sweep: no clear error for a --minimize directory that cannot be created" >&2
  cat "$tmp/err.txt" >&2
  exit 1
fi
echo "sweep: a --minimize directory that cannot be created gives a clear error"
