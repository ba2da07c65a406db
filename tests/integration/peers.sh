#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bzkiosk decode against tshark (Wireshark's dissectors) and btmon (BlueZ's),
# on simulated files and every capture in tests/data.
. "$(dirname "$0")/lib.sh"
command -v tshark >/dev/null || skip "tshark is not installed (tools/packages-test.txt)"
command -v python3 >/dev/null || skip "python3 is not installed"

expect_rc 0 "simulate short (legacy reports)" "$BZKIOSK" simulate --out "$TMP/short.btsnoop" --scenario short --minutes 1 --seed 11
expect_rc 0 "simulate crowded (extended reports, batched)" "$BZKIOSK" simulate --out "$TMP/crowded.btsnoop" --scenario crowded --minutes 1 --seed 12
expect_rc 0 "simulate in Android's 1002" "$BZKIOSK" simulate --out "$TMP/short-1002.btsnoop" --scenario short --minutes 1 --seed 13 --datalink 1002
expect_rc 0 "simulate in 1001" "$BZKIOSK" simulate --out "$TMP/short-1001.btsnoop" --scenario short --minutes 1 --seed 14 --datalink 1001
set -- "$BZ_SOURCE_DIR"/tests/data/*.btsnoop
[ -e "$1" ] || { not_ok "no captures in tests/data"; finish; }
for f in "$TMP"/*.btsnoop "$@" "$BZ_SOURCE_DIR"/tests/fuzz/corpus/btsnoop/monitor-2001 \
    "$BZ_SOURCE_DIR"/tests/fuzz/corpus/btsnoop/uart-1002 "$BZ_SOURCE_DIR"/tests/fuzz/corpus/btsnoop/hci-1001; do
    if python3 "$BZ_SOURCE_DIR/tests/integration/peers.py" "$BZKIOSK" "$f" >"$TMP/peer.out" 2>&1; then
        ok "$(cat "$TMP/peer.out")"
    else
        not_ok "$(head -c 600 "$TMP/peer.out")"
    fi
done

# btmon reads our files too, and counts the same reports
if command -v btmon >/dev/null; then
    for f in "$TMP/short.btsnoop" "$TMP/crowded.btsnoop"; do
        ours=$("$BZKIOSK" decode "$f" | wc -l)
        theirs=$(btmon -r "$f" 2>/dev/null | grep -c '^        RSSI: \|^          RSSI: ')
        [ "$ours" -eq "$theirs" ] && ok "btmon -r $(basename "$f"): $theirs reports" ||
            not_ok "btmon -r $(basename "$f"): $theirs reports, decode $ours"
    done
fi
finish
