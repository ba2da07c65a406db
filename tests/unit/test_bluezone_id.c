/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/bluezone_id.h"

#include <errno.h>
#include <string.h>

static uint8_t k0[BLUEZONE_KEY_LEN];

static int setup(void **state)
{
    (void)state;
    for (int i = 0; i < BLUEZONE_KEY_LEN; i++)
        k0[i] = (uint8_t)i;
    return 0;
}

static void expect_id(const uint8_t id[BEACON_ID_LEN], const char *hex)
{
    char s[25];
    beacon_id_format(id, s);
    assert_string_equal(s, hex);
}

/* The worked example of PROTOCOL.md. */
static void test_worked_example(void **state)
{
    uint8_t id[BEACON_ID_LEN], dk[BLUEZONE_KEY_LEN];

    (void)state;
    bluezone_slot_id(k0, 0, id);
    expect_id(id, "130CEA6472130C185D8643DF");
    bluezone_slot_id(k0, 1, id);
    expect_id(id, "893DAE342437130CE5E23837");
    bluezone_slot_id(k0, 5, id);
    expect_id(id, "FA42FE0F936F30DF3B8942A0");
    bluezone_day_key(k0, 1, dk);
    bluezone_slot_id(dk, 0, id);
    expect_id(id, "970E23C0E19DE93F8CC4057B");
}

static void test_day_ids_match_slot_ids(void **state)
{
    uint8_t ids[96][BEACON_ID_LEN], one[BEACON_ID_LEN];

    (void)state;
    bluezone_day_ids(k0, 96, ids);
    expect_id(ids[5], "FA42FE0F936F30DF3B8942A0");
    for (uint32_t s = 0; s < 96; s += 19) {
        bluezone_slot_id(k0, s, one);
        assert_memory_equal(one, ids[s], BEACON_ID_LEN);
    }
}

static void test_id_at_time(void **state)
{
    uint8_t id[BEACON_ID_LEN];
    int64_t t0 = 1605052800; /* 2020-11-11T00:00:00Z */

    (void)state;
    /* slot 5 of day 0 with 96 slots: 01:15:00 to 01:29:59 UTC */
    assert_int_equal(bluezone_id_at(k0, t0 + 3600 + 7, t0 + 75 * 60, 96, id), 0);
    expect_id(id, "FA42FE0F936F30DF3B8942A0");
    assert_int_equal(bluezone_id_at(k0, t0, t0 + 90 * 60 - 1, 96, id), 0);
    expect_id(id, "FA42FE0F936F30DF3B8942A0");
    assert_int_equal(bluezone_id_at(k0, t0, t0 + 86400 + 60, 96, id), 0);
    expect_id(id, "970E23C0E19DE93F8CC4057B");
    /* v2: 144 slots of 10 minutes; slot 1 starts at 00:10 */
    assert_int_equal(bluezone_id_at(k0, t0, t0 + 600, 144, id), 0);
    expect_id(id, "893DAE342437130CE5E23837");
    assert_int_equal(bluezone_slot_at(t0 + 86399, 96), 95);
    assert_int_equal(bluezone_slot_at(-1, 96), 95);
}

static void test_bad_arguments(void **state)
{
    uint8_t id[BEACON_ID_LEN];
    int64_t t0 = 1605052800;

    (void)state;
    assert_int_equal(bluezone_id_at(k0, t0, t0 - 1, 96, id), -EINVAL);
    assert_int_equal(bluezone_id_at(k0, t0, t0, 0, id), -EINVAL);
    assert_int_equal(bluezone_id_at(k0, t0, t0, 7, id), -EINVAL);
    assert_int_equal(bluezone_id_at(k0, t0, t0, 2000, id), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_day_ids_match_slot_ids),
        cmocka_unit_test(test_id_at_time),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
