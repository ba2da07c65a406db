/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "kiosk/trace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define K "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void test_parses_lines_comments_header_and_bom(void **state)
{
    const char text[] = "\xEF\xBB\xBF"
                        "daily_key_hex,day_start_unix,slots\r\n"
                        "# from the health authority\n"
                        "\n" K ",1605052800\r\n" K ",1605139200,144\n";
    struct trace_key keys[4];
    char err[256] = "";

    (void)state;
    assert_int_equal(trace_parse_keys(text, strlen(text), "k.csv", keys, 4, err, sizeof(err)), 2);
    assert_int_equal(keys[0].day_start_s, 1605052800);
    assert_int_equal(keys[0].slots, 96);
    assert_int_equal(keys[0].line, 4);
    assert_int_equal(keys[0].day_key[31], 0x1f);
    assert_int_equal(keys[1].slots, 144);
    assert_int_equal(keys[1].line, 5);
}

static void expect_error(const char *text, const char *want)
{
    struct trace_key keys[2];
    char err[256] = "";

    assert_true(trace_parse_keys(text, strlen(text), "k.csv", keys, 2, err, sizeof(err)) < 0);
    if (!strstr(err, want))
        fail_msg("'%s' does not say '%s'", err, want);
}

static void test_errors_name_file_line_and_field(void **state)
{
    (void)state;
    expect_error("zz,1\n", "k.csv:1: daily_key_hex: expected 64 hex digits");
    expect_error(K ",1605052801\n", "k.csv:1: day_start_unix");
    expect_error("\n" K ",1605052800,7\n", "k.csv:2: slots");
    expect_error(K ",1605052800,96,1\n", "too many fields");
    expect_error(K ",\n", "day_start_unix");
    expect_error("0g0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f,0\n",
                 "not a hex digit");
    expect_error(K ",0\n" K ",0\n" K ",0\n", "k.csv:3: more than 2 keys");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_lines_comments_header_and_bom),
        cmocka_unit_test(test_errors_name_file_line_and_field),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
