#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the BlueZ test VM: Debian's kernel (hci_vhci: virtual controllers)
# and an initramfs with busybox, dbus-daemon, bluetoothd, btvirt, bluetoothctl,
# btmon and the kiosk. Nothing is installed on the host: the kernel package
# is only downloaded (apt-get download) and unpacked, into a cache.
# Usage: tests/vm/build-image.sh BZKIOSK OUT_DIR
# Env:   BZ_VM_CACHE  where the kernel package is kept (default ~/.cache/bzkiosk-vm)
# Exit:  0 built; 77 a host tool or the kernel package is missing (says which)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bzkiosk=$(readlink -f "$1")
out=$2
cache=${BZ_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bzkiosk-vm}
root=$out/root
missing() { echo "build-image: $*" >&2; exit 77; }

for t in /usr/libexec/bluetooth/bluetoothd /usr/bin/btvirt /usr/bin/btmgmt /usr/bin/bluetoothctl \
    /usr/bin/btmon /usr/bin/dbus-daemon /usr/bin/dbus-send /usr/bin/busctl /bin/busybox \
    /usr/bin/kmod /usr/bin/cpio /usr/sbin/depmod; do
    [ -x "$t" ] || missing "$t is missing (tools/deps.sh test installs bluez, bluez-test-tools, busybox-static, dbus, kmod, cpio)"
done
file /bin/busybox 2>/dev/null | grep -q "statically linked" || ldd /bin/busybox 2>&1 | grep -q "not a dynamic" ||
    missing "/bin/busybox is not the static one (busybox-static)"

# --- the kernel: the package linux-image-amd64 points to, unpacked once
mkdir -p "$cache" "$out"
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$kpkg" ] || kpkg=$(cd "$cache" && ls -d linux-image-* 2>/dev/null | grep -v deb | tail -1)
[ -n "$kpkg" ] || missing "cannot tell which Debian kernel to use (apt-cache depends linux-image-amd64)"
kver=${kpkg#linux-image-}
kdir=$cache/$kpkg
if [ ! -f "$kdir/boot/vmlinuz-$kver" ]; then
    (cd "$cache" && apt-get download "$kpkg" >/dev/null 2>&1) ||
        missing "cannot download the kernel package $kpkg (no network or no apt source)"
    rm -rf "$kdir" && mkdir -p "$kdir"
    dpkg -x "$cache/${kpkg}"_*.deb "$kdir"
    rm -f "$cache/${kpkg}"_*.deb
fi
cp "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz"

# --- the root file system
rm -rf "$root"
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc,proc,sys,dev,run,tmp,var,mnt/host,root}
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"

# put FILE at the same (resolved) path inside the image
put() {
    local dir
    dir=$(readlink -f "$(dirname "$1")")
    mkdir -p "$root$dir"
    cp -L "$1" "$root$dir/"
}
# a program's shared libraries, and the program at DEST (default: its own path)
put_bin() {
    ldd "$1" 2>/dev/null | awk '/=> \//{print $3} /^\s*\/[^ ]+ \(/{print $1}' | while read -r lib; do
        [ -e "$root$(readlink -f "$lib")" ] || put "$lib"
    done
    if [ -n "${2:-}" ]; then cp -L "$1" "$root$2"; else put "$1"; fi
}

for b in /usr/bin/dbus-daemon /usr/bin/dbus-send /usr/bin/busctl /usr/libexec/bluetooth/bluetoothd \
    /usr/bin/btvirt /usr/bin/btmgmt /usr/bin/bluetoothctl /usr/bin/btmon /usr/bin/kmod; do
    put_bin "$b"
done
ln -sf ../libexec/bluetooth/bluetoothd "$root/usr/sbin/bluetoothd"
for t in modprobe insmod lsmod depmod; do ln -sf ../bin/kmod "$root/usr/sbin/$t"; done
put_bin "$bzkiosk" /usr/bin/bzkiosk
# ASan builds need their runtime's symbolizer-free defaults only; nothing else
cc -O2 -Wall -o "$out/stamp" "$here/stamp.c"
cc -O2 -Wall -shared -fPIC -o "$out/rssi_shim.so" "$here/rssi_shim.c" -ldl
put_bin "$out/stamp" /usr/bin/stamp
cp "$out/rssi_shim.so" "$root/usr/lib/rssi_shim.so"
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || cp -L /lib64/ld-linux-x86-64.so.2 "$root/usr/lib64/"
cp /bin/busybox "$root/usr/bin/busybox"
for a in $("$root/usr/bin/busybox" --list); do
    [ -e "$root/usr/bin/$a" ] || [ -e "$root/usr/sbin/$a" ] || ln -s busybox "$root/usr/bin/$a"
done

# --- kernel modules: virtual controllers, and the AF_ALG sockets btvirt needs
#     (without ecb/cmac it says "Failed to open Virtual HCI device"); 9p for the share
mods="hci_vhci bluetooth af_alg algif_hash algif_skcipher ecb cmac 9p 9pnet_virtio virtio_pci"
depmod -b "$kdir" "$kver"
for m in $mods; do
    modprobe -d "$kdir" -S "$kver" --show-depends "$m" | awk '$1=="insmod"{print $2}'
done | sort -u | while read -r ko; do
    rel=${ko#"$kdir/lib/modules/$kver/"}
    mkdir -p "$root/lib/modules/$kver/$(dirname "$rel")"
    cp "$ko" "$root/lib/modules/$kver/$rel"
done
cp "$kdir/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$kver/"
depmod -b "$root" "$kver"

# --- configuration: users, the system bus with Debian's BlueZ policy
printf 'root:x:0:0:root:/root:/bin/sh\nmessagebus:x:100:101::/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nmessagebus:x:101:\nbluetooth:x:102:\n' >"$root/etc/group"
printf 'passwd: files\ngroup: files\n' >"$root/etc/nsswitch.conf"
echo 5a1b2c3d4e5f60718293a4b5c6d7e8f9 >"$root/etc/machine-id"
mkdir -p "$root/etc/dbus-1/system.d" "$root/usr/share/dbus-1" "$root/etc/bluetooth" "$root/etc/bzkiosk"
for p in /usr/share/dbus-1/system.d/bluetooth.conf /etc/dbus-1/system.d/bluetooth.conf; do
    [ -f "$p" ] && cp "$p" "$root/etc/dbus-1/system.d/"
done
[ -f "$root/etc/dbus-1/system.d/bluetooth.conf" ] || missing "BlueZ's D-Bus policy bluetooth.conf is missing"
cat >"$root/usr/share/dbus-1/system.conf" <<'EOF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <user>messagebus</user>
  <fork/>
  <pidfile>/run/dbus/pid</pidfile>
  <auth>EXTERNAL</auth>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <includedir>/etc/dbus-1/system.d</includedir>
</busconfig>
EOF
[ -f /etc/bluetooth/main.conf ] && cp /etc/bluetooth/main.conf "$root/etc/bluetooth/"
cp "$here/init.sh" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"
echo "build-image: $out/vmlinuz ($kver), $out/initramfs.cpio.gz ($(du -h "$out/initramfs.cpio.gz" | cut -f1))"
