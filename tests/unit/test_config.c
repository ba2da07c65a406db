/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char err[600];

static int parse(struct config *cfg, const char *text)
{
    err[0] = '\0';
    return config_parse(cfg, text, strlen(text), "kiosk.conf", err, sizeof(err));
}

/* Parses text that must fail, and checks the message has every fragment. */
static void expect_error(const char *text, const char *fragment1, const char *fragment2)
{
    struct config cfg, before;

    config_defaults(&cfg);
    cfg.near_rssi = -61; /* a value the failed parse must not touch */
    before = cfg;
    assert_int_equal(parse(&cfg, text), -EINVAL);
    if (!strstr(err, fragment1) || (fragment2 && !strstr(err, fragment2)))
        fail_msg("message '%s' lacks '%s' / '%s'", err, fragment1, fragment2 ? fragment2 : "");
    assert_memory_equal(&cfg, &before, sizeof(cfg));
    assert_null(strchr(err, '\n'));
}

static void test_defaults_match_interfaces(void **state)
{
    struct config cfg;

    (void)state;
    config_defaults(&cfg);
    assert_int_equal(cfg.near_rssi, -75);
    assert_int_equal(cfg.dwell_s, 8);
    assert_int_equal(cfg.absent_s, 120);
    assert_int_equal(cfg.retention_days, 21);
    assert_int_equal(cfg.slots_per_day, 96);
    assert_int_equal(cfg.report_min, 13 * 60 + 30);
    assert_string_equal(cfg.language, "vi");
    assert_string_equal(cfg.android_url,
                        "https://play.google.com/store/apps/details?id=com.mic.bluezone");
}

static void test_empty_file_is_defaults(void **state)
{
    struct config cfg, def;

    (void)state;
    config_defaults(&def);
    memset(&cfg, 0x5a, sizeof(cfg));
    assert_int_equal(parse(&cfg, ""), 0);
    assert_memory_equal(&cfg, &def, sizeof(cfg));
}

static void test_full_file(void **state)
{
    struct config cfg;
    const char *text = "\xEF\xBB\xBF; a BOM, then a comment\n"
                       "[site]\r\n"
                       "name = UBND phường Bến Nghé\n"
                       "code = 79-760\n"
                       "language = en\n"
                       "# another comment\n"
                       "[presence]\n"
                       "near_rssi = -68 ; calibrated\n"
                       "dwell_s=5\n"
                       "slots_per_day = 144\n"
                       "[hours]\n"
                       "open = 07:00\n"
                       "close = 11:30\n"
                       "report = 13:45\n"
                       "[display]\n"
                       "width = 800\n"
                       "height = 480\n"
                       "rotation = 270\n";

    (void)state;
    assert_int_equal(parse(&cfg, text), 0);
    assert_string_equal(cfg.site_name, "UBND phường Bến Nghé");
    assert_string_equal(cfg.site_code, "79-760");
    assert_string_equal(cfg.language, "en");
    assert_int_equal(cfg.near_rssi, -68);
    assert_int_equal(cfg.dwell_s, 5);
    assert_int_equal(cfg.slots_per_day, 144);
    assert_int_equal(cfg.open_min, 7 * 60);
    assert_int_equal(cfg.close_min, 11 * 60 + 30);
    assert_int_equal(cfg.report_min, 13 * 60 + 45);
    assert_int_equal(cfg.width, 800);
    assert_int_equal(cfg.rotation, 270);
    assert_int_equal(cfg.absent_s, 120); /* untouched keys keep their default */
}

static void test_out_of_range(void **state)
{
    (void)state;
    expect_error("[presence]\nnear_rssi = -200\n", "kiosk.conf:2: [presence] near_rssi",
                 "allowed: -100 to -30 dBm");
    expect_error("[presence]\nabsent_s = 10\n", "kiosk.conf:2:", "allowed: 30 to 3600 s");
    expect_error("[store]\nretention_days = 0\n", "retention_days", "1 to 365 days");
    expect_error("[presence]\nslots_per_day = 100\n", "100 is not allowed", "allowed: 96|144");
    expect_error("[display]\nrotation = 45\n", "rotation", "0|90|180|270");
}

