#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one fuzz target for SECONDS under nice, growing its corpus in
# build-fuzz/corpus-TARGET from the seeds in tests/fuzz/corpus/.
# Usage: tests/fuzz/run.sh adv|btsnoop SECONDS [extra libFuzzer flags]
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
target=$1 secs=$2
shift 2
out=${FUZZ_DIR:-$src/build-fuzz}
[ -x "$out/fuzz_$target" ] || "$src/tests/fuzz/build.sh" "$out"
mkdir -p "$out/corpus-$target" "$out/artifacts-$target"
exec nice -n 10 "$out/fuzz_$target" -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix="$out/artifacts-$target/" "$@" "$out/corpus-$target" "$src/tests/fuzz/corpus/$target"
