/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/presence.h"

#include <stdlib.h>
#include <string.h>

/* 2026-11-22 02:00:00 UTC: a 15-minute slot boundary (09:00 in Vietnam). */
#define T0 1795399200000LL

#define MAX_RECS 20000

static struct record recs[MAX_RECS];
static int n_recs;

static int collect(const struct record *rec, void *userdata)
{
    (void)userdata;
    if (n_recs < MAX_RECS)
        recs[n_recs++] = *rec;
    return 0;
}

static int count(enum record_type type)
{
    int n = 0;
    for (int i = 0; i < n_recs; i++)
        n += recs[i].type == type;
    return n;
}

static const struct record *first(enum record_type type)
{
    for (int i = 0; i < n_recs; i++)
        if (recs[i].type == type)
            return &recs[i];
    return NULL;
}

static struct presence *make(struct presence_params *prm)
{
    struct config cfg;
    struct presence *p;

    config_defaults(&cfg);
    if (prm->capacity == 0)
        presence_params_from_config(prm, &cfg);
    n_recs = 0;
    p = presence_create(prm, collect, NULL);
    assert_non_null(p);
    return p;
}

static struct presence *make_default(void)
{
    struct presence_params prm = {0};
    return make(&prm);
}

static void addr_of(struct beacon_addr *a, uint32_t n)
{
    a->b[0] = 0x40 | (uint8_t)(n >> 24 & 0x3f);
    a->b[1] = (uint8_t)(n >> 16);
    a->b[2] = (uint8_t)(n >> 8);
    a->b[3] = (uint8_t)n;
    a->b[4] = 0x5a;
    a->b[5] = 0xa5;
    a->type = BEACON_ADDR_RANDOM;
}

static void id_of(uint8_t id[BEACON_ID_LEN], uint32_t n)
{
    memset(id, 0x11, BEACON_ID_LEN);
    memcpy(id, &n, sizeof(n));
}

static void android(struct presence *p, int64_t t, uint32_t addr, uint32_t id, int rssi)
{
    struct beacon b = {.t_ms = t, .rssi = (int8_t)rssi, .kind = BEACON_BLUEZONE_ANDROID};

    addr_of(&b.addr, addr);
    b.has_id = true;
    id_of(b.id, id);
    presence_observe(p, &b);
}

static void iphone(struct presence *p, int64_t t, uint32_t addr, int rssi)
{
    struct beacon b = {.t_ms = t, .rssi = (int8_t)rssi, .kind = BEACON_BLUEZONE_IOS_BG};

    addr_of(&b.addr, addr);
    presence_observe(p, &b);
}

/* Android's rhythm: 15 s on (a report every 200 ms), 15 s off, a new
 * address each burst. Reports [from, to). */
static void android_bursts(struct presence *p, int64_t from, int64_t to, uint32_t *addr,
                           uint32_t id, int rssi)
{
    for (int64_t burst = from; burst < to; burst += 30000) {
        (*addr)++;
        for (int64_t t = burst; t < burst + 15000 && t < to; t += 200)
            android(p, t, *addr, id, rssi);
        presence_tick(p, burst + 15000);
    }
}

static void test_visit_after_dwell_then_exit(void **state)
{
    struct presence *p = make_default();
    const struct record *r;

    (void)state;
    for (int64_t t = 0; t < 20000; t += 200)
        android(p, T0 + 60000 + t, 1, 1, -60);
    r = first(RECORD_VISIT_START);
    assert_non_null(r);
    assert_int_equal(r->visit.entry_ms, T0 + 60000);
    assert_true(r->t_ms >= T0 + 68000 && r->t_ms < T0 + 69000);
    assert_int_equal(r->visit.app, VISIT_APP_BLUEZONE_ANDROID);
    assert_true(r->visit.confirmed);
    assert_int_equal(r->visit.id, 1);
    presence_tick(p, T0 + 60000 + 19800 + 119000);
    assert_int_equal(count(RECORD_VISIT_END), 0);
    presence_tick(p, T0 + 60000 + 19800 + 120000);
    r = first(RECORD_VISIT_END);
    assert_non_null(r);
    assert_int_equal(r->visit.exit_ms, T0 + 60000 + 19800);
    assert_int_equal(r->visit.exit_reason, VISIT_EXIT_ABSENT);
    assert_int_equal(count(RECORD_ID_SEEN), 1);
    assert_int_equal(count(RECORD_PASSERBY), 0);
    presence_destroy(p);
}

