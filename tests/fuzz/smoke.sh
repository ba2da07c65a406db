#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Keeps the fuzz targets compiling and running: builds them with clang
# (libFuzzer, ASan, UBSan) and runs each for a few seconds over the seeds.
. "$BZ_SOURCE_DIR/tests/integration/lib.sh"
command -v clang >/dev/null || skip "clang is not installed (tools/packages-test.txt)"
out="$BZ_BUILD_DIR/fuzz"
if ! "$BZ_SOURCE_DIR/tests/fuzz/build.sh" "$out" >"$TMP/build.log" 2>&1; then
    if grep -q 'libclang_rt.fuzzer\|cannot find.*fuzzer' "$TMP/build.log"; then
        skip "clang has no libFuzzer runtime (package libclang-rt-14-dev)"
    fi
    not_ok "the fuzz targets do not build: $(head -5 "$TMP/build.log")"
    finish
fi
ok "built the fuzz targets"
for t in adv btsnoop trace_keys report_csv; do
    mkdir -p "$TMP/corpus-$t"
    if "$out/fuzz_$t" -max_total_time=5 -artifact_prefix="$TMP/" "$TMP/corpus-$t" \
        "$BZ_SOURCE_DIR/tests/fuzz/corpus/$t" >"$TMP/$t.log" 2>&1; then
        ok "fuzz_$t: $(grep -o 'stat::number_of_executed_units: [0-9]*\|Done [0-9]* runs' "$TMP/$t.log" | tail -1)"
    else
        not_ok "fuzz_$t found something: $(grep -m3 'ERROR\|SUMMARY\|Test unit written' "$TMP/$t.log")"
    fi
done
finish
