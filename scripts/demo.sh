#!/usr/bin/env bash
# demo.sh — the README's main command: installs what is needed, builds
# Postino (release preset) and runs the built-in story, narrated in the
# terminal. Extra arguments go to `postino demo` (e.g. --seed 7).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" >/dev/null
exec build/release/postino demo "$@"
