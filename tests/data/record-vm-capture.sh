#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs INSIDE the bluez-vm guest (../shared/bluez-vm): controller hci0 plays
# the phones with `btmgmt add-adv` (Bluezone Android/iPhone shapes, the
# iBeacon, v1, GAEN, StopCovid, Apple's own adverts), hci1 is the kiosk
# scanning through bluetoothd (bzprobe). Records what a kiosk would:
#   btmon -w             -> /mnt/host/btmon-2001.btsnoop   (datalink 2001, both controllers)
#   hcidump -i hci1 -w   -> /mnt/host/hcidump-1002.btsnoop (datalink 1002, the kiosk's controller)
# The RSSI shim of the VM sets each report's RSSI (/run/bzvm/rssi/default).
# Run from the host: tests/data/record-vm-capture-host.sh
OUT=/mnt/host
log() { echo "T=$(cut -d' ' -f1 /proc/uptime) $*"; }
mkdir -p /run/bzvm/rssi
echo -60 >/run/bzvm/rssi/default

# (privacy, for resolvable random addresses, fails here: the VM's kernel cannot
# make RPAs under QEMU's emulation. Connectable adverts keep the public address
# 00:AA:01:00:00:00; non-connectable ones get a new non-resolvable address each.)
btmon -w "$OUT/btmon-2001.btsnoop" >/dev/null 2>&1 &
BTMON=$!
HCIDUMP=
if command -v hcidump >/dev/null; then
    hcidump -i hci1 -w "$OUT/hcidump-1002.btsnoop" >/dev/null 2>&1 &
    HCIDUMP=$!
fi
sleep 0.5
bzprobe scan -a hci1 -s 300 -D 1 >/tmp/probe.log 2>&1 &
PROBE=$!
n=0
until grep -q 'Discovering=true' /tmp/probe.log; do
    sleep 0.1; n=$((n + 1)); [ $n -gt 100 ] && { log "the scan did not start"; break; }
done
log "kiosk (hci1) scanning"

# add-adv NAME RSSI FLAGS HEX [SCANRSP]: one advertisement from the phone
sent=0
adv() {
    echo "$2" >/run/bzvm/rssi/default
    # a fresh instance each time, or the last scan response would stay with it
    btmgmt --index 0 rm-adv 1 >/dev/null 2>&1
    if [ -n "${5:-}" ]; then
        btmgmt --index 0 add-adv $3 -d "$4" -s "$5" 1 >/tmp/btmgmt.log 2>&1
    else
        btmgmt --index 0 add-adv $3 -d "$4" 1 >/tmp/btmgmt.log 2>&1
    fi
    if grep -qi 'fail\|invalid' /tmp/btmgmt.log; then
        log "add-adv $1 FAILED: $(cat /tmp/btmgmt.log)"
    else
        sent=$((sent + 1)); log "add-adv $1 at $2 dBm"
    fi
    sleep 0.6
}

# PROTOCOL.md's shapes. IDs: the worked example's ID_5 and ID_0, and a made-up one.
ANDROID_A=0201020fffb522fa42fe0f936f30df3b8942a00303564e
ANDROID_B=0303564e0fffb522130cea6472130c185d8643df
ANDROID_C=0fffb522893dae342437130ce5e238370303564e
IOS_FG=02011a110767a607add1172fa1c44bf573564e0000
IOS_NAME=0909426c75657a6f6e65
IOS_BG=02011a14ff4c0001080000000000000000000000000000000000
IBEACON=02011a1aff4c000215c7afef7b17884f4aa87d691d53bf21c400140014c5
V1=02011a110789a807add1172fa1c44bf573f4390ae209ffb522414243313233
GAEN=02011a03036ffd17166ffd00112233445566778899aabbccddeeff40000000
STOPCOVID=02010603036""4fd151664fd0123456789abcdef0123456789abcdef00f8
NEARBY=02011a0aff4c0010050118445291
for round in 1 2 3; do
    case $round in 1) near=-55 mid=-68 far=-82 ;; 2) near=-58 mid=-71 far=-86 ;; *) near=-53 mid=-74 far=-90 ;; esac
    adv android-a "$near" -c "$ANDROID_A"
    adv android-b "$mid" -c "$ANDROID_B"
    adv android-c "$far" "" "$ANDROID_C"
    adv iphone-fg "$near" -c "$IOS_FG" "$IOS_NAME"
    adv iphone-bg "$mid" -c "$IOS_BG"
    adv ibeacon "$mid" "" "$IBEACON"
    adv v1 "$far" -c "$V1"
    adv gaen "$mid" "" "$GAEN"
    adv stopcovid "$far" "" "$STOPCOVID"
    adv apple-nearby "$near" "" "$NEARBY"
done
btmgmt --index 0 rm-adv 1 >/dev/null 2>&1

# extended advertising (more than 31 bytes), if this controller can
echo -64 >/run/bzvm/rssi/default
EXT=0201060303564e0fffb522fa42fe0f936f30df3b8942a01d09426c75657a6f6e65206b696f736b2c20657874656e64656420616476
if btmgmt --index 0 add-ext-adv-params -P 1M 2 >/tmp/ext.log 2>&1 &&
    btmgmt --index 0 add-ext-adv-data -d "$EXT" 2 >>/tmp/ext.log 2>&1; then
    log "extended advertising: $(tr '\n' ' ' </tmp/ext.log)"
else
    log "extended advertising not available: $(tr '\n' ' ' </tmp/ext.log)"
fi
sleep 2
btmgmt --index 0 rm-adv 2 >/dev/null 2>&1

sleep 1
kill $PROBE 2>/dev/null
sleep 0.5
kill $BTMON ${HCIDUMP:-} 2>/dev/null
sleep 0.5
sync
log "sent $sent advertisements; kiosk saw: $(grep -c 'RSSI=' /tmp/probe.log) RSSI updates"
ls -l "$OUT"/*.btsnoop
