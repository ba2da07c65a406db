# SPDX-License-Identifier: GPL-3.0-or-later
bz_script_test(integration/presence ${CMAKE_CURRENT_LIST_DIR}/presence.sh LABELS integration)
