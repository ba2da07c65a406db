# SPDX-License-Identifier: GPL-3.0-or-later
# The store's helper: a synthetic office written through store_sink.
add_executable(store_fill ${CMAKE_CURRENT_LIST_DIR}/../tools/store_fill.c)
target_link_libraries(store_fill PRIVATE bzplatform)
bz_script_test(integration/store-report ${CMAKE_CURRENT_LIST_DIR}/store_report.sh LABELS integration)
bz_script_test(integration/store-export ${CMAKE_CURRENT_LIST_DIR}/store_export.sh LABELS integration)
# The crash test: 200 kills is slow; a short round of 20 runs with every landing.
bz_script_test(slow/store-crash ${CMAKE_CURRENT_LIST_DIR}/store_crash.sh LABELS slow TIMEOUT 600)
bz_script_test(integration/store-crash-short ${CMAKE_CURRENT_LIST_DIR}/store_crash.sh LABELS integration)
set_property(TEST integration/store-crash-short APPEND PROPERTY ENVIRONMENT BZ_CRASH_ROUNDS=20)
# Export onto exFAT through FUSE with the FUSE process killed mid-write (needs root for the loop device).
bz_script_test(integration/store-usb-fuse ${CMAKE_CURRENT_LIST_DIR}/store_usb_fuse.sh LABELS integration TIMEOUT 300)
bz_script_test(integration/store-app ${CMAKE_CURRENT_LIST_DIR}/store_app.sh LABELS integration)
# tests/bench/store.sh uses this one.
add_executable(bench_store ${CMAKE_CURRENT_LIST_DIR}/../bench/bench_store.c)
target_link_libraries(bench_store PRIVATE bzplatform)
bz_script_test(integration/store-crash-kiosk ${CMAKE_CURRENT_LIST_DIR}/store_crash_kiosk.sh LABELS integration TIMEOUT 300)
