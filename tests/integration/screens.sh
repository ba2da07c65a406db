#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The screens through `bzkiosk screenshot`: every screen in both languages at
# every size passes --check (texts fit, targets >= 12 mm, nothing off screen),
# and the QR code on prompt-install decodes with zbarimg to the configured link.
. "$(dirname "$0")/lib.sh"

sizes="800x480 1024x600 1280x800 1920x1080 480x800 600x1024 800x1280 1080x1920"
screens="attract detected prompt-install prompt-open thanks no-smartphone checkout not-detected staff admin-export pin"

expect_rc 2 "an unknown screen is a usage error" "$BZKIOSK" screenshot lobby --out "$TMP/x.png"
expect_grep "$TMP/err" "unknown screen 'lobby'; one of: attract" "the error lists the screens"
expect_rc 2 "--out is required" "$BZKIOSK" screenshot attract
expect_rc 2 "width without height" "$BZKIOSK" screenshot attract --out "$TMP/x.png" --width 800
expect_rc 1 "an unwritable PNG fails" "$BZKIOSK" screenshot attract --out /nonexistent/x.png
[ ! -e /nonexistent/x.png.tmp ] && ok "nothing half-written" || not_ok "a .tmp was left"

# (tests/unit/test_display draws the whole matrix in one process; here the
# command itself, at the smallest landscape and the largest portrait)
n=0 bad=0
for sz in 800x480 1080x1920; do
    w=${sz%x*} h=${sz#*x}
    for lang in vi en; do
        for s in $screens; do
            n=$((n + 1))
            if ! "$BZKIOSK" screenshot "$s" --out "$TMP/$s-$lang-$sz.png" --lang "$lang" \
                --width "$w" --height "$h" --check >"$TMP/out" 2>"$TMP/err"; then
                bad=$((bad + 1)); sed 's/^/     /' "$TMP/err"
            fi
            [ -s "$TMP/$s-$lang-$sz.png" ] || { bad=$((bad + 1)); echo "     no PNG for $s $lang $sz"; }
        done
    done
done
[ "$bad" -eq 0 ] && ok "$n screens x languages x sizes drawn and checked" || not_ok "$bad of $n screens failed"

# bzkiosk run with the off-screen display: it draws the flow, and only on change
mkdir -p "$TMP/frames"
printf '[display]\nwidth = 800\nheight = 480\n' >"$TMP/800.conf"
expect_rc 0 "run --display offscreen draws the simulated lobby" "$BZKIOSK" run --config "$TMP/800.conf" \
    --display offscreen --source sim --seconds 6 --frames-dir "$TMP/frames"
frames=$(ls "$TMP/frames" | wc -l)
[ -e "$TMP/frames/000001-attract.png" ] && ok "the first frame is the attract screen" \
    || not_ok "no first attract frame: $(ls "$TMP/frames" | head -3)"
[ "$frames" -ge 1 ] && [ "$frames" -le 12 ] && ok "$frames frames in 6 s: drawn on change only" \
    || not_ok "$frames frames in 6 s"

command -v zbarimg >/dev/null || skip "zbarimg (zbar-tools) is not installed: the QR codes were not decoded"
url="https://example.org/bz?site=SITE-01&lang=vi"
for sz in $sizes; do
    w=${sz%x*} h=${sz#*x}
    for lang in vi en; do
        "$BZKIOSK" screenshot prompt-install --out "$TMP/qr.png" --lang "$lang" --width "$w" \
            --height "$h" --set "install.url=$url" >/dev/null 2>&1
        got=$(zbarimg -q --raw "$TMP/qr.png" 2>/dev/null)
        [ "$got" = "$url" ] && ok "QR $lang $sz decodes to the configured link" \
            || not_ok "QR $lang $sz decodes to '$got', wanted '$url'"
    done
done

hash=$(echo 2580 | "$BZKIOSK" pin-hash)
case "$hash" in '$argon2id$'*) ok "pin-hash prints an Argon2id hash" ;; *) not_ok "pin-hash printed '$hash'" ;; esac
printf '[access]\nstaff_pin_hash = %s\n' "$hash" >"$TMP/pin.conf"
expect_rc 0 "the settings accept the hash" "$BZKIOSK" config --config "$TMP/pin.conf"
expect_rc 1 "pin-hash refuses 3 digits" sh -c "echo 123 | '$BZKIOSK' pin-hash"
expect_grep "$TMP/err" "4 to 8 digits" "and says what a PIN is"
finish
