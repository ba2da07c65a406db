#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The arm64 program inside the image's own root, under qemu-user (binfmt):
# --version, the same decode and simulated lobby as the host build byte for
# byte, and a replay run through the kiosk's loop with the off-screen display.
. "$BZ_SOURCE_DIR/tests/image/lib.sh"
need_tools chroot qemu-aarch64-static
need_image
[ "$(id -u)" -eq 0 ] || skip "chroot needs root"
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || skip "qemu-aarch64 is not registered in binfmt_misc (image/build.sh registers it)"
root="$IMAGE_OUT/rootfs"
file "$root/usr/bin/bzkiosk" | grep -q 'ARM aarch64' && ok "the image's bzkiosk is an arm64 program" ||
    not_ok "the image's bzkiosk: $(file -b "$root/usr/bin/bzkiosk")"

work=$(mktemp -d "$root/tmp/bztest.XXXXXX")
trap 'rm -rf "$TMP" "$work"' EXIT
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin LANG=C.UTF-8 "$@"; }

expect_rc 0 "bzkiosk --version runs under qemu-aarch64" in_root /usr/bin/bzkiosk --version
echo "     $(cat "$TMP/out")"
expect_grep "$TMP/out" "^bzkiosk $(sed -n 's/^project(bzkiosk VERSION \([0-9.]*\).*/\1/p' "$BZ_SOURCE_DIR/CMakeLists.txt") \(git [0-9a-f]" \
    "it names its version and the git revision it was built from"

capture="$BZ_SOURCE_DIR/tests/data/vm-btmon-2001.btsnoop"
cp "$capture" "$work/capture.btsnoop"
inside=${work#"$root"}
expect_rc 0 "decode runs under qemu-aarch64" in_root /usr/bin/bzkiosk decode "$inside/capture.btsnoop"
"$BZKIOSK" decode "$capture" >"$TMP/host.decode"
cmp -s "$TMP/out" "$TMP/host.decode" && ok "arm64 and host decode the capture identically ($(wc -l <"$TMP/host.decode") reports)" ||
    not_ok "arm64 decode differs from the host's"

expect_rc 0 "simulate runs under qemu-aarch64" in_root /usr/bin/bzkiosk simulate --scenario short --seed 7 --out "$inside/sim.btsnoop"
"$BZKIOSK" simulate --scenario short --seed 7 --out "$TMP/sim.btsnoop" >/dev/null 2>&1
cmp -s "$work/sim.btsnoop" "$TMP/sim.btsnoop" && cmp -s "$work/sim.btsnoop.truth.json" "$TMP/sim.btsnoop.truth.json" &&
    ok "arm64 and host simulate the same lobby byte for byte" || not_ok "arm64 and host simulations differ"

expect_rc 0 "a replay run through the kiosk's loop under qemu-aarch64 (off-screen)" \
    in_root /usr/bin/bzkiosk run --source "replay:$inside/capture.btsnoop" --display offscreen \
    --db "$inside/kiosk.db" --set "store.key=$inside/device.key" --seconds 30
expect_grep "$TMP/err" 'reports [1-9]' "the replay's reports reached the kiosk"
finish
