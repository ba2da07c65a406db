/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "kiosk/civil.h"
#include "kiosk/report.h"
#include "kiosk/store.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

/* 2026-11-22 08:00 in Vietnam */
#define DAY0    ((int64_t)20779)
#define T_08_00 (civil_vn_day_start_ms(DAY0) + 8 * 3600000LL)

struct fixture {
    char dir[64];
    char path[96];
    struct store *s;
};

static struct store *open_at(const char *path, bool ro)
{
    struct store_options opt = {.path = path,
                                .site_name = "UBND phường Đông Hòa",
                                .site_code = "DH-1",
                                .retention_days = 21,
                                .read_only = ro};
    struct store *s = NULL;
    char err[512];

    memset(opt.id_secret, 0x42, sizeof(opt.id_secret));
    if (store_open(&s, &opt, err, sizeof(err)) < 0)
        fail_msg("store_open: %s", err);
    return s;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    snprintf(f->dir, sizeof(f->dir), "/tmp/bzstoreXXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/kiosk.db", f->dir);
    f->s = open_at(f->path, false);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];

    store_close(f->s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static struct record visit_rec(enum record_type type, int64_t id, int64_t t, enum visit_app app)
{
    struct record r = {.type = type, .t_ms = t};

    r.visit.id = id;
    r.visit.entry_ms = t;
    r.visit.app = app;
    r.visit.clock_ok = true;
    r.visit.kind = app == VISIT_APP_BLUEZONE_ANDROID ? BEACON_BLUEZONE_ANDROID : BEACON_OTHER;
    return r;
}

static void sink(struct store *s, const struct record *r)
{
    assert_int_equal(store_sink(r, s), 0);
}

static void test_new_file_has_the_schema(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db;
    sqlite3_stmt *st;

    assert_int_equal(store_next_visit_id(f->s), 1);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_visit_lifecycle_and_figures(void **state)
{
    struct fixture *f = *state;
    struct record r = visit_rec(RECORD_VISIT_START, 1, T_08_00, VISIT_APP_BLUEZONE_ANDROID);
    struct store_day d;
    struct visit v;

    sink(f->s, &r);
    assert_int_equal(store_next_visit_id(f->s), 2);
    r.type = RECORD_VISIT_END;
    r.t_ms += 600000;
    r.visit.exit_ms = r.t_ms - 120000;
    r.visit.exit_reason = VISIT_EXIT_ABSENT;
    sink(f->s, &r);
    /* a touch visit without the app that got the prompt and an install */
    r = visit_rec(RECORD_VISIT_START, 2, T_08_00 + 3600000, VISIT_APP_NONE);
    r.visit.method = VISIT_METHOD_TOUCH;
    sink(f->s, &r);
    r.type = RECORD_PROMPT;
    r.t_ms += 5000;
    sink(f->s, &r);
    r.type = RECORD_VISIT_CHANGE;
    r.visit.prompt_shown = true;
    r.visit.install_assisted = true;
    r.visit.app = VISIT_APP_BLUEZONE_ANDROID;
    sink(f->s, &r);
    r = visit_rec(RECORD_VISIT_START, 3, T_08_00 + 3700000, VISIT_APP_NO_SMARTPHONE);
    sink(f->s, &r);
    r = visit_rec(RECORD_VISIT_START, 4, T_08_00 + 3800000, VISIT_APP_BLUEZONE_IOS);
    sink(f->s, &r);
    r.type = RECORD_STAFF;
    sink(f->s, &r);
    {
        /* a staff phone that never made a visit is counted too */
        struct record st = {.type = RECORD_STAFF, .t_ms = r.t_ms, .kind = BEACON_BLUEZONE_ANDROID};

        sink(f->s, &st);
    }
    r.type = RECORD_PASSERBY;
    sink(f->s, &r);
    sink(f->s, &r);

    assert_int_equal(store_get_visit(f->s, 1, &v), 0);
    assert_int_equal(v.exit_reason, VISIT_EXIT_ABSENT);
    assert_int_equal(v.exit_ms, T_08_00 + 480000);
    assert_int_equal(store_get_visit(f->s, 2, &v), 0);
    assert_true(v.install_assisted && v.prompt_shown);
    assert_int_equal(store_get_visit(f->s, 99, &v), -ENOENT);

    assert_int_equal(store_day_figures(f->s, DAY0, &d), 0);
    assert_int_equal(d.visits, 3);
    assert_int_equal(d.staff, 2);
    assert_int_equal(d.by_app[VISIT_APP_BLUEZONE_ANDROID], 2);
    assert_int_equal(d.by_app[VISIT_APP_NO_SMARTPHONE], 1);
    assert_int_equal(d.by_hour[8], 1);
    assert_int_equal(d.by_hour[9], 2);
    assert_int_equal(d.prompts_shown, 1);
    assert_int_equal(d.installs_assisted, 1);
    assert_int_equal(d.passersby, 2);
    assert_int_equal(d.clock_flagged, 0);
}

static void test_heartbeats_make_uptime(void **state)
{
    struct fixture *f = *state;
    struct record r = {.type = RECORD_HEARTBEAT, .scanner_ok = true};
    struct store_day d;

    for (int i = 0; i <= 10; i++) {
        r.t_ms = T_08_00 + i * 60000LL;
        r.scanner_ok = i < 5;
        sink(f->s, &r);
    }
    /* off for an hour: the gap is not uptime */
    r.t_ms = T_08_00 + 3600000LL * 2;
    sink(f->s, &r);
    r.t_ms += 30000;
    sink(f->s, &r);
    assert_int_equal(store_day_figures(f->s, DAY0, &d), 0);
    assert_int_equal(d.uptime_s, 630);
    assert_int_equal(d.scanner_ok_s, 240);
}

static void test_clock_guard_flags_time_going_back(void **state)
{
    struct fixture *f = *state;
    struct record r = visit_rec(RECORD_VISIT_START, 1, T_08_00, VISIT_APP_BLUEZONE_ANDROID);
    struct visit v;
    struct store_day d;

    sink(f->s, &r);
    assert_true(store_clock_ok(f->s));
    r = visit_rec(RECORD_VISIT_START, 2, T_08_00 - 60000, VISIT_APP_BLUEZONE_ANDROID);
    sink(f->s, &r);
    assert_false(store_clock_ok(f->s));
    assert_int_equal(store_get_visit(f->s, 2, &v), 0);
    assert_false(v.clock_ok);
    /* an unset clock (1970) is flagged too */
    r = visit_rec(RECORD_VISIT_START, 3, 5000, VISIT_APP_NONE);
    sink(f->s, &r);
    assert_int_equal(store_get_visit(f->s, 3, &v), 0);
    assert_false(v.clock_ok);
    /* a flagged visit stays flagged when it changes later with a good clock */
    r = visit_rec(RECORD_VISIT_END, 2, T_08_00 + 60000, VISIT_APP_BLUEZONE_ANDROID);
    r.visit.entry_ms = T_08_00 - 60000;
    sink(f->s, &r);
    assert_true(store_clock_ok(f->s));
    assert_int_equal(store_get_visit(f->s, 2, &v), 0);
    assert_false(v.clock_ok);
    assert_int_equal(store_day_figures(f->s, DAY0, &d), 0);
    assert_int_equal(d.clock_flagged, 1);
    assert_int_equal(store_last_time_ms(f->s), T_08_00 + 60000);
}

static int count_match(const struct visit *v, int64_t first, int64_t last, void *ud)
{
    (void)first;
    (void)last;
    *(int64_t *)ud = v->id;
    return 0;
}

static void test_ids_are_stored_as_keyed_hashes(void **state)
{
    struct fixture *f = *state;
    static const uint8_t id[BEACON_ID_LEN] = {0xFA, 0x42, 0xFE, 0x0F, 0x93, 0x6F,
                                              0x30, 0xDF, 0x3B, 0x89, 0x42, 0xA0};
    struct record r = visit_rec(RECORD_VISIT_START, 7, T_08_00, VISIT_APP_BLUEZONE_ANDROID);
    uint8_t tag[16];
    int64_t found = 0;
    char cmd[256];

    sink(f->s, &r);
    r.type = RECORD_ID_SEEN;
    memcpy(r.id, id, sizeof(id));
    r.first_ms = T_08_00;
    r.last_ms = T_08_00 + 1000;
    sink(f->s, &r);
    store_id_tag(f->s, id, tag);
    assert_int_equal(store_visits_with_tag(f->s, tag, count_match, &found), 0);
    assert_int_equal(found, 7);
    store_close(f->s);
    f->s = NULL;
    /* the raw ID is nowhere in the files */
    snprintf(cmd, sizeof(cmd),
             "cat %s/kiosk.db* | LC_ALL=C grep -qa \"$(printf '\\372\\102\\376\\017')\"", f->dir);
    assert_int_not_equal(system(cmd), 0);
    /* another device's secret finds nothing */
    {
        struct store_options opt = {.path = f->path, .read_only = true};
        struct store *other;
        char err[256];

        memset(opt.id_secret, 0x17, sizeof(opt.id_secret));
        assert_int_equal(store_open(&other, &opt, err, sizeof(err)), 0);
        store_id_tag(other, id, tag);
        found = 0;
        assert_int_equal(store_visits_with_tag(other, tag, count_match, &found), 0);
        assert_int_equal(found, 0);
        store_close(other);
    }
    f->s = open_at(f->path, false);
}

static void test_reopen_continues_numbering_and_site(void **state)
{
    struct fixture *f = *state;
    struct record r = visit_rec(RECORD_VISIT_START, 41, T_08_00, VISIT_APP_BLUEZONE_IOS);

    sink(f->s, &r);
    store_close(f->s);
    f->s = open_at(f->path, true);
    assert_int_equal(store_next_visit_id(f->s), 42);
    assert_string_equal(store_site_name(f->s), "UBND phường Đông Hòa");
    assert_int_equal(store_sink(&r, f->s), -EBADF);
    store_close(f->s);
    f->s = open_at(f->path, false);
}

static void test_purge_keeps_retention_days(void **state)
{
    struct fixture *f = *state;
    struct store_day d;
    struct visit v;

    for (int i = 0; i < 30; i++) {
        struct record r = visit_rec(RECORD_VISIT_START, i + 1, T_08_00 + i * 86400000LL,
                                    VISIT_APP_BLUEZONE_ANDROID);

        sink(f->s, &r);
        r.type = RECORD_ID_SEEN;
        r.first_ms = r.last_ms = r.t_ms;
        r.id[0] = (uint8_t)i;
        sink(f->s, &r);
        r.type = RECORD_PASSERBY;
        sink(f->s, &r);
    }
    /* now: the 30th day; 21 days kept before it */
    assert_true(store_purge(f->s, T_08_00 + 29 * 86400000LL) > 0);
    assert_int_equal(store_get_visit(f->s, 8, &v), -ENOENT);
    assert_int_equal(store_get_visit(f->s, 9, &v), 0);
    assert_int_equal(store_day_figures(f->s, DAY0 + 7, &d), 0);
    assert_int_equal(d.passersby, 0);
    assert_int_equal(store_day_figures(f->s, DAY0 + 8, &d), 0);
    assert_int_equal(d.passersby, 1);
    /* numbering never goes back below a purged visit */
    assert_int_equal(store_next_visit_id(f->s), 31);
}

static void test_rejects_nonsense(void **state)
{
    struct fixture *f = *state;
    struct record r = visit_rec(RECORD_VISIT_START, 0, T_08_00, VISIT_APP_BLUEZONE_ANDROID);

    assert_int_equal(store_sink(&r, f->s), -EINVAL);
    r.visit.id = 1;
    r.visit.app = 200;
    assert_int_equal(store_sink(&r, f->s), -EINVAL);
    r.type = 99;
    assert_int_equal(store_sink(&r, f->s), -EINVAL);
    /* still usable */
    r = visit_rec(RECORD_VISIT_START, 1, T_08_00, VISIT_APP_BLUEZONE_ANDROID);
    sink(f->s, &r);
}

static void test_newer_schema_is_refused(void **state)
{
    struct fixture *f = *state;
    struct store_options opt = {.path = f->path};
    struct store *s;
    sqlite3 *db;
    char err[512];

    store_close(f->s);
    f->s = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(&s, &opt, err, sizeof(err)), -EPROTO);
    assert_non_null(strstr(err, "schema version 99 is newer"));
    assert_non_null(strstr(err, f->path));
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    f->s = open_at(f->path, false);
}

static void test_report_json_and_csv(void **state)
{
    struct fixture *f = *state;
    struct record r = visit_rec(RECORD_VISIT_START, 1, T_08_00, VISIT_APP_BLUEZONE_ANDROID);
    struct report_day a, b;
    char *buf = NULL;
    size_t len = 0;
    FILE *out;

    sink(f->s, &r);
    r = visit_rec(RECORD_VISIT_START, 2, T_08_00 + 1000, VISIT_APP_NONE);
    sink(f->s, &r);
    r = visit_rec(RECORD_VISIT_START, 3, T_08_00 + 2000, VISIT_APP_NO_SMARTPHONE);
    sink(f->s, &r);
    assert_int_equal(report_day_load(f->s, DAY0, &a), 0);
    b = a;
    snprintf(b.site, sizeof(b.site), "Kiosk \"B\"");
    report_merge(&a, &b);
    assert_int_equal(a.kiosks, 2);
    assert_int_equal(a.f.visits, 6);
    assert_string_equal(a.site, "UBND phường Đông Hòa; Kiosk \"B\"");
    assert_string_equal(a.site_code, "DH-1");
    out = open_memstream(&buf, &len);
    assert_int_equal(report_write_json(out, &a, 1, false), 0);
    fclose(out);
    assert_non_null(strstr(buf, "{\"site\":\"UBND phường Đông Hòa; Kiosk \\\"B\\\"\""));
    assert_non_null(strstr(buf, "\"date\":\"2026-11-22\",\"visits\":6,\"with_app\":2,"
                                "\"app_share\":0.333,\"by_app\":{\"bluezone_android\":2,"
                                "\"bluezone_ios\":0,\"other\":0},\"without_app\":2,"
                                "\"no_smartphone\":2,\"prompts_shown\":0,"
                                "\"installs_assisted\":0,\"passersby\":0,\"by_hour\":[0,0,0,0,0,"
                                "0,0,0,6,0,"));
    free(buf);
    out = open_memstream(&buf, &len);
    assert_int_equal(report_write_csv(out, &a, 1), 0);
    fclose(out);
    assert_memory_equal(buf, "\xEF\xBB\xBFsite,site_code,date,visits,", 27);
    assert_non_null(strstr(buf, "\r\n\"UBND phường Đông Hòa; Kiosk \"\"B\"\"\",DH-1,2026-11-22,6,2,"
                                "0.333,"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_file_has_the_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_lifecycle_and_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heartbeats_make_uptime, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_guard_flags_time_going_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids_are_stored_as_keyed_hashes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_continues_numbering_and_site, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purge_keeps_retention_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_nonsense, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_json_and_csv, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
