/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/adv.h"
#include "kiosk/bluezone_id.h"
#include "kiosk/civil.h"
#include "kiosk/lobby_sim.h"
#include "kiosk/lobby_truth.h"

#include <stdlib.h>
#include <string.h>

#define US 1000000LL
/* 2026-11-23 in Vietnam, noon */
#define DAY_NOON_S 1795410000LL

#define MAX_RADIOS 4096

/* What the observer learnt, per radio number. */
struct watch {
    uint8_t what[MAX_RADIOS], kind[MAX_RADIOS], role[MAX_RADIOS];
    uint32_t person_of[MAX_RADIOS];
    uint8_t key[MAX_RADIOS][32];
    int64_t t0[MAX_RADIOS];
    uint8_t id[MAX_RADIOS][BEACON_ID_LEN]; /* the current ID */
    int64_t id_since[MAX_RADIOS];
    struct beacon_addr addr[MAX_RADIOS];
    uint32_t addresses[MAX_RADIOS], ids[MAX_RADIOS];
    uint8_t person_role[8192];
    uint32_t people, roles[LOBBY_ROLE_COUNT], gaps;
    int64_t gap_from, gap_to;
    uint32_t bad_id_times;
};

static void w_person(const struct lobby_person_info *p, void *u)
{
    struct watch *w = u;

    assert_int_equal(p->person, w->people + 1);
    w->people = p->person;
    w->roles[p->role]++;
    if (p->person < 8192)
        w->person_role[p->person] = p->role;
    if (p->role == LOBBY_PASSERBY || p->role == LOBBY_OTHER_APP || p->role == LOBBY_DEVICE)
        assert_int_equal(p->n_near, 0);
    assert_true(p->leave_us >= p->arrive_us);
}

static void w_radio(const struct lobby_radio_info *r, void *u)
{
    struct watch *w = u;

    assert_true(r->radio < MAX_RADIOS);
    w->what[r->radio] = r->what;
    w->kind[r->radio] = r->kind;
    w->person_of[r->radio] = r->person;
    w->role[r->radio] = r->person < 8192 ? w->person_role[r->person] : 0;
    if (r->has_key) {
        memcpy(w->key[r->radio], r->key, 32);
        w->t0[r->radio] = r->key_t0_s;
    }
}

static void w_address(uint32_t radio, const struct beacon_addr *a, int64_t t, void *u)
{
    struct watch *w = u;

    (void)t;
    w->addr[radio] = *a;
    w->addresses[radio]++;
}

static void w_id(uint32_t radio, const uint8_t id[BEACON_ID_LEN], int64_t t, void *u)
{
    struct watch *w = u;
    uint8_t want[BEACON_ID_LEN];
    int64_t into = (t / US) % 900;

    memcpy(w->id[radio], id, BEACON_ID_LEN);
    w->id_since[radio] = t;
    if (w->what[radio] == LOBBY_RADIO_BZ_ANDROID) {
        /* the real derivation from the phone's own key */
        int64_t at = t / US;
        if (w->ids[radio] > 0) {
            /* a change: 15–30 s (up to 150 s when late) after a 15-minute boundary */
            if (into < 15 || into > 151)
                w->bad_id_times++;
            at -= into; /* the slot of the boundary */
        }
        if (w->ids[radio] == 0 && into < 31 && at - into - 1 >= w->t0[radio])
            at = -1; /* the first ID may still be the previous slot's: not checked */
        if (at >= 0) {
            assert_int_equal(bluezone_id_at(w->key[radio], w->t0[radio], at, 96, want), 0);
            assert_memory_equal(want, id, BEACON_ID_LEN);
        }
    }
    w->ids[radio]++;
}

static void w_gap(int64_t t, int64_t dur, void *u)
{
    struct watch *w = u;

    w->gaps++;
    w->gap_from = t;
    w->gap_to = t + dur;
}

static struct lobby_observer observer(struct watch *w)
{
    struct lobby_observer o = {w_person, w_radio, w_address, w_id, NULL, w_gap, w};
    return o;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001B3ULL;
    return h;
}

/* Runs a scenario whole; returns a hash of every report. */
static uint64_t run_hash(const struct lobby_scenario *sc, uint64_t seed, uint64_t *count)
{
    struct lobby_sim *s = lobby_sim_create(sc, seed, lobby_sim_start_of(sc, DAY_NOON_S), NULL);
    struct lobby_report rep;
    uint64_t h = 0xCBF29CE484222325ULL;

    assert_non_null(s);
    *count = 0;
    while (lobby_sim_next(s, &rep) == 1) {
        h = fnv(h, &rep.r.t_us, sizeof(rep.r.t_us));
        h = fnv(h, rep.r.addr.b, 6);
        h = fnv(h, &rep.r.rssi, 1);
        h = fnv(h, rep.r.data, rep.r.data_len);
        (*count)++;
    }
    lobby_sim_destroy(s);
    return h;
}

