#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The command line's promises (INTERFACES.md): --help on every command,
# exit 0/1/2, one clear line on stderr for bad usage.
. "$(dirname "$0")/lib.sh"

expect_rc 0 "bzkiosk --help" "$BZKIOSK" --help
expect_grep "$TMP/out" '^usage: bzkiosk' "--help prints usage"
commands=$(sed -n 's/^  \([a-z-]*\)  .*/\1/p' "$TMP/out")
[ -n "$commands" ] && ok "commands listed: $(echo $commands)" || not_ok "no commands listed"
for c in $commands; do
    expect_rc 0 "bzkiosk $c --help" "$BZKIOSK" "$c" --help
    expect_grep "$TMP/out" "^usage: bzkiosk $c" "$c --help shows its usage"
    expect_rc 2 "bzkiosk $c --no-such-option" "$BZKIOSK" "$c" --no-such-option
    expect_one_line "$TMP/err" "$c: bad usage is one line on stderr"
    expect_grep "$TMP/err" "unknown option '--no-such-option'" "$c: the line names the option"
done

expect_rc 0 "bzkiosk --version" "$BZKIOSK" --version
expect_grep "$TMP/out" '^bzkiosk [0-9]+\.[0-9]+\.[0-9]+ \(git [0-9a-f]+(-dirty)?\)$' \
    "--version prints the version and the git revision"

expect_rc 2 "unknown command" "$BZKIOSK" frobnicate
expect_one_line "$TMP/err" "unknown command: one line"
expect_grep "$TMP/err" "unknown command 'frobnicate'" "names the command"

# A wrong settings file: exit 1, one line naming file, line and key.
printf '[site]\nname = A\n[presence]\nnear_rssi = -20\n' >"$TMP/bad.conf"
expect_rc 1 "config with a bad value" "$BZKIOSK" config --config "$TMP/bad.conf"
expect_one_line "$TMP/err" "bad value: one line"
expect_grep "$TMP/err" "bad.conf:4: \[presence\] near_rssi: -20 is out of range; allowed: -100 to -30 dBm" \
    "names file, line, key and the range"
expect_rc 1 "run refuses the same file" "$BZKIOSK" run --config "$TMP/bad.conf" --seconds 1
expect_grep "$TMP/err" "bad.conf:4:" "run names the line too"
expect_rc 1 "missing settings file" "$BZKIOSK" config --config "$TMP/none.conf"
expect_grep "$TMP/err" "none.conf: cannot open the settings file: No such file or directory" \
    "says the file is missing"
expect_rc 0 "the sample settings file" "$BZKIOSK" config --config "$BZ_SOURCE_DIR/assets/kiosk.conf"
expect_grep "$TMP/out" '^near_rssi = -75$' "prints the settings in effect"
expect_rc 0 "--set overrides" "$BZKIOSK" config --config "$BZ_SOURCE_DIR/assets/kiosk.conf" \
    --set presence.near_rssi=-66
expect_grep "$TMP/out" '^near_rssi = -66$' "the override is in effect"
expect_rc 1 "--set checks its value" "$BZKIOSK" config --set presence.near_rssi=-6
expect_grep "$TMP/err" "allowed: -100 to -30" "--set says what is allowed"

finish
