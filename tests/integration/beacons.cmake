# SPDX-License-Identifier: GPL-3.0-or-later
bz_script_test(integration/beacons ${CMAKE_CURRENT_LIST_DIR}/beacons.sh LABELS integration)
