#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the flashable Raspberry Pi 3/4 image (arm64) from Debian 12
# packages only:
#   1. bzkiosk cross-built for arm64 in a throw-away Debian chroot
#      (multiarch: crossbuild-essential-arm64 + the :arm64 -dev packages of
#      tools/packages-build.txt) and packed as a .deb by CPack;
#   2. the arm64 root with mmdebstrap (kernel, raspi-firmware, BlueZ, the
#      .deb and its libraries; maintainer scripts run under qemu-user);
#   3. the disk image with genimage: FAT boot (firmware, kernel, kiosk.conf),
#      read-only ext4 root, ext4 data (grown at first boot).
# Usage: image/build.sh --out DIR [--deb FILE] [--mirror URL] [--security URL] [--cache DIR]
# Output in DIR: bzkiosk-arm64.img, its manifest (packages), files.sha256
# (every file of the three filesystems), vmlinuz/initrd.img (for qemu), the
# .deb, and rootfs/ (the tree the image was made from).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
out="" deb="" cache=""
mirror=http://deb.debian.org/debian
security=http://deb.debian.org/debian-security
suite=bookworm
usage() { sed -n 's/^# Usage: //p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
    --out) out=${2:?}; shift 2 ;;
    --deb) deb=$(realpath "${2:?}"); shift 2 ;;
    --mirror) mirror=${2:?}; shift 2 ;;
    --security) security=${2:?}; shift 2 ;;
    --cache) cache=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    *) echo "image/build.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
[ -n "$out" ] || usage
[ -z "$deb" ] || [ -f "$deb" ] || { echo "image/build.sh: no package $deb" >&2; exit 1; }
die() { echo "image/build.sh: $*" >&2; exit 1; }
step() { echo "=== $(date -u +%H:%M:%S) $*" >&2; }

[ "$(id -u)" -eq 0 ] || die "run as root (mmdebstrap --mode=root, genimage and chroot need it)"
for tool in mmdebstrap genimage mkfs.vfat mcopy mkfs.ext4 sfdisk qemu-aarch64-static; do
    command -v "$tool" >/dev/null || die "$tool is missing: tools/deps.sh image (tools/packages-image.txt)"
done
# The arm64 maintainer scripts run through binfmt_misc and qemu-user.
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    update-binfmts --enable qemu-aarch64 || die "cannot enable qemu-aarch64 in binfmt_misc"
fi

mkdir -p "$out"
out=$(realpath "$out")
# The throw-away cross-build chroot lives in memory: dpkg is much faster there.
mkdir -p "$out/tmp"
mount -t tmpfs -o size=4G bzkiosk-image "$out/tmp"
trap 'umount "$out/tmp"' EXIT
export TMPDIR="$out/tmp"
cache=${cache:-$out/apt-cache}
mkdir -p "$cache"
# Same sources, same packages, same time: every timestamp is this commit's.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$src" log -1 --format=%ct)}
revision=$(git -C "$src" describe --always --dirty --abbrev=10 2>/dev/null || echo unknown)
sources="deb $mirror $suite main non-free-firmware
deb $mirror $suite-updates main non-free-firmware
deb $security $suite-security main non-free-firmware"
cache_hooks=(--skip=essential/unlink
    --setup-hook="mkdir -p \"\$1\"/var/cache/apt/archives/"
    --setup-hook="sync-in $cache /var/cache/apt/archives/"
    --customize-hook="sync-out /var/cache/apt/archives $cache")
start=$(date +%s)

# --- 1. the kiosk for arm64, as a Debian package ---
if [ -z "$deb" ]; then
    step "cross-building bzkiosk for arm64 (revision $revision)"
    native="dpkg-dev file crossbuild-essential-arm64"
    foreign=""
    for p in $(sed 's/#.*//' "$src/tools/packages-build.txt"); do
        case "$p" in
        *-dev) foreign="$foreign $p:arm64" ;;
        build-essential | git | ca-certificates) ;;
        *) native="$native $p" ;;
        esac
    done
    rm -rf "$out/deb" && mkdir -p "$out/deb"
    git -C "$src" ls-files -z --cached --others --exclude-standard |
        (cd "$src" && tar --null --no-recursion -T - -cf "$out/deb/src.tar")
    mmdebstrap --mode=root --variant=apt --architectures=amd64,arm64 \
        --include="$(echo $native $foreign | tr ' ' ,)" "${cache_hooks[@]}" \
        --customize-hook="mkdir \"\$1/src\" && tar -C \"\$1/src\" -xf $out/deb/src.tar" \
        --customize-hook="chroot \"\$1\" env SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH BZ_GIT_REVISION=$revision sh /src/image/cross-build.sh" \
        --customize-hook="sync-out /build/pkg $out/deb" \
        "$suite" /dev/null "$sources" >"$out/deb/build.log" 2>&1 ||
        { tail -30 "$out/deb/build.log" >&2; die "the cross build failed (log: $out/deb/build.log)"; }
    deb=$(ls "$out"/deb/bzkiosk_*_arm64.deb)
