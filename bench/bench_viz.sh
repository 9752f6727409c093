#!/usr/bin/env bash
# bench_viz.sh — the visualizer's benchmark (docs/BENCHMARKS.md, "Visualizer"):
# writes a 1,000,000-event synthetic mail trace (visualizer/tools/gen_trace.cpp,
# valid for `postino trace`), then runs `postino-viz --bench` on it at
# 1920x1080 under Mesa's llvmpipe (offscreen, via xvfb-run when there is no
# display): load time (read, validate, index, snapshots), then frames per
# second while scrubbing (the cursor jumps across the trace, the diagram
# follows), zooming out to the whole trace and back, and scrubbing with the
# whole trace in view. Goal: load < 3 s, >= 30 fps.
#
#   bench/bench_viz.sh [BUILD_DIR] [EVENTS] [FRAMES]   (default: build/release 1000000 120)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build/release}"
EVENTS="${2:-1000000}"
FRAMES="${3:-120}"
cmake --build "$BUILD" --target postino-viz postino-viz-gentrace >/dev/null
TRACE="$(mktemp --suffix=.jsonl)"
trap 'rm -f "$TRACE"' EXIT
"$BUILD/postino-viz-gentrace" "$TRACE" "$EVENTS"
if [ -n "${DISPLAY:-}" ]; then RUN=(); else RUN=(xvfb-run -a -s "-screen 0 1920x1080x24"); fi
LIBGL_ALWAYS_SOFTWARE=1 "${RUN[@]}" "$BUILD/postino-viz" "$TRACE" --bench "$FRAMES" --size 1920x1080
