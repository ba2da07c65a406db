#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Export to a real exFAT filesystem mounted through FUSE (exfat-fuse on a
# loop device), with the FUSE process killed mid-write as the pulled stick:
# the export fails with a clear line, no folder under a final name fails
# verification after the stick is back, and the next export works. Then a
# full stick: a clear message and nothing partial under a final name.
. "$(dirname "$0")/lib.sh"
FILL="$BZ_BUILD_DIR/tests/store_fill"
for t in mkfs.exfat fsck.exfat mount.exfat-fuse losetup; do
    command -v "$t" >/dev/null || skip "$t is missing (Debian: exfat-fuse, exfatprogs, mount)"
done
[ "$(id -u)" -eq 0 ] || skip "exfat-fuse mounts a block device only as root (a loop device here)"
[ -c /dev/fuse ] && [ -w /dev/fuse ] || skip "/dev/fuse is not usable here"
rounds=${BZ_PULL_ROUNDS:-4}

loops=""
fuse_pid=""
cleanup() {
    [ -n "$fuse_pid" ] && kill -9 "$fuse_pid" 2>/dev/null && wait "$fuse_pid" 2>/dev/null
    for m in "$TMP/mnt" "$TMP/small"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
    for l in $loops; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            losetup -d "$l" 2>/dev/null && ! losetup "$l" >/dev/null 2>&1 && break
            sleep 0.2
        done
        losetup "$l" >/dev/null 2>&1 && echo "warning: $l is still attached" >&2
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

attach() { # IMAGE -> $dev, the loop device (not in a subshell: cleanup needs $loops)
    dev=$(losetup -f --show "$1" 2>"$TMP/losetup.err") || skip "no loop device: $(cat "$TMP/losetup.err")"
    loops="$loops $dev"
}
mount_stick() { # LOOP DIR
    mount.exfat-fuse -d "$1" "$2" >"$TMP/fuse.log" 2>&1 &
    fuse_pid=$!
    for _ in $(seq 50); do
        grep -q " $2 fuseblk" /proc/mounts && return 0
        sleep 0.1
    done
    skip "exfat-fuse did not mount: $(tail -2 "$TMP/fuse.log")"
}

mkdir -p "$TMP/k" "$TMP/mnt" "$TMP/small"
"$FILL" --db "$TMP/k/kiosk.db" --from 2026-10-01 --days 20 --per-day 1500 --bulk 2>/dev/null \
    && ok "a log of 30,000 visits" || not_ok "store_fill"
truncate -s 64M "$TMP/stick.img"
mkfs.exfat -L STICK "$TMP/stick.img" >/dev/null || skip "mkfs.exfat failed"
attach "$TMP/stick.img"
loop=$dev
mount_stick "$loop" "$TMP/mnt"
ok "exFAT image mounted through FUSE ($loop)"

expect_rc 0 "export to the exFAT stick" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/mnt"
first=$(cat "$TMP/out")
expect_rc 0 "the export verifies on the stick" "$BZKIOSK" verify "$first"

seed=7
pulled=0
r=0
while [ "$r" -lt "$rounds" ]; do
    r=$((r + 1))
    "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/mnt" >"$TMP/pull.out" 2>"$TMP/pull.err" &
    exp=$!
    seed=$(((seed * 1103515245 + 12345) % 2147483648))
    sleep "$(printf '0.%03d' $((20 + seed % 250)))"
    kill -9 "$fuse_pid"
    wait "$fuse_pid" 2>/dev/null
    fuse_pid=""
    wait "$exp"
    rc=$?
    if [ "$rc" -eq 0 ]; then
        ok "round $r: the export finished before the pull"
    else
        pulled=$((pulled + 1))
        [ "$rc" -eq 1 ] && [ "$(wc -l <"$TMP/pull.err")" -eq 1 ] && ok "round $r: pulled mid-write: exit 1, one line: $(cut -c1-110 "$TMP/pull.err")" \
            || not_ok "round $r: pulled: exit $rc, $(wc -l <"$TMP/pull.err") lines: $(head -3 "$TMP/pull.err")"
    fi
    umount -l "$TMP/mnt" 2>/dev/null
    fsck.exfat -y "$loop" >"$TMP/fsck.log" 2>&1 || true
    mount_stick "$loop" "$TMP/mnt"
    bad=""
    for d in "$TMP/mnt"/*/; do
        [ -d "$d" ] || continue
        "$BZKIOSK" verify "$d" >/dev/null 2>"$TMP/v.err" || bad="$bad $(basename "$d"): $(cat "$TMP/v.err")"
    done
    [ -z "$bad" ] && ok "round $r: every folder under a final name verifies" || not_ok "round $r: $bad"
    expect_rc 0 "round $r: the next export works" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/mnt"
    expect_rc 0 "round $r: and verifies" "$BZKIOSK" verify "$(cat "$TMP/out")"
    ls -a "$TMP/mnt" | grep -q partial && not_ok "round $r: a .partial folder stays after a good export" || ok "round $r: the stale .partial folder was removed"
done
[ "$pulled" -gt 0 ] && ok "$pulled of $rounds pulls came mid-write" || not_ok "no pull came mid-write: nothing tested"

# export, flush, unmount: "safe to remove" only once the stick is unmounted
expect_rc 0 "export --eject" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/mnt" --eject
expect_grep "$TMP/err" "is unmounted: the stick is safe to remove" "says it is safe to remove"
grep -q " $TMP/mnt fuseblk" /proc/mounts && not_ok "still mounted after --eject" || ok "unmounted"
wait "$fuse_pid" 2>/dev/null; fuse_pid=""
fsck.exfat -n "$loop" >"$TMP/fsck.log" 2>&1 && ok "fsck.exfat finds the ejected stick clean" || not_ok "fsck.exfat: $(tail -2 "$TMP/fsck.log")"
mount_stick "$loop" "$TMP/mnt"
n=0; for d in "$TMP/mnt"/*/; do "$BZKIOSK" verify "$d" >/dev/null 2>&1 && n=$((n + 1)); done
[ "$n" -eq "$(ls -d "$TMP/mnt"/*/ | wc -l)" ] && ok "all $n exports verify after the stick came back" || not_ok "$n verify"

# a full stick (mkfs.exfat's smallest useful size, smaller than the export)
kill -9 "$fuse_pid" 2>/dev/null; wait "$fuse_pid" 2>/dev/null; fuse_pid=""; umount -l "$TMP/mnt" 2>/dev/null
truncate -s 3M "$TMP/small.img"
mkfs.exfat "$TMP/small.img" >/dev/null 2>&1 || skip "mkfs.exfat cannot make a 3 MiB image"
attach "$TMP/small.img"
small=$dev
mount_stick "$small" "$TMP/small"
expect_rc 1 "export to a full stick" "$BZKIOSK" export --db "$TMP/k/kiosk.db" --to "$TMP/small"
expect_one_line "$TMP/err" "full stick: one line"
expect_grep "$TMP/err" "the stick is full" "says the stick is full"
[ -z "$(ls "$TMP/small")" ] && ok "nothing left on the full stick" || not_ok "left: $(ls -a "$TMP/small")"
finish
