# SPDX-License-Identifier: GPL-3.0-or-later
# The BlueZ source against python3-dbusmock on a private bus (D-Bus level).
bz_script_test(integration/bluez-mock ${CMAKE_CURRENT_LIST_DIR}/bluez_mock.sh LABELS integration
               TIMEOUT 180)
# The real bluetoothd in a qemu VM (software emulation, about 1.5 minutes).
bz_script_test(slow/bluez-vm ${CMAKE_CURRENT_LIST_DIR}/bluez_vm.sh LABELS slow TIMEOUT 900)
