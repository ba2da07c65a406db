#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian packages a task needs, only those that are missing.
# Usage: tools/deps.sh build|test [...]   (lists are tools/packages-<name>.txt)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || { echo "usage: $0 build|test ..." >&2; exit 2; }

wanted=""
for set in "$@"; do
    list="$here/packages-$set.txt"
    [ -f "$list" ] || { echo "$0: no package list $list" >&2; exit 2; }
    wanted="$wanted $(sed 's/#.*//' "$list" | tr -s ' \n' ' ')"
done

missing=""
for p in $wanted; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    case "$status" in ii*) ;; *) missing="$missing $p" ;; esac
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "Installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
