/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/flow.h"

#include <errno.h>
#include <string.h>

#define T0 1795399200000LL

static struct record recs[256];
static int n_recs;
static struct flow flow;

/* presence's records go to flow as app.c wires them */
static int collect(const struct record *rec, void *userdata)
{
    (void)userdata;
    if (n_recs < 256)
        recs[n_recs++] = *rec;
    flow_record(&flow, rec, rec->t_ms);
    return 0;
}

static int flow_collect(const struct record *rec, void *userdata)
{
    (void)userdata;
    if (n_recs < 256)
        recs[n_recs++] = *rec;
    return 0;
}

static const struct record *last(enum record_type type)
{
    for (int i = n_recs - 1; i >= 0; i--)
        if (recs[i].type == type)
            return &recs[i];
    return NULL;
}

static struct presence *setup(void)
{
    struct config cfg;
    struct presence_params pp;
    struct flow_params fp;
    struct presence *p;

    config_defaults(&cfg);
    presence_params_from_config(&pp, &cfg);
    flow_params_from_config(&fp, &cfg);
    n_recs = 0;
    p = presence_create(&pp, collect, NULL);
    assert_non_null(p);
    flow_init(&flow, &fp, p, flow_collect, NULL, T0);
    return p;
}

/* A Bluezone phone held near the desk from `from` for `ms`. */
static void phone_near(struct presence *p, uint8_t n, int64_t from, int64_t ms)
{
    struct beacon b = {.rssi = -58, .kind = BEACON_BLUEZONE_ANDROID, .has_id = true};

    b.addr.b[0] = 0x40;
    b.addr.b[5] = n;
    b.addr.type = BEACON_ADDR_RANDOM;
    memset(b.id, n, BEACON_ID_LEN);
    for (int64_t t = 0; t < ms; t += 200) {
        b.t_ms = from + t;
        presence_observe(p, &b);
        flow_tick(&flow, b.t_ms);
    }
}

static void tick_until(int64_t from, int64_t to)
{
    for (int64_t t = from; t <= to; t += 500)
        flow_tick(&flow, t);
}

static void test_names(void **state)
{
    enum flow_input in;

    (void)state;
    assert_string_equal(flow_state_name(FLOW_ATTRACT), "attract");
    assert_string_equal(flow_state_name(FLOW_PROMPT_INSTALL), "prompt-install");
    assert_string_equal(flow_state_name(FLOW_NOT_DETECTED), "not-detected");
    assert_int_equal(flow_input_parse("no-app", &in), 0);
    assert_int_equal(in, FLOW_TOUCH_NO_APP);
    assert_int_equal(flow_input_parse("nope", &in), -EINVAL);
    for (int i = 0; i < FLOW_STATE_COUNT; i++)
        assert_string_not_equal(flow_state_name((enum flow_state)i), "unknown");
}

static void test_auto_check_in(void **state)
{
    struct presence *p = setup();

    (void)state;
    assert_int_equal(flow.state, FLOW_ATTRACT);
    phone_near(p, 1, T0 + 1000, 10000);
    assert_int_equal(flow.state, FLOW_DETECTED);
    assert_int_equal(flow.visitor_entry_ms, T0 + 1000);
    assert_int_equal(flow.visitor_app, VISIT_APP_BLUEZONE_ANDROID);
    tick_until(T0 + 11000, T0 + 20000);
    assert_int_equal(flow.state, FLOW_ATTRACT);
    presence_destroy(p);
}

static void test_prompt_install_then_thanks(void **state)
{
    struct presence *p = setup();
    const struct record *r;

    (void)state;
    assert_true(flow_input(&flow, FLOW_TOUCH_CHECK_IN, T0 + 1000));
    assert_int_equal(flow.state, FLOW_ATTRACT);
    assert_true(flow.searching);
    tick_until(T0 + 1000, T0 + 10500);
    assert_int_equal(flow.state, FLOW_ATTRACT); /* prompt_after_s = 10 */
    tick_until(T0 + 10500, T0 + 11500);
    assert_int_equal(flow.state, FLOW_NOT_DETECTED);
    assert_false(flow_input(&flow, FLOW_TOUCH_CHECK_IN, T0 + 12000));
    assert_true(flow_input(&flow, FLOW_TOUCH_NO_APP, T0 + 12000));
    assert_int_equal(flow.state, FLOW_PROMPT_INSTALL);
    r = last(RECORD_PROMPT);
    assert_non_null(r);
    assert_int_equal(r->prompt, RECORD_PROMPT_INSTALL);
    /* two minutes later the new app broadcasts at the desk */
    phone_near(p, 2, T0 + 130000, 10000);
    assert_int_equal(flow.state, FLOW_THANKS);
    r = last(RECORD_VISIT_CHANGE);
    assert_non_null(r);
    assert_true(r->visit.prompt_shown);
    assert_true(r->visit.install_assisted);
    assert_int_equal(r->visit.id, last(RECORD_VISIT_START)->visit.id);
    tick_until(T0 + 140000, T0 + 150000);
    assert_int_equal(flow.state, FLOW_ATTRACT);
    presence_destroy(p);
}

