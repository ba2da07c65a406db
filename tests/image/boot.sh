#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Boots the image in qemu-system-aarch64 -M virt with its own kernel and
# initrd (the Pi's firmware is not emulated): bzkiosk.service must reach
# READY (Type=notify) with the simulated lobby and the off-screen display
# within BZ_BOOT_READY_LIMIT_S; then the kiosk's main loop is stopped
# (SIGSTOP) and systemd's watchdog must restart it. A probe unit written
# into a copy of the image reports over the serial console and powers off.
. "$BZ_SOURCE_DIR/tests/image/lib.sh"
# Opt-in: on this project's 2 shared cores the image build alone takes most
# of the image tests' 15-minute budget, and an emulated boot adds minutes.
[ "${BZ_IMAGE_BOOT:-0}" = 1 ] ||
    skip "OPT-IN: the qemu-system-aarch64 boot test (READY + watchdog restart) runs only with BZ_IMAGE_BOOT=1 (too slow for the default run: see README, 'Tests (label image)')"
need_tools qemu-system-aarch64 debugfs mcopy sfdisk python3
need_image
limit=${BZ_BOOT_READY_LIMIT_S:-240}
timeout_s=${BZ_BOOT_TIMEOUT_S:-840}

cp --sparse=always "$IMAGE" "$TMP/disk.img"
# A bigger card than the image: the first boot must grow the data partition.
truncate -s +256M "$TMP/disk.img"
IMAGE="$TMP/disk.img"
offset() { sfdisk -J "$IMAGE" | python3 -c "import json,sys; print(json.load(sys.stdin)['partitiontable']['partitions'][$1-1]['start'] * 512)"; }

# The site's settings, edited on the boot partition as an office would.
mtype -i "$IMAGE@@$(offset 1)" ::/kiosk.conf >"$TMP/kiosk.conf.orig"
sed -e 's/^source = auto/source = sim/' -e 's/^mode = auto/mode = offscreen/' \
    -e 's/^code = SITE-01/code = QEMU-01/' <"$TMP/kiosk.conf.orig" >"$TMP/kiosk.conf"
mcopy -o -i "$IMAGE@@$(offset 1)" "$TMP/kiosk.conf" ::/kiosk.conf

cat >"$TMP/probe" <<'PROBE'
#!/bin/sh
# The boot test's probe: reports on the serial console, then powers off.
say() { echo "BZTEST: $*" >/dev/ttyAMA0; }
mono() { cut -d' ' -f1 /proc/uptime; }
for i in $(seq 300); do systemctl is-active -q bzkiosk.service && break; sleep 1; done
say "state $(systemctl is-active bzkiosk.service)"
if ! systemctl is-active -q bzkiosk.service; then
    systemctl list-jobs --no-pager | sed 's/^/BZTEST: jobs /' >/dev/ttyAMA0
    systemctl status --no-pager bzkiosk.service 2>&1 | sed 's/^/BZTEST: status /' >/dev/ttyAMA0
fi
say "ready_us $(systemctl show -P ActiveEnterTimestampMonotonic bzkiosk.service)"
say "status $(systemctl show -P StatusText bzkiosk.service)"
say "root_opts $(findmnt -no OPTIONS /)"
say "data_mib $(df -m --output=size /data | tail -1 | tr -d ' ')"
say "journal_dirs $(ls /var/log/journal | wc -l) $(cat /etc/machine-id)"
say "cmdline_id $(grep -c systemd.machine_id= /boot/firmware/cmdline.txt)"
say "getty_tty1 $(systemctl is-active getty@tty1.service)"
say "site $(journalctl -b -u bzkiosk.service -o cat | grep -o "(QEMU-01)" | head -1)"
say "key $(ls /var/lib/bzkiosk)"
pid=$(systemctl show -P MainPID bzkiosk.service)
say "stop_pid $pid at $(mono)"
kill -STOP "$pid"
for i in $(seq 120); do
    sleep 1
    new=$(systemctl show -P MainPID bzkiosk.service)
    [ "$new" != "$pid" ] && [ "$new" != 0 ] && systemctl is-active -q bzkiosk.service && break
done
say "restarted_pid $new after $i s, restarts $(systemctl show -P NRestarts bzkiosk.service)"
journalctl -b -u bzkiosk.service -o short-monotonic --no-pager | tail -n 12 | sed 's/^/BZTEST: journal /' >/dev/ttyAMA0
say "failed_units $(systemctl list-units --failed --plain --no-legend | cut -d' ' -f1 | tr '\n' ' ')"
say "done"
systemctl poweroff
PROBE
cat >"$TMP/probe.service" <<'UNIT'
[Unit]
Description=bzkiosk boot test probe
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/bztest-probe
UNIT
part_extract 2 "$TMP/root.ext4"
debugfs -w "$TMP/root.ext4" >"$TMP/debugfs.log" 2>&1 <<CMDS
write $TMP/probe /usr/local/sbin/bztest-probe
set_inode_field /usr/local/sbin/bztest-probe mode 0100755
write $TMP/probe.service /etc/systemd/system/bztest-probe.service
symlink /etc/systemd/system/multi-user.target.wants/bztest-probe.service /etc/systemd/system/bztest-probe.service
CMDS
dd if="$TMP/root.ext4" of="$IMAGE" bs=512 seek=$(($(offset 2) / 512)) conv=notrunc,sparse status=none
rm -f "$TMP/root.ext4"

