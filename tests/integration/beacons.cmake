# SPDX-License-Identifier: GPL-3.0-or-later
bz_script_test(integration/beacons ${CMAKE_CURRENT_LIST_DIR}/beacons.sh LABELS integration)

# A helper for tests/data: converts captures between datalinks with kiosk/btsnoop.
add_executable(btsnoop_convert ${CMAKE_CURRENT_LIST_DIR}/../tools/btsnoop_convert.c)
target_link_libraries(btsnoop_convert PRIVATE kiosk)
bz_script_test(integration/peers ${CMAKE_CURRENT_LIST_DIR}/peers.sh LABELS integration TIMEOUT 600)
bz_script_test(slow/fuzz-smoke ${CMAKE_CURRENT_LIST_DIR}/../fuzz/smoke.sh LABELS slow TIMEOUT 300)
