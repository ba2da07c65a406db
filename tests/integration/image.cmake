# SPDX-License-Identifier: GPL-3.0-or-later
# The appliance (image/): the Debian package and the disk image. Label
# `image`: expensive, run once per CI run (tools/test.sh runs them in the
# normal build only). image/build makes the image the others read.
bz_script_test(image/deb ${CMAKE_SOURCE_DIR}/tests/image/deb.sh LABELS image TIMEOUT 600)
bz_script_test(image/build ${CMAKE_SOURCE_DIR}/tests/image/build.sh LABELS image TIMEOUT 1800)
bz_script_test(image/layout ${CMAKE_SOURCE_DIR}/tests/image/layout.sh LABELS image TIMEOUT 300)
bz_script_test(image/qemu-user ${CMAKE_SOURCE_DIR}/tests/image/qemu-user.sh LABELS image TIMEOUT 300)
bz_script_test(image/boot ${CMAKE_SOURCE_DIR}/tests/image/boot.sh LABELS image TIMEOUT 1000)
set_tests_properties(image/build PROPERTIES FIXTURES_SETUP bz_image RESOURCE_LOCK bz_image_cpu)
set_tests_properties(image/layout image/qemu-user PROPERTIES FIXTURES_REQUIRED bz_image)
set_tests_properties(image/boot PROPERTIES FIXTURES_REQUIRED bz_image RESOURCE_LOCK bz_image_cpu)