echo "     booting (qemu-system-aarch64 -M virt -cpu cortex-a57 -smp 2 -m 1024, TCG; limit ${limit}s to READY)"
t0=$(date +%s.%N)
timeout "$timeout_s" qemu-system-aarch64 -M virt -cpu cortex-a57 -smp 2 -m 1024 -accel tcg,thread=multi \
    -kernel "$IMAGE_OUT/vmlinuz" -initrd "$IMAGE_OUT/initrd.img" \
    -append "root=LABEL=bzroot ro console=ttyAMA0 systemd.show_status=1 panic=-1" \
    -drive "file=$IMAGE,format=raw,if=virtio" -device virtio-rng-pci -nic none \
    -display none -monitor none -serial "file:$TMP/serial.log" -no-reboot &
qemu=$!
ready_wall=""
while kill -0 "$qemu" 2>/dev/null; do
    if [ -z "$ready_wall" ] && grep -q 'BZTEST: state active' "$TMP/serial.log" 2>/dev/null; then
        ready_wall=$(echo "$(date +%s.%N) - $t0" | bc)
    fi
    sleep 1
done
wait "$qemu" && rc=0 || rc=$?
total=$(echo "$(date +%s.%N) - $t0" | bc)
cp "$TMP/serial.log" "$BZ_BUILD_DIR/image-boot-serial.log"
tr -d '\r' <"$TMP/serial.log" | sed -n 's/.*BZTEST: /     /p'
[ "$rc" -eq 0 ] && ok "the VM powered off by itself after ${total%.*} s" ||
    not_ok "qemu exit $rc after ${total%.*} s (124: timeout ${timeout_s}s; serial log: $BZ_BUILD_DIR/image-boot-serial.log)"
log=$(tr -d '\r' <"$TMP/serial.log")
# The serial getty shares the port: a report may follow its login prompt.
field() { echo "$log" | sed -n "s/.*BZTEST: $1 //p" | head -1; }
[ "$(field state)" = active ] && ok "bzkiosk.service is active (READY=1 received)" || not_ok "bzkiosk.service: '$(field state)'"
ready_us=$(field ready_us)
if [ -n "$ready_us" ] && [ "$ready_us" -gt 0 ] 2>/dev/null; then
    ready_s=$(echo "scale=1; $ready_us / 1000000" | bc)
    echo "     power-on (kernel start) to READY: ${ready_s} s in the VM's clock; ${ready_wall%.*} s of host wall time to the probe's report"
    awk -v r="$ready_s" -v l="$limit" 'BEGIN { exit !(r <= l) }' && ok "READY within ${limit} s (${ready_s} s)" ||
        not_ok "READY after ${ready_s} s, limit ${limit} s"
else
    not_ok "no READY time"
fi
echo "$(field status)" | grep -q running && ok "the kiosk says it is running (STATUS=)" || not_ok "STATUS='$(field status)'"
echo "$(field site)" | grep -q QEMU-01 && ok "it read kiosk.conf from the boot partition (site QEMU-01)" ||
    not_ok "the site from the boot partition's kiosk.conf is not in the journal"
echo "$(field root_opts)" | grep -qE '(^|,)ro(,|$)' && ok "the root is mounted read-only" || not_ok "root options: $(field root_opts)"
data=$(field data_mib)
[ "${data:-0}" -gt 200 ] 2>/dev/null && ok "the first boot grew the data partition (${data} MiB on a card 256 MiB bigger)" ||
    not_ok "the data partition did not grow (${data:-?} MiB)"
[ "$(field cmdline_id)" = 1 ] && ok "the machine ID was saved on the boot partition" || not_ok "machine ID not saved in cmdline.txt"
g=$(field getty_tty1)
[ -n "$g" ] && [ "$g" != active ] && ok "no getty on the screen's tty1" || not_ok "getty@tty1 is active"
restarted=$(field restarted_pid)
echo "$restarted" | grep -qE 'restarts [1-9]' && [ "${restarted%% *}" != "$(field stop_pid | cut -d' ' -f1)" ] &&
    ok "the stopped main loop was restarted by the watchdog ($restarted)" || not_ok "no watchdog restart: '$restarted'"
echo "$log" | grep -q "Failed with result 'watchdog'" && ok "systemd says the watchdog ended it" ||
    not_ok "no \"Failed with result 'watchdog'\" in the journal"
failed=$(field failed_units)
echo "$log" | grep -q 'BZTEST: failed_units' && [ -z "$failed" ] && ok "no failed units" ||
    not_ok "failed units: ${failed:-the probe did not report}"
finish
