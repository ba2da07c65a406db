/* SPDX-License-Identifier: GPL-3.0-or-later */
/* BlueZ's Device1/Adapter1 properties out of D-Bus messages: the types
 * bluetoothd sends, and the wrong ones python-dbusmock's template sends,
 * which must be skipped without losing the properties after them. The
 * messages are built on an sd-bus connection that is never answered (one
 * end of a socketpair): enough to marshal and read them back. */
#include "bluez_props.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

static sd_bus *bus;
static int fds[2];

static int setup(void **state)
{
    (void)state;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0 || sd_bus_new(&bus) < 0 ||
        sd_bus_set_fd(bus, fds[0], fds[0]) < 0 || sd_bus_start(bus) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sd_bus_close_unref(bus);
    close(fds[1]);
    return 0;
}

static const uint8_t ID5[12] = {0xFA, 0x42, 0xFE, 0x0F, 0x93, 0x6F,
                                0x30, 0xDF, 0x3B, 0x89, 0x42, 0xA0};

static sd_bus_message *new_message(void)
{
    sd_bus_message *m = NULL;

    assert_int_equal(sd_bus_message_new_signal(bus, &m, "/org/bluez/hci0/dev_AA_BB_CC_DD_EE_01",
                                               "org.freedesktop.DBus.Properties",
                                               "PropertiesChanged"),
                     0);
    return m;
}

/* Seals the message and positions it at its start, as a received one. */
static void ready(sd_bus_message *m)
{
    static uint64_t cookie = 1;

    assert_int_equal(sd_bus_message_seal(m, cookie++, 0), 0);
    assert_true(sd_bus_message_rewind(m, true) >= 0);
}

static void append_mfr(sd_bus_message *m, const uint8_t *id)
{
    assert_true(sd_bus_message_open_container(m, 'e', "sv") >= 0);
    assert_true(sd_bus_message_append(m, "s", "ManufacturerData") >= 0);
    assert_true(sd_bus_message_open_container(m, 'v', "a{qv}") >= 0);
    assert_true(sd_bus_message_open_container(m, 'a', "{qv}") >= 0);
    assert_true(sd_bus_message_open_container(m, 'e', "qv") >= 0);
    assert_true(sd_bus_message_append(m, "q", (uint16_t)0x22B5) >= 0);
    assert_true(sd_bus_message_open_container(m, 'v', "ay") >= 0);
    assert_true(sd_bus_message_append_array(m, 'y', id, 12) >= 0);
    for (int i = 0; i < 5; i++) /* v, e, a, v, e */
        assert_true(sd_bus_message_close_container(m) >= 0);
}

static void test_android_report(void **state)
{
    sd_bus_message *m = new_message();
    struct bluez_device dev = {.has_rssi = false};
    struct beacon b;
    int mask;

    (void)state;
    assert_true(sd_bus_message_open_container(m, 'a', "{sv}") >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "Address", "s", "5A:11:22:33:44:55") >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "AddressType", "s", "random") >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "RSSI", "n", (int16_t)-61) >= 0);
    append_mfr(m, ID5);
    assert_true(sd_bus_message_append(m, "{sv}", "UUIDs", "as", 1,
                                      "00004e56-0000-1000-8000-00805f9b34fb") >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "Connected", "b", 0) >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "Alias", "s", "5A-11-22-33-44-55") >= 0);
    assert_true(sd_bus_message_close_container(m) >= 0);
    ready(m);
    mask = bluez_device_read_props(m, &dev);
    assert_int_equal(mask, BLUEZ_CHANGED_ADDR | BLUEZ_CHANGED_RSSI | BLUEZ_CHANGED_DATA |
                               BLUEZ_CHANGED_LINK);
    bluez_device_beacon(&dev, 1234, &b);
    assert_int_equal(b.kind, BEACON_BLUEZONE_ANDROID);
    assert_true(b.has_id);
    assert_memory_equal(b.id, ID5, 12);
    assert_int_equal(b.rssi, -61);
    assert_int_equal(b.addr.type, BEACON_ADDR_RANDOM);
    assert_int_equal(b.addr.b[0], 0x5A);
    assert_int_equal(b.addr.b[5], 0x55);
    assert_int_equal(b.t_ms, 1234);
    sd_bus_message_unref(m);
}

/* dbusmock's AddDevice: ServiceData aa{sv}, ManufacturerData aa{qv},
 * AdvertisingFlags aay; RSSI as int32 here. Each is skipped, and what comes
 * after still counts. */
