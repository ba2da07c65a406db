#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Static analysis of kiosk/ and platform/ with cppcheck; any finding fails.
set -eu
cd "$BZ_SOURCE_DIR"
cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
    --inline-suppr --suppress=missingIncludeSystem -D_GNU_SOURCE -I . -I platform \
    -j 2 kiosk platform
echo "cppcheck: no findings"
