#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The screens' benchmarks (a Release build is best):
#  1. start to first frame: `bzkiosk run` until its first frame is on screen
#     (a window under Xvfb; best of five),
#  2. render time per screen at 1280x800, SDL's software renderer,
#  3. CPU of an idle kiosk over SECONDS (default 60) under Xvfb: the attract
#     screen, no visitor at the desk (near_rssi -30), the simulated lobby
#     still broadcasting around it (the scanner's work is included),
#  4. its peak memory (VmHWM).
# Usage: tests/bench/screens.sh [BUILD_DIR] [SECONDS]
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-rel}
secs=${2:-60}
bz=$build/bzkiosk
[ -x "$bz" ] || { echo "no $bz: cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel" >&2; exit 2; }
command -v Xvfb >/dev/null || { echo "Xvfb is needed (apt-get install xvfb)" >&2; exit 2; }
tmp=$(mktemp -d)
Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp >"$tmp/dpy" 2>/dev/null &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do [ -s "$tmp/dpy" ] && break; sleep 0.1; done
export DISPLAY=":$(head -1 "$tmp/dpy")"
cat >"$tmp/kiosk.conf" <<CONF
[presence]
near_rssi = -30
[display]
mode = window
width = 1280
height = 800
[store]
db = $tmp/kiosk.db
CONF

echo "== start to first frame (window under Xvfb, 1280x800; best of 5)"
best=""
for i in 1 2 3 4 5; do
    rm -rf "$tmp/f"; mkdir "$tmp/f"
    s=$(date +%s%N)
    "$bz" run --config "$tmp/kiosk.conf" --source sim --frames-dir "$tmp/f" --seconds 5 2>/dev/null &
    pid=$!
    while [ ! -e "$tmp/f/000001-attract.png" ]; do sleep 0.002; done
    e=$(date +%s%N)
    kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
    ms=$(( (e - s) / 1000000 ))
    echo "  run $i: ${ms} ms"
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
echo "  best: ${best} ms (includes writing the frame's PNG)"

echo "== render time per screen"
"$build/tests/bench_screens" 20 1280 800

echo "== idle kiosk over ${secs} s (attract screen, simulated lobby, window under Xvfb)"
"$bz" run --config "$tmp/kiosk.conf" --source sim --seconds $((secs + 10)) 2>"$tmp/run.log" &
pid=$!
sleep 3
tck=$(getconf CLK_TCK)
cpu0=$(awk '{print $14 + $15}' /proc/$pid/stat)
t0=$(date +%s%N)
sleep "$secs"
cpu1=$(awk '{print $14 + $15}' /proc/$pid/stat)
t1=$(date +%s%N)
hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
kill $pid; wait $pid 2>/dev/null || true
echo "$cpu0 $cpu1 $t0 $t1 $tck" | awk '{ printf "  CPU: %.2f%% of one core (%d ticks in %.1f s)\n", 100 * ($2 - $1) / $5 / (($4 - $3) / 1e9), $2 - $1, ($4 - $3) / 1e9 }'
echo "  peak memory (VmHWM): $((hwm / 1024)) MiB ($hwm kB); resident at the end: $((rss / 1024)) MiB"
