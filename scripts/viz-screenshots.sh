#!/usr/bin/env bash
# viz-screenshots.sh — regenerates the postino-viz pictures in docs/images/
# (README.md and docs/visualizer.md show them). The mail pictures come from
# real scenarios, which postino-viz runs in process (scenarios/classic.yaml,
# bounce-after-lifetime.yaml, alias-one-to-many.yaml); the TCP pictures from
# the built-in demo trace (`postino demo`: a segment lost while a link is
# down, its retransmission). Renders offscreen with Mesa (llvmpipe); uses
# xvfb-run when there is no display. Pictures do not depend on your settings.
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
shot() {  # [SIZE=WxH] shot NAME INPUT ARGS...   (default size 1600x900)
  local name="$1" input="$2"
  shift 2
  run_viz "$input" --screenshot "$OUT/$name.png" --size "${SIZE:-1600x900}" "$@"
}

S=scenarios
# The classic story: Alice's message is submitted over SMTP (TCP folded away)
# while Bob's server is down; then it waits in the spool with a countdown.
shot viz-classic "$S/classic.yaml" --at 1.095s --fold-tcp --around 22
shot viz-spool "$S/classic.yaml" --at 1m10s --tab spool --around 8
# Webmail: the browser's GET, the IMAP session it costs the webmail, the HTTP answer.
shot viz-webmail "$S/webmail.yaml" --at 1m10.21s --fold-tcp --around 60 --only http imap
# The same moment for a projector: high-contrast theme, large text, Italian narration.
SIZE=1920x1080 shot viz-projector "$S/classic.yaml" --at 1m10s --tab spool --around 8 --theme projector --font-px 24 --lang it
# The lifetime is over: the bounce (RFC 3464 DSN) lands in Alice's mailbox.
shot viz-dsn "$S/bounce-after-lifetime.yaml" --at 16m4.2s --tab message --message 24110BAAB8 --theme light --fold-tcp --around 14
# A group alias: bob and carol have the message at once; dave's copy waits.
shot viz-mailboxes "$S/alias-one-to-many.yaml" --at 1.21s --tab mailboxes --fold-tcp --around 30
# IMAP: the phone has just moved the \Seen message to INBOX/Archive (UID MOVE):
# struck out in INBOX, new in the archive folder.
shot viz-imap-move "$S/imap-two-clients.yaml" --at 2m0.2s --tab mailboxes --fold-tcp --around 30
# TCP in the demo: DNS and the handshake; a segment lost while a link is
# down; the retransmission that gets through.
shot viz-handshake "$TRACE" --at '#13'
shot viz-loss "$TRACE" --at '#33'
shot viz-retransmission "$TRACE" --at '#48' --theme light --tab events
echo "viz-screenshots: pictures in $OUT/"
