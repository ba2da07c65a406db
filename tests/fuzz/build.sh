#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets (clang, ASan + UBSan) into DIR (default build-fuzz).
# Usage: tests/fuzz/build.sh [DIR]
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$src/build-fuzz}
mkdir -p "$out"
cc=${CLANG:-clang}
flags="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$src"
kiosk="$src/kiosk/adv.c $src/kiosk/beacon.c $src/kiosk/btsnoop.c"
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz_adv" "$src/tests/fuzz/fuzz_adv.c" $kiosk
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz_btsnoop" "$src/tests/fuzz/fuzz_btsnoop.c" $kiosk
# the store's parsers of outside input: a keys file (trace) and a report CSV (report --merge)
store="$src/kiosk/trace.c $src/kiosk/report.c $src/kiosk/store.c $src/kiosk/civil.c $src/kiosk/bluezone_id.c $src/kiosk/record.c $src/kiosk/beacon.c"
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz_trace_keys" "$src/tests/fuzz/fuzz_trace_keys.c" $store -lsqlite3 -lsodium -lm
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz_report_csv" "$src/tests/fuzz/fuzz_report_csv.c" $store -lsqlite3 -lsodium -lm
echo "built $out/fuzz_adv $out/fuzz_btsnoop $out/fuzz_trace_keys $out/fuzz_report_csv"
