#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# replay and scan end to end: a simulated lobby through the presence engine,
# its events scored against the simulator's ground truth.
. "$(dirname "$0")/lib.sh"
EVAL="$BZ_SOURCE_DIR/tests/bench/presence_eval.py"
command -v python3 >/dev/null || skip "python3 is needed to read the ground truth"

# usage and input errors
expect_rc 0 "replay --help" "$BZKIOSK" replay --help
expect_rc 2 "replay without a file" "$BZKIOSK" replay
expect_rc 1 "replay a missing file" "$BZKIOSK" replay "$TMP/none.btsnoop" --events
expect_one_line "$TMP/err" "missing file: one line"
expect_grep "$TMP/err" "none.btsnoop" "names the file"
printf 'not a btsnoop file at all' >"$TMP/bad.btsnoop"
expect_rc 1 "replay a file that is not btsnoop" "$BZKIOSK" replay "$TMP/bad.btsnoop"
expect_grep "$TMP/err" "bad.btsnoop" "names the file"
expect_rc 0 "scan --help" "$BZKIOSK" scan --help

# The threshold the benchmark tuned for the simulated lobby (README, "Presence").
NEAR="--set presence.near_rssi=-64"

# a busy five minutes and a quiet hour, each against its truth
for run in "short 1" "quiet 2" "opening 3"; do
    set -- $run
    f="$TMP/$1-$2.btsnoop"
    expect_rc 0 "simulate $1, seed $2" "$BZKIOSK" simulate --out "$f" --scenario "$1" --seed "$2"
    expect_rc 0 "replay $1 --events" "$BZKIOSK" replay "$f" --events --db "$TMP/visits.db" $NEAR
    cp "$TMP/out" "$f.events"
    starts=$(grep -c '"event":"visit_start"' "$f.events")
    ends=$(grep -c '"event":"visit_end"' "$f.events")
    [ "$starts" -gt 0 ] && ok "$1: $starts visits" || not_ok "$1: no visit found"
    [ "$starts" -eq "$ends" ] && ok "$1: every visit ends" || not_ok "$1: $starts starts, $ends ends"
    ids=$(grep '"event":"visit_start"' "$f.events" | sed 's/.*"visit":\([0-9]*\).*/\1/')
    [ "$(echo "$ids" | sort -n | uniq | wc -l)" -eq "$starts" ] && ok "$1: visit ids unique" || not_ok "$1: duplicate visit ids"
    if python3 "$EVAL" "$f.events" "$f.truth.json" \
        --check "count_error<=0.2" --check "count_error>=-0.2" --check "passerby_rate<=0.01" \
        --check 'link_rate>=0.5' --check "entry_err_median_s<=10" --check "exit_err_median_s<=20" \
        >"$TMP/score" 2>&1; then
        ok "$1: scored against the truth"
    else
        not_ok "$1: against the truth"
    fi
    sed 's/^/     /' "$TMP/score"
done

# live: scan and run on the simulated lobby, paced by the clock (visits need the 8 s dwell)
expect_rc 0 "scan --source sim:short --seconds 10" "$BZKIOSK" scan --source sim:short --seconds 10
expect_grep "$TMP/out" '^\{"event":"visit_start","t_ms":[0-9]+,"visit":1,' "scan prints visit_start lines"
if python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/out"; then
    ok "scan's lines are JSON"
else
    not_ok "scan's lines are not all JSON"
fi
expect_rc 0 "run --source sim:short --seconds 10 goes through the core" "$BZKIOSK" run --source sim:short --seconds 10
expect_grep "$TMP/err" "visit 1 starts: bluezone" "run says what happens"
expect_grep "$TMP/err" "today: [0-9]+ visits" "run sums up the day"
finish
