#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bzkiosk report on real database files: JSON as INTERFACES.md says, CSV
# that Python's csv reads (BOM, Vietnamese), XLSX with its Vietnamese title,
# several kiosks merged, and clear errors.
. "$(dirname "$0")/lib.sh"
FILL="$BZ_BUILD_DIR/tests/store_fill"
command -v python3 >/dev/null || skip "python3 is needed to check JSON, CSV and XLSX"

"$FILL" --db "$TMP/a.db" --from 2026-11-20 --days 3 --per-day 50 --seed 1 --bulk 2>/dev/null \
    && ok "filled kiosk A" || not_ok "store_fill A"
mkdir -p "$TMP/b" && "$FILL" --db "$TMP/b/b.db" --from 2026-11-21 --days 1 --per-day 30 --seed 2 --bulk --site "Kiosk B" 2>/dev/null
[ -s "$TMP/b/b.db" ] && ok "filled kiosk B" || not_ok "store_fill B"
[ "$(stat -c %a "$TMP/store.key")" = 600 ] && ok "store.key is 0600" || not_ok "store.key mode $(stat -c %a "$TMP/store.key")"

expect_rc 0 "report json" "$BZKIOSK" report --db "$TMP/a.db" --date 2026-11-21
python3 - "$TMP/out" <<'PY' && ok "JSON has INTERFACES.md's fields, visits add up" || not_ok "JSON fields"
import json, sys
r = json.load(open(sys.argv[1]))
keys = ["site","date","visits","with_app","app_share","by_app","without_app","no_smartphone",
        "prompts_shown","installs_assisted","passersby","by_hour","uptime_s","scanner_ok_s"]
assert list(r)[:len(keys)] == keys, list(r)  # INTERFACES.md's fields first, in its order
assert list(r["by_app"]) == ["bluezone_android", "bluezone_ios", "other"]
assert r["date"] == "2026-11-21" and r["visits"] == 50
assert r["visits"] == r["with_app"] + r["without_app"] + r["no_smartphone"]
assert r["with_app"] == sum(r["by_app"].values())
assert len(r["by_hour"]) == 24 and sum(r["by_hour"]) == r["visits"]
assert abs(r["app_share"] - r["with_app"] / r["visits"]) < 0.001
assert r["site"] == "Bộ phận một cửa, UBND xã A"
assert 0 < r["scanner_ok_s"] <= r["uptime_s"] <= 86400
PY

expect_rc 0 "report a range" "$BZKIOSK" report --db "$TMP/a.db" --date 2026-11-20 --until 2026-11-23
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); assert [d['date'] for d in a]==['2026-11-20','2026-11-21','2026-11-22','2026-11-23'] and a[3]['visits']==0" "$TMP/out" \
    && ok "--until: one object per day, an empty day is zero" || not_ok "--until array"

expect_rc 0 "report csv to a file" "$BZKIOSK" report --db "$TMP/a.db" --date 2026-11-20 --until 2026-11-22 --format csv --out "$TMP/r.csv"
python3 - "$TMP/r.csv" <<'PY' && ok "CSV: BOM, RFC 4180, Vietnamese intact" || not_ok "CSV"
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert len(rows) == 3 and rows[1]["date"] == "2026-11-21" and rows[1]["visits"] == "50"
assert rows[0]["site"] == "Bộ phận một cửa, UBND xã A"
assert sum(int(rows[1]["h%02d" % h]) for h in range(24)) == 50
PY
[ -e "$TMP/r.csv.tmp" ] && not_ok "a temporary file is left" || ok "no temporary file left"

expect_rc 0 "report xlsx" "$BZKIOSK" report --db "$TMP/a.db" --date 2026-11-20 --until 2026-11-22 --format xlsx --out "$TMP/r.xlsx"
python3 - "$TMP/r.xlsx" <<'PY' && ok "XLSX: a workbook with the Vietnamese title and the site" || not_ok "XLSX"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
s = z.read("xl/sharedStrings.xml").decode("utf-8")
assert "BÁO CÁO KẾT QUẢ CÀI ĐẶT VÀ SỬ DỤNG ỨNG DỤNG BLUEZONE" in s
assert "Đơn vị: Bộ phận một cửa, UBND xã A (SITE-01)" in s
assert "Từ ngày 20/11/2026 đến ngày 22/11/2026" in s and "Tổng cộng" in s
PY