fi
[ -f "$deb" ] || die "no package $deb"
step "package: $(basename "$deb") ($(dpkg-deb -f "$deb" Depends))"
cp "$deb" "$out/"

# --- 2. the arm64 root ---
step "the arm64 root (mmdebstrap, maintainer scripts under qemu-user)"
packages="systemd-sysv udev dbus kmod bluez bluez-firmware firmware-brcm80211 raspi-firmware
linux-image-arm64 initramfs-tools zstd systemd-timesyncd systemd-resolved openssh-server fdisk
iproute2 procps"
rm -rf "$out/rootfs"
mmdebstrap --mode=root --variant=minbase --architectures=arm64 \
    --include="$(echo $packages | tr ' ' ,)" "${cache_hooks[@]}" \
    --essential-hook="mkdir -p \"\$1/boot/firmware\" && cp -a $here/overlay/etc/initramfs-tools \"\$1/etc/\"" \
    --customize-hook="copy-in $deb /tmp/" \
    --customize-hook="chroot \"\$1\" apt-get install -y --no-install-recommends /tmp/$(basename "$deb")" \
    --customize-hook="$here/customize.sh \"\$1\" $here $src/assets/kiosk.conf" \
    "$suite" "$out/rootfs" "$sources" >"$out/rootfs.log" 2>&1 ||
    { tail -30 "$out/rootfs.log" >&2; die "the root failed (log: $out/rootfs.log)"; }
chroot "$out/rootfs" dpkg-query -W -f '${Package} ${Version} ${Architecture}\n' >"$out/bzkiosk-arm64.img.manifest"
# The kernel and initrd the image boots, for qemu-system-aarch64 -M virt.
cp -L "$out/rootfs/vmlinuz" "$out/vmlinuz"
cp -L "$out/rootfs/initrd.img" "$out/initrd.img"
# Every file dates from SOURCE_DATE_EPOCH (generated files would carry now).
find "$out/rootfs" -newermt "@$SOURCE_DATE_EPOCH" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

# What a second build is compared with: every file's type, mode, owner,
# time and link target, and every regular file's hash.
(cd "$out/rootfs" && find . -printf '%M %U:%G %T@ %p -> %l\n' | LC_ALL=C sort >"$out/files.list" &&
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum >"$out/files.sha256")

# --- 3. the disk image ---
step "the disk image (genimage)"
mib() { du -s --block-size=1M "$@" | awk '{ s += $1 } END { print s }'; }
root_mib=$(($(mib --exclude=./boot/firmware --exclude=./data "$out/rootfs") * 5 / 4 + 64))
# Fixed IDs derived from the source date: same inputs, same image.
id_hex=$(printf '%08x' "$SOURCE_DATE_EPOCH")
uuid() { printf '%s-%04x-4000-8000-%012x' "$id_hex" "$1" "$1"; }
sed -e "s/@BOOT_SIZE@/256M/" -e "s/@ROOT_SIZE@/${root_mib}M/" -e "s/@DATA_SIZE@/64M/" \
    -e "s/@FAT_ID@/$id_hex/" -e "s/@DISK_ID@/0x$id_hex/" -e "s/@TIMESTAMP@/$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S')/" \
    -e "s/@ROOT_UUID@/$(uuid 1)/g" -e "s/@DATA_UUID@/$(uuid 3)/g" \
    "$here/genimage.cfg.in" >"$out/genimage.cfg"
rm -rf "$out/genimage-tmp" "$out/images"
E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH genimage --config "$out/genimage.cfg" --rootpath "$out/rootfs" \
    --tmppath "$out/genimage-tmp" --inputpath "$out" --outputpath "$out" >"$out/genimage.log" 2>&1 ||
    { tail -30 "$out/genimage.log" >&2; die "genimage failed (log: $out/genimage.log)"; }
rm -rf "$out/genimage-tmp"
step "done in $(($(date +%s) - start)) s: $out/bzkiosk-arm64.img ($(du -h --apparent-size "$out/bzkiosk-arm64.img" | cut -f1))"