static void test_prompt_open_times_out_as_visit_without_app(void **state)
{
    struct presence *p = setup();
    const struct record *r;

    (void)state;
    flow_input(&flow, FLOW_TOUCH_CHECK_IN, T0);
    tick_until(T0, T0 + 11000);
    assert_true(flow_input(&flow, FLOW_TOUCH_HAVE_APP, T0 + 12000));
    assert_int_equal(flow.state, FLOW_PROMPT_OPEN);
    assert_int_equal(last(RECORD_PROMPT)->prompt, RECORD_PROMPT_OPEN);
    /* the visitor switches to "I don't have it" */
    assert_true(flow_input(&flow, FLOW_TOUCH_NO_APP, T0 + 20000));
    assert_int_equal(flow.state, FLOW_PROMPT_INSTALL);
    tick_until(T0 + 20000, T0 + 20000 + 299000);
    assert_int_equal(flow.state, FLOW_PROMPT_INSTALL);
    tick_until(T0 + 20000 + 299000, T0 + 20000 + 301000);
    assert_int_equal(flow.state, FLOW_ATTRACT);
    r = last(RECORD_VISIT_START);
    assert_non_null(r);
    assert_int_equal(r->visit.app, VISIT_APP_NONE);
    assert_int_equal(r->visit.method, VISIT_METHOD_TOUCH);
    assert_true(r->visit.prompt_shown);
    assert_false(r->visit.install_assisted);
    assert_int_equal(r->visit.entry_ms, T0 + 12000);
    assert_non_null(last(RECORD_VISIT_END));
    presence_destroy(p);
}

static void test_no_smartphone(void **state)
{
    struct presence *p = setup();
    const struct record *r;

    (void)state;
    flow_input(&flow, FLOW_TOUCH_CHECK_IN, T0);
    tick_until(T0, T0 + 11000);
    assert_true(flow_input(&flow, FLOW_TOUCH_NO_SMARTPHONE, T0 + 15000));
    assert_int_equal(flow.state, FLOW_NO_SMARTPHONE);
    r = last(RECORD_VISIT_START);
    assert_non_null(r);
    assert_int_equal(r->visit.app, VISIT_APP_NO_SMARTPHONE);
    assert_false(r->visit.prompt_shown);
    tick_until(T0 + 15000, T0 + 24000);
    assert_int_equal(flow.state, FLOW_ATTRACT);
    presence_destroy(p);
}

static void test_not_detected_walks_away(void **state)
{
    struct presence *p = setup();
    int before;

    (void)state;
    flow_input(&flow, FLOW_TOUCH_CHECK_IN, T0);
    tick_until(T0, T0 + 11000);
    assert_int_equal(flow.state, FLOW_NOT_DETECTED);
    before = n_recs;
    tick_until(T0 + 11000, T0 + 72000);
    assert_int_equal(flow.state, FLOW_ATTRACT);
    assert_int_equal(n_recs, before); /* no choice made: nothing to record */
    presence_destroy(p);
}

static void test_check_in_with_phone_near_is_detected(void **state)
{
    struct presence *p = setup();

    (void)state;
    phone_near(p, 3, T0, 12000);
    assert_int_equal(flow.state, FLOW_DETECTED);
    assert_true(flow_input(&flow, FLOW_TOUCH_BACK, T0 + 12000));
    assert_int_equal(flow.state, FLOW_ATTRACT);
    flow_input(&flow, FLOW_TOUCH_CHECK_IN, T0 + 12100);
    phone_near(p, 3, T0 + 12200, 11000);
    assert_int_equal(flow.state, FLOW_DETECTED);
    presence_destroy(p);
}

static void test_check_out(void **state)
{
    struct presence *p = setup();
    const struct record *r;

    (void)state;
    phone_near(p, 4, T0, 12000);
    assert_true(flow_input(&flow, FLOW_TOUCH_CHECK_OUT, T0 + 12000));
    assert_int_equal(flow.state, FLOW_CHECKOUT);
    r = last(RECORD_VISIT_END);
    assert_non_null(r);
    assert_int_equal(r->visit.exit_reason, VISIT_EXIT_CHECKOUT);
    assert_int_equal(flow.visitor_visit, r->visit.id);
    tick_until(T0 + 12000, T0 + 18000);
    assert_int_equal(flow.state, FLOW_ATTRACT);
    presence_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_auto_check_in),
        cmocka_unit_test(test_prompt_install_then_thanks),
        cmocka_unit_test(test_prompt_open_times_out_as_visit_without_app),
        cmocka_unit_test(test_no_smartphone),
        cmocka_unit_test(test_not_detected_walks_away),
        cmocka_unit_test(test_check_in_with_phone_near_is_detected),
        cmocka_unit_test(test_check_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
