#!/usr/bin/env bash
# bench_viz_ab.sh — two postino-viz binaries side by side on one trace
# (docs/BENCHMARKS.md, "Visualizer"): on a shared machine absolute frame
# rates drift with the load, so the "before" and "after" binaries run
# alternately, several rounds, on the same 1,000,000-event trace at
# 1920x1080 under llvmpipe, and the ratios are what to compare. Each run
# prints its load, frame-time percentiles and per-frame vertices, draw calls
# and pixels covered (`postino-viz --bench`); the load average is printed
# before each run. Also runs the 81-event demo trace, for scale.
#
#   [TRACE_FILE=T.jsonl] bench/bench_viz_ab.sh BEFORE_BIN AFTER_BIN [ROUNDS] [EVENTS] [FRAMES]   (default: 3 1000000 120)
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE="$1"
AFTER="$2"
ROUNDS="${3:-3}"
EVENTS="${4:-1000000}"
FRAMES="${5:-120}"
GEN="$(dirname "$AFTER")/postino-viz-gentrace"
TMP="$(mktemp --suffix=.jsonl)"
trap 'rm -f "$TMP"' EXIT
TRACE="${TRACE_FILE:-$TMP}"   # TRACE_FILE=...: reuse a trace written before
[ -n "${TRACE_FILE:-}" ] || "$GEN" "$TRACE" "$EVENTS"
if [ -n "${DISPLAY:-}" ]; then RUN=(); else RUN=(xvfb-run -a -s "-screen 0 1920x1080x24"); fi
for r in $(seq 1 "$ROUNDS"); do
  for which in before after; do
    bin="$BEFORE"; [ "$which" = after ] && bin="$AFTER"
    echo "=== round $r $which ($bin)  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    LIBGL_ALWAYS_SOFTWARE=1 "${RUN[@]}" "$bin" "$TRACE" --bench "$FRAMES" --size 1920x1080 --no-settings
    LIBGL_ALWAYS_SOFTWARE=1 "${RUN[@]}" "$bin" tests/viz/fixtures/demo.jsonl --bench "$FRAMES" --size 1920x1080 --no-settings \
      | grep -A1 'scrub (follow' | sed 's/^/  demo /'
  done
done
