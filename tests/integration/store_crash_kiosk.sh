#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The kiosk itself killed mid-run: `bzkiosk replay --db --events` prints an
# event only after the store's sink has returned, so every visit_end it
# printed before SIGKILL must be in the log, which must pass integrity_check;
# the next run closes what the killed one left open. BZ_CRASH_ROUNDS kills.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || skip "the sqlite3 shell is needed to check the file independently"
rounds=${BZ_CRASH_ROUNDS:-15}
"$BZKIOSK" simulate --out "$TMP/day.btsnoop" --scenario day --seed 2 >/dev/null || not_ok "simulate"
mkdir -p "$TMP/k"
db="$TMP/k/kiosk.db"
: >"$TMP/ended"
seed=11
i=0
while [ "$i" -lt "$rounds" ]; do
    i=$((i + 1))
    "$BZKIOSK" replay "$TMP/day.btsnoop" --db "$db" --events >"$TMP/ev" 2>/dev/null &
    pid=$!
    seed=$(((seed * 1103515245 + 12345) % 2147483648))
    sleep "$(printf '%d.%03d' $((seed % 3)) $((seed / 7 % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    sed -n "s/^{\"event\":\"visit_end\",\"t_ms\":[0-9]*,\"visit\":\([0-9]*\),.*/\1/p" "$TMP/ev" >>"$TMP/ended"
    echo >>"$TMP/ended" # the killed run's last line may have no newline
    check=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1)
    [ "$check" = ok ] || { not_ok "round $i: integrity_check: $check"; finish; }
done
sqlite3 "$db" "SELECT id FROM visits WHERE exit_reason != 0" | sort >"$TMP/present"
grep -v '^$' "$TMP/ended" | sort -u >"$TMP/want"
missing=$(comm -23 "$TMP/want" "$TMP/present" | head -5)
n=$(wc -l <"$TMP/want")
[ -z "$missing" ] && ok "$rounds kills of the kiosk: integrity_check ok each time, all $n visits it reported ended are in the log" \
    || not_ok "visits reported ended but missing: $missing"
[ "$n" -gt 0 ] && ok "visits ended between kills" || not_ok "no visit ended before a kill: nothing tested"
expect_rc 0 "the next run starts on the same log" "$BZKIOSK" replay "$TMP/day.btsnoop" --db "$db"
[ "$(sqlite3 "$db" "SELECT count(*) FROM visits WHERE exit_reason = 0")" -eq 0 ] && ok "no visit is left open" || not_ok "open visits remain"
finish
