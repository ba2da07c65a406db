#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Boots the BlueZ test VM (software emulation: the machines' /dev/kvm does not
# run Debian's kernel) and runs one guest script in it.
# Usage: tests/vm/run.sh BZKIOSK GUEST_SCRIPT [CONTROLLERS]
# Env:   BZ_VM_DIR   where the image is built (default $BZ_BUILD_DIR/vm or ./build/vm)
#        BZ_VM_KEEP  a folder to keep the guest's logs in (kiosk, phones, bluetoothd …)
# Exit:  the guest script's status; 77 when the VM cannot be built or run here.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bzkiosk=$1
script=$2
ctrl=${3:-3}
vm=${BZ_VM_DIR:-${BZ_BUILD_DIR:-$PWD/build}/vm}
skip() { echo "SKIPPED: $*" >&2; exit 77; }

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is missing (tools/deps.sh test)"
# rebuild the image when the kiosk or the harness changed
stamp=$vm/initramfs.cpio.gz
if [ ! -f "$stamp" ] || [ "$bzkiosk" -nt "$stamp" ] ||
    [ -n "$(find "$here" -newer "$stamp" -type f 2>/dev/null)" ]; then
    t0=$(date +%s.%N)
    "$here/build-image.sh" "$bzkiosk" "$vm" || {
        rc=$?
        [ $rc -eq 77 ] && skip "the VM image cannot be built here (above)"
        echo "build-image failed ($rc)" >&2
        exit 1
    }
    echo "image built in $(echo "$(date +%s.%N) - $t0" | bc) s"
fi
share=$(mktemp -d "${TMPDIR:-/tmp}/bzvm.XXXXXX")
trap 'rm -rf "$share"' EXIT
cp "$script" "$share/test.sh"
t0=$(date +%s.%N)
timeout 600 qemu-system-x86_64 -accel tcg -cpu max -m 512 -smp 1 -nographic -no-reboot -nic none \
    -kernel "$vm/vmlinuz" -initrd "$vm/initramfs.cpio.gz" \
    -virtfs "local,path=$share,mount_tag=host,security_model=none" \
    -append "console=ttyS0 quiet panic=-1 bz.run=test.sh bz.ctrl=$ctrl" \
    </dev/null >"$share/console.log" 2>&1
qrc=$?
echo "VM ran $(echo "$(date +%s.%N) - $t0" | bc) s (qemu exit $qrc)"
if [ -f "$share/vm-out.log" ]; then cat "$share/vm-out.log"; else tail -40 "$share/console.log"; fi
if [ -n "${BZ_VM_KEEP:-}" ]; then
    mkdir -p "$BZ_VM_KEEP" && cp -r "$share"/. "$BZ_VM_KEEP"/ && echo "logs kept in $BZ_VM_KEEP"
fi
if [ ! -f "$share/exit-code" ]; then
    grep -qiE "kernel panic|not syncing" "$share/console.log" && tail -20 "$share/console.log"
    echo "the guest never finished (qemu exit $qrc)" >&2
    exit 1
fi
exit "$(cat "$share/exit-code")"
