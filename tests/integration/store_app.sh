#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The store plugged into the kiosk: replay --db and run --db write every
# visit the presence engine reports, numbering continues across runs, visits
# a crashed run left open are closed, and the kiosk prepares the day's report
# by itself at hours.report (on the lobby clock).
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || skip "the sqlite3 shell is needed to read the file independently"

"$BZKIOSK" simulate --out "$TMP/short.btsnoop" --scenario short --seed 5 >/dev/null || not_ok "simulate"
mkdir -p "$TMP/k"
expect_rc 0 "replay into a new database" "$BZKIOSK" replay "$TMP/short.btsnoop" --db "$TMP/k/kiosk.db" --events --set hours.report=08:00
ends=$(grep -c '"event":"visit_end"' "$TMP/out")
starts=$(grep -c '"event":"visit_start"' "$TMP/out")
in_db=$(sqlite3 "$TMP/k/kiosk.db" "SELECT count(*) FROM visits WHERE exit_reason != 0")
[ "$ends" -gt 0 ] && [ "$ends" -eq "$in_db" ] && [ "$starts" -eq "$in_db" ] && ok "every visit the engine reported is in the log ($in_db)" \
    || not_ok "events: $starts starts, $ends ends; database: $in_db ended visits"
max1=$(sqlite3 "$TMP/k/kiosk.db" "SELECT max(id) FROM visits")
[ "$(stat -c %a "$TMP/k/store.key")" = 600 ] && ok "the device key was made, 0600" || not_ok "store.key"
ls "$TMP/k/reports/"report-*.json >/dev/null 2>&1 && ok "the kiosk prepared the day's report at hours.report" || not_ok "no report in $TMP/k/reports"
for f in "$TMP/k/reports/"report-*.csv; do
    head -c 3 "$f" | od -An -tx1 | grep -q "ef bb bf" && ok "its CSV has the BOM" || not_ok "no BOM in $f"
done
day=$(basename "$TMP/k/reports/"report-*.json .json | sed 's/report-//')
expect_rc 0 "report the replayed day" "$BZKIOSK" report --db "$TMP/k/kiosk.db" --date "$day"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['visits'] + r['staff'] == $in_db and r['uptime_s'] > 0, r" "$TMP/out" \
    && ok "the report counts the replayed visits and the uptime" || not_ok "report: $(cat "$TMP/out")"
# a capture is what a scanner heard: the scanner was working all along
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['scanner_ok_s'] == r['uptime_s'] > 0, r" "$TMP/out" \
    && ok "the scanner counts as working for the whole replay" || not_ok "scanner_ok_s: $(cat "$TMP/out")"

# a crash left a visit open: the next start closes it as 'closing'
sqlite3 "$TMP/k/kiosk.db" "INSERT INTO visits SELECT $((max1 + 1)), entry_ms, 0, 0, method, app, kind, 0, 0, 0, 1, 0, day FROM visits WHERE id = $max1"
expect_rc 0 "replay again into the same log" "$BZKIOSK" replay "$TMP/short.btsnoop" --db "$TMP/k/kiosk.db"
expect_grep "$TMP/err" "1 visits left open by the last run were closed" "says it closed the open visit"
[ "$(sqlite3 "$TMP/k/kiosk.db" "SELECT exit_reason FROM visits WHERE id = $((max1 + 1))")" = 3 ] && ok "closed as 'closing'" || not_ok "the open visit was not closed"
min2=$(sqlite3 "$TMP/k/kiosk.db" "SELECT min(id) FROM visits WHERE id > $((max1 + 1))")
[ "$min2" -eq $((max1 + 2)) ] && ok "numbering continues after the last visit ($min2)" || not_ok "numbering: next is $min2 after $((max1 + 1))"
[ "$(sqlite3 "$TMP/k/kiosk.db" "PRAGMA integrity_check")" = ok ] && ok "integrity_check ok" || not_ok "integrity_check"

expect_rc 1 "replay into a folder that does not exist" "$BZKIOSK" replay "$TMP/short.btsnoop" --db "$TMP/none/kiosk.db"
expect_one_line "$TMP/err" "one line"
expect_grep "$TMP/err" "none/" "names the path"

# run: the live kiosk (simulated lobby) writes heartbeats on the lobby clock
mkdir -p "$TMP/r"
expect_rc 0 "run --db for 3 seconds" "$BZKIOSK" run --db "$TMP/r/kiosk.db" --source sim --display offscreen --seconds 3
hb=$(sqlite3 "$TMP/r/kiosk.db" "SELECT v FROM meta WHERE k = 'last_hb_ms'" 2>/dev/null)
[ -n "$hb" ] && ok "run recorded heartbeats in its log" || not_ok "no heartbeat in the run's log"
finish
