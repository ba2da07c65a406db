#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the cross-build chroot (image/build.sh): configures bzkiosk for
# arm64 with the Debian cross toolchain and packs the .deb into /build/pkg.
set -eu
cat >/build-toolchain.cmake <<'TC'
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
TC
export PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
export DEB_HOST_ARCH=arm64
cmake -S /src -B /build -DCMAKE_TOOLCHAIN_FILE=/build-toolchain.cmake -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF -DBZ_DEB_ARCH=arm64
cmake --build /build -j"$(nproc)"
cd /build && cpack -B /build/pkg
rm -rf /build/pkg/_CPack_Packages