static void test_not_a_number(void **state)
{
    (void)state;
    expect_error("[presence]\ndwell_s = eight\n", "kiosk.conf:2: [presence] dwell_s",
                 "'eight' is not a whole number");
    expect_error("[presence]\ndwell_s = 8s\n", "'8s' is not a whole number", NULL);
    expect_error("[presence]\ndwell_s =\n", "'' is not a whole number", NULL);
    expect_error("[presence]\ndwell_s = 99999999999999999999\n", "not a whole number", NULL);
}

static void test_bad_times(void **state)
{
    (void)state;
    expect_error("[hours]\nopen = 7:30\n", "kiosk.conf:2: [hours] open", "HH:MM");
    expect_error("[hours]\nopen = 24:00\n", "'24:00' is not a time", NULL);
    expect_error("[hours]\nreport = 13:60\n", "report", "00:00 to 23:59");
    expect_error("[hours]\nopen = 12:00\nclose = 08:00\n", "close must be later than open", NULL);
}

static void test_bad_choice_and_text(void **state)
{
    (void)state;
    expect_error("[site]\nlanguage = fr\n", "'fr' is not allowed", "allowed: vi|en");
    expect_error("[site]\nname =\n", "[site] name: must not be empty", NULL);
    expect_error("[site]\nname = caf\xC3\n", "not valid UTF-8", NULL);
    expect_error("[site]\nname = \xC0\xAF\n", "not valid UTF-8", NULL); /* overlong '/' */
    expect_error("[site]\ncode = site 1\n", "[site] code", "allowed: letters");
    expect_error("[display]\nmode = fullscreen\n", "auto|kmsdrm|window|offscreen", NULL);
}

static void test_bad_url(void **state)
{
    (void)state;
    expect_error("[install]\nurl = www.bluezone.gov.vn\n", "[install] url", "http:// or https://");
    expect_error("[install]\nurl = https://bluezone.gov.vn/a b\n", "is not a link", NULL);
    expect_error("[install]\nurl = javascript:alert(1)\n", "is not a link", NULL);
}

static void test_too_long_value(void **state)
{
    char text[400];

    (void)state;
    snprintf(text, sizeof(text), "[site]\ncode = %0100d\n", 7);
    expect_error(text, "[site] code", "at most 32 bytes");
}

static void test_unknown_key_and_section(void **state)
{
    (void)state;
    expect_error("[site]\nname = A\nnmae = B\n", "kiosk.conf:3: [site] unknown key 'nmae'",
                 "allowed: name, code, language");
    expect_error("[sites]\nname = A\n", "kiosk.conf:2: unknown section [sites]", "[presence]");
    expect_error("name = A\n", "kiosk.conf:1: 'name' is outside any section", NULL);
}

static void test_malformed_lines(void **state)
{
    (void)state;
    expect_error("[site]\nname = A\njust some words\n", "kiosk.conf:3: malformed line",
                 "'key = value'");
    expect_error("[site\nname = A\n", "kiosk.conf:1: malformed line", NULL);
    expect_error("[site]\n= value\n", "kiosk.conf:2:", NULL);
}

static void test_nul_byte(void **state)
{
    static const char text[] = "[site]\nname = A\0B\n";
    struct config cfg;

    (void)state;
    assert_int_equal(config_parse(&cfg, text, sizeof(text) - 1, "kiosk.conf", err, sizeof(err)),
                     -EINVAL);
    assert_non_null(strstr(err, "kiosk.conf: contains a NUL byte"));
}

static void test_first_error_wins(void **state)
{
    (void)state;
    /* A syntax error on line 2 and a bad value on line 4: line 2 is reported. */
    expect_error("[site]\ngarbage\n[presence]\ndwell_s = 0\n", "kiosk.conf:2: malformed", NULL);
    expect_error("[presence]\ndwell_s = 0\ngarbage\n", "kiosk.conf:2: [presence] dwell_s", NULL);
}

