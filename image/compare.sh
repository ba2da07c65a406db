#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Compares two image builds (image/build.sh --out A, --out B): the disk
# images, then every file's metadata and content, and prints what differs.
# Usage: image/compare.sh A B      exit 0 when the images are identical
set -uo pipefail
[ $# -eq 2 ] || { sed -n 's/^# Usage: //p' "$0" >&2; exit 2; }
a=$1 b=$2
same=0
for f in bzkiosk-arm64.img vmlinuz initrd.img; do
    ha=$(sha256sum <"$a/$f" | cut -c1-16) hb=$(sha256sum <"$b/$f" | cut -c1-16)
    if [ "$ha" = "$hb" ]; then echo "same      $f ($ha)"; else echo "DIFFERENT $f ($ha vs $hb)"; same=1; fi
done
cmp -s "$a/bzkiosk-arm64.img.manifest" "$b/bzkiosk-arm64.img.manifest" && echo "same      package versions" ||
    { echo "DIFFERENT package versions:"; diff "$a/bzkiosk-arm64.img.manifest" "$b/bzkiosk-arm64.img.manifest" | head -20; }
echo "files whose type, mode, owner, time or link differ: $(diff "$a/files.list" "$b/files.list" | grep -c '^<')"
diff "$a/files.list" "$b/files.list" | grep '^[<>]' | head -20
echo "files whose content differs: $(diff "$a/files.sha256" "$b/files.sha256" | grep -c '^<')"
diff "$a/files.sha256" "$b/files.sha256" | grep '^<' | sed 's/^< [0-9a-f]*  /  /' | head -40
exit "$same"
