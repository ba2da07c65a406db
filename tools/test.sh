#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Sets up and runs every test: a normal build and an AddressSanitizer +
# UBSan build, each running the whole ctest suite (the expensive `image`
# tests, which build their own Release program and disk image, run once:
# in the normal build). Prints cmocka's and
# ctest's summaries; the full output of every test is in build*/Testing/.
# Extra arguments go to ctest (e.g. tools/test.sh -L unit).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh build test image
jobs=$(nproc)
status=0
for spec in build:Debug: build-asan:Sanitize:image; do
    dir=${spec%%:*}
    type=${spec#*:}
    type=${type%%:*}
    exclude=${spec##*:}
    echo "=== $type build ($dir) ==="
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" >/dev/null
    cmake --build "$dir" -j "$jobs" >/dev/null
    log="$dir/Testing/ctest-output.log"
    mkdir -p "$dir/Testing"
    if ctest --test-dir "$dir" -j "$jobs" --output-on-failure -V ${exclude:+-LE "$exclude"} "$@" >"$log" 2>&1; then rc=0; else rc=$?; fi
    # cmocka's lines, then ctest's summary
    grep -E '^[0-9]+: \[ *(PASSED|FAILED|SKIPPED) *\]|^[0-9]+: (SKIP|skip|SKIPPED):' "$log" || true
    sed -n '/tests passed, /,$p' "$log"
    [ "$rc" -eq 0 ] || { status=1; echo "=== $type build: FAILED (see $log) ==="; }
done
# The release build compiles with -O2, whose warnings (-Werror) differ.
echo "=== Release build (build-rel): compile only ==="
cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
if ! cmake --build build-rel -j "$jobs" >build-rel/build.log 2>&1; then
    grep -E 'error|warning' build-rel/build.log | head -40
    status=1
    echo "=== Release build: FAILED (see build-rel/build.log) ==="
fi
exit "$status"
