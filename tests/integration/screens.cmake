# SPDX-License-Identifier: GPL-3.0-or-later
bz_script_test(integration/screens ${CMAKE_CURRENT_LIST_DIR}/screens.sh LABELS integration)
