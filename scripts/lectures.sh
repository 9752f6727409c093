#!/usr/bin/env bash
# lectures.sh — regenerates and checks the lectures (lectures/README.md, "For authors").
#
#   scripts/lectures.sh [update] [BUILD_DIR]   rewrite every shown output and every figure
#                                              (Mermaid diagrams, visualizer screenshots)
#   scripts/lectures.sh check [BUILD_DIR]      what CTest runs: the shell blocks, then the figures
#
# BUILD_DIR (default build/dev) must hold postino and postino-viz:
#   cmake --build build/dev -j2 --target postino postino-viz
# Screenshots are rendered offscreen under xvfb-run (scripts/install-deps.sh installs it).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
action="${1:-update}"
case "$action" in
  update|check) shift || true ;;
  *) action=update ;;
esac
build="${1:-$here/build/dev}"
if [ "$action" = update ]; then
  exec python3 "$here/scripts/lectures.py" update --build "$build"
fi
python3 "$here/scripts/lectures.py" check --build "$build"
python3 "$here/scripts/lectures.py" figures --check --build "$build"
