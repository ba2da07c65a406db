# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for the shell tests. Source it; $BZKIOSK is the program.
set -u
: "${BZKIOSK:?run through ctest, which sets BZKIOSK}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bztest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fails=0
checks=0

ok() { checks=$((checks + 1)); echo "ok   - $*"; }
not_ok() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL - $*"; }

# expect_rc RC DESCRIPTION CMD... : runs CMD, keeps stdout/stderr in $TMP/out,err
expect_rc() {
    want=$1 what=$2
    shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"; else
        not_ok "$what: exit $got, wanted $want"; sed 's/^/     stderr: /' "$TMP/err" | head -5
    fi
}

# expect_grep FILE PATTERN DESCRIPTION
expect_grep() {
    if grep -qE -- "$2" "$1"; then ok "$3"; else
        not_ok "$3: no /$2/ in $(basename "$1")"; sed 's/^/     /' "$1" | head -5
    fi
}

# expect_one_line FILE DESCRIPTION: exactly one line (the error message)
expect_one_line() {
    n=$(wc -l <"$1")
    if [ "$n" -eq 1 ]; then ok "$2"; else not_ok "$2: $n lines"; sed 's/^/     /' "$1" | head -5; fi
}

finish() {
    echo "$checks checks, $fails failed"
    [ "$fails" -eq 0 ]
    exit $?
}

# skip REASON: says loudly why a real part could not run (ctest shows it as skipped)
skip() {
    echo "SKIPPED: $*" >&2
    echo "SKIPPED: $*"
    exit 77
}
