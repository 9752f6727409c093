#!/usr/bin/env bash
# viz-screenshots.sh — regenerates the postino-viz pictures in docs/images/:
# the README's, from the built-in demo trace (`postino demo`), and the user
# guide's spool and message panels, from the hand-written mail fixtures in
# tests/viz/fixtures/ (until the MTA exists and `postino run` writes such
# traces). Renders offscreen with Mesa (llvmpipe); uses xvfb-run when there
# is no display.
#
#   scripts/viz-screenshots.sh [BUILD_DIR]     (default: build/dev)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD="${1:-build/dev}"
cmake --build "$BUILD" --target postino postino-viz >/dev/null
OUT=docs/images
mkdir -p "$OUT"
TRACE="$(mktemp --suffix=.jsonl)"
trap 'rm -f "$TRACE"' EXIT
"$BUILD/postino" demo --seed 1 --trace "$TRACE" --quiet >/dev/null

run_viz() {
  if [ -n "${DISPLAY:-}" ]; then
    LIBGL_ALWAYS_SOFTWARE=1 "$BUILD/postino-viz" "$@"
  else
    LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1280x800x24" "$BUILD/postino-viz" "$@"
  fi
}
shot() {  # shot NAME INPUT ARGS...
  local name="$1" input="$2"
  shift 2
  run_viz "$input" --screenshot "$OUT/$name.png" --size 1600x900 "$@"
}

# The demo: DNS, the TCP handshake, a segment lost while a link is down, the
# retransmission that gets through, a refused connection.
shot viz-handshake "$TRACE" --at '#13'
shot viz-loss "$TRACE" --at '#35'
shot viz-retransmission "$TRACE" --at '#58' --theme light --tab events
shot viz-projector "$TRACE" --at '#80' --theme projector --font-px 22 --select '#79'
# The mail panels on hand-written fixtures (see tests/viz/fixtures/README.md).
FIX=tests/viz/fixtures
shot viz-spool "$FIX/mail-bounce.jsonl" --at '#46' --tab spool
shot viz-dsn "$FIX/mail-bounce.jsonl" --at '#69' --tab message --message Q2 --theme light
shot viz-mailboxes "$FIX/mail-mailbox.jsonl" --at '#45' --tab mailboxes
echo "viz-screenshots: pictures in $OUT/"
