#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# mmdebstrap's customize hook for the image (image/build.sh): the overlay,
# the units the appliance runs, the data partition's tree, no console on
# the screen, SSH only when the boot partition asks.
# Usage: customize.sh ROOT IMAGE_DIR SAMPLE_KIOSK_CONF
set -euo pipefail
root=$1 here=$2 sample=$3
in_root() { chroot "$root" "$@"; }

cp -a "$here/overlay/." "$root/"
chown -R root:root "$root/etc/systemd" "$root/etc/ssh/sshd_config.d" "$root/usr/lib/bzkiosk"
# The boot partition again, with the kiosk's raspi-firmware settings
# (root by label, serial console only); dpkg would have asked about them.
in_root env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware
echo bzkiosk >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tbzkiosk\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
ln -sf /usr/share/zoneinfo/Asia/Ho_Chi_Minh "$root/etc/localtime"
echo Asia/Ho_Chi_Minh >"$root/etc/timezone"

in_root systemctl enable bzkiosk.service bluetooth.service systemd-networkd.service \
    systemd-resolved.service systemd-timesyncd.service bzkiosk-grow-data.service \
    bzkiosk-machine-id.service
# The screen is the kiosk's: no getty on tty1 (serial consoles keep theirs).
in_root systemctl mask getty@tty1.service autovt@.service
rm -f "$root"/etc/ssh/ssh_host_*

# The settings live on the boot partition, editable from any PC.
install -m 0644 "$sample" "$root/boot/firmware/kiosk.conf"
mkdir -p "$root/etc/bzkiosk"
ln -sfn ../../boot/firmware/kiosk.conf "$root/etc/bzkiosk/kiosk.conf"

# The data partition: what changes, bound into place by /etc/fstab.
mkdir -p "$root/data" "$root/media/bzkiosk" "$root/var/lib/bzkiosk" "$root/var/lib/bluetooth"
for pair in bzkiosk:var/lib/bzkiosk bluetooth:var/lib/bluetooth systemd:var/lib/systemd log:var/log; do
    dir=${pair%%:*} from=${pair#*:}
    mkdir -p "$root/data/$dir"
    cp -a "$root/$from/." "$root/data/$dir/"
    find "$root/$from" -mindepth 1 -delete
done
mkdir -p "$root/data/log/journal"
in_root chown root:systemd-journal /data/log/journal
chmod 2755 "$root/data/log/journal"
in_root chown bzkiosk:bzkiosk /data/bzkiosk
chmod 0700 "$root/data/bzkiosk"

# An empty machine-id: systemd makes one up at boot (read-only root), and
# bzkiosk-machine-id.service keeps the first on the kernel command line.
: >"$root/etc/machine-id"
rm -f "$root"/tmp/*.deb "$root"/var/cache/ldconfig/aux-cache
