/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store as the screens use it: the admin's export as a job off the
 * loop (progress and the outcome on the loop), the staff's report button. */
#include "export.h"
#include "export_job.h"
#include "store_service.h"

#include "kiosk/civil.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define DAY0 ((int64_t)20779) /* 2026-11-22 */
#define T0   (civil_vn_day_start_ms(DAY0) + 9 * 3600000LL)

struct seen {
    sd_event *loop;
    int progress_calls, last_pct, result;
    char text[4000];
};

static void on_progress(int percent, const char *what, void *ud)
{
    struct seen *s = ud;

    (void)what;
    assert_true(percent >= s->last_pct);
    s->last_pct = percent;
    s->progress_calls++;
}

static void on_done(int result, const char *text, void *ud)
{
    struct seen *s = ud;

    s->result = result;
    snprintf(s->text, sizeof(s->text), "%s", text);
    sd_event_exit(s->loop, 0);
}

static void test_export_job_and_report_button(void **state)
{
    char dir[64] = "/tmp/bzsvcXXXXXX", db[96], stick[96], folder[4096], err[1024], cmd[128];
    struct config cfg;
    struct store_service *ss;
    struct export_job *job = NULL;
    struct seen seen = {.result = 1};
    struct export_job_callbacks cb = {on_progress, on_done, &seen};
    struct store *s;
    char *sp;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/kiosk.db", dir);
    snprintf(stick, sizeof(stick), "%s/stick", dir);
    assert_int_equal(mkdir(stick, 0755), 0);
    config_defaults(&cfg);
    assert_int_equal(store_service_start(&cfg, db, NULL, &ss, err, sizeof(err)), 0);
    s = store_service_store(ss);
    for (int id = 1; id <= 20; id++) {
        struct record r = {.type = RECORD_VISIT_START, .t_ms = T0 + id * 60000};

        r.visit.id = id;
        r.visit.entry_ms = r.t_ms;
        r.visit.clock_ok = true;
        assert_int_equal(store_sink(&r, s), 0);
    }
    assert_int_equal(store_service_report_now(ss, T0 + 3600000), 0);
    snprintf(folder, sizeof(folder), "%s/reports/report-2026-11-22.csv", dir);
    assert_int_equal(access(folder, F_OK), 0);

    assert_true(sd_event_new(&seen.loop) >= 0);
    assert_int_equal(
        store_service_export(ss, seen.loop, stick, DAY0, DAY0, &cb, &job, err, sizeof(err)), 0);
    assert_true(sd_event_loop(seen.loop) >= 0);
    export_job_free(job);
    sd_event_unref(seen.loop);
    assert_true(seen.progress_calls >= 3);
    /* a folder is no mount point: written and verified, but not ejectable */
    assert_true(seen.result < 0);
    assert_non_null(strstr(seen.text, "was written, but"));
    assert_non_null(strstr(seen.text, "do not remove it yet"));
    snprintf(folder, sizeof(folder), "%s", seen.text);
    sp = strstr(folder, " was written");
    assert_non_null(sp);
    *sp = 0;
    assert_int_equal(export_verify(folder, NULL, NULL, 0, err, sizeof(err)), 5);
    store_service_stop(ss);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_job_and_report_button),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
