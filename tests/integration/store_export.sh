#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bzkiosk export, verify and trace on real files: the folder sha256sum -c
# accepts, a changed byte or an added file fails verify, the visits CSV as
# INTERFACES.md says, nothing left under a final name on failure, and the
# confirmed cases' keys find their visits.
. "$(dirname "$0")/lib.sh"
FILL="$BZ_BUILD_DIR/tests/store_fill"
command -v python3 >/dev/null || skip "python3 is needed to check the CSV"
command -v sha256sum >/dev/null || skip "sha256sum (coreutils) is needed"
command -v sqlite3 >/dev/null || skip "the sqlite3 shell is needed"

mkdir -p "$TMP/k" && "$FILL" --db "$TMP/k/kiosk.db" --from 2026-11-20 --days 3 --per-day 60 --seed 3 --bulk \
    --keys-out "$TMP/keys.csv" --cases 2 2>/dev/null
[ -s "$TMP/k/kiosk.db" ] && ok "filled a kiosk" || not_ok "store_fill"
mkdir -p "$TMP/stick"

expect_rc 0 "export everything" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/stick"
dir=$(cat "$TMP/out")
case "$dir" in "$TMP/stick/bzkiosk-SITE-01-2026-11-20_2026-11-22-"*) ok "folder named by site, range and time" ;;
*) not_ok "folder name: $dir" ;; esac
(cd "$dir" && sha256sum -c --strict MANIFEST.sha256 >/dev/null 2>&1) && ok "sha256sum -c accepts the manifest" || not_ok "sha256sum -c"
expect_rc 0 "verify the folder" "$BZKIOSK" verify "$dir"
expect_grep "$TMP/out" "5 files match the manifest, signed by [0-9a-f]{64}" "says what it checked and who signed"
pk=$(cat "$dir/signing-key.pub")
expect_rc 0 "verify with the kiosk's key" "$BZKIOSK" verify "$dir" --key "$pk"
expect_rc 1 "verify with another kiosk's key" "$BZKIOSK" verify "$dir" --key "$(echo "$pk" | tr '0-9a-f' '1-9a-f0')"
expect_grep "$TMP/err" "another key" "says so"
ls -a "$TMP/stick" | grep -q partial && not_ok "a .partial folder is left" || ok "no temporary folder left"
find "$dir" -name '*.tmp' | grep -q . && not_ok "a .tmp file is left" || ok "no .tmp file left"

python3 - "$dir/visits.csv" <<'PY' && ok "visits.csv: BOM, INTERFACES.md's columns and values, 180 visits" || not_ok "visits.csv"
import csv, re, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf")
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[0] == "visit_id,site,entry_time,exit_time,exit_reason,method,app,prompt_shown,install_assisted,clock_ok".split(","), rows[0]
body = rows[1:]
assert len(body) == 180, len(body)
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
for r in body:
    assert iso.match(r[2]) and iso.match(r[3]), r
    assert r[4] in ("absent", "checkout", "closing", "open") and r[5] in ("auto", "touch", "staff")
    assert r[6] in ("bluezone-android", "bluezone-ios", "other", "none", "no-smartphone")
    assert r[1] == "Bộ phận một cửa, UBND xã A"
