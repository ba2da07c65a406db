/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/beacon.h"
#include "kiosk/record.h"

#include <errno.h>
#include <string.h>

static void test_kind_names_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < BEACON_KIND_COUNT; k++) {
        enum beacon_kind back;
        assert_int_equal(beacon_kind_parse(beacon_kind_name((enum beacon_kind)k), &back), 0);
        assert_int_equal(back, k);
    }
    assert_string_equal(beacon_kind_name(BEACON_BLUEZONE_IOS_BG), "bluezone-ios-bg");
    assert_string_equal(beacon_kind_name((enum beacon_kind)99), "other");
    enum beacon_kind k;
    assert_int_equal(beacon_kind_parse("bluezone", &k), -EINVAL);
    assert_true(beacon_kind_is_bluezone(BEACON_BLUEZONE_IBEACON));
    assert_false(beacon_kind_is_bluezone(BEACON_GAEN));
}

static void test_addr(void **state)
{
    struct beacon_addr a = {.type = BEACON_ADDR_RANDOM}, b;
    char s[18];

    (void)state;
    assert_int_equal(beacon_addr_parse("c0:ff:ee:00:12:ab", &a), 0);
    assert_int_equal(a.b[0], 0xc0);
    assert_int_equal(a.b[5], 0xab);
    assert_int_equal(a.type, BEACON_ADDR_RANDOM);
    beacon_addr_format(&a, s);
    assert_string_equal(s, "C0:FF:EE:00:12:AB");
    b = a;
    assert_true(beacon_addr_equal(&a, &b));
    b.type = BEACON_ADDR_PUBLIC;
    assert_false(beacon_addr_equal(&a, &b));
    assert_int_equal(beacon_addr_parse("C0:FF:EE:00:12", &a), -EINVAL);
    assert_int_equal(beacon_addr_parse("C0-FF-EE-00-12-AB", &a), -EINVAL);
    assert_int_equal(beacon_addr_parse("G0:FF:EE:00:12:AB", &a), -EINVAL);
}

static void test_id(void **state)
{
    uint8_t id[BEACON_ID_LEN];
    char s[25];

    (void)state;
    assert_int_equal(beacon_id_parse("fa42fe0f936f30df3b8942a0", id), 0);
    beacon_id_format(id, s);
    assert_string_equal(s, "FA42FE0F936F30DF3B8942A0");
    memset(id, 7, sizeof(id));
    assert_int_equal(beacon_id_parse("FA42FE0F936F30DF3B8942A", id), -EINVAL);
    assert_int_equal(beacon_id_parse("FA42FE0F936F30DF3B8942AZ", id), -EINVAL);
    assert_int_equal(id[0], 7); /* untouched on error */
}

static void test_record_names(void **state)
{
    (void)state;
    for (int i = 0; i < VISIT_APP_COUNT; i++) {
        enum visit_app a;
        assert_int_equal(visit_app_parse(visit_app_name((enum visit_app)i), &a), 0);
        assert_int_equal(a, i);
    }
    for (int i = 0; i < VISIT_METHOD_COUNT; i++) {
        enum visit_method m;
        assert_int_equal(visit_method_parse(visit_method_name((enum visit_method)i), &m), 0);
        assert_int_equal(m, i);
    }
    for (int i = 0; i < VISIT_EXIT_COUNT; i++) {
        enum visit_exit e;
        assert_int_equal(visit_exit_parse(visit_exit_name((enum visit_exit)i), &e), 0);
        assert_int_equal(e, i);
    }
    assert_string_equal(visit_app_name(VISIT_APP_NO_SMARTPHONE), "no-smartphone");
    enum visit_app a;
    assert_int_equal(visit_app_parse("iphone", &a), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names_round_trip),
        cmocka_unit_test(test_addr),
        cmocka_unit_test(test_id),
        cmocka_unit_test(test_record_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
