#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The writer killed at random moments (SIGKILL, BZ_CRASH_ROUNDS times, 200 by
# default): after each kill the database passes PRAGMA integrity_check and
# holds every visit the writer had reported as recorded (store_sink returned
# 0, i.e. synchronous=FULL committed it), and the next writer carries on.
# SIGKILL tests the process dying; a power cut is what FULL adds (see store.c).
. "$(dirname "$0")/lib.sh"
FILL="$BZ_BUILD_DIR/tests/store_fill"
rounds=${BZ_CRASH_ROUNDS:-200}
command -v sqlite3 >/dev/null || skip "the sqlite3 shell is needed to check the file independently"
db="$TMP/kiosk.db"
: >"$TMP/recorded"
bad=0
i=0
seed=1
while [ "$i" -lt "$rounds" ]; do
    i=$((i + 1))
    "$FILL" --db "$db" --from 2026-11-20 --days 30 --per-day 400 --seed "$i" --print >"$TMP/round" 2>"$TMP/fill.err" &
    pid=$!
    # a random moment from 0 to 400 ms
    seed=$(((seed * 1103515245 + 12345) % 2147483648))
    sleep "$(printf '0.%03d' $((seed % 400)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    # a whole line only: the kill may cut the last one
    grep -x 'recorded [0-9]*' "$TMP/round" | sed 's/^recorded //' >>"$TMP/recorded"
    check=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1)
    if [ "$check" != ok ]; then
        not_ok "round $i: integrity_check says: $check"
        bad=$((bad + 1))
        break
    fi
    if [ $((i % 20)) -eq 0 ] || [ "$i" -eq "$rounds" ]; then
        sqlite3 "$db" "SELECT id FROM visits WHERE exit_reason != 0" | sort >"$TMP/present"
        sort -u "$TMP/recorded" >"$TMP/want"
        missing=$(comm -23 "$TMP/want" "$TMP/present" | head -5)
        if [ -n "$missing" ]; then
            not_ok "round $i: visits reported recorded but missing: $missing"
            bad=$((bad + 1))
            break
        fi
    fi
done
n=$(sort -u "$TMP/recorded" | wc -l)
[ "$bad" -eq 0 ] && ok "$rounds kills: integrity_check ok after each, all $n visits reported recorded are there"
[ "$n" -gt 0 ] && ok "the writer recorded visits between kills ($n)" || not_ok "no visit was ever recorded: the kills came too early to test anything"
finish
