#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# BlueZ figures in the test VM (tests/vm/bench.sh): detection latency of
# the kiosk against bluetoothctl, and CPU with 1, 3, 5 phones advertising.
# Usage: tests/bench/bluez.sh [BUILD_DIR]   (builds the VM image in BUILD_DIR/vm)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
BZ_VM_DIR=$build/vm exec "$here/vm/run.sh" "$build/bzkiosk" "$here/vm/bench.sh" 6
