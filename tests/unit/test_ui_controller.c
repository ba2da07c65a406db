/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/ui/controller.h"

#include <string.h>

static struct ui_strings text_vi, text_en;
static const struct ui_strings *const texts[2] = {&text_vi, &text_en};
static struct ui_frame frame;
static char staff[UI_PIN_HASH_MAX], admin[UI_PIN_HASH_MAX];

static int setup(void **state)
{
    (void)state;
    ui_pin_hash("2580", staff);
    ui_pin_hash("9753", admin);
    return 0;
}

/* Lays out what the controller shows now. */
static enum ui_screen show(struct ui_controller *c, const struct ui_view *v, int64_t now)
{
    struct ui_model m;

    ui_controller_model(c, v, texts, now, &m);
    assert_int_equal(ui_layout(&m, 800, 480, &frame), 0);
    return m.screen;
}

/* Taps the first target with this action (and arg, or any when arg < 0). */
static struct ui_touch_result tap_action(struct ui_controller *c, const struct ui_view *v,
                                         enum ui_action a, int arg, int64_t now)
{
    for (size_t i = 0; i < frame.n_targets; i++) {
        const struct ui_target *t = &frame.targets[i];
        if (t->action == a && (arg < 0 || t->arg == arg))
            return ui_controller_tap(c, v, &frame, t->box.x + t->box.w / 2, t->box.y + t->box.h / 2,
                                     staff, admin, now);
    }
    fail_msg("no target %d/%d on this screen", a, arg);
    return (struct ui_touch_result){0};
}

static void enter_pin(struct ui_controller *c, const struct ui_view *v, const char *pin,
                      int64_t now)
{
    for (const char *p = pin; *p; p++) {
        show(c, v, now);
        tap_action(c, v, UI_ACT_PIN_DIGIT, *p - '0', now);
    }
    show(c, v, now);
}

static void open_pin_pad(struct ui_controller *c, const struct ui_view *v, int64_t now)
{
    assert_int_equal(show(c, v, now), UI_SCREEN_ATTRACT);
    for (int i = 0; i < UI_GESTURE_TAPS; i++)
        ui_controller_tap(c, v, &frame, 5, 5, staff, admin, now + i * 200);
    assert_int_equal(show(c, v, now), UI_SCREEN_PIN);
}

static void test_touches_become_flow_inputs(void **state)
{
    struct ui_controller c;
    struct ui_view v = {.state = FLOW_ATTRACT};
    struct ui_touch_result r;

    (void)state;
    ui_controller_init(&c, 0, 0);
    show(&c, &v, 0);
    r = tap_action(&c, &v, UI_ACT_FLOW, FLOW_TOUCH_CHECK_IN, 10);
    assert_int_equal(r.request, UI_REQ_FLOW);
    assert_int_equal(r.input, FLOW_TOUCH_CHECK_IN);
    /* a tap beside every button does nothing */
    r = ui_controller_tap(&c, &v, &frame, 400, 150, staff, admin, 20);
    assert_int_equal(r.request, UI_REQ_NONE);
    assert_false(r.changed);
}

static void test_language_resets_for_the_next_visitor(void **state)
{
    struct ui_controller c;
    struct ui_view v = {.state = FLOW_ATTRACT};
    struct ui_model m;

    (void)state;
    ui_controller_init(&c, 0, 0);
    show(&c, &v, 0);
    tap_action(&c, &v, UI_ACT_LANGUAGE, -1, 10);
    ui_controller_model(&c, &v, texts, 10, &m);
    assert_ptr_equal(m.text, &text_en);
    v.state = FLOW_NOT_DETECTED;
    ui_controller_tick(&c, &v, 20);
    assert_int_equal(c.lang, 1); /* the same visitor keeps English */
    v.state = FLOW_ATTRACT;
    assert_true(ui_controller_tick(&c, &v, 30));
    assert_int_equal(c.lang, 0);
}

