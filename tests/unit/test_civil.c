/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/civil.h"

#include <errno.h>
#include <time.h>

static void test_known_dates(void **state)
{
    (void)state;
    assert_int_equal(civil_days_from_date((struct civil_date){1970, 1, 1}), 0);
    assert_int_equal(civil_days_from_date((struct civil_date){2000, 3, 1}), 11017);
    assert_int_equal(civil_days_from_date((struct civil_date){2026, 11, 22}), 20779);
    assert_int_equal(civil_days_from_date((struct civil_date){1969, 12, 31}), -1);
}

static void test_round_trip_against_libc(void **state)
{
    (void)state;
    /* Every day over 1900..2200 agrees with gmtime_r. */
    for (int64_t day = -25567; day < 84000; day += 1) {
        time_t t = (time_t)(day * 86400);
        struct tm tm;
        struct civil_date d = civil_date_from_days(day);
        gmtime_r(&t, &tm);
        assert_int_equal(d.year, tm.tm_year + 1900);
        assert_int_equal(d.month, tm.tm_mon + 1);
        assert_int_equal(d.day, tm.tm_mday);
        assert_int_equal(civil_days_from_date(d), day);
        assert_true(civil_date_valid(d));
    }
}

static void test_parse(void **state)
{
    struct civil_date d;

    (void)state;
    assert_int_equal(civil_parse_date("2024-02-29", &d), 0);
    assert_int_equal(d.day, 29);
    assert_int_equal(civil_parse_date("2023-02-29", &d), -EINVAL);
    assert_int_equal(civil_parse_date("2100-02-29", &d), -EINVAL);
    assert_int_equal(civil_parse_date("2000-02-29", &d), 0);
    assert_int_equal(civil_parse_date("2026-13-01", &d), -EINVAL);
    assert_int_equal(civil_parse_date("2026-00-10", &d), -EINVAL);
    assert_int_equal(civil_parse_date("2026-1-10", &d), -EINVAL);
    assert_int_equal(civil_parse_date("2026-01-10x", &d), -EINVAL);
    assert_int_equal(civil_parse_date("1969-12-31", &d), -EINVAL);
    assert_int_equal(civil_parse_date("+026-01-10", &d), -EINVAL);
    assert_int_equal(civil_parse_date("", &d), -EINVAL);
}

static void test_vietnam_day(void **state)
{
    char iso[26], date[11];
    /* 2026-11-21T17:00:00Z is midnight of 2026-11-22 in Vietnam */
    int64_t midnight = 1795280400000LL;

    (void)state;
    assert_int_equal(civil_vn_day(midnight), 20779);
    assert_int_equal(civil_vn_day(midnight - 1), 20778);
    assert_int_equal(civil_vn_day_start_ms(20779), midnight);
    assert_int_equal(civil_vn_minute_of_day(midnight + 8 * 3600000 + 15 * 60000), 8 * 60 + 15);
    civil_format_vn_iso(midnight + 8 * 3600000 + 15 * 60000 + 7000, iso);
    assert_string_equal(iso, "2026-11-22T08:15:07+07:00");
    civil_format_vn_iso(-1000, iso); /* before 1970 still formats */
    assert_string_equal(iso, "1970-01-01T06:59:59+07:00");
    civil_format_date(20779, date);
    assert_string_equal(date, "2026-11-22");
    assert_int_equal(civil_floor_div(-1, 1000), -1);
    assert_int_equal(civil_floor_div(1999, 1000), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_dates),
        cmocka_unit_test(test_round_trip_against_libc),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_vietnam_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
