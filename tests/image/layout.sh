#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The image's partitions and the files the appliance promises: an MBR with a
# bootable FAT (firmware, kernel, kiosk.conf), a read-only ext4 root and an
# ext4 data partition holding the kiosk's data, BlueZ's state and the
# journal; the units enabled, no getty on the screen, SSH behind a file.
. "$BZ_SOURCE_DIR/tests/image/lib.sh"
need_tools sfdisk debugfs mdir mtype blkid python3
need_image

sfdisk -J "$IMAGE" >"$TMP/table.json"
python3 - "$TMP/table.json" >"$TMP/parts" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))['partitiontable']
print(t['label'])
for p in t['partitions']:
    print(p['type'], p.get('bootable', False), p['start'] * 512 // 1048576, p['size'] * 512 // 1048576)
PY
echo "     partitions (type bootable start-MiB size-MiB):"; sed 's/^/       /' "$TMP/parts"
[ "$(head -1 "$TMP/parts")" = dos ] && ok "an MBR partition table (the Pi 3's firmware reads no other)" || not_ok "not an MBR table"
[ "$(sed -n 2p "$TMP/parts" | cut -d' ' -f1,2)" = "c True" ] && ok "partition 1 is FAT32 (LBA), bootable" || not_ok "partition 1: $(sed -n 2p "$TMP/parts")"
[ "$(sed -n 3p "$TMP/parts" | cut -d' ' -f1)" = 83 ] && ok "partition 2 (root) is Linux" || not_ok "partition 2: $(sed -n 3p "$TMP/parts")"
[ "$(sed -n 4p "$TMP/parts" | cut -d' ' -f1)" = 83 ] && ok "partition 3 (data) is Linux and last" || not_ok "partition 3: $(sed -n 4p "$TMP/parts")"
[ "$(wc -l <"$TMP/parts")" -eq 4 ] && ok "three partitions" || not_ok "$(($(wc -l <"$TMP/parts") - 1)) partitions"

for n in 1 2 3; do part_extract $n "$TMP/p$n"; done
[ "$(blkid -o value -s LABEL "$TMP/p1")" = BZBOOT ] && ok "boot is labelled BZBOOT" || not_ok "boot label: $(blkid "$TMP/p1")"
[ "$(blkid -o value -s TYPE "$TMP/p2")/$(blkid -o value -s LABEL "$TMP/p2")" = ext4/bzroot ] && ok "root is ext4 bzroot" || not_ok "root: $(blkid "$TMP/p2")"
[ "$(blkid -o value -s TYPE "$TMP/p3")/$(blkid -o value -s LABEL "$TMP/p3")" = ext4/bzdata ] && ok "data is ext4 bzdata" || not_ok "data: $(blkid "$TMP/p3")"

# The boot partition: firmware, kernel, device trees, and the settings.
mdir -i "$TMP/p1" -b :: >"$TMP/boot.ls"
for f in bootcode.bin start4.elf fixup4.dat config.txt cmdline.txt kiosk.conf bcm2837-rpi-3-b.dtb bcm2711-rpi-4-b.dtb; do
    expect_grep "$TMP/boot.ls" "^::/$f\$" "boot partition has $f"
done
expect_grep "$TMP/boot.ls" '^::/vmlinuz-' "boot partition has the kernel"
expect_grep "$TMP/boot.ls" '^::/initrd.img-' "boot partition has the initrd"
mtype -i "$TMP/p1" ::/cmdline.txt >"$TMP/cmdline"
echo "     cmdline.txt: $(cat "$TMP/cmdline")"
expect_grep "$TMP/cmdline" 'root=LABEL=bzroot' "the kernel mounts the root by label"
expect_grep "$TMP/cmdline" '(^| )ro( |$)' "the root is mounted read-only"
expect_grep "$TMP/cmdline" 'consoleblank=0' "the console never blanks"
if grep -qE 'console=tty[0-9]' "$TMP/cmdline"; then not_ok "no kernel console on the screen"; else ok "no kernel console on the screen"; fi
mtype -i "$TMP/p1" ::/config.txt >"$TMP/config.txt"
expect_grep "$TMP/config.txt" '^arm_64bit=1' "config.txt boots the arm64 kernel"
mtype -i "$TMP/p1" ::/kiosk.conf >"$TMP/kiosk.conf"
cmp -s "$TMP/kiosk.conf" "$BZ_SOURCE_DIR/assets/kiosk.conf" && ok "kiosk.conf on the boot partition is the sample" ||
    not_ok "kiosk.conf on the boot partition differs from assets/kiosk.conf"

# The root: read with debugfs, no mounting.
dbg() { debugfs -R "$1" "$2" 2>/dev/null; }
dbg 'cat /etc/fstab' "$TMP/p2" >"$TMP/fstab"
expect_grep "$TMP/fstab" '^LABEL=bzroot +/ +ext4 +ro,' "fstab mounts / read-only"
expect_grep "$TMP/fstab" "^LABEL=bzdata +/data +ext4 +rw," "fstab mounts /data read-write"
for b in bzkiosk:/var/lib/bzkiosk bluetooth:/var/lib/bluetooth systemd:/var/lib/systemd log:/var/log; do
    expect_grep "$TMP/fstab" "^/data/${b%%:*} +${b#*:} +none +bind" "${b#*:} is bound from the data partition"
done
exists() { dbg "stat $1" "$TMP/p2" | grep -q '^Inode:'; }
link_of() { dbg "stat $1" "$TMP/p2" | sed -n 's/^Fast link dest: "\(.*\)"/\1/p'; }
for f in /usr/bin/bzkiosk /usr/lib/systemd/system/bzkiosk.service /usr/lib/udev/rules.d/70-bzkiosk-usb.rules \
    /etc/systemd/system.conf.d/bzkiosk-watchdog.conf /etc/systemd/journald.conf.d/bzkiosk.conf \
    /etc/systemd/system/ssh.service.d/bzkiosk.conf /media/bzkiosk /boot/firmware /data; do
    exists "$f" && ok "root has $f" || not_ok "root lacks $f"
done
[ "$(link_of /etc/bzkiosk/kiosk.conf)" = ../../boot/firmware/kiosk.conf ] &&
    ok "/etc/bzkiosk/kiosk.conf is the boot partition's" || not_ok "/etc/bzkiosk/kiosk.conf -> '$(link_of /etc/bzkiosk/kiosk.conf)'"
for u in multi-user.target.wants/bzkiosk.service bluetooth.target.wants/bluetooth.service \
    multi-user.target.wants/bzkiosk-grow-data.service multi-user.target.wants/bzkiosk-machine-id.service \
    multi-user.target.wants/systemd-networkd.service sysinit.target.wants/systemd-timesyncd.service; do
    [ -n "$(link_of "/etc/systemd/system/$u")" ] && ok "enabled: $u" || not_ok "not enabled: $u"
done
[ "$(link_of /etc/systemd/system/getty@tty1.service)" = /dev/null ] && ok "no getty on the screen (getty@tty1 masked)" ||
    not_ok "getty@tty1 is not masked"
dbg 'cat /etc/systemd/system.conf.d/bzkiosk-watchdog.conf' "$TMP/p2" >"$TMP/wd"
expect_grep "$TMP/wd" '^RuntimeWatchdogSec=[1-9]' "the hardware watchdog is on"
dbg 'cat /etc/systemd/journald.conf.d/bzkiosk.conf' "$TMP/p2" >"$TMP/jd"
expect_grep "$TMP/jd" '^Storage=persistent' "the journal persists"
expect_grep "$TMP/jd" '^SystemMaxUse=[0-9]+M' "the journal is capped"
dbg 'cat /etc/systemd/system/ssh.service.d/bzkiosk.conf' "$TMP/p2" >"$TMP/ssh"
expect_grep "$TMP/ssh" '^ConditionPathExists=/boot/firmware/ssh' "SSH runs only when the boot partition asks"
if dbg 'ls /etc/ssh' "$TMP/p2" | grep -q ssh_host_; then not_ok "no SSH host key baked into the image"; else ok "no SSH host key baked into the image"; fi
[ "$(dbg 'stat /etc/machine-id' "$TMP/p2" | sed -n 's/.*Project: .*Size: \([0-9]*\)$/\1/p')" = 0 ] &&
    ok "/etc/machine-id is empty (made at boot, no two kiosks share one)" || not_ok "/etc/machine-id is not empty"

# The data partition: the kiosk's directory, BlueZ's, systemd's state, the journal.
for d in /bzkiosk /bluetooth /systemd /log/journal; do
    dbg "stat $d" "$TMP/p3" | grep -q 'Type: directory' && ok "data has $d" || not_ok "data lacks $d"
done
dbg 'stat /bzkiosk' "$TMP/p3" | grep -q 'Mode:  0700' && ok "/data/bzkiosk is private (0700)" || not_ok "/data/bzkiosk is not 0700"
finish
