# SPDX-License-Identifier: GPL-3.0-or-later
# The appliance (image/): the Debian package and the disk image. Label
# `image`: expensive, run once per CI run (tools/test.sh runs them in the
# normal build only).
bz_script_test(image/deb ${CMAKE_SOURCE_DIR}/tests/image/deb.sh LABELS image TIMEOUT 600)
