/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/ui/strings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ui_strings s;
static char err[256];

static int parse(const char *text)
{
    err[0] = '\0';
    return ui_strings_parse(&s, text, strlen(text), "vi.txt", err, sizeof(err));
}

static void test_parse_and_get(void **state)
{
    (void)state;
    assert_int_equal(parse("# a comment\n\nattract.title = Xin chào!\r\n  a.b=  Đã ghi nhận  \n"),
                     0);
    assert_int_equal(s.n, 2);
    assert_string_equal(ui_strings_get(&s, "attract.title"), "Xin chào!");
    assert_string_equal(ui_strings_get(&s, "a.b"), "Đã ghi nhận");
    /* a missing text shows its key, so it is noticed on screen */
    assert_string_equal(ui_strings_get(&s, "no.such"), "no.such");
}

static void test_errors_name_the_line(void **state)
{
    (void)state;
    assert_int_equal(parse("a = 1\njust words\n"), -EINVAL);
    assert_string_equal(err, "vi.txt:2: no '=' (lines are: key = text)");
    assert_int_equal(parse("a = 1\na = 2\n"), -EINVAL);
    assert_non_null(strstr(err, "vi.txt:2: key 'a' is given twice"));
    assert_int_equal(parse(" = x\n"), -EINVAL);
    assert_non_null(strstr(err, "vi.txt:1: the key is empty"));
    assert_int_equal(parse("a = \xC3\x28\n"), -EINVAL);
    assert_string_equal(err, "vi.txt:1: the text is not UTF-8");
    assert_int_equal(parse("a = \xE1\xBB\n"), -EINVAL); /* cut in the middle of ệ */
}

static void test_format(void **state)
{
    char out[64];
    struct ui_var v[] = {{"visits", "124"}, {"share", "87"}};

    (void)state;
    ui_format(out, sizeof(out), "Hôm nay: {visits} lượt, {share}% có Bluezone", v, 2);
    assert_string_equal(out, "Hôm nay: 124 lượt, 87% có Bluezone");
    ui_format(out, sizeof(out), "{unknown} stays, { and } too", v, 2);
    assert_string_equal(out, "{unknown} stays, { and } too");
    /* truncation never cuts a character in half: "Đ" is 2 bytes */
    ui_format(out, 4, "aĐĐ", v, 0);
    assert_string_equal(out, "aĐ");
    ui_format(out, 3, "aĐĐ", v, 0);
    assert_string_equal(out, "a");
}

/* The shipped files: same keys in both languages, every placeholder known. */
static void load(const char *lang, struct ui_strings *out)
{
    char path[512];
    FILE *f;
    static char buf[65536];
    size_t n;

    snprintf(path, sizeof(path), "%s/assets/strings/%s.txt", BZ_SOURCE_DIR, lang);
    f = fopen(path, "rb");
    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    if (ui_strings_parse(out, buf, n, path, err, sizeof(err)) != 0)
        fail_msg("%s", err);
}

static void test_shipped_languages_match(void **state)
{
    static struct ui_strings vi, en;

    (void)state;
    load("vi", &vi);
    load("en", &en);
    assert_int_equal(vi.n, en.n);
    for (size_t i = 0; i < vi.n; i++) {
        const char *e = ui_strings_get(&en, vi.entry[i].key);
        if (e == vi.entry[i].key || strcmp(e, vi.entry[i].key) == 0)
            fail_msg("en.txt has no '%s'", vi.entry[i].key);
        /* the same placeholders in the same order */
        const char *a = vi.entry[i].text, *b = e;
        for (;;) {
            a = strchr(a, '{');
            b = strchr(b, '{');
            if (!a || !b)
                break;
            size_t la = strcspn(a, "}"), lb = strcspn(b, "}");
            if (la != lb || strncmp(a, b, la) != 0)
                fail_msg("'%s': placeholders differ between vi and en", vi.entry[i].key);
            a += la;
            b += lb;
        }
        if (a || b)
            fail_msg("'%s': placeholders differ between vi and en", vi.entry[i].key);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_get),
        cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_shipped_languages_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
