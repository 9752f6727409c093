#!/usr/bin/env bash
# lint.sh — clang-tidy over every source file of sim/ (configured with the
# `tidy` preset: clang, no precompiled headers, STACK.md §6). Exits non-zero
# on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >/dev/null
cmake --preset tidy >/dev/null
files=$(find sim -name '*.cpp' | sort)
if run-clang-tidy -quiet -p build/tidy $files 2>/dev/null | sed "s/\x1b\[[0-9;]*m//g" | grep -E "(warning|error): "; then exit 1; fi
echo "clang-tidy: clean ($(echo "$files" | wc -l) files)"
