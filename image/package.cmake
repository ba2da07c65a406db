# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package of bzkiosk (CPack): the program, its assets and sample
# settings (installed by the root CMakeLists.txt), plus the appliance's
# systemd unit, user and USB-stick rule. Build it from a build configured
# with the prefix the package installs to, so the compiled-in asset path
# matches:
#   cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build-deb -j2 && (cd build-deb && cpack)
# Depends comes from dpkg-shlibdeps (the libraries the binary links) plus
# what the service needs at run time.
set(BZ_IMAGE_DIR ${CMAKE_CURRENT_LIST_DIR})
install(FILES ${BZ_IMAGE_DIR}/systemd/bzkiosk.service DESTINATION lib/systemd/system)
install(FILES ${BZ_IMAGE_DIR}/systemd/bzkiosk.sysusers DESTINATION lib/sysusers.d
        RENAME bzkiosk.conf)
install(FILES ${BZ_IMAGE_DIR}/systemd/70-bzkiosk-usb.rules DESTINATION lib/udev/rules.d)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bzkiosk)
set(CPACK_PACKAGE_VENDOR "bzkiosk")
set(CPACK_PACKAGE_CONTACT "bzkiosk maintainers <bzkiosk@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Bluezone check-in kiosk for public offices")
set(CPACK_PACKAGE_DESCRIPTION
    "Listens for visitors' Bluezone beacons over BlueZ, shows an install prompt with a QR code, logs entries and exits in SQLite and produces the daily report.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd (>= 252), bluez, udev, init-system-helpers")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${BZ_IMAGE_DIR}/deb/postinst ${BZ_IMAGE_DIR}/deb/prerm ${BZ_IMAGE_DIR}/deb/postrm
    ${BZ_IMAGE_DIR}/deb/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Cross builds (image/build.sh) name the target architecture.
if(BZ_DEB_ARCH)
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${BZ_DEB_ARCH})
endif()
include(CPack)
