# SPDX-License-Identifier: GPL-3.0-or-later
# The store's helper: a synthetic office written through store_sink.
add_executable(store_fill ${CMAKE_CURRENT_LIST_DIR}/../tools/store_fill.c)
target_link_libraries(store_fill PRIVATE bzplatform)
bz_script_test(integration/store-report ${CMAKE_CURRENT_LIST_DIR}/store_report.sh LABELS integration)
bz_script_test(integration/store-export ${CMAKE_CURRENT_LIST_DIR}/store_export.sh LABELS integration)