static void test_wrong_types_are_skipped(void **state)
{
    sd_bus_message *m = new_message();
    struct bluez_device dev = {.has_rssi = false};
    struct beacon b;
    int mask;

    (void)state;
    assert_true(sd_bus_message_open_container(m, 'a', "{sv}") >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "Address", "s", "11:22:33:44:55:66") >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "ServiceData", "aa{sv}", 0) >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "ManufacturerData", "aa{qv}", 0) >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "AdvertisingFlags", "aay", 0) >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "RSSI", "i", (int32_t)-40) >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "Address", "s", "not an address") >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "UUIDs", "as", 2, "garbage",
                                      "00004E56-73F5-4BC4-A12F-17D1AD07A667") >= 0);
    assert_true(sd_bus_message_close_container(m) >= 0);
    ready(m);
    mask = bluez_device_read_props(m, &dev);
    assert_int_equal(mask, BLUEZ_CHANGED_ADDR | BLUEZ_CHANGED_DATA);
    assert_false(dev.has_rssi);
    bluez_device_beacon(&dev, 0, &b);
    assert_int_equal(b.kind, BEACON_BLUEZONE_IOS);
    assert_int_equal(b.rssi, BEACON_RSSI_NONE);
    assert_int_equal(b.addr.b[0], 0x11); /* the bad second Address is ignored */
    sd_bus_message_unref(m);
}

/* A new ManufacturerData replaces the old one; RSSI invalidated (discovery
 * stopped) means no reading. */
static void test_update_and_invalidate(void **state)
{
    static const uint8_t ID0[12] = {0x13, 0x0C, 0xEA, 0x64, 0x72, 0x13,
                                    0x0C, 0x18, 0x5D, 0x86, 0x43, 0xDF};
    sd_bus_message *m = new_message();
    struct bluez_device dev = {.has_rssi = false};
    struct beacon b;

    (void)state;
    assert_true(sd_bus_message_open_container(m, 'a', "{sv}") >= 0);
    assert_true(sd_bus_message_append(m, "{sv}", "RSSI", "n", (int16_t)-70) >= 0);
    append_mfr(m, ID5);
    append_mfr(m, ID0);
    assert_true(sd_bus_message_close_container(m) >= 0);
    assert_true(sd_bus_message_append(m, "as", 1, "RSSI") >= 0);
    ready(m);
    assert_int_equal(bluez_device_read_props(m, &dev), BLUEZ_CHANGED_RSSI | BLUEZ_CHANGED_DATA);
    assert_int_equal(dev.fields.n_mfr, 1);
    assert_true(dev.has_rssi);
    assert_int_equal(bluez_device_read_invalidated(m, &dev), 1);
    assert_false(dev.has_rssi);
    bluez_device_beacon(&dev, 0, &b);
    assert_memory_equal(b.id, ID0, 12);
    assert_int_equal(b.rssi, BEACON_RSSI_NONE);
    sd_bus_message_unref(m);
}

static void test_adapter(void **state)
{
    sd_bus_message *m = new_message();
    struct bluez_adapter ad = {.powered = false};

    (void)state;
    assert_true(sd_bus_message_append(m, "a{sv}", 3, "Powered", "b", 1, "Name", "s", "kiosk",
                                      "Discovering", "b", 0) >= 0);
    ready(m);
    assert_true(bluez_adapter_read_props(m, &ad) >= 0);
    assert_true(ad.has_powered && ad.powered);
    assert_true(ad.has_discovering && !ad.discovering);
    sd_bus_message_unref(m);
}

static void test_paths(void **state)
{
    struct beacon_addr a = {.b = {0x00, 0xAA, 0x01, 0x02, 0x00, 0x0F}};
    char path[BLUEZ_PATH_MAX];

    (void)state;
    bluez_device_path("/org/bluez/hci1", &a, path);
    assert_string_equal(path, "/org/bluez/hci1/dev_00_AA_01_02_00_0F");
    assert_true(bluez_path_is_device_of(path, "/org/bluez/hci1"));
    assert_false(bluez_path_is_device_of(path, "/org/bluez/hci0"));
    assert_false(
        bluez_path_is_device_of("/org/bluez/hci10/dev_00_AA_01_02_00_0F", "/org/bluez/hci1"));
    assert_false(bluez_path_is_device_of("/org/bluez/hci1/dev_00_AA_01_02_00_0F/service000a",
                                         "/org/bluez/hci1"));
    assert_false(bluez_path_is_device_of(path, ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_android_report),
        cmocka_unit_test(test_wrong_types_are_skipped),
        cmocka_unit_test(test_update_and_invalidate),
        cmocka_unit_test(test_adapter),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
