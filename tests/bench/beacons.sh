#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Decoding speed: `bzkiosk decode` side by side with `btmon -r` and
# `tshark -r` on the same simulated day (> 1 million reports), and the
# allocations decode makes on a small and a large file (equal = none per
# report). Usage: tests/bench/beacons.sh [BUILD_DIR]   (a Release build is best)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-rel}
bz=$build/bzkiosk
[ -x "$bz" ] || { echo "no $bz: cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bz" simulate --out "$tmp/day.btsnoop" --scenario day --seed 1 >/dev/null
"$bz" simulate --out "$tmp/short.btsnoop" --scenario short --seed 1 >/dev/null
reports=$("$bz" decode "$tmp/day.btsnoop" | wc -l)
size=$(stat -c %s "$tmp/day.btsnoop")
echo "file: simulated day, $reports reports, $((size / 1048576)) MiB (page cache warm)"

# Best of three wall-clock runs, in seconds.
best() {
    b=""
    for _ in 1 2 3; do
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc -l)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}

ours=$(best "$bz" decode "$tmp/day.btsnoop")
printf '%-28s %8.3f s  %12.0f reports/s\n' "bzkiosk decode" "$ours" "$(echo "$reports / $ours" | bc -l)"
for peer in btmon tshark; do
    command -v $peer >/dev/null || { echo "$peer: not installed (tools/packages-test.txt)"; continue; }
    t=$(best $peer -r "$tmp/day.btsnoop")
    printf '%-28s %8.3f s  %12.0f reports/s   bzkiosk is %.1f× faster\n' "$peer -r" "$t" \
        "$(echo "$reports / $t" | bc -l)" "$(echo "$t / $ours" | bc -l)"
done

# No allocation per report: the same number of heap allocations for 24 k and 1 M reports.
if command -v valgrind >/dev/null; then
    for f in short day; do
        n=$("$bz" decode "$tmp/$f.btsnoop" | wc -l)
        allocs=$(valgrind "$bz" decode "$tmp/$f.btsnoop" 2>&1 >/dev/null |
            sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p')
        echo "allocations decoding $f ($n reports): $allocs"
    done
fi
