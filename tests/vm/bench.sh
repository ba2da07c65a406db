#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs INSIDE the VM (tests/bench/bluez.sh boots it with 6 controllers).
# 1. Detection latency, TRIALS times: `bzkiosk phone` (hci0) starts
#    advertising -> the kiosk's first report (hci1), side by side with
#    bluetoothctl's first line about the phone on the same adapter.
# 2. CPU of the kiosk (and bluetoothd) while 1, 3 and 5 phones re-advertise
#    every 100 ms (btvirt sends one report per advertising start).
TRIALS=${TRIALS:-10}
L=/mnt/host/logs
mkdir -p $L
trap 'cp /tmp/*.log $L/ 2>/dev/null; echo 0 >/tmp/rc' EXIT
up() { cut -d' ' -f1 /proc/uptime; }
t_ms() { echo | stamp | sed 's/t_ms=\([0-9]*\).*/\1/'; }
addr() { busctl get-property org.bluez "/org/bluez/$1" org.bluez.Adapter1 Address | cut -d'"' -f2; }
# first t_ms at or after $3 of a line matching $2 in $1
first_after() {
    grep -E -- "$2" "$1" | sed 's/.*t_ms=\([0-9]*\).*/\1/' | awk -v t="$3" '$1 >= t { print; exit }'
}
PHONE=$(addr hci0)
KIOSK=$(addr hci1)
echo -60 >/run/rssi/default

bzkiosk -v run --source bluez:hci1 >/dev/null 2>/tmp/kiosk.log &
KPID=$!
(
    printf 'select %s\nmenu scan\ntransport le\nduplicate-data on\nback\nscan on\n' "$KIOSK"
    sleep 900
) | bluetoothctl 2>&1 | stamp >/tmp/bluetoothctl.log &
sleep 3
echo "trial  advertising->kiosk  advertising->bluetoothctl  kiosk-bluetoothctl (ms)"
i=1
while [ $i -le "$TRIALS" ]; do
    echo "-$((60 + i))" >/run/rssi/default # a new RSSI: bluetoothctl prints only changes
    bzkiosk phone --adapter hci0 --form android --id 0102030405060708090A0B$(printf %02X $i) \
        >/tmp/phone-$i.log 2>&1 &
    P=$!
    n=0
    until grep -q "advertising" /tmp/phone-$i.log 2>/dev/null || [ $n -gt 100 ]; do sleep 0.05; n=$((n + 1)); done
    ta=$(grep -m1 "advertising" /tmp/phone-$i.log | sed 's/t_ms=\([0-9]*\).*/\1/')
    sleep 1.5
    tk=$(first_after /tmp/kiosk.log "report $PHONE .*0B$(printf %02X $i) " "$((ta - 500))")
    tb=$(first_after /tmp/bluetoothctl.log "Device $PHONE" "$((ta - 500))")
    if [ -n "$tk" ] && [ -n "$tb" ]; then
        echo "$i  $((tk - ta))  $((tb - ta))  $((tk - tb))"
    else
        echo "$i  kiosk:${tk:-none} bluetoothctl:${tb:-none} (advertising at $ta)"
    fi
    kill $P
    wait $P 2>/dev/null
    sleep 0.5
    i=$((i + 1))
done
kill $KPID
wait $KPID

cpu() { awk '{print $14 + $15}' /proc/$1/stat; }
for nph in 1 3 5; do
    bzkiosk run --source bluez:hci1 >/dev/null 2>/tmp/kiosk-cpu-$nph.log &
    KPID=$!
    sleep 2
    PIDS=""
    k=0
    for h in 0 2 3 4 5; do
        [ $k -lt $nph ] || break
        bzkiosk phone --adapter hci$h --form android --repeat-ms 100 >/dev/null 2>&1 &
        PIDS="$PIDS $!"
        k=$((k + 1))
    done
    sleep 2
    c0=$(cpu $KPID)
    b0=$(cpu "$(cat /run/bluetoothd.pid)")
    t0=$(up)
    sleep 10
    c1=$(cpu $KPID)
    b1=$(cpu "$(cat /run/bluetoothd.pid)")
    t1=$(up)
    kill $PIDS
    kill $KPID
    wait $KPID
    r=$(grep -o "bluez: [0-9]* reports" /tmp/kiosk-cpu-$nph.log | grep -o "[0-9]*")
    awk -v n=$nph -v c="$((c1 - c0))" -v b="$((b1 - b0))" -v t0="$t0" -v t1="$t1" -v r="$r" \
        'BEGIN { printf "phones %d: kiosk CPU %.1f %%, bluetoothd CPU %.1f %%, %s reports in ~14 s\n", n, c / (t1 - t0), b / (t1 - t0), r }'
    sleep 1
done