static void test_deterministic(void **state)
{
    const struct lobby_scenario *sc = lobby_scenario_find("short");
    uint64_t n1, n2, n3;

    (void)state;
    assert_non_null(sc);
    assert_true(run_hash(sc, 7, &n1) == run_hash(sc, 7, &n2));
    assert_int_equal(n1, n2);
    assert_true(n1 > 1000);
    assert_true(run_hash(sc, 8, &n3) != run_hash(sc, 7, &n1));
    assert_null(lobby_scenario_find("nope"));
}

/* Every report: in time order, classified as its radio is, with the ID the truth says. */
static void test_reports_match_the_truth(void **state)
{
    const struct lobby_scenario *sc = lobby_scenario_find("short");
    struct watch *w = calloc(1, sizeof(*w));
    struct lobby_observer o = observer(w);
    struct lobby_sim *s;
    struct lobby_report rep;
    struct lobby_sim_stats st;
    int64_t last = INT64_MIN, start;
    uint64_t n = 0, per_kind[BEACON_KIND_COUNT] = {0}, near = 0, scan_rsp = 0;
    double near_rssi = 0, far_rssi = 0;
    uint64_t far = 0;

    (void)state;
    start = lobby_sim_start_of(sc, DAY_NOON_S);
    s = lobby_sim_create(sc, 3, start, &o);
    assert_non_null(s);
    assert_int_equal(lobby_sim_start_us(s), start);
    assert_int_equal(lobby_sim_end_us(s), start + 300 * US);
    while (lobby_sim_next(s, &rep) == 1) {
        struct beacon b;
        assert_true(rep.r.t_us >= last);
        assert_true(rep.r.t_us >= start && rep.r.t_us < start + 301 * US);
        last = rep.r.t_us;
        assert_true(rep.radio < MAX_RADIOS);
        assert_memory_equal(rep.r.addr.b, w->addr[rep.radio].b, 6);
        assert_int_equal(btsnoop_beacon(&rep.r, &b, NULL), ADV_OK);
        if (btsnoop_report_is_scan_rsp(&rep.r)) {
            scan_rsp++;
        } else if (w->what[rep.radio] != LOBBY_RADIO_BZ_IPHONE) {
            /* an iPhone also sends Apple's own adverts from the same address */
            if (b.kind != w->kind[rep.radio])
                fail_msg("radio %u (%d): kind %s, wanted %s", rep.radio, w->what[rep.radio],
                         beacon_kind_name(b.kind), beacon_kind_name(w->kind[rep.radio]));
        }
        if (b.kind == BEACON_BLUEZONE_ANDROID) {
            assert_true(b.has_id);
            assert_memory_equal(b.id, w->id[rep.radio], BEACON_ID_LEN);
        }
        per_kind[b.kind]++;
        if (rep.near) {
            near++;
            near_rssi += rep.r.rssi;
            assert_true(rep.distance_m <= LOBBY_NEAR_M + 0.01);
        } else if (rep.distance_m > 8) {
            far++;
            far_rssi += rep.r.rssi;
        }
        n++;
    }
    lobby_sim_stats(s, &st);
    assert_int_equal(st.reports, n);
    assert_true(st.adverts > st.reports);
    assert_true(per_kind[BEACON_BLUEZONE_ANDROID] > 0 && per_kind[BEACON_BLUEZONE_IOS_BG] > 0);
    assert_true(per_kind[BEACON_OTHER] > 0 && per_kind[BEACON_BLUEZONE_IBEACON] > 0);
    assert_true(scan_rsp > 0);
    /* path loss: near the desk is louder than across the hall */
    assert_true(near > 100 && far > 100);
    assert_true(near_rssi / (double)near > far_rssi / (double)far + 10);
    assert_true(near_rssi / (double)near > -70);
    assert_int_equal(w->bad_id_times, 0);
    assert_true(w->roles[LOBBY_VISITOR] > 0 && w->roles[LOBBY_PASSERBY] > 0);
    assert_int_equal(w->roles[LOBBY_STAFF], sc->staff);
    lobby_sim_destroy(s);
    free(w);
}

