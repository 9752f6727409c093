#!/usr/bin/env bash
# test.sh — the whole test suite, from a fresh Debian 12 machine:
#   1. installs the packages (scripts/install-deps.sh, idempotent);
#   2. builds and runs every test in the `dev` preset (Debug, warnings as errors);
#   3. builds `postino` in `release` and checks determinism across build
#      types: every deterministic run gives the same fingerprint in Debug and
#      Release (the tests are not rebuilt at -O3: the dev and asan stages run
#      them, and the release stage only needs the command);
#   4. builds and runs every test under AddressSanitizer + UBSan (`asan`).
# Exits non-zero on the first failure. CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

JOBS="${POSTINO_JOBS:-$(nproc)}"
step() { printf '\n==> %s\n' "$*"; }

step "dev: configure, build, test"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$JOBS"
ctest --preset dev -j "$JOBS"

step "release: configure, build, determinism across build types"
cmake --preset release >/dev/null
cmake --build --preset release -j "$JOBS" --target postino
scripts/check-determinism.sh build/dev/postino build/release/postino

step "asan: configure, build, test (AddressSanitizer + UBSan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$JOBS"
ctest --preset asan -j "$JOBS"
scripts/check-determinism.sh build/dev/postino build/asan/postino

step "all test stages passed"
