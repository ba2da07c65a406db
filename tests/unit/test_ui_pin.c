/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/ui/pin.h"

#include <errno.h>
#include <string.h>

static char staff[UI_PIN_HASH_MAX], admin[UI_PIN_HASH_MAX];

static int setup(void **state)
{
    (void)state;
    assert_int_equal(ui_pin_hash("2580", staff), 0);
    assert_int_equal(ui_pin_hash("97531", admin), 0);
    return 0;
}

static void type(struct ui_pin *p, const char *digits, int64_t now)
{
    for (const char *c = digits; *c; c++)
        ui_pin_digit(p, *c - '0', now);
}

static void test_hash_format(void **state)
{
    char h[UI_PIN_HASH_MAX];

    (void)state;
    assert_int_equal(strncmp(staff, "$argon2id$", 10), 0);
    assert_int_equal(ui_pin_hash("123", h), -EINVAL);
    assert_int_equal(ui_pin_hash("123456789", h), -EINVAL);
    assert_int_equal(ui_pin_hash("12a4", h), -EINVAL);
}

static void test_right_pins(void **state)
{
    struct ui_pin p;

    (void)state;
    ui_pin_init(&p);
    type(&p, "2580", 0);
    assert_int_equal(p.n, 4);
    assert_int_equal(ui_pin_check(&p, staff, admin, 0), UI_PIN_STAFF);
    assert_int_equal(p.n, 0);
    type(&p, "97531", 0);
    assert_int_equal(ui_pin_check(&p, staff, admin, 0), UI_PIN_ADMIN);
    /* an empty hash matches nothing */
    type(&p, "2580", 0);
    assert_int_equal(ui_pin_check(&p, "", "", 0), UI_PIN_WRONG);
    /* delete, and short PINs are not counted */
    ui_pin_init(&p);
    type(&p, "259", 0);
    ui_pin_delete(&p);
    type(&p, "80", 0);
    assert_int_equal(ui_pin_check(&p, staff, admin, 0), UI_PIN_STAFF);
    type(&p, "12", 0);
    assert_int_equal(ui_pin_check(&p, staff, admin, 0), UI_PIN_TOO_SHORT);
    assert_int_equal(p.wrong, 0);
}

static void test_five_wrong_lock_five_minutes(void **state)
{
    struct ui_pin p;
    int64_t t = 1000;

    (void)state;
    ui_pin_init(&p);
    for (int i = 0; i < 4; i++) {
        type(&p, "1111", t);
        assert_int_equal(ui_pin_check(&p, staff, admin, t), UI_PIN_WRONG);
        assert_true(p.last_wrong);
        assert_false(ui_pin_locked(&p, t));
    }
    type(&p, "1111", t);
    assert_int_equal(ui_pin_check(&p, staff, admin, t), UI_PIN_WRONG);
    assert_true(ui_pin_locked(&p, t));
    assert_int_equal(ui_pin_locked_s(&p, t), 300);
    /* while locked even the right PIN is refused, and typing is ignored */
    type(&p, "2580", t + 1000);
    assert_int_equal(p.n, 0);
    p.n = 4;
    memcpy(p.digits, "2580", 5);
    assert_int_equal(ui_pin_check(&p, staff, admin, t + 299999), UI_PIN_LOCKED);
    assert_int_equal(ui_pin_locked_s(&p, t + 299001), 1);
    /* five minutes later it opens */
    assert_false(ui_pin_locked(&p, t + UI_PIN_LOCK_MS));
    type(&p, "2580", t + UI_PIN_LOCK_MS);
    assert_int_equal(ui_pin_check(&p, staff, admin, t + UI_PIN_LOCK_MS), UI_PIN_STAFF);
    assert_int_equal(p.wrong, 0);
}

static void test_right_pin_resets_count(void **state)
{
    struct ui_pin p;

    (void)state;
    ui_pin_init(&p);
    for (int i = 0; i < 4; i++) {
        type(&p, "0000", 0);
        ui_pin_check(&p, staff, admin, 0);
    }
    type(&p, "2580", 0);
    assert_int_equal(ui_pin_check(&p, staff, admin, 0), UI_PIN_STAFF);
    type(&p, "0000", 0);
    assert_int_equal(ui_pin_check(&p, staff, admin, 0), UI_PIN_WRONG);
    assert_false(ui_pin_locked(&p, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_format),
        cmocka_unit_test(test_right_pins),
        cmocka_unit_test(test_five_wrong_lock_five_minutes),
        cmocka_unit_test(test_right_pin_resets_count),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
