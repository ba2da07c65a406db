/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "usb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static const char *props_get(const char *key, void *ud)
{
    const char *const *kv = ud;

    for (; kv[0]; kv += 2)
        if (strcmp(kv[0], key) == 0)
            return kv[1];
    return NULL;
}

static void test_a_usb_vfat_or_exfat_filesystem_is_a_stick(void **state)
{
    const char *exfat[] = {"ID_BUS",     "usb",         "ID_FS_TYPE", "exfat",     "ID_FS_USAGE",
                           "filesystem", "ID_FS_LABEL", "STICK",      "ID_VENDOR", "Kingston",
                           "ID_MODEL",   "DT",          NULL};
    const char *vfat[] = {"ID_BUS", "usb", "ID_FS_TYPE", "vfat", NULL};
    struct usb_stick s;

    (void)state;
    assert_true(usb_stick_classify("/dev/sda1", props_get, exfat, &s));
    assert_string_equal(s.devnode, "/dev/sda1");
    assert_string_equal(s.fs_type, "exfat");
    assert_string_equal(s.label, "STICK");
    assert_string_equal(s.model, "Kingston DT");
    assert_true(usb_stick_classify("/dev/sdb", props_get, vfat, &s));
}

static void test_other_devices_are_not(void **state)
{
    const char *ata[] = {"ID_BUS", "ata", "ID_FS_TYPE", "vfat", NULL};
    const char *ext4[] = {"ID_BUS", "usb", "ID_FS_TYPE", "ext4", NULL};
    const char *table[] = {"ID_BUS", "usb", NULL};
    const char *crypt[] = {"ID_BUS", "usb", "ID_FS_TYPE", "vfat", "ID_FS_USAGE", "crypto", NULL};
    struct usb_stick s;

    (void)state;
    assert_false(usb_stick_classify("/dev/sda1", props_get, ata, &s));
    assert_false(usb_stick_classify("/dev/sda1", props_get, ext4, &s));
    assert_false(usb_stick_classify("/dev/sda", props_get, table, &s));
    assert_false(usb_stick_classify("/dev/sda1", props_get, crypt, &s));
    assert_false(usb_stick_classify(NULL, props_get, ext4, &s));
}

static void test_mountinfo(void **state)
{
    const char *mi =
        "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/root rw\n"
        "40 22 8:1 / /media/bzkiosk rw,nosuid,nodev,noexec shared:20 - vfat /dev/sda1 rw,utf8\n"
        "41 22 0:50 / /media/my\\040stick rw - fuseblk /dev/loop0 rw,user_id=0\n";
    char fs[16], src[64];

    (void)state;
    assert_true(usb_mountinfo_find(mi, "/media/bzkiosk", fs, sizeof(fs), src, sizeof(src)));
    assert_string_equal(fs, "vfat");
    assert_string_equal(src, "/dev/sda1");
    assert_true(usb_mountinfo_find(mi, "/media/my stick", fs, sizeof(fs), NULL, 0));
    assert_string_equal(fs, "fuseblk");
    assert_false(usb_mountinfo_find(mi, "/media", fs, sizeof(fs), NULL, 0));
    assert_true(usb_is_mounted("/", fs, sizeof(fs)));
    assert_false(usb_is_mounted("/nonexistent-bzkiosk-dir", fs, sizeof(fs)));
}

static void test_listing_this_machine_does_not_fail(void **state)
{
    struct usb_stick sticks[8];

    (void)state;
    assert_true(usb_list(sticks, 8) >= 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_usb_vfat_or_exfat_filesystem_is_a_stick),
        cmocka_unit_test(test_other_devices_are_not),
        cmocka_unit_test(test_mountinfo),
        cmocka_unit_test(test_listing_this_machine_does_not_fail),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
