#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package (CPack): builds it from a Release build with the /usr
# prefix, then checks its control data (Depends from dpkg-shlibdeps, the
# maintainer scripts, conffiles), its files, and the systemd unit with
# `systemd-analyze verify` and the hardening the appliance promises.
. "$BZ_SOURCE_DIR/tests/integration/lib.sh"
for tool in cpack dpkg-deb dpkg-shlibdeps systemd-analyze; do
    command -v "$tool" >/dev/null || skip "$tool is missing (apt-get install dpkg-dev systemd cmake)"
done

out="$BZ_BUILD_DIR/image-deb"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$BZ_SOURCE_DIR" log -1 --format=%ct 2>/dev/null || echo 1700000000)}
if cmake -S "$BZ_SOURCE_DIR" -B "$out" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
        -DBUILD_TESTING=OFF >"$TMP/cmake.log" 2>&1 &&
    cmake --build "$out" -j2 >>"$TMP/cmake.log" 2>&1 &&
    rm -f "$out"/bzkiosk_*.deb && (cd "$out" && cpack) >>"$TMP/cmake.log" 2>&1; then
    ok "a Release build with the /usr prefix packs into a .deb"
else
    not_ok "building the package"; tail -20 "$TMP/cmake.log"; finish
fi
deb=$(ls "$out"/bzkiosk_*.deb)
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "bzkiosk_$(sed -n 's/^project(bzkiosk VERSION \([0-9.]*\).*/\1/p' "$BZ_SOURCE_DIR/CMakeLists.txt")_$arch.deb" ] &&
    ok "named $(basename "$deb")" || not_ok "unexpected name $(basename "$deb")"

dpkg-deb -I "$deb" >"$TMP/info"
dpkg-deb -f "$deb" Depends >"$TMP/depends"
echo "     Depends: $(cat "$TMP/depends")"
for dep in 'libc6 \(>=' 'libsystemd0' 'libsodium23' 'systemd \(>= 252\)' 'bluez' 'udev'; do
    expect_grep "$TMP/depends" "(^|, )$dep" "Depends has ${dep%% *} (from shlibs or the service's needs)"
done
for script in postinst prerm postrm conffiles; do
    expect_grep "$TMP/info" " $script( |$)" "the control archive has $script"
done
dpkg-deb -e "$deb" "$TMP/control"
for script in postinst prerm postrm; do
    sh -n "$TMP/control/$script" && ok "$script parses" || not_ok "$script has a syntax error"
done
expect_grep "$TMP/control/conffiles" '^/etc/bzkiosk/kiosk.conf.sample$' "the sample settings are a conffile"
expect_grep "$TMP/control/postinst" 'systemd-sysusers bzkiosk.conf' "postinst creates the kiosk's user"
expect_grep "$TMP/control/postinst" 'enable bzkiosk.service' "postinst enables the service"

dpkg-deb -c "$deb" | awk '{print $1, $2, $NF}' >"$TMP/files"
for f in ./usr/bin/bzkiosk ./usr/lib/systemd/system/bzkiosk.service ./usr/lib/sysusers.d/bzkiosk.conf \
    ./usr/lib/udev/rules.d/70-bzkiosk-usb.rules ./etc/bzkiosk/kiosk.conf.sample \
    ./usr/share/doc/bzkiosk/README.md ./usr/share/doc/bzkiosk/LICENSE; do
    expect_grep "$TMP/files" " ${f//./\\.}$" "ships $f"
done
expect_grep "$TMP/files" '^-rwxr-xr-x root/root \./usr/bin/bzkiosk$' "the program is root-owned, 0755"
if grep -q '/usr/local' "$TMP/files"; then not_ok "nothing under /usr/local"; else ok "nothing under /usr/local"; fi
bad=$(dpkg-deb --fsys-tarfile "$deb" | tar -tv --full-time | awk -v e="$SOURCE_DATE_EPOCH" '
    { cmd = "date -u -d \"" $4 " " $5 "\" +%s"; cmd | getline t; close(cmd); if (t > e) print $NF }')
[ -z "$bad" ] && ok "no file is newer than SOURCE_DATE_EPOCH" ||
    not_ok "files newer than SOURCE_DATE_EPOCH ($SOURCE_DATE_EPOCH): $(echo $bad | head -c 200)"

mkdir "$TMP/root"
dpkg-deb -x "$deb" "$TMP/root"
expect_rc 0 "the packaged program runs (--version)" "$TMP/root/usr/bin/bzkiosk" --version
expect_grep "$TMP/out" '^bzkiosk [0-9]' "--version names the program and version"
strings "$TMP/root/usr/bin/bzkiosk" | grep -q '/usr/local' &&
    not_ok "the program has a /usr/local path compiled in" || ok "no /usr/local path compiled into the program"

unit="$TMP/root/usr/lib/systemd/system/bzkiosk.service"
# verify checks that ExecStart= is executable: point it at the extracted program.
sed "s|/usr/bin/bzkiosk|$TMP/root/usr/bin/bzkiosk|" "$unit" >"$TMP/bzkiosk.service"
if systemd-analyze verify "$TMP/bzkiosk.service" >"$TMP/verify" 2>&1; then
    ok "systemd-analyze verify accepts bzkiosk.service"
else
    not_ok "systemd-analyze verify"; sed 's/^/     /' "$TMP/verify"
fi
for line in '^Type=notify$' '^WatchdogSec=[1-9]' '^Restart=always$' '^User=bzkiosk$' \
    '^SupplementaryGroups=.*video.*input.*bluetooth' '^ProtectSystem=strict$' \
    '^ReadWritePaths=/var/lib/bzkiosk' '^NoNewPrivileges=yes$' '^DevicePolicy=closed$' \
    '^DeviceAllow=char-drm rw$' '^DeviceAllow=char-input r$' '^DeviceAllow=block-sd rw$' \
    '^WantedBy=multi-user.target$'; do
    expect_grep "$unit" "$line" "the unit has $line"
done
n=$(grep -c '^DeviceAllow=' "$unit")
[ "$n" -eq 3 ] && ok "no other device is allowed" || not_ok "$n DeviceAllow= lines, wanted 3"
systemd-analyze security --offline=yes "$TMP/bzkiosk.service" >"$TMP/sec" 2>&1 || true
level=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p' "$TMP/sec")
echo "     systemd-analyze security: exposure $level"
awk -v l="${level:-10}" 'BEGIN { exit !(l <= 2.5) }' && ok "exposure level $level ≤ 2.5" ||
    not_ok "exposure level ${level:-unknown} > 2.5"
expect_grep "$TMP/root/usr/lib/sysusers.d/bzkiosk.conf" '^u bzkiosk ' "sysusers creates the user bzkiosk"
finish