/* Android: 15 s on / 15 s off at ~100 ms, a new address at each restart. */
static void test_android_duty_cycle(void **state)
{
    struct lobby_scenario sc = *lobby_scenario_find("quiet");
    struct watch *w = calloc(1, sizeof(*w));
    struct lobby_observer o = observer(w);
    struct lobby_sim *s;
    struct lobby_report rep;
    uint32_t radio = 0;
    int64_t prev = 0, longest_gap = 0, on_from = 0, longest_on = 0;
    uint64_t reports = 0;
    struct beacon_addr addr = {{0}, 0};
    unsigned addr_changes = 0;

    (void)state;
    sc.duration_s = 600;
    sc.duty = 1.0f; /* hear everything in range: the phone's own rhythm shows */
    s = lobby_sim_create(&sc, 5, lobby_sim_start_of(&sc, DAY_NOON_S), &o);
    while (lobby_sim_next(s, &rep) == 1) {
        if (!radio && w->what[rep.radio] == LOBBY_RADIO_BZ_ANDROID &&
            w->role[rep.radio] == LOBBY_STAFF && !btsnoop_report_is_scan_rsp(&rep.r))
            radio = rep.radio;
        if (rep.radio != radio || btsnoop_report_is_scan_rsp(&rep.r))
            continue;
        reports++;
        if (prev && rep.r.t_us - prev > longest_gap)
            longest_gap = rep.r.t_us - prev;
        if (!prev || rep.r.t_us - prev > 5 * US)
            on_from = rep.r.t_us;
        if (rep.r.t_us - on_from > longest_on)
            longest_on = rep.r.t_us - on_from;
        if (prev && !beacon_addr_equal(&addr, &rep.r.addr))
            addr_changes++;
        addr = rep.r.addr;
        prev = rep.r.t_us;
    }
    assert_int_not_equal(radio, 0);
    /* ~100 ms while on, half the time: ~3000 adverts in 600 s, most heard */
    assert_true(reports > 1500 && reports < 3200);
    assert_true(longest_gap > 14 * US && longest_gap < 31 * US);
    if (!(longest_on > 13 * US && longest_on < 16 * US))
        fail_msg("longest on %lld us, reports %llu gap %lld", (long long)longest_on,
                 (unsigned long long)reports, (long long)longest_gap);
    assert_true(addr_changes >= 15 && addr_changes <= 25);
    lobby_sim_destroy(s);
    free(w);
}

static void test_crowded_hour(void **state)
{
    struct lobby_scenario sc = *lobby_scenario_find("crowded");
    struct lobby_sim *s;
    struct lobby_report rep;
    struct lobby_sim_stats st;
    uint64_t n = 0;

    (void)state;
    sc.duration_s = 60; /* the crowd is there from the start */
    s = lobby_sim_create(&sc, 1, lobby_sim_start_of(&sc, DAY_NOON_S), NULL);
    while (lobby_sim_next(s, &rep) == 1) {
        assert_true(rep.r.extended);
        n++;
    }
    lobby_sim_stats(s, &st);
    assert_true(st.max_in_range >= 300);
    assert_true(n > 10000);
    lobby_sim_destroy(s);
}

/* The outage of the day scenario: nothing heard in it, and the truth says when. */
static void test_scanner_outage(void **state)
{
    struct lobby_scenario sc = *lobby_scenario_find("short");
    struct watch *w = calloc(1, sizeof(*w));
    struct lobby_observer o = observer(w);
    struct lobby_sim *s;
    struct lobby_report rep;
    uint64_t in_gap = 0, around = 0;

    (void)state;
    sc.outage_at_s = 100;
    sc.outage_s = 20;
    s = lobby_sim_create(&sc, 2, lobby_sim_start_of(&sc, DAY_NOON_S), &o);
    assert_int_equal(w->gaps, 1);
    while (lobby_sim_next(s, &rep) == 1) {
        if (rep.r.t_us >= w->gap_from && rep.r.t_us < w->gap_to)
            in_gap++;
        else if (rep.r.t_us >= w->gap_from - 20 * US && rep.r.t_us < w->gap_to + 20 * US)
            around++;
    }
    assert_int_equal(in_gap, 0);
    assert_true(around > 100);
    lobby_sim_destroy(s);
    free(w);
}