static void test_short_stay_is_no_visit(void **state)
{
    struct presence *p = make_default();

    (void)state;
    /* near for 5 s only (less than the 8 s dwell), then far */
    for (int64_t t = 0; t < 5000; t += 200)
        android(p, T0 + 60000 + t, 1, 1, -60);
    for (int64_t t = 5000; t < 30000; t += 200)
        android(p, T0 + 60000 + t, 1, 1, -90);
    presence_tick(p, T0 + 300000);
    assert_int_equal(count(RECORD_VISIT_START), 0);
    assert_int_equal(count(RECORD_PASSERBY), 1);
    presence_destroy(p);
}

static void test_passerby_far_away(void **state)
{
    struct presence *p = make_default();
    uint32_t addr = 0;

    (void)state;
    android_bursts(p, T0 + 60000, T0 + 180000, &addr, 7, -85);
    presence_tick(p, T0 + 400000);
    assert_int_equal(count(RECORD_VISIT_START), 0);
    assert_int_equal(count(RECORD_PASSERBY), 1);
    assert_int_equal(first(RECORD_PASSERBY)->kind, BEACON_BLUEZONE_ANDROID);
    presence_destroy(p);
}

/* Android's 15 s silences and new addresses do not end a visit or make a second one. */
static void test_silences_and_addresses_one_visit(void **state)
{
    struct presence *p = make_default();
    uint32_t addr = 100;

    (void)state;
    android_bursts(p, T0 + 60000, T0 + 240000, &addr, 5, -62);
    presence_tick(p, T0 + 600000);
    assert_int_equal(count(RECORD_VISIT_START), 1);
    assert_int_equal(count(RECORD_VISIT_END), 1);
    assert_int_equal(count(RECORD_PASSERBY), 0);
    presence_destroy(p);
}

/* Noise of ±6 dB and deep fades around a phone at −62 dBm: one visit. */
static void test_noise_one_visit(void **state)
{
    struct presence *p = make_default();
    uint32_t seed = 12345;

    (void)state;
    for (int64_t t = 0; t < 300000; t += 200) {
        int rssi;
        seed = seed * 1103515245u + 12345u;
        rssi = -62 + (int)((seed >> 16) % 13) - 6;
        if ((seed >> 8) % 25 == 0)
            rssi -= 12;
        if (t % 30000 < 15000)
            android(p, T0 + 60000 + t, 9 + (uint32_t)(t / 30000), 9, rssi);
        else
            presence_tick(p, T0 + 60000 + t);
    }
    presence_tick(p, T0 + 900000);
    assert_int_equal(count(RECORD_VISIT_START), 1);
    assert_int_equal(count(RECORD_VISIT_END), 1);
    presence_destroy(p);
}

/* Hovering around the threshold does not start and end visits: hysteresis. */
static void test_hysteresis(void **state)
{
    struct presence *p = make_default();

    (void)state;
    for (int64_t t = 0; t < 20000; t += 200)
        android(p, T0 + 60000 + t, 1, 1, -70);
    assert_int_equal(count(RECORD_VISIT_START), 1);
    /* 2 dB below the −75 threshold for a long time: still near (hysteresis 3 dB) */
    for (int64_t t = 20000; t < 400000; t += 200)
        android(p, T0 + 60000 + t, 1, 1, -77);
    assert_int_equal(count(RECORD_VISIT_END), 0);
    /* 6 dB below: no longer near, the visit ends absent_s after the last near report */
    for (int64_t t = 400000; t < 600000; t += 200)
        android(p, T0 + 60000 + t, 1, 1, -81);
    assert_int_equal(count(RECORD_VISIT_END), 1);
    assert_int_equal(count(RECORD_VISIT_START), 1);
    presence_destroy(p);
}

/* The ID switches 20 s after the boundary while advertising (a restart, a new
 * address): the same visit, RECORD_ID_LINKED with both IDs. */
static void test_rotation_restart_linked(void **state)
{
    struct presence *p = make_default();
    int64_t b = T0 + 900000; /* the next boundary */
    const struct record *r;
    uint8_t old_id[BEACON_ID_LEN], new_id[BEACON_ID_LEN];

    (void)state;
    for (int64_t t = b - 60000; t < b + 20000; t += 200)
        android(p, t, 1, 1, -60);
    for (int64_t t = b + 20100; t < b + 60000; t += 200)
        android(p, t, 2, 2, -60);
    presence_tick(p, b + 300000);
    assert_int_equal(count(RECORD_VISIT_START), 1);
    assert_int_equal(count(RECORD_VISIT_END), 1);
    assert_int_equal(count(RECORD_PASSERBY), 0);
    r = first(RECORD_ID_LINKED);
    assert_non_null(r);
    id_of(old_id, 1);
    id_of(new_id, 2);
    assert_memory_equal(r->old_id, old_id, BEACON_ID_LEN);
    assert_memory_equal(r->id, new_id, BEACON_ID_LEN);
    assert_int_equal(r->visit.id, first(RECORD_VISIT_START)->visit.id);
    assert_int_equal(count(RECORD_ID_SEEN), 2);
    presence_destroy(p);
}

