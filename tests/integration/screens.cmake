# SPDX-License-Identifier: GPL-3.0-or-later
bz_script_test(integration/screens ${CMAKE_CURRENT_LIST_DIR}/screens.sh LABELS integration)

# Golden images: the share of pixels that differ between two PNGs.
add_executable(png_diff ${CMAKE_CURRENT_LIST_DIR}/../tools/png_diff.c)
target_link_libraries(png_diff PRIVATE PkgConfig::SDL2)
bz_script_test(integration/screens-xvfb ${CMAKE_CURRENT_LIST_DIR}/screens-xvfb.sh
               LABELS integration TIMEOUT 180)

# tests/bench/screens.sh uses this one.
add_executable(bench_screens ${CMAKE_CURRENT_LIST_DIR}/../bench/bench_screens.c)
target_link_libraries(bench_screens PRIVATE bzplatform)