static void test_duplicate_key(void **state)
{
    (void)state;
    expect_error("[site]\nname = A\n\n[site]\nname = B\n", "kiosk.conf:5: [site] name is set twice",
                 "first on line 2");
}

static void test_overlong_line(void **state)
{
    char text[1200];

    (void)state;
    /* inih would silently split a long line in two: we refuse it. */
    snprintf(text, sizeof(text), "[install]\nurl = https://example.org/%0800d\n[site]\n", 1);
    expect_error(text, "kiosk.conf:2: line too long", NULL);
}

static void test_set_override(void **state)
{
    struct config cfg;

    (void)state;
    config_defaults(&cfg);
    assert_int_equal(config_set(&cfg, "presence.near_rssi=-70", err, sizeof(err)), 0);
    assert_int_equal(cfg.near_rssi, -70);
    assert_int_equal(config_set(&cfg, "presence.near_rssi=0", err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "-100 to -30"));
    assert_int_equal(config_set(&cfg, "presence.nothing=1", err, sizeof(err)), -EINVAL);
    assert_int_equal(config_set(&cfg, "near_rssi=1", err, sizeof(err)), -EINVAL);
    assert_int_equal(config_set(&cfg, "hours.close=06:00", err, sizeof(err)), -EINVAL);
    assert_int_equal(cfg.close_min, 17 * 60);
    assert_int_equal(cfg.near_rssi, -70);
}

static void test_format_round_trip(void **state)
{
    struct config cfg, again;
    char out[8192];

    (void)state;
    assert_int_equal(parse(&cfg, "[site]\nname = Xã Tân Hòa\n[hours]\nopen = 06:05\n"), 0);
    assert_int_equal(config_format(&cfg, out, sizeof(out)), 0);
    assert_int_equal(parse(&again, out), 0);
    assert_memory_equal(&cfg, &again, sizeof(cfg));
    assert_int_equal(config_format(&cfg, out, 16), -ENOSPC);
}

static void test_sample_file_is_the_defaults(void **state)
{
    struct config cfg, def;
    char text[16384];
    FILE *f = fopen(BZ_SOURCE_DIR "/assets/kiosk.conf", "rb");
    size_t n;

    (void)state;
    assert_non_null(f);
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    if (config_parse(&cfg, text, n, "assets/kiosk.conf", err, sizeof(err)) != 0)
        fail_msg("%s", err);
    config_defaults(&def);
    assert_memory_equal(&cfg, &def, sizeof(cfg));
    /* and it mentions every key, so the sample documents them all */
    for (const struct config_key *k = config_keys(); k->name; k++) {
        char needle[64];
        snprintf(needle, sizeof(needle), "\n%s = ", k->name);
        if (!strstr(text, needle))
            fail_msg("assets/kiosk.conf lacks %s.%s", k->section, k->name);
    }
}

static void test_readme_documents_every_key(void **state)
{
    static char readme[262144], doc[16384];
    FILE *f = fopen(BZ_SOURCE_DIR "/README.md", "rb");
    size_t n;

    (void)state;
    assert_non_null(f);
    n = fread(readme, 1, sizeof(readme) - 1, f);
    fclose(f);
    readme[n] = '\0';
    assert_int_equal(config_format_doc(doc, sizeof(doc)), 0);
    if (!strstr(readme, doc))
        fail_msg("README.md's settings table differs from `bzkiosk config --doc`; paste it again");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_match_interfaces),
        cmocka_unit_test(test_empty_file_is_defaults),
        cmocka_unit_test(test_full_file),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_not_a_number),
        cmocka_unit_test(test_bad_times),
        cmocka_unit_test(test_bad_choice_and_text),
        cmocka_unit_test(test_bad_url),
        cmocka_unit_test(test_too_long_value),
        cmocka_unit_test(test_unknown_key_and_section),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_overlong_line),
        cmocka_unit_test(test_set_override),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_sample_file_is_the_defaults),
        cmocka_unit_test(test_readme_documents_every_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
