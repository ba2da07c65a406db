#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The BlueZ source at the D-Bus level: a private dbus-daemon with
# python3-dbusmock's bluez5 template standing in for bluetoothd. Devices
# appear, their RSSI and data change, the daemon vanishes and comes back,
# the adapter is powered off and removed; the kiosk must keep up (scanning
# again within 5 s) and ask BlueZ for what PROTOCOL.md says.
# What the mock cannot model (filters, real reports) is tested in the VM.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3 # Debian's python, which has dbusmock
command -v dbus-daemon >/dev/null || skip "dbus-daemon is missing (tools/deps.sh test)"
command -v busctl >/dev/null || skip "busctl is missing"
$PY -c 'import dbusmock' 2>/dev/null || skip "python3-dbusmock is missing (tools/deps.sh test)"

dbus-daemon --session --fork --address="unix:path=$TMP/bus" --print-pid=1 >"$TMP/buspid" ||
    skip "cannot start a private dbus-daemon"
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$TMP/bus"
MOCK=""
KIOSK=""
cleanup() {
    [ -n "$KIOSK" ] && kill "$KIOSK" 2>/dev/null
    [ -n "$MOCK" ] && kill "$MOCK" 2>/dev/null
    kill "$(cat "$TMP/buspid")" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
B() { busctl --address="$DBUS_SYSTEM_BUS_ADDRESS" "$@"; }
now() { date +%s.%N; }

start_mock() {
    $PY -m dbusmock --system --template bluez5 >>"$TMP/mock.log" 2>&1 &
    MOCK=$!
    for _ in $(seq 100); do B status org.bluez >/dev/null 2>&1 && return 0; sleep 0.05; done
    not_ok "the mock bluetoothd did not start"
}
stop_mock() { kill "$MOCK"; wait "$MOCK" 2>/dev/null; MOCK=""; }

# wait_log PATTERN SECONDS DESCRIPTION: waits for a new line in the kiosk's
# log (after mark_log); prints how long it took
mark_log() { mark=$(wc -l <"$TMP/kiosk.log"); t_mark=$(now); }
wait_log() {
    local deadline=$(($(date +%s) + $2))
    while [ "$(date +%s)" -le "$deadline" ]; do
        if tail -n +$((mark + 1)) "$TMP/kiosk.log" | grep -qE -- "$1"; then
            ok "$3 ($(echo "$(now) - $t_mark" | bc | sed 's/^\./0./') s)"
            return 0
        fi
        sleep 0.05
    done
    not_ok "$3: no /$1/ within $2 s"
    tail -n +$((mark + 1)) "$TMP/kiosk.log" | sed 's/^/     /' | tail -8
    return 1
}

DEV=/org/bluez/hci0/dev_AA_BB_CC_DD_EE_01
# Android v3: manufacturer data 0x22B5 + PROTOCOL.md's ID_5, UUID 0x4E56
set_android() {
    B -- call org.bluez "$DEV" org.freedesktop.DBus.Properties Set ssv org.bluez.Device1 \
        ManufacturerData 'a{qv}' 1 0x22b5 ay 12 0xFA 0x42 0xFE 0x0F 0x93 0x6F 0x30 0xDF 0x3B 0x89 0x42 0xA0
    B -- call org.bluez "$DEV" org.freedesktop.DBus.Properties Set ssv org.bluez.Device1 \
        UUIDs as 1 00004e56-0000-1000-8000-00805f9b34fb
}

# --- 1. no bluetoothd yet: the kiosk runs and says why it cannot scan
: >"$TMP/kiosk.log"
mark_log
"$BZKIOSK" --verbose run --source bluez:hci0 --seconds 60 --set bluetooth.forget_s=5 \
    >"$TMP/kiosk.log" 2>&1 &
KIOSK=$!
wait_log "scanner: bluetoothd is not running" 5 "no bluetoothd: the staff screen is told"
kill -0 "$KIOSK" 2>/dev/null && ok "the kiosk keeps running without bluetoothd" || not_ok "the kiosk exited"

# --- 2. bluetoothd and the adapter appear
mark_log
start_mock
wait_log "scanner: adapter hci0 is not present" 5 "bluetoothd without hci0: said so"
mark_log
B call org.bluez / org.bluez.Mock AddAdapter ss hci0 kiosk >/dev/null
wait_log "scanner: scanning on hci0" 5 "the adapter appears: scanning"
expect_grep "$TMP/mock.log" 'SetDiscoveryFilter \{"Transport": "le", "DuplicateData": True\}' \
    "the filter is Transport=le, DuplicateData=true (explicit)"
expect_grep "$TMP/mock.log" 'StartDiscovery' "discovery is started"

# --- 3. a device appears, its data and RSSI change
mark_log
B call org.bluez / org.bluez.Mock AddDevice sss hci0 AA:BB:CC:DD:EE:01 phone1 >/dev/null
wait_log "report AA:BB:CC:DD:EE:01 public rssi -79 other" 5 \
    "a new device is a report (the mock's wrongly typed empty ServiceData is skipped)"
mark_log
set_android
wait_log "report AA:BB:CC:DD:EE:01 public rssi -79 bluezone-android FA42FE0F936F30DF3B8942A0" 5 \
    "ManufacturerData 0x22B5: Android Bluezone with its ID"
mark_log
B -- call org.bluez "$DEV" org.freedesktop.DBus.Mock UpdateProperties 'sa{sv}' org.bluez.Device1 1 RSSI n -55
wait_log "report AA:BB:CC:DD:EE:01 public rssi -55 bluezone-android" 5 "an RSSI change is a report"
# one PropertiesChanged with RSSI and data together, as bluetoothd sends it: one report
mark_log
B -- call org.bluez "$DEV" org.freedesktop.DBus.Mock EmitSignal sssav org.freedesktop.DBus.Properties \
    PropertiesChanged 'sa{sv}as' 3 s org.bluez.Device1 'a{sv}' 2 RSSI n -61 \
    ManufacturerData 'a{qv}' 1 0x22b5 ay 12 0x13 0x0C 0xEA 0x64 0x72 0x13 0x0C 0x18 0x5D 0x86 0x43 0xDF as 0
wait_log "rssi -61 bluezone-android 130CEA6472130C185D8643DF" 5 "RSSI and a new ID in one signal"
sleep 0.3
n=$(tail -n +$((mark + 1)) "$TMP/kiosk.log" | grep -c "report AA:BB:CC:DD:EE:01")
[ "$n" -eq 1 ] && ok "... is exactly one report" || not_ok "... gave $n reports"

# iPhone foreground (128-bit UUID …A667), iPhone background, GAEN service data
B call org.bluez / org.bluez.Mock AddDevice sss hci0 11:22:33:44:55:66 iphone >/dev/null
B call org.bluez / org.bluez.Mock AddDevice sss hci0 11:22:33:44:55:77 gaen >/dev/null
mark_log
B -- call org.bluez /org/bluez/hci0/dev_11_22_33_44_55_66 org.freedesktop.DBus.Properties Set ssv \
    org.bluez.Device1 UUIDs as 1 00004E56-73F5-4BC4-A12F-17D1AD07A667
wait_log "report 11:22:33:44:55:66 .* bluezone-ios -" 5 "UUID …A667: iPhone Bluezone, no ID"
mark_log
B -- call org.bluez /org/bluez/hci0/dev_11_22_33_44_55_77 org.freedesktop.DBus.Properties Set ssv \
    org.bluez.Device1 ServiceData 'a{sv}' 1 0000fd6f-0000-1000-8000-00805f9b34fb ay 20 \
    1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 64 0 0 0
wait_log "report 11:22:33:44:55:77 .* gaen" 5 "ServiceData 0xFD6F: Exposure Notification"

# a device of another adapter is not ours
B call org.bluez / org.bluez.Mock AddAdapter ss hci1 other >/dev/null
mark_log
B call org.bluez / org.bluez.Mock AddDevice sss hci1 99:99:99:99:99:99 elsewhere >/dev/null
sleep 0.5
if tail -n +$((mark + 1)) "$TMP/kiosk.log" | grep -q "99:99:99"; then
    not_ok "a device of hci1 was reported by the hci0 scanner"
else ok "devices of other adapters are ignored"; fi

# --- 3b. the iPhone ID read over GATT (bzkiosk read-id uses the source's read_id)
IPH=/org/bluez/hci0/dev_11_22_33_44_55_66
# gatt_service DEVICE_PATH SERVICE_UUID CHAR_UUID PYTHON_RETURN: BlueZ-like GATT objects
gatt_service() {
    B -- call org.bluez / org.freedesktop.DBus.Mock AddObject 'ssa{sv}a(ssss)' "$1/service000a" \
        org.bluez.GattService1 3 UUID s "$2" Primary b true Device o "$1" 0
    B -- call org.bluez / org.freedesktop.DBus.Mock AddObject 'ssa{sv}a(ssss)' "$1/service000a/char000b" \
        org.bluez.GattCharacteristic1 3 UUID s "$3" Service o "$1/service000a" Flags as 1 read \
        1 ReadValue 'a{sv}' ay "$4"
    B -- call org.bluez "$1" org.freedesktop.DBus.Properties Set ssv org.bluez.Device1 ServicesResolved b true
}
SVC=00004e56-73f5-4bc4-a12f-17d1ad07a667
CHR=00004e56-73f5-4bc4-a12f-17d1ad07a689
gatt_service $IPH $SVC $CHR 'ret = [0xFA,0x42,0xFE,0x0F,0x93,0x6F,0x30,0xDF,0x3B,0x89,0x42,0xA0]'
# read_id ADDR DEVICE_PATH [options]: the read starts once the phone is heard
read_id() {
    local addr=$1 path=$2
    shift 2
    "$BZKIOSK" read-id "$addr" --source bluez:hci0 --seconds 10 "$@" >"$TMP/out" 2>"$TMP/err" &
    local pid=$!
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        sleep 0.3
        kill -0 $pid 2>/dev/null || break
        B -- call org.bluez "$path" org.freedesktop.DBus.Mock UpdateProperties 'sa{sv}' \
            org.bluez.Device1 1 RSSI n -$((50 + RANDOM % 10)) 2>/dev/null
    done
    wait $pid
}
t0=$(now)
read_id 11:22:33:44:55:66 $IPH
rc=$?
[ $rc -eq 0 ] && ok "read-id over GATT (exit 0, $(echo "$(now) - $t0" | bc) s)" ||
    { not_ok "read-id: exit $rc"; sed 's/^/     /' "$TMP/err" | tail -3; }
expect_grep "$TMP/out" '^FA42FE0F936F30DF3B8942A0$' "... prints the 12-byte ID"
expect_grep "$TMP/mock.log" "dev_11_22_33_44_55_66 org.bluez.Device1.*Connect|Connect.*dev_11_22_33_44_55_66|^[0-9.]+ Connect" \
    "... connects (Device1.Connect)"
expect_grep "$TMP/mock.log" "ReadValue" "... reads the characteristic"
expect_grep "$TMP/mock.log" "Disconnect" "... and disconnects"
# a phone that is not a Bluezone iPhone (no …A667 service)
B call org.bluez / org.bluez.Mock AddDevice sss hci0 11:22:33:44:55:88 notbz >/dev/null
gatt_service /org/bluez/hci0/dev_11_22_33_44_55_88 0000180f-0000-1000-8000-00805f9b34fb \
    00002a19-0000-1000-8000-00805f9b34fb 'ret = [100]'
read_id 11:22:33:44:55:88 /org/bluez/hci0/dev_11_22_33_44_55_88
rc=$?
[ $rc -eq 1 ] && ok "no Bluezone service: exit 1" || not_ok "no Bluezone service: exit $rc"
expect_grep "$TMP/err" "no Bluezone ID characteristic" "... says so"
# a characteristic of the wrong length
B call org.bluez / org.bluez.Mock AddDevice sss hci0 11:22:33:44:55:99 short >/dev/null
gatt_service /org/bluez/hci0/dev_11_22_33_44_55_99 $SVC $CHR 'ret = [1,2,3,4,5]'
read_id 11:22:33:44:55:99 /org/bluez/hci0/dev_11_22_33_44_55_99
rc=$?
[ $rc -eq 1 ] && ok "5 bytes instead of 12: exit 1" || not_ok "5 bytes: exit $rc"
expect_grep "$TMP/err" "12 bytes" "... says the ID must be 12 bytes"
# the link drops between Connect and ReadValue once (another client disconnecting): read again
B call org.bluez / org.bluez.Mock AddDevice sss hci0 11:22:33:44:55:BB flaky >/dev/null
gatt_service /org/bluez/hci0/dev_11_22_33_44_55_BB $SVC $CHR \
    $'self.n = getattr(self, "n", 0) + 1\nif self.n == 1: raise dbus.exceptions.DBusException("Not connected", name="org.bluez.Error.Failed")\nret = [0x97,0x0E,0x23,0xC0,0xE1,0x9D,0xE9,0x3F,0x8C,0xC4,0x05,0x7B]'
read_id 11:22:33:44:55:BB /org/bluez/hci0/dev_11_22_33_44_55_BB
rc=$?
[ $rc -eq 0 ] && expect_grep "$TMP/out" '^970E23C0E19DE93F8CC4057B$' "a link dropping once: connects and reads again" ||
    { not_ok "a link dropping once: exit $rc"; tail -3 "$TMP/err"; }
# reads turned off
read_id 11:22:33:44:55:66 $IPH --set bluetooth.max_connections=0
rc=$?
[ $rc -eq 1 ] && expect_grep "$TMP/err" "max_connections" "max_connections=0: no read, says why" ||
    not_ok "max_connections=0: exit $rc"
# a phone that never answers: the read gives up after read_timeout_s
B call org.bluez / org.bluez.Mock AddDevice sss hci0 11:22:33:44:55:AA slow >/dev/null
B -- call org.bluez /org/bluez/hci0/dev_11_22_33_44_55_AA org.freedesktop.DBus.Mock AddMethod \
    sssss org.bluez.Device1 Connect '' '' 'time.sleep(3)'
read_id 11:22:33:44:55:AA /org/bluez/hci0/dev_11_22_33_44_55_AA --set bluetooth.read_timeout_s=1
rc=$?
[ $rc -eq 1 ] && ok "no answer: exit 1" || not_ok "no answer: exit $rc"
expect_grep "$TMP/err" "after 1\.[0-2] s: no answer in time" "... after read_timeout_s=1 ($(tail -1 "$TMP/err"))"
sleep 2.5 # the mock is single-threaded: let it finish sleeping

# --- 4. stale devices are removed from BlueZ (forget_s=5)
mark_log
B call org.bluez / org.bluez.Mock AddDevice sss hci0 DE:AD:00:00:00:01 stale >/dev/null
deadline=$(($(date +%s) + 25))
until grep -q "RemoveDevice.*dev_DE_AD_00_00_00_01" "$TMP/mock.log" || [ "$(date +%s)" -gt "$deadline" ]; do
    sleep 0.2
done
grep -q "RemoveDevice.*dev_DE_AD_00_00_00_01" "$TMP/mock.log" &&
    ok "a device unheard for forget_s is removed ($(echo "$(now) - $t_mark" | bc) s)" ||
    not_ok "the stale device was never removed"

# --- 5. bluetoothd vanishes and comes back
mark_log
stop_mock
wait_log "scanner: bluetoothd is not running" 5 "bluetoothd stops: the staff screen is told"
start_mock
mark_log
B call org.bluez / org.bluez.Mock AddAdapter ss hci0 kiosk >/dev/null
wait_log "scanner: scanning on hci0" 5 "bluetoothd back: scanning again"
[ "$(grep -c 'SetDiscoveryFilter' "$TMP/mock.log")" -ge 2 ] && ok "... with the filter set again" ||
    not_ok "the filter was not set again"

# --- 6. powered off: powered on again by the kiosk (bluetooth.power_on=1)
mark_log
B set-property org.bluez /org/bluez/hci0 org.bluez.Adapter1 Powered b false
wait_log "scanner: adapter hci0 is powered off" 5 "powered off: said so"
wait_log "scanner: scanning on hci0" 5 "... powered on again by the kiosk, scanning"

# --- 7. the adapter is removed and comes back
mark_log
B call org.bluez / org.bluez.Mock RemoveAdapterWithDevices s hci0 >/dev/null
wait_log "scanner: adapter hci0 was removed" 5 "adapter removed: said so"
mark_log
B call org.bluez / org.bluez.Mock AddAdapter ss hci0 kiosk >/dev/null
wait_log "scanner: scanning on hci0" 5 "adapter back: scanning again"
kill "$KIOSK"
wait "$KIOSK"
rc=$?
[ "$rc" -eq 0 ] && ok "the kiosk stops cleanly on SIGTERM" || not_ok "exit $rc on SIGTERM"
KIOSK=""

# --- 8. bluetooth.power_on=0: the kiosk leaves the adapter off, waits for the staff
: >"$TMP/kiosk.log"
mark_log
"$BZKIOSK" --verbose run --source bluez:hci0 --seconds 30 --set bluetooth.power_on=0 \
    >"$TMP/kiosk.log" 2>&1 &
KIOSK=$!
wait_log "scanner: scanning on hci0" 5 "a second kiosk scans"
mark_log
B set-property org.bluez /org/bluez/hci0 org.bluez.Adapter1 Powered b false
wait_log "scanner: adapter hci0 is powered off" 5 "power_on=0, powered off: said so"
sleep 2
if tail -n +$((mark + 1)) "$TMP/kiosk.log" | grep -q "scanning on"; then
    not_ok "power_on=0 but the kiosk powered the adapter on"
else ok "power_on=0: the adapter stays off"; fi
mark_log
B set-property org.bluez /org/bluez/hci0 org.bluez.Adapter1 Powered b true
wait_log "scanner: scanning on hci0" 5 "powered on by the staff: scanning again"

# a wrong adapter name is a usage error of one line
expect_rc 1 "--source bluez:wlan0" "$BZKIOSK" run --source bluez:wlan0 --seconds 1
expect_one_line "$TMP/err" "... one line"
expect_grep "$TMP/err" "hciN" "... says what is allowed"
finish
