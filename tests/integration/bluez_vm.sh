#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The real stack: a qemu VM with Debian's kernel (hci_vhci), dbus, bluetoothd
# and btvirt's virtual controllers; `bzkiosk phone` is the visitor on one
# controller, the kiosk scans on another (tests/vm/e2e.sh has the checks).
# Exits 77 (skipped, loudly) when qemu, BlueZ's tools or the kernel package
# are not available here.
set -u
: "${BZKIOSK:?run through ctest, which sets BZKIOSK}"
here=$(cd "$(dirname "$0")/../vm" && pwd)
export BZ_VM_DIR=${BZ_BUILD_DIR:-$PWD}/vm
exec "$here/run.sh" "$BZKIOSK" "$here/e2e.sh" 4
