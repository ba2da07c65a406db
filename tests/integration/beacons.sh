#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# decode, bluezone-id, simulate and the sim/replay sources, end to end.
. "$(dirname "$0")/lib.sh"

# bluezone-id: PROTOCOL.md's worked example (K0 = 00 01 … 1F, made 2020-11-11)
K0=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
expect_rc 0 "bluezone-id, slot 5 of day 0" "$BZKIOSK" bluezone-id --key $K0 --t0 1605052800 --at $((1605052800 + 75 * 60))
expect_grep "$TMP/out" '^FA42FE0F936F30DF3B8942A0$' "the worked example's ID_5"
expect_rc 0 "bluezone-id, day 1" "$BZKIOSK" bluezone-id --key $K0 --t0 1605052800 --at $((1605052800 + 86400))
expect_grep "$TMP/out" '^970E23C0E19DE93F8CC4057B$' "day 1's ID_0"
expect_rc 0 "bluezone-id, v2 (144 slots)" "$BZKIOSK" bluezone-id --key $K0 --t0 1605052800 --at $((1605052800 + 600)) --slots 144
expect_grep "$TMP/out" '^893DAE342437130CE5E23837$' "v2's slot 1"
expect_rc 2 "bluezone-id, a short key" "$BZKIOSK" bluezone-id --key 0011 --t0 0 --at 0
expect_one_line "$TMP/err" "short key: one line"
expect_grep "$TMP/err" "64" "says a key is 64 hex digits"
expect_rc 2 "bluezone-id, before the key's day" "$BZKIOSK" bluezone-id --key $K0 --t0 1605052800 --at 1605052799
expect_grep "$TMP/err" "before the UTC day" "says why"
expect_rc 2 "bluezone-id, 7 slots" "$BZKIOSK" bluezone-id --key $K0 --t0 0 --at 0 --slots 7
expect_rc 2 "bluezone-id without --key" "$BZKIOSK" bluezone-id --t0 0 --at 0

# simulate: reproducible, with its ground truth
expect_rc 0 "simulate short" "$BZKIOSK" simulate --out "$TMP/a.btsnoop" --scenario short --seed 5
expect_grep "$TMP/out" 'scenario short, seed 5: [0-9]+ reports' "says what it wrote"
[ -s "$TMP/a.btsnoop.truth.json" ] && ok "the ground truth is beside it" || not_ok "no truth file"
expect_rc 0 "simulate short again" "$BZKIOSK" simulate --out "$TMP/b.btsnoop" --scenario short --seed 5
cmp -s "$TMP/a.btsnoop" "$TMP/b.btsnoop" && ok "same seed, same bytes" || not_ok "same seed, different file"
cmp -s "$TMP/a.btsnoop.truth.json" "$TMP/b.btsnoop.truth.json" && ok "same truth" || not_ok "different truth"
expect_rc 0 "simulate another seed" "$BZKIOSK" simulate --out "$TMP/c.btsnoop" --scenario short --seed 6
cmp -s "$TMP/a.btsnoop" "$TMP/c.btsnoop" && not_ok "another seed, same file" || ok "another seed, another file"
expect_rc 2 "simulate an unknown scenario" "$BZKIOSK" simulate --out "$TMP/d.btsnoop" --scenario nope
expect_grep "$TMP/err" "allowed: day, lobby, quiet, crowded" "lists the scenarios"
[ -e "$TMP/d.btsnoop" ] && not_ok "wrote a file anyway" || ok "nothing written"
expect_rc 2 "simulate the endless lobby without --minutes" "$BZKIOSK" simulate --out "$TMP/d.btsnoop" --scenario lobby
expect_rc 0 "simulate the lobby for 2 minutes, Android's format" "$BZKIOSK" simulate --out "$TMP/l.log" --scenario lobby --minutes 2 --datalink 1002
expect_rc 1 "simulate into a missing folder" "$BZKIOSK" simulate --out "$TMP/no/such/x.btsnoop" --scenario short
expect_grep "$TMP/err" "no/such/x.btsnoop.tmp: cannot create" "names the file"

# decode: one line per report, the kinds, the IDs
expect_rc 0 "decode the simulated file" "$BZKIOSK" decode "$TMP/a.btsnoop"

expect_grep "$TMP/out" '^\{"t_ms":[0-9]{13},"addr":"[0-9A-F:]{17}","addr_type":"(public|random)","rssi":-?[0-9]+,"kind":"bluezone-android","id":"[0-9A-F]{24}","data":"[0-9a-f]*"\}$' "an Android line as INTERFACES.md says"
expect_grep "$TMP/out" '"kind":"bluezone-ios-bg","id":null' "iPhones in the background"
expect_grep "$TMP/out" '"kind":"other"' "everyday devices"
cp "$TMP/out" "$TMP/a.json"
expect_rc 0 "decode the 1002 file" "$BZKIOSK" decode "$TMP/l.log"
expect_grep "$TMP/out" '"kind":"bluezone-android"' "Android's format decodes too"

# decode: a truncated file prints everything before the cut, then names the offset
size=$(wc -c <"$TMP/a.btsnoop")
head -c $((size - 10)) "$TMP/a.btsnoop" >"$TMP/cut.btsnoop"
expect_rc 1 "decode a truncated file" "$BZKIOSK" decode "$TMP/cut.btsnoop"
expect_one_line "$TMP/err" "truncated: one line on stderr"
expect_grep "$TMP/err" "cut.btsnoop: record at byte [0-9]+: truncated" "names the record's byte offset"

printf 'not a capture' >"$TMP/bad.btsnoop"
expect_rc 1 "decode a file that is no btsnoop" "$BZKIOSK" decode "$TMP/bad.btsnoop"
expect_grep "$TMP/err" "not a btsnoop file" "says so"
expect_rc 1 "decode a missing file" "$BZKIOSK" decode "$TMP/none.btsnoop"
expect_grep "$TMP/err" "none.btsnoop: cannot open: No such file" "says so"

# the sources: the simulated lobby by default (no adapter here), sim:S, replay:FILE
if [ -d /sys/class/bluetooth ] && ls /sys/class/bluetooth | grep -q hci; then
    skip_default=1
fi
if [ -z "${skip_default:-}" ]; then
    expect_rc 0 "run with no source on a machine without Bluetooth" "$BZKIOSK" run --seconds 2
    expect_grep "$TMP/err" "simulated lobby 'lobby'" "runs the simulated lobby"
    expect_grep "$TMP/err" "reports [1-9][0-9]*: .*bluezone-android [1-9]" "sees Bluezone phones at once"
fi
expect_rc 0 "run --source sim:short" "$BZKIOSK" run --source sim:short --seconds 2
expect_grep "$TMP/err" "reports [1-9][0-9]*:" "sees beacons"
expect_rc 1 "run --source sim:nope" "$BZKIOSK" run --source sim:nope --seconds 1
expect_grep "$TMP/err" "no such scenario; allowed: day lobby" "lists the scenarios"
expect_rc 0 "run --source replay:FILE" "$BZKIOSK" run --source replay:"$TMP/a.btsnoop" --seconds 2
expect_grep "$TMP/err" "reports [1-9][0-9]*:" "replays reports at the file's pace"
expect_rc 1 "run --source replay:missing" "$BZKIOSK" run --source replay:"$TMP/none.btsnoop" --seconds 1
expect_grep "$TMP/err" "none.btsnoop: cannot open" "names the file"

finish
