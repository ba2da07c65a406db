#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# /init of the BlueZ test VM (busybox sh, PID 1): the system bus, btvirt's
# virtual controllers (one shared virtual air), bluetoothd, then the test
# script from the host share (/mnt/host/$bz.run); its exit status goes to
# /mnt/host/exit-code and the console, then the VM powers off.
# Kernel command line: bz.run=SCRIPT  bz.ctrl=N (controllers, default 3)
export PATH=/usr/sbin:/usr/bin HOME=/root SYSTEMD_PAGER=cat PAGER=cat SYSTEMD_COLORS=0 TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /run/dbus /var/lib/bluetooth /run/rssi
ln -s /run /var/run
ip link set lo up 2>/dev/null
say() { echo "[vm $(cut -d' ' -f1 /proc/uptime)] $*"; }

RUN="" CTRL=3
for a in $(cat /proc/cmdline); do
    case "$a" in
    bz.run=*) RUN=${a#*=} ;;
    bz.ctrl=*) CTRL=${a#*=} ;;
    esac
done
modprobe virtio_pci
modprobe 9pnet_virtio && modprobe 9p &&
    mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 host /mnt/host ||
    say "ERROR: no host share"
for m in af_alg algif_hash algif_skcipher ecb cmac hci_vhci; do
    modprobe $m || say "ERROR: modprobe $m"
done
dbus-daemon --system || say "ERROR: dbus-daemon"
# one BR/EDR+LE 5.x controller per -l; the shim lets tests choose the RSSI.
# On a loaded host btvirt can answer a controller's HCI Reset too late for the
# kernel ("Opcode 0x0c03 failed: -110"), which leaves that controller dead:
# then btvirt starts again (up to 3 times).
last=hci$((CTRL - 1))
try=1
while :; do
    before=$(dmesg | grep -c "failed: -110")
    LD_PRELOAD=/usr/lib/rssi_shim.so btvirt -l"$CTRL" >/tmp/btvirt.log 2>&1 &
    BTVIRT=$!
    n=0
    while [ ! -e /sys/class/bluetooth/$last ] && [ $n -lt 300 ]; do sleep 0.05; n=$((n + 1)); done
    sleep 1
    [ "$(dmesg | grep -c "failed: -110")" -eq "$before" ] && break
    say "a virtual controller did not initialise (try $try): $(dmesg | grep "failed: -110" | tail -1)"
    [ $try -ge 3 ] && break
    kill $BTVIRT
    n=0
    while [ -n "$(ls /sys/class/bluetooth 2>/dev/null)" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
    try=$((try + 1))
done
bluetoothd -n >/tmp/bluetoothd.log 2>&1 &
echo $! >/run/bluetoothd.pid
n=0
until busctl --system tree org.bluez 2>/dev/null | grep -q "/org/bluez/$last\$"; do
    sleep 0.05
    n=$((n + 1))
    [ $n -gt 300 ] && { say "ERROR: bluetoothd did not export $last"; break; }
done
say "BLUEZ READY ($(ls /sys/class/bluetooth | tr '\n' ' '))"
rc=125
if [ -n "$RUN" ] && [ -f "/mnt/host/$RUN" ]; then
    # no pipe: programs the script leaves in the background must not hold it open
    sh "/mnt/host/$RUN" >/mnt/host/vm-out.log 2>&1 </dev/null
    rc=$(cat /tmp/rc 2>/dev/null || echo 125)
fi
echo "$rc" >/mnt/host/exit-code
say "TEST EXIT rc=$rc"
sync
umount /mnt/host 2>/dev/null
poweroff -f
