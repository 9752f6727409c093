#!/usr/bin/env bash
# demo.sh — the README's main command: installs what is needed, builds
# Postino (release preset) and runs the classic story (scenarios/classic.yaml:
# a message is spooled, retried while the destination is down, and
# delivered), narrated in the terminal. Extra arguments go to `postino run`
# (e.g. --lang it, --verbose, --trace classic.jsonl).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" >/dev/null
exec build/release/postino run scenarios/classic.yaml "$@"
