#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Sets up and runs the kiosk on its default: the simulated lobby, with an
# off-screen display when there is no screen. Extra arguments go to bzkiosk
# (e.g. tools/run.sh --seconds 5).
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target bzkiosk >/dev/null
mkdir -p out
exec build/bzkiosk run --set store.db="$PWD/out/kiosk.db" --set store.key="$PWD/out/device.key" \
    --set store.export_dir="$PWD/out/export" "$@"