PY
grep -qi "$(head -c 8 "$TMP/keys.csv")" "$dir"/* && not_ok "a key or ID in the export" || ok "no beacon data in the export"

# a changed byte, an added file, a removed file, a bad signature
cp -r "$dir" "$TMP/changed"
printf 'X' | dd of="$TMP/changed/visits.csv" bs=1 seek=200 conv=notrunc 2>/dev/null
expect_rc 1 "verify after one changed byte" "$BZKIOSK" verify "$TMP/changed"
expect_one_line "$TMP/err" "one line"
expect_grep "$TMP/err" "visits.csv: its SHA-256 differs" "names the file"
cp -r "$dir" "$TMP/added" && echo extra >"$TMP/added/notes.txt"
expect_rc 1 "verify with an added file" "$BZKIOSK" verify "$TMP/added"
expect_grep "$TMP/err" "notes.txt: not in the manifest" "names it"
cp -r "$dir" "$TMP/removed" && rm "$TMP/removed/report.xlsx"
expect_rc 1 "verify with a removed file" "$BZKIOSK" verify "$TMP/removed"
expect_grep "$TMP/err" "report.xlsx: No such file" "names it"
cp -r "$dir" "$TMP/resigned" && sed -i 's/^./0/' "$TMP/resigned/MANIFEST.sha256"
expect_rc 1 "verify a manifest changed after signing" "$BZKIOSK" verify "$TMP/resigned"
expect_grep "$TMP/err" "signature does not match" "says so"
expect_rc 1 "verify a folder that is no export" "$BZKIOSK" verify "$TMP/k"
expect_grep "$TMP/err" "signing-key.pub" "names what is missing"

# ranges
expect_rc 0 "export one day" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/stick" --from 2026-11-21 --until 2026-11-21
one=$(cat "$TMP/out")
[ "$(($(wc -l <"$one/visits.csv") - 1))" -eq 60 ] && ok "one day: 60 visits" || not_ok "one day: $(wc -l <"$one/visits.csv") lines"
expect_rc 2 "--until before --from" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/stick" --from 2026-11-21 --until 2026-11-20
expect_rc 1 "export to a missing folder" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/nostick"
expect_grep "$TMP/err" "nostick/.bzkiosk-.*partial: cannot create the folder" "names the folder"
# a stick that cannot be written (read-only mount stand-in); root ignores modes, so skip that then
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
    expect_rc 1 "export to a read-only folder" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/ro"
fi
# a stale partial folder from a pulled stick is cleaned, the next export works
mkdir "$TMP/stick/.bzkiosk-SITE-01-x.partial" && echo half >"$TMP/stick/.bzkiosk-SITE-01-x.partial/visits.csv.tmp"
expect_rc 0 "export after a pulled stick" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/stick" --from 2026-11-20 --until 2026-11-20
[ -e "$TMP/stick/.bzkiosk-SITE-01-x.partial" ] && not_ok "the stale partial folder stays" || ok "the stale partial folder is gone"

# an export while the kiosk keeps recording (WAL: the export reads, the writer writes)
"$FILL" --db "$TMP/k/kiosk.db" --from 2026-11-23 --days 1 --per-day 200 --seed 9 --print >"$TMP/writer.out" 2>&1 &
writer=$!
sleep 0.3
expect_rc 0 "export while the kiosk records" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/stick" --from 2026-11-20 --until 2026-11-23
during=$(cat "$TMP/out")
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
expect_rc 0 "and it verifies" "$BZKIOSK" verify "$during"
[ "$(sqlite3 "$TMP/k/kiosk.db" "PRAGMA integrity_check")" = ok ] && ok "the log is intact" || not_ok "integrity_check"

# trace
expect_rc 0 "trace the cases" "$BZKIOSK" trace --db "$TMP/k/kiosk.db" --keys "$TMP/keys.csv"
n=$(grep -c '^Case ' "$TMP/out")
[ "$n" -ge 4 ] && ok "every case's visit found ($n)" || not_ok "found $n cases"
expect_grep "$TMP/out" "present at the same time" "lists who was there"
expect_rc 0 "trace as CSV" "$BZKIOSK" trace --db "$TMP/k/kiosk.db" --keys "$TMP/keys.csv" --format csv
python3 -c "
import csv,sys
rows=list(csv.DictReader(open(sys.argv[1],encoding='utf-8-sig',newline='')))
assert sum(r['relation']=='case' for r in rows) >= 4 and any(r['relation']=='present' for r in rows)
" "$TMP/out" && ok "CSV: cases and who was present" || not_ok "trace CSV"
printf '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f,1763596800\n' >"$TMP/other.csv"
expect_rc 0 "trace a key nobody logged" "$BZKIOSK" trace --db "$TMP/k/kiosk.db" --keys "$TMP/other.csv"
expect_grep "$TMP/out" "^0 visits matched" "finds nothing"
mkdir -p "$TMP/copy" && cp "$TMP/k/kiosk.db" "$TMP/copy/" && "$FILL" --db "$TMP/copy/x.db" --from 2026-11-20 --days 1 --per-day 1 --bulk 2>/dev/null
expect_rc 0 "trace a copied database with another device's key" "$BZKIOSK" trace --db "$TMP/copy/kiosk.db" --keys "$TMP/keys.csv"
expect_grep "$TMP/out" "^0 visits matched" "a copy without the secret reveals nothing"
printf 'zz,1\n' >"$TMP/bad.csv"
expect_rc 1 "trace a bad keys file" "$BZKIOSK" trace --db "$TMP/k/kiosk.db" --keys "$TMP/bad.csv"
expect_grep "$TMP/err" "bad.csv:1: daily_key_hex: expected 64 hex digits" "names file, line and field"
rm "$TMP/k/store.key"
expect_rc 1 "trace without the device key" "$BZKIOSK" trace --db "$TMP/k/kiosk.db" --keys "$TMP/keys.csv"
expect_grep "$TMP/err" "store.key: cannot open the device key" "names the key file"
finish