/* The switch falls in a silence: the new ID comes with the next burst. Two
 * phones rotate together; each keeps its own visit, by RSSI. */
static void test_rotation_after_silence_two_phones(void **state)
{
    struct presence *p = make_default();
    int64_t b = T0 + 900000;

    (void)state;
    /* phone A at −58: bursts [b−45, b−30), [b−15, b), silent, new ID at b+15 */
    /* phone B at −72: bursts [b−40, b−25), [b−10, b+5), new ID at b+20 */
    for (int64_t t = b - 45000; t < b + 45000; t += 100) {
        int64_t ta = t - (b - 45000), tb = t - (b - 40000);
        if (ta >= 0 && ta % 30000 < 15000)
            android(p, t, 10 + (uint32_t)(ta / 30000), t < b + 15000 ? 1 : 2, -58);
        if (tb >= 0 && tb % 30000 < 15000)
            android(p, t + 50, 20 + (uint32_t)(tb / 30000), t < b + 20000 ? 3 : 4, -72);
    }
    presence_tick(p, b + 400000);
    assert_int_equal(count(RECORD_VISIT_START), 2);
    assert_int_equal(count(RECORD_VISIT_END), 2);
    assert_int_equal(count(RECORD_ID_LINKED), 2);
    for (int i = 0; i < n_recs; i++) {
        if (recs[i].type != RECORD_ID_LINKED)
            continue;
        /* 1 → 2 and 3 → 4, never crossed */
        assert_int_equal(recs[i].id[0], recs[i].old_id[0] + 1);
    }
    presence_destroy(p);
}

/* A new phone that arrives near a boundary is not glued to a phone that left. */
static void test_no_link_far_from_boundary_or_rssi(void **state)
{
    struct presence *p = make_default();
    int64_t b = T0 + 900000;

    (void)state;
    for (int64_t t = b - 60000; t < b + 12000; t += 200)
        android(p, t, 1, 1, -58);
    /* another phone, 25 dB weaker, right after: not the same */
    for (int64_t t = b + 12100; t < b + 40000; t += 200)
        android(p, t, 2, 2, -83);
    /* in the middle of a slot a new ID never links */
    for (int64_t t = b + 300000; t < b + 320000; t += 200)
        android(p, t, 3, 3, -60);
    for (int64_t t = b + 320100; t < b + 340000; t += 200)
        android(p, t, 4, 4, -60);
    presence_tick(p, b + 900000);
    assert_int_equal(count(RECORD_ID_LINKED), 0);
    assert_int_equal(count(RECORD_VISIT_START), 3);
    presence_destroy(p);
}

static void test_iphone_by_address_and_id_read(void **state)
{
    struct presence *p = make_default();
    struct beacon_addr want, got;
    const struct record *r;
    uint8_t id[BEACON_ID_LEN];
    int64_t visit;

    (void)state;
    for (int64_t t = 0; t < 15000; t += 250)
        iphone(p, T0 + 100000 + t, 77, -64);
    r = first(RECORD_VISIT_START);
    assert_non_null(r);
    assert_int_equal(r->visit.app, VISIT_APP_BLUEZONE_IOS);
    assert_false(r->visit.confirmed);
    visit = presence_want_id(p, T0 + 115000, 2, &got);
    assert_int_equal(visit, r->visit.id);
    addr_of(&want, 77);
    assert_true(beacon_addr_equal(&want, &got));
    /* not asked again at once */
    assert_int_equal(presence_want_id(p, T0 + 115000, 2, &got), 0);
    id_of(id, 99);
    assert_int_equal(presence_set_id(p, visit, id, T0 + 116000), 0);
    assert_true(recs[n_recs - 2].type == RECORD_VISIT_CHANGE && recs[n_recs - 2].visit.confirmed);
    assert_int_equal(recs[n_recs - 1].type, RECORD_ID_SEEN);
    assert_memory_equal(recs[n_recs - 1].id, id, BEACON_ID_LEN);
    /* confirmed: no more reads */
    assert_int_equal(presence_want_id(p, T0 + 140000, 2, &got), 0);
    presence_destroy(p);
}

/* Apple rotates an iPhone's address: the new address right after, with the
 * same RSSI, is the same iPhone. */
