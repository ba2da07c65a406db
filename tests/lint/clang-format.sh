#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every C file is formatted as .clang-format says.
set -eu
cd "$BZ_SOURCE_DIR"
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h')
[ -n "$files" ] || { echo 'no C files found'; exit 1; }
# shellcheck disable=SC2086
clang-format --dry-run --Werror $files
echo "clang-format: $(echo "$files" | wc -w) files formatted"
