#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A real window under Xvfb, driven with synthetic clicks (xdotool; SDL sees
# them as the mouse, as on a desktop): a visitor's journey (check in → not
# detected → install prompt, whose QR code decodes; no smartphone → done),
# the hidden staff gesture and PIN, and the PIN lock-out after five wrong
# PINs. Frames are compared with golden images in tests/data/screens/
# (png_diff, at most 1% of pixels); BZ_UPDATE_GOLDEN=1 rewrites them.
. "$(dirname "$0")/lib.sh"

command -v Xvfb >/dev/null || skip "Xvfb (xvfb) is not installed: no window was driven"
command -v xdotool >/dev/null || skip "xdotool is not installed: no window was driven"
command -v zbarimg >/dev/null || skip "zbarimg (zbar-tools) is not installed"
golden="$BZ_SOURCE_DIR/tests/data/screens"
png_diff="$BZ_BUILD_DIR/tests/png_diff"
[ -x "$png_diff" ] || png_diff="$BZ_BUILD_DIR/png_diff"

Xvfb -displayfd 1 -screen 0 1024x768x24 -nolisten tcp >"$TMP/dpy" 2>"$TMP/xvfb.log" &
xvfb=$!
trap 'kill $kiosk $xvfb 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do [ -s "$TMP/dpy" ] && break; sleep 0.1; done
[ -s "$TMP/dpy" ] || skip "Xvfb did not start: $(head -3 "$TMP/xvfb.log")"
export DISPLAY=":$(head -1 "$TMP/dpy")"

hash=$(echo 2580 | "$BZKIOSK" pin-hash)
# near_rssi -30: no phone of the simulated lobby comes near, so the journey
# is the visitor's touches alone
cat >"$TMP/kiosk.conf" <<CONF
[presence]
near_rssi = -30
prompt_after_s = 2
[install]
url = https://example.org/bluezone?from=kiosk
[display]
mode = window
width = 800
height = 480
[access]
staff_pin_hash = $hash
CONF
mkdir -p "$TMP/f"
"$BZKIOSK" run --config "$TMP/kiosk.conf" --source sim:quiet --frames-dir "$TMP/f" \
    --seconds 150 2>"$TMP/run.log" &
kiosk=$!

# wait_frame NAME: until the newest frame is NAME (10 s), sets $frame
wait_frame() {
    for _ in $(seq 150); do
        frame=$(ls "$TMP/f" | tail -1)
        case "$frame" in *-"$1".png) frame="$TMP/f/$frame"; ok "the window shows $1"; return 0 ;; esac
        sleep 0.1
    done
    not_ok "the window never showed $1 (last: $frame)"; tail -3 "$TMP/run.log"; return 1
}
# targets SCREEN: the touch targets of SCREEN at 800x480
targets() { "$BZKIOSK" screenshot "$1" --out "$TMP/t.png" --width 800 --height 480 --targets >"$TMP/targets"; }
# tap ACTION ARG: a click in the middle of that target
tap() {
    set -- $(awk -v a="$1" -v g="$2" '$1 == a && $2 == g { print $3 + int($5 / 2), $4 + int($6 / 2); exit }' "$TMP/targets")
    [ $# -eq 2 ] || { not_ok "no such target"; return 1; }
    xdotool mousemove --window "$win" "$1" "$2" click 1
    sleep 0.15
}
# tap_until ACTION ARG SCREEN: tap, and tap once more if SCREEN has not come
# within 6 s (a click sent while the window was still mapping is lost)
tap_until() {
    n0=$(ls "$TMP/f" | wc -l)
    tap "$1" "$2"
    for _ in $(seq 60); do
        ls "$TMP/f" | tail -1 | grep -q -- "-$3.png\$" && break
        sleep 0.1
    done
    ls "$TMP/f" | tail -1 | grep -q -- "-$3.png\$" || { echo "     (tapping $1 $2 again; $n0 frames before)"; tap "$1" "$2"; }
    wait_frame "$3"
}
golden() { # golden FRAME NAME
    if [ "${BZ_UPDATE_GOLDEN:-}" = 1 ]; then cp "$1" "$golden/$2.png"; ok "golden $2 written"; return; fi
    if "$png_diff" "$1" "$golden/$2.png" 1 >"$TMP/diff"; then ok "$2 matches its golden image: $(cat "$TMP/diff")"
    else not_ok "$2 differs from its golden image: $(cat "$TMP/diff")"; cp "$1" "/tmp/bz-$2-got.png"; fi
}

wait_frame attract || finish
win=$(xdotool search --sync --name bzkiosk | head -1)
[ -n "$win" ] && ok "a bzkiosk window exists" || { not_ok "no window"; finish; }

# A visitor without Bluezone
sleep 1
targets attract
tap_until flow check-in not-detected && golden "$frame" not-detected-vi-800x480
targets not-detected; tap flow no-app
wait_frame prompt-install && golden "$frame" prompt-install-vi-800x480
got=$(zbarimg -q --raw "$frame" 2>/dev/null)
[ "$got" = "https://example.org/bluezone?from=kiosk" ] && ok "the window's QR code decodes to the configured link" \
    || not_ok "the window's QR code decodes to '$got'"
targets prompt-install; tap flow back
wait_frame attract
# A visitor without a smartphone
targets attract; tap flow no-smartphone
wait_frame no-smartphone && golden "$frame" no-smartphone-vi-800x480
targets no-smartphone; tap flow back
wait_frame attract

# Staff: five taps in the top-left corner, then the PIN
xdotool mousemove --window "$win" 10 10 click --repeat 5 --delay 120 1
wait_frame pin && golden "$frame" pin-vi-800x480
targets pin
for d in 2 5 8 0; do tap pin-digit $d; done
tap pin-ok 0
wait_frame staff
targets staff; tap cancel 0
wait_frame attract

# Five wrong PINs lock the pad; then even the right PIN is refused
xdotool mousemove --window "$win" 10 10 click --repeat 5 --delay 120 1
wait_frame pin
targets pin
for _ in 1 2 3 4 5; do
    for d in 1 1 1 1; do tap pin-digit $d; done
    tap pin-ok 0
done
sleep 0.5
expect_grep "$TMP/run.log" "PIN pad is locked for five minutes" "the fifth wrong PIN locks the pad"
frame="$TMP/f/$(ls "$TMP/f" | tail -1)"
golden "$frame" pin-locked-vi-800x480
for d in 2 5 8 0; do tap pin-digit $d; done
tap pin-ok 0
sleep 1
ls "$TMP/f" | tail -1 | grep -q -- '-pin.png$' && ok "while locked, the right PIN does not open the staff screen" \
    || not_ok "the staff screen opened while locked: $(ls "$TMP/f" | tail -1)"
finish
