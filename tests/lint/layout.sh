#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The layout's promises: kiosk/ never includes SDL, D-Bus, udev or platform/
# headers, and every source file starts with its SPDX licence line.
set -eu
cd "$BZ_SOURCE_DIR"
bad=$(grep -rnE '#include [<"](SDL|systemd/|libudev|dbus/|platform/)' kiosk || true)
if [ -n "$bad" ]; then
    echo "kiosk/ must stay free of machine headers:"; echo "$bad"; exit 1
fi
missing=""
for f in $(git ls-files --cached --others --exclude-standard '*.c' '*.h' '*.sh' '*.py' 'CMakeLists.txt' '*.cmake' 2>/dev/null); do
    head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later' || missing="$missing $f"
done
if [ -n "$missing" ]; then
    echo "no SPDX line in:$missing"; exit 1
fi
echo "layout: kiosk/ is free of machine headers; every source file has its SPDX line"
