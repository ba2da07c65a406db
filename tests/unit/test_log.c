/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/log.h"

#include <stdio.h>
#include <string.h>

static char last[2048];
static int calls;
static enum log_level last_level;

static void capture(enum log_level level, const char *message, void *userdata)
{
    (void)userdata;
    calls++;
    last_level = level;
    snprintf(last, sizeof(last), "%s", message);
}

static void test_levels(void **state)
{
    (void)state;
    log_set_sink(capture, NULL);
    log_set_level(LOG_LEVEL_INFO);
    calls = 0;
    log_debug("hidden %d", 1);
    assert_int_equal(calls, 0);
    log_warn("adapter %s is off", "hci0");
    assert_int_equal(calls, 1);
    assert_int_equal(last_level, LOG_LEVEL_WARN);
    assert_string_equal(last, "adapter hci0 is off");
    log_set_level(LOG_LEVEL_DEBUG);
    log_debug("shown");
    assert_int_equal(calls, 2);
    assert_string_equal(log_level_name(LOG_LEVEL_ERROR), "error");
}

static void test_long_message_is_cut_not_dropped(void **state)
{
    char big[3000];

    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    log_set_sink(capture, NULL);
    calls = 0;
    log_error("%s", big);
    assert_int_equal(calls, 1);
    assert_int_equal(strlen(last), 1023);
}

static void test_no_sink(void **state)
{
    (void)state;
    log_set_sink(NULL, NULL);
    calls = 0;
    log_error("nowhere");
    assert_int_equal(calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_long_message_is_cut_not_dropped),
        cmocka_unit_test(test_no_sink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
