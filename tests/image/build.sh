#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the disk image (image/build.sh) into the build directory for the
# other image tests, and checks what it wrote. The Debian packages it
# downloads stay in BZ_BUILD_DIR/image-apt-cache for the next run.
. "$BZ_SOURCE_DIR/tests/image/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "image/build.sh needs root (mmdebstrap --mode=root, genimage)"
need_tools mmdebstrap genimage mkfs.vfat mcopy mkfs.ext4 sfdisk qemu-aarch64-static update-binfmts
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] && [ ! -w /proc/sys/fs ]; then
    skip "binfmt_misc cannot be set up here (arm64 maintainer scripts need qemu-user)"
fi
t0=$(date +%s)
if "$BZ_SOURCE_DIR/image/build.sh" --out "$IMAGE_OUT" --cache "$BZ_BUILD_DIR/image-apt-cache" >"$TMP/build.log" 2>&1; then
    ok "image/build.sh built the image in $(($(date +%s) - t0)) s"
else
    not_ok "image/build.sh failed"; tail -30 "$TMP/build.log"; finish
fi
sed 's/^/     /' "$TMP/build.log"
[ -s "$IMAGE" ] && ok "bzkiosk-arm64.img: $(du -m --apparent-size "$IMAGE" | cut -f1) MiB ($(du -m "$IMAGE" | cut -f1) MiB allocated)" ||
    not_ok "no image"
for f in vmlinuz initrd.img files.sha256 files.list bzkiosk-arm64.img.manifest; do
    [ -s "$IMAGE_OUT/$f" ] && ok "wrote $f" || not_ok "no $f"
done
expect_grep "$IMAGE_OUT/bzkiosk-arm64.img.manifest" '^bzkiosk [0-9.]+ arm64$' "the manifest lists bzkiosk for arm64"
for p in linux-image-arm64 raspi-firmware bluez systemd; do
    expect_grep "$IMAGE_OUT/bzkiosk-arm64.img.manifest" "^$p " "the image has $p"
done
finish
