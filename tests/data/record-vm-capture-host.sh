#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Records tests/data/vm-*.btsnoop with the shared bluez-vm recipe: builds the
# VM (with hcidump) in $BZVM_DIR, boots it with record-vm-capture.sh and
# copies the captures here. Takes about a minute (QEMU without KVM).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# the recipe lives in ../shared/bluez-vm beside the project (BZVM_RECIPE overrides)
vm=${BZVM_RECIPE:-$here/../../../shared/bluez-vm}
[ -d "$vm" ] || vm=/work/shared/bluez-vm
export BZVM_DIR=${BZVM_DIR:-/tmp/bzvm-beacons}
share=$(mktemp -d)
trap 'rm -rf "$share"' EXIT
[ -f "$BZVM_DIR/initramfs.cpio.gz" ] || EXTRA_BINS=/usr/bin/hcidump "$vm/build-initramfs.sh"
cp "$here/record-vm-capture.sh" "$share/"
SHARE=$share "$vm/run-vm.sh" record-vm-capture.sh </dev/null
cp "$share/btmon-2001.btsnoop" "$here/vm-btmon-2001.btsnoop"
[ -f "$share/hcidump-1002.btsnoop" ] && cp "$share/hcidump-1002.btsnoop" "$here/vm-hcidump-1002.btsnoop"
grep -E 'add-adv|extended|sent' "$share/vm-out.log" || true