/* The endless lobby: people are there at once, and it goes on. */
static void test_endless_lobby(void **state)
{
    const struct lobby_scenario *sc = lobby_scenario_find("lobby");
    int64_t start = 1795410000LL * US;
    struct lobby_sim *s = lobby_sim_create(sc, 1, start, NULL);
    struct lobby_report rep;
    uint64_t first_second = 0, n = 0;

    (void)state;
    assert_int_equal(lobby_sim_start_of(sc, 1795410000LL), start);
    assert_true(lobby_sim_end_us(s) == INT64_MAX);
    while (n < 200000 && lobby_sim_next(s, &rep) == 1) {
        if (rep.r.t_us < start + US)
            first_second++;
        n++;
    }
    assert_int_equal(n, 200000);
    assert_true(first_second > 5);
    assert_true(lobby_sim_peek_time(s) > start + 600 * US);
    lobby_sim_destroy(s);
}

static int mem_write(const void *data, size_t len, void *userdata)
{
    struct {
        uint8_t *p;
        size_t n, cap;
    } *m = userdata;
    if (m->n + len > m->cap) {
        m->cap = (m->n + len) * 2;
        m->p = realloc(m->p, m->cap);
        assert_non_null(m->p);
    }
    memcpy(m->p + m->n, data, len);
    m->n += len;
    return 0;
}

static void count_each(const struct lobby_report *rep, void *userdata)
{
    (void)rep;
    ++*(uint64_t *)userdata;
}

/* lobby_sim_write → btsnoop → the same reports, batched as the scenario says. */
static void test_write_and_read_back(void **state)
{
    struct lobby_scenario sc = *lobby_scenario_find("crowded");
    struct {
        uint8_t *p;
        size_t n, cap;
    } m = {0};
    struct btsnoop_writer w;
    struct btsnoop_reader r;
    struct btsnoop_report rep;
    struct lobby_sim *s;
    uint64_t written = 0, read = 0;

    (void)state;
    sc.duration_s = 20;
    s = lobby_sim_create(&sc, 4, lobby_sim_start_of(&sc, DAY_NOON_S), NULL);
    assert_int_equal(btsnoop_writer_init(&w, BTSNOOP_DATALINK_MONITOR, mem_write, &m), 0);
    assert_int_equal(lobby_sim_write(s, &w, INT64_MAX, count_each, &written), 0);
    assert_int_equal(btsnoop_reader_init(&r, m.p, m.n), 0);
    while (btsnoop_next(&r, &rep) == 1)
        read++;
    assert_int_equal(r.error, 0);
    assert_int_equal(read, written);
    assert_true(r.events < read); /* some events carry several reports */
    lobby_sim_destroy(s);
    free(m.p);
}

static int json_write(const void *data, size_t len, void *userdata)
{
    size_t *n = userdata;
    const char *p = data;

    /* no NUL, no raw control characters other than newlines */
    for (size_t i = 0; i < len; i++)
        assert_true(p[i] == '\n' || (unsigned char)p[i] >= 0x20);
    *n += len;
    return 0;
}

static void test_truth_json(void **state)
{
    const struct lobby_scenario *sc = lobby_scenario_find("short");
    struct lobby_truth *t = lobby_truth_create();
    struct lobby_observer o;
    struct lobby_sim *s;
    struct lobby_truth_meta meta = {.scenario = "short", .seed = 1, .absent_s = 120};
    struct lobby_report rep;
    size_t n = 0;

    (void)state;
    lobby_truth_observer(t, &o);
    meta.start_us = lobby_sim_start_of(sc, DAY_NOON_S);
    s = lobby_sim_create(sc, 1, meta.start_us, &o);
    meta.end_us = lobby_sim_end_us(s);
    while (lobby_sim_next(s, &rep) == 1)
        lobby_truth_report(t, &rep);
    lobby_sim_stats(s, &meta.stats);
    assert_false(lobby_truth_failed(t));
    assert_int_equal(lobby_truth_json(t, &meta, json_write, &n), 0);
    assert_true(n > 10000);
    assert_string_equal(lobby_role_name(LOBBY_OTHER_APP), "other-app");
    assert_string_equal(lobby_radio_name(LOBBY_RADIO_BZ_IPHONE), "bluezone-iphone");
    lobby_sim_destroy(s);
    lobby_truth_destroy(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),       cmocka_unit_test(test_reports_match_the_truth),
        cmocka_unit_test(test_android_duty_cycle),  cmocka_unit_test(test_crowded_hour),
        cmocka_unit_test(test_scanner_outage),      cmocka_unit_test(test_endless_lobby),
        cmocka_unit_test(test_write_and_read_back), cmocka_unit_test(test_truth_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
