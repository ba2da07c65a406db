/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/events.h"

#include <errno.h>
#include <string.h>

static struct record visit_record(enum record_type type)
{
    struct record rec = {.type = (uint8_t)type, .t_ms = 1795399208222};

    rec.visit.id = 7;
    rec.visit.entry_ms = 1795399200202;
    rec.visit.app = VISIT_APP_BLUEZONE_ANDROID;
    rec.visit.method = VISIT_METHOD_AUTO;
    rec.visit.kind = BEACON_BLUEZONE_ANDROID;
    rec.visit.confirmed = true;
    rec.visit.clock_ok = true;
    beacon_id_parse("18CE0B6317C2A3C859AF705C", rec.id);
    return rec;
}

static void test_visit_start_and_end(void **state)
{
    struct record rec = visit_record(RECORD_VISIT_START);
    char line[EVENTS_LINE_MAX];
    int n;

    (void)state;
    n = events_format(&rec, line, sizeof(line));
    assert_int_equal(n, (int)strlen(line));
    assert_string_equal(
        line, "{\"event\":\"visit_start\",\"t_ms\":1795399208222,\"visit\":7,\"kind\":\"bluezone-"
              "android\",\"entry_ms\":1795399200202,\"app\":\"bluezone-android\",\"method\":"
              "\"auto\",\"confirmed\":true,\"prompt_shown\":false,\"install_assisted\":false,"
              "\"staff\":false,\"id\":\"18CE0B6317C2A3C859AF705C\"}\n");
    rec.type = RECORD_VISIT_END;
    rec.visit.exit_ms = 1795399300000;
    rec.visit.exit_reason = VISIT_EXIT_ABSENT;
    rec.visit.clock_ok = false;
    events_format(&rec, line, sizeof(line));
    assert_non_null(strstr(line, "\"exit_ms\":1795399300000,\"exit_reason\":\"absent\"}\n"));
    assert_non_null(strstr(line, "\"clock_ok\":false"));
    assert_null(strstr(line, "\"id\""));
}

static void test_id_linked_and_passerby(void **state)
{
    struct record rec = visit_record(RECORD_ID_LINKED);
    char line[EVENTS_LINE_MAX];

    (void)state;
    beacon_id_parse("FA42FE0F936F30DF3B8942A0", rec.old_id);
    events_format(&rec, line, sizeof(line));
    assert_non_null(strstr(line, "\"event\":\"id_linked\""));
    assert_non_null(strstr(
        line, "\"id\":\"18CE0B6317C2A3C859AF705C\",\"old_id\":\"FA42FE0F936F30DF3B8942A0\""));
    memset(&rec, 0, sizeof(rec));
    rec.type = RECORD_PASSERBY;
    rec.t_ms = 5;
    rec.kind = BEACON_BLUEZONE_IOS_BG;
    events_format(&rec, line, sizeof(line));
    assert_string_equal(
        line, "{\"event\":\"passerby\",\"t_ms\":5,\"visit\":0,\"kind\":\"bluezone-ios-bg\"}\n");
    rec.type = RECORD_PROMPT;
    rec.prompt = RECORD_PROMPT_INSTALL;
    events_format(&rec, line, sizeof(line));
    assert_non_null(strstr(line, "\"prompt\":\"install\""));
}

static void test_not_events_and_overflow(void **state)
{
    struct record rec = visit_record(RECORD_ID_SEEN);
    char line[EVENTS_LINE_MAX], small[40];

    (void)state;
    /* IDs seen are personal data: the store keeps them, the events do not */
    assert_int_equal(events_format(&rec, line, sizeof(line)), 0);
    rec.type = RECORD_HEARTBEAT;
    assert_int_equal(events_format(&rec, line, sizeof(line)), 0);
    rec.type = RECORD_VISIT_START;
    assert_int_equal(events_format(&rec, small, sizeof(small)), -ENOSPC);
    assert_int_equal(events_format(&rec, small, 0), -ENOSPC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_visit_start_and_end),
        cmocka_unit_test(test_id_linked_and_passerby),
        cmocka_unit_test(test_not_events_and_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