expect_rc 0 "merge two kiosks" "$BZKIOSK" report --db "$TMP/a.db" --db "$TMP/b/b.db" --date 2026-11-21
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['visits']==80 and r['kiosks']==2 and r['site']=='Bộ phận một cửa, UBND xã A; Kiosk B', r" "$TMP/out" \
    && ok "merged: figures summed, sites listed" || not_ok "merge"

# the province merges the kiosks' report CSVs (from their sticks)
expect_rc 0 "kiosk B's report CSV" "$BZKIOSK" report --db "$TMP/b/b.db" --date 2026-11-20 --until 2026-11-22 --format csv --out "$TMP/b.csv"
expect_rc 0 "merge two report CSVs" "$BZKIOSK" report --merge "$TMP/r.csv" --merge "$TMP/b.csv" --date 2026-11-21
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['visits']==80 and r['kiosks']==2 and r['site']=='Bộ phận một cửa, UBND xã A; Kiosk B' and sum(r['by_hour'])==80, r" "$TMP/out" \
    && ok "merged from CSV files: the same figures as from the databases" || not_ok "merge CSV: $(cat "$TMP/out")"
expect_rc 0 "a database and a CSV, a range" "$BZKIOSK" report --db "$TMP/a.db" --merge "$TMP/b.csv" --date 2026-11-20 --until 2026-11-22 --format csv
python3 - "$TMP/out" <<'PY' && ok "merged range as CSV: day by day" || not_ok "merged range"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert [r["visits"] for r in rows] == ["50", "80", "50"], [r["visits"] for r in rows]
assert [r["kiosks"] for r in rows] == ["2", "2", "2"]
PY
sed 's/^\("Bộ[^"]*",SITE-01,2026-11-21,\)50,/\151,/' "$TMP/r.csv" >"$TMP/bad.csv"
expect_rc 1 "a report CSV whose figures do not add up" "$BZKIOSK" report --merge "$TMP/bad.csv" --date 2026-11-21
expect_grep "$TMP/err" "bad.csv:3: visits: 51 is not the sum of the app columns" "names file, line and column"
printf 'site,date\nx,2026-11-21\n' >"$TMP/other.csv"
expect_rc 1 "a CSV that is no report" "$BZKIOSK" report --merge "$TMP/other.csv" --date 2026-11-21
expect_grep "$TMP/err" "other.csv:1: visits: the column is missing" "says which column"

expect_rc 1 "a missing database" "$BZKIOSK" report --db "$TMP/none.db" --date 2026-11-21
expect_one_line "$TMP/err" "missing database: one line"
expect_grep "$TMP/err" "none.db: cannot open the database: No such file" "names the file"
[ -e "$TMP/none.db" ] && not_ok "created the missing database" || ok "did not create it"
printf 'not a database, just text, long enough to be read as a header........' >"$TMP/junk.db"
expect_rc 1 "a file that is no database" "$BZKIOSK" report --db "$TMP/junk.db" --date 2026-11-21
expect_grep "$TMP/err" "junk.db" "names the file"
expect_rc 2 "a bad date" "$BZKIOSK" report --db "$TMP/a.db" --date 2026-02-30
expect_rc 2 "--until before --date" "$BZKIOSK" report --db "$TMP/a.db" --date 2026-11-21 --until 2026-11-20
expect_rc 2 "xlsx needs --out" "$BZKIOSK" report --db "$TMP/a.db" --date 2026-11-21 --format xlsx
expect_rc 1 "--out into a missing folder" "$BZKIOSK" report --db "$TMP/a.db" --date 2026-11-21 --out "$TMP/no/r.json"
expect_grep "$TMP/err" "no/r.json.tmp: cannot create" "names the file"
finish