static void test_iphone_address_change_linked(void **state)
{
    struct presence *p = make_default();

    (void)state;
    for (int64_t t = 0; t < 60000; t += 250)
        iphone(p, T0 + 100000 + t, 77, -62);
    for (int64_t t = 60100; t < 120000; t += 250)
        iphone(p, T0 + 100000 + t, 78, -62);
    presence_tick(p, T0 + 600000);
    assert_int_equal(count(RECORD_VISIT_START), 1);
    assert_int_equal(count(RECORD_PASSERBY), 0);
    presence_destroy(p);
}

static void test_staff(void **state)
{
    struct presence_params prm = {0};
    struct presence *p;
    uint32_t addr = 0;
    const struct record *r;

    (void)state;
    p = make(&prm);
    presence_destroy(p);
    prm.staff_ms = 10 * 60000; /* ten minutes, for the test */
    p = make(&prm);
    android_bursts(p, T0 + 60000, T0 + 60000 + 12 * 60000, &addr, 3, -60);
    r = first(RECORD_STAFF);
    assert_non_null(r);
    assert_true(r->visit.staff);
    assert_int_equal(r->visit.id, first(RECORD_VISIT_START)->visit.id);
    presence_tick(p, T0 + 3600000);
    /* after being staff, no new visit and no passer-by */
    assert_int_equal(count(RECORD_VISIT_START), 1);
    assert_int_equal(count(RECORD_PASSERBY), 0);
    presence_destroy(p);
}

/* Staff's presence time adds up across ID rotations (the phone is linked). */
static void test_staff_across_rotation(void **state)
{
    struct presence_params prm = {0};
    struct presence *p;
    int64_t b = T0 + 900000;
    uint32_t addr = 0;

    (void)state;
    p = make(&prm);
    presence_destroy(p);
    prm.staff_ms = 10 * 60000;
    p = make(&prm);
    for (int64_t burst = b - 6 * 60000; burst < b + 6 * 60000; burst += 30000) {
        addr++;
        for (int64_t t = burst; t < burst + 15000; t += 200)
            android(p, t, addr, t < b + 20000 ? 3 : 4, -60);
        presence_tick(p, burst + 15000);
    }
    assert_int_equal(count(RECORD_ID_LINKED), 1);
    assert_int_equal(count(RECORD_STAFF), 1);
    assert_int_equal(count(RECORD_VISIT_START), 1);
    presence_destroy(p);
}

static void test_checkout_and_close_all(void **state)
{
    struct presence *p = make_default();
    const struct record *r;

    (void)state;
    assert_int_equal(presence_checkout(p, T0), 0);
    for (int64_t t = 0; t < 20000; t += 200) {
        android(p, T0 + 60000 + t, 1, 1, -60);
        android(p, T0 + 60000 + t + 50, 2, 2, -70);
    }
    assert_int_equal(count(RECORD_VISIT_START), 2);
    assert_true(presence_bluezone_near(p, T0 + 80000));
    /* the nearest phone checks out */
    assert_int_equal(presence_checkout(p, T0 + 80000), 1);
    r = first(RECORD_VISIT_END);
    assert_int_equal(r->visit.exit_reason, VISIT_EXIT_CHECKOUT);
    assert_int_equal(r->visit.exit_ms, T0 + 80000);
    /* still near after the tap: no new visit for it */
    for (int64_t t = 20000; t < 40000; t += 200)
        android(p, T0 + 60000 + t, 1, 1, -60);
    assert_int_equal(count(RECORD_VISIT_START), 2);
    presence_close_all(p, T0 + 100000, VISIT_EXIT_CLOSING);
    assert_int_equal(count(RECORD_VISIT_END), 2);
    assert_int_equal(recs[n_recs - 1].visit.exit_reason, VISIT_EXIT_CLOSING);
    presence_destroy(p);
}

/* The wall clock is set back an hour during a visit: the visit still ends
 * absent_s after the phone goes away, and what follows is flagged. */
static void test_clock_back(void **state)
{
    struct presence *p = make_default();
    int64_t back = 3600000;
    const struct record *r;

    (void)state;
    for (int64_t t = 0; t < 20000; t += 200)
        android(p, T0 + 60000 + t, 1, 1, -60);
    assert_int_equal(count(RECORD_VISIT_START), 1);
    assert_true(first(RECORD_VISIT_START)->visit.clock_ok);
    /* the phone leaves as the clock jumps back: nothing more is heard */
    presence_tick(p, T0 + 80000 - back);
    presence_tick(p, T0 + 80000 - back + 118000);
    assert_int_equal(count(RECORD_VISIT_END), 0);
    presence_tick(p, T0 + 80000 - back + 121000);
    r = first(RECORD_VISIT_END);
    assert_non_null(r);
    assert_false(r->visit.clock_ok);
    /* a new visit after it is flagged too */
    for (int64_t t = 0; t < 20000; t += 200)
        android(p, T0 + 400000 - back + t, 2, 2, -60);
    assert_int_equal(count(RECORD_VISIT_START), 2);
    assert_false(recs[n_recs - 1].visit.clock_ok);
    presence_destroy(p);
}

