#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The store's benchmarks (README, "The log, the report and the stick"):
#  - a year of a busy office (365 days x 1,400 visits = 511,000 visits, with
#    IDs, prompts, passers-by and a heartbeat a minute), written once;
#  - the visits CSV of the whole year beside `sqlite3 -csv` of the same query;
#  - `bzkiosk export` of the whole year (CSV, reports, XLSX, manifest, read back);
#  - one day's report (in-process over every day, and the command);
#  - tracing 100 daily keys over the last 21 days;
#  - durable visits/s (synchronous=FULL) on this disk.
# Usage: tests/bench/store.sh [BUILD_DIR] [WORK_DIR]  (a Release build is best;
# WORK_DIR keeps the year's database between runs)
set -eu
build=$(cd "${1:-build}" && pwd)
work=${2:-${TMPDIR:-/tmp}/bzkiosk-bench-store}
mkdir -p "$work"
fill="$build/tests/store_fill"
bench="$build/tests/bench_store"
bz="$build/bzkiosk"
t() { # the wall time of a shell command line, in seconds (its output discarded)
    s=$(date +%s.%N); sh -c "$1" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc
}
best3() { # the best of three runs of a shell command line
    for _ in 1 2 3; do t "$1"; done | sort -n | head -1
}
if [ ! -s "$work/year.db" ]; then
    echo "writing a year of visits (once) ..."
    "$fill" --db "$work/year.db" --from 2025-12-01 --days 365 --per-day 1400 --bulk \
        --keys-out "$work/keys-all.csv" --cases 8
fi
tail -n 100 "$work/keys-all.csv" >"$work/keys.csv"
echo "database: $(du -h "$work/year.db" | cut -f1), $(sqlite3 "$work/year.db" 'SELECT count(*) FROM visits') visits"

"$bench" "$work/year.db" "$work/keys.csv" "$work/bench.csv"

# the same rows, formatted by SQLite itself
q="SELECT id, (SELECT v FROM meta WHERE k = 'site_name'),
  strftime('%Y-%m-%dT%H:%M:%S+07:00', entry_ms / 1000 + 25200, 'unixepoch'),
  CASE WHEN exit_reason = 0 THEN '' ELSE strftime('%Y-%m-%dT%H:%M:%S+07:00', exit_ms / 1000 + 25200, 'unixepoch') END,
  CASE exit_reason WHEN 0 THEN 'open' WHEN 1 THEN 'absent' WHEN 2 THEN 'checkout' ELSE 'closing' END,
  CASE method WHEN 0 THEN 'auto' WHEN 1 THEN 'touch' ELSE 'staff' END,
  CASE app WHEN 0 THEN 'bluezone-android' WHEN 1 THEN 'bluezone-ios' WHEN 2 THEN 'other' WHEN 3 THEN 'none' ELSE 'no-smartphone' END,
  prompt_shown, install_assisted, clock_ok
  FROM visits WHERE day BETWEEN 0 AND 100000 ORDER BY day, id"
echo "sqlite3 -csv of the same query, best of 3: $(best3 "sqlite3 -csv '$work/year.db' \"$q\" >'$work/sqlite.csv'") s"
echo "bzkiosk's visits CSV (export_visits_csv), best of 3: $(for _ in 1 2 3; do "$bench" "$work/year.db" "$work/keys.csv" "$work/bench.csv" | sed -n 's/visits CSV: \([0-9.]*\) s/\1/p'; done | sort -n | head -1) s"
python3 - "$work/bench.csv" "$work/sqlite.csv" <<'PY' && echo "the two CSVs hold the same rows" || echo "NOTE: the two CSVs differ"
import csv, sys
a = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))[1:]
b = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline="")))
assert a == b, (len(a), len(b), a[0], b[0])
PY
mkdir -p "$work/stick" && rm -rf "$work/stick"/bzkiosk-*
echo "bzkiosk export of the year (visits, reports, XLSX, manifest, synced, read back): $(t "'$bz' export --db '$work/year.db' --to '$work/stick'") s"
day=2026-06-15
s=$(date +%s.%N)
for i in $(seq 20); do "$bz" report --db "$work/year.db" --date $day >/dev/null; done
e=$(date +%s.%N)
echo "bzkiosk report --date $day: $(echo "($e - $s) * 1000 / 20" | bc) ms per run (the whole process)"
s=$(date +%s.%N)
for i in $(seq 20); do "$bz" config --doc >/dev/null; done
e=$(date +%s.%N)
echo "  (bzkiosk config --doc, for the process start alone: $(echo "($e - $s) * 1000 / 20" | bc) ms per run)"
echo "bzkiosk trace, 100 keys: $(t "'$bz' trace --db '$work/year.db' --keys '$work/keys.csv'") s (the whole process)"
rm -rf "$work/durable" && mkdir -p "$work/durable"
"$fill" --db "$work/durable/kiosk.db" --from 2026-11-20 --days 1 --per-day 300 2>&1 | sed 's/^/durable (synchronous=FULL): /'