static void test_gesture_and_pin_open_staff(void **state)
{
    struct ui_controller c;
    struct ui_view v = {.state = FLOW_ATTRACT};
    struct ui_touch_result r;

    (void)state;
    ui_controller_init(&c, 0, 0);
    /* four taps, or five too slowly, do not open it */
    show(&c, &v, 0);
    for (int i = 0; i < 4; i++)
        ui_controller_tap(&c, &v, &frame, 5, 5, staff, admin, i * 200);
    ui_controller_tap(&c, &v, &frame, 5, 5, staff, admin, 5000);
    assert_int_equal(show(&c, &v, 5000), UI_SCREEN_ATTRACT);
    open_pin_pad(&c, &v, 10000);
    enter_pin(&c, &v, "2580", 11000);
    r = tap_action(&c, &v, UI_ACT_PIN_OK, -1, 11000);
    assert_int_equal(r.request, UI_REQ_STAFF_OPEN);
    assert_int_equal(show(&c, &v, 11000), UI_SCREEN_STAFF);
    /* export wants the admin PIN; cancel goes back to staff */
    tap_action(&c, &v, UI_ACT_STAFF_EXPORT, -1, 12000);
    assert_int_equal(show(&c, &v, 12000), UI_SCREEN_PIN);
    tap_action(&c, &v, UI_ACT_CANCEL, -1, 12500);
    assert_int_equal(show(&c, &v, 12500), UI_SCREEN_STAFF);
    tap_action(&c, &v, UI_ACT_STAFF_EXPORT, -1, 13000);
    enter_pin(&c, &v, "9753", 13000);
    tap_action(&c, &v, UI_ACT_PIN_OK, -1, 13000);
    assert_int_equal(show(&c, &v, 13000), UI_SCREEN_ADMIN_EXPORT);
    tap_action(&c, &v, UI_ACT_EXPORT_RANGE, 21, 13500);
    show(&c, &v, 13500);
    r = tap_action(&c, &v, UI_ACT_CANCEL, -1, 14000);
    assert_int_equal(show(&c, &v, 14000), UI_SCREEN_STAFF);
    /* left alone, the staff screen closes */
    assert_true(ui_controller_next_ms(&c, &v, 14000) <= 14000 + UI_STAFF_IDLE_MS);
    ui_controller_tick(&c, &v, 14000 + UI_STAFF_IDLE_MS);
    assert_int_equal(show(&c, &v, 14000 + UI_STAFF_IDLE_MS), UI_SCREEN_ATTRACT);
}

static void test_five_wrong_pins_lock(void **state)
{
    struct ui_controller c;
    struct ui_view v = {.state = FLOW_ATTRACT};
    struct ui_touch_result r;
    struct ui_model m;

    (void)state;
    ui_controller_init(&c, 0, 0);
    open_pin_pad(&c, &v, 0);
    for (int i = 0; i < 5; i++) {
        enter_pin(&c, &v, "1111", 1000 + i);
        r = tap_action(&c, &v, UI_ACT_PIN_OK, -1, 1000 + i);
    }
    assert_int_equal(r.request, UI_REQ_PIN_LOCKED);
    ui_controller_model(&c, &v, texts, 2000, &m);
    assert_int_equal(m.pin_locked_s, 300);
    /* the keys are disabled: no digit target while locked */
    show(&c, &v, 2000);
    for (size_t i = 0; i < frame.n_targets; i++)
        assert_int_not_equal(frame.targets[i].action, UI_ACT_PIN_DIGIT);
    /* the countdown wakes the screen every second */
    assert_int_equal(ui_controller_next_ms(&c, &v, 2000), 2004);
    assert_int_equal(ui_controller_next_ms(&c, &v, 2004), 3004);
}

static void test_slides_turn_only_on_attract(void **state)
{
    struct ui_controller c;
    struct ui_view v = {.state = FLOW_ATTRACT};

    (void)state;
    ui_controller_init(&c, 0, 0);
    assert_int_equal(ui_controller_next_ms(&c, &v, 0), UI_SLIDE_MS);
    assert_false(ui_controller_tick(&c, &v, UI_SLIDE_MS - 1));
    assert_true(ui_controller_tick(&c, &v, UI_SLIDE_MS));
    assert_int_equal(c.slide, 1);
    v.state = FLOW_DETECTED;
    ui_controller_tick(&c, &v, UI_SLIDE_MS + 1);
    assert_int_equal(ui_controller_next_ms(&c, &v, UI_SLIDE_MS + 1), INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_touches_become_flow_inputs),
        cmocka_unit_test(test_language_resets_for_the_next_visitor),
        cmocka_unit_test(test_gesture_and_pin_open_staff),
        cmocka_unit_test(test_five_wrong_pins_lock),
        cmocka_unit_test(test_slides_turn_only_on_attract),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