static void test_visit_ids_continue(void **state)
{
    struct presence *p = make_default();

    (void)state;
    presence_set_next_visit_id(p, 500);
    assert_int_equal(presence_new_visit_id(p), 500);
    for (int64_t t = 0; t < 20000; t += 200)
        android(p, T0 + 60000 + t, 1, 1, -60);
    assert_int_equal(first(RECORD_VISIT_START)->visit.id, 501);
    presence_destroy(p);
}

/* 2,000 phones at once, then 3,000 more than the table holds: the near
 * phone in a visit is never evicted, nothing is dropped while there is room. */
static void test_capacity_never_evicts_near(void **state)
{
    struct presence_params prm = {0};
    struct presence *p;
    struct presence_stats st;
    int64_t t = T0 + 60000;

    (void)state;
    p = make(&prm);
    presence_destroy(p);
    prm.capacity = 2048;
    p = make(&prm);
    for (int64_t s = 0; s < 20000; s += 200)
        android(p, t + s, 1, 1, -60);
    assert_int_equal(count(RECORD_VISIT_START), 1);
    t += 20000;
    for (uint32_t i = 0; i < 2000; i++)
        android(p, t + i, 1000 + i, 1000 + i, -88);
    presence_stats(p, &st);
    assert_int_equal(st.tracked, 2001);
    assert_int_equal(st.dropped, 0);
    assert_int_equal(st.evicted, 0);
    /* the near phone keeps reporting while 3,000 more appear */
    for (uint32_t i = 0; i < 3000; i++) {
        android(p, t + 2000 + i * 5, 5000 + i, 5000 + i, -89);
        if (i % 40 == 0)
            android(p, t + 2000 + i * 5 + 1, 1, 1, -60);
    }
    presence_stats(p, &st);
    assert_true(st.evicted > 0);
    assert_int_equal(st.dropped, 0);
    assert_true(st.tracked <= 2048);
    assert_true(st.peak >= 2001);
    assert_int_equal(count(RECORD_VISIT_END), 0);
    assert_true(presence_bluezone_near(p, t + 17000));
    assert_true(presence_memory(&prm) < 4 * 1024 * 1024);
    presence_destroy(p);
}

static void test_ignores_devices_and_ibeacons(void **state)
{
    struct presence *p = make_default();
    struct beacon b = {.t_ms = T0, .rssi = -50, .kind = BEACON_OTHER};
    struct presence_stats st;

    (void)state;
    for (int64_t t = 0; t < 30000; t += 100) {
        b.t_ms = T0 + t;
        b.kind = BEACON_OTHER;
        addr_of(&b.addr, 1);
        presence_observe(p, &b);
        b.kind = BEACON_BLUEZONE_IBEACON;
        addr_of(&b.addr, 2);
        presence_observe(p, &b);
    }
    presence_tick(p, T0 + 600000);
    presence_stats(p, &st);
    assert_int_equal(n_recs, 0);
    assert_int_equal(st.ignored, 600);
    presence_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_visit_after_dwell_then_exit),
        cmocka_unit_test(test_short_stay_is_no_visit),
        cmocka_unit_test(test_passerby_far_away),
        cmocka_unit_test(test_silences_and_addresses_one_visit),
        cmocka_unit_test(test_noise_one_visit),
        cmocka_unit_test(test_hysteresis),
        cmocka_unit_test(test_rotation_restart_linked),
        cmocka_unit_test(test_rotation_after_silence_two_phones),
        cmocka_unit_test(test_no_link_far_from_boundary_or_rssi),
        cmocka_unit_test(test_iphone_by_address_and_id_read),
        cmocka_unit_test(test_iphone_address_change_linked),
        cmocka_unit_test(test_staff),
        cmocka_unit_test(test_staff_across_rotation),
        cmocka_unit_test(test_checkout_and_close_all),
        cmocka_unit_test(test_clock_back),
        cmocka_unit_test(test_visit_ids_continue),
        cmocka_unit_test(test_capacity_never_evicts_near),
        cmocka_unit_test(test_ignores_devices_and_ibeacons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
