# SPDX-License-Identifier: GPL-3.0-or-later
bz_script_test(integration/cli ${CMAKE_CURRENT_LIST_DIR}/cli.sh LABELS integration)
