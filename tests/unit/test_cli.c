/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/cli.h"
#include "commands.h"

#include <errno.h>
#include <string.h>

static int ran;

static int run_stub(const struct cli_args *args)
{
    (void)args;
    ran++;
    return EXIT_OK;
}

static const struct cli_option report_opts[] = {
    {.name = "db", .type = CLI_STRING, .metavar = "DB", .required = true, .help = "database"},
    {.name = "date", .type = CLI_DATE, .metavar = "YYYY-MM-DD", .required = true, .help = "day"},
    {.name = "format",
     .type = CLI_CHOICE,
     .metavar = "F",
     .choices = "json|csv|xlsx",
     .help = "format"},
    {.name = "seconds", .type = CLI_INT, .metavar = "N", .min = 1, .max = 100, .help = "time"},
    {.name = "key", .type = CLI_HEX, .metavar = "HEX", .help = "key"},
    {.name = "events", .type = CLI_FLAG, .help = "events"},
    {.name = "set", .type = CLI_STRING, .metavar = "S.K=V", .repeatable = true, .help = "set"},
    {.name = NULL},
};

static const struct cli_command report_cmd = {
    .name = "report", .summary = "report", .options = report_opts, .run = run_stub};
static const struct cli_command decode_cmd = {.name = "decode",
                                              .summary = "decode",
                                              .positional = "FILE",
                                              .min_positional = 1,
                                              .max_positional = 1,
                                              .run = run_stub};
static const struct cli_command run_cmd = {.name = "run", .summary = "run", .run = run_stub};
static const struct cli_command *const table[] = {&run_cmd, &report_cmd, &decode_cmd, NULL};

static struct cli_args args;
static char err[512];

static enum cli_outcome parse(int argc, char **argv)
{
    return cli_parse(table, "run", argc, argv, &args, err, sizeof(err));
}

#define ARGV(...)                                                                                  \
    (char *[])                                                                                     \
    {                                                                                              \
        "bzkiosk", __VA_ARGS__, NULL                                                               \
    }
#define ARGC(...)  ((int)(sizeof((char *[]){"bzkiosk", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(...) parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void expect_usage_error(enum cli_outcome r, const char *fragment)
{
    assert_int_equal(r, CLI_ERROR);
    if (!strstr(err, fragment))
        fail_msg("'%s' lacks '%s'", err, fragment);
    assert_null(strchr(err, '\n'));
}

static void test_default_command(void **state)
{
    char *argv[] = {"bzkiosk", NULL};

    (void)state;
    assert_int_equal(parse(1, argv), CLI_RUN);
    assert_ptr_equal(args.command, &run_cmd);
    assert_int_equal(PARSE("--verbose"), CLI_RUN);
    assert_true(args.verbose);
    assert_ptr_equal(args.command, &run_cmd);
}

static void test_full_report(void **state)
{
    (void)state;
    assert_int_equal(PARSE("report", "--db", "k.db", "--date=2026-11-22", "--format", "csv",
                           "--seconds", "42", "--events", "--key", "00ff"),
                     CLI_RUN);
    assert_ptr_equal(args.command, &report_cmd);
    assert_string_equal(cli_get(&args, "db"), "k.db");
    assert_string_equal(cli_get(&args, "format"), "csv");
    assert_int_equal(cli_get_number(&args, "seconds", 0), 42);
    /* 2026-11-22 is day 20779 since 1970-01-01 */
    assert_int_equal(cli_get_number(&args, "date", 0), 20779);
    assert_true(cli_has(&args, "events"));
    assert_false(cli_has(&args, "nothing"));
    assert_int_equal(cli_get_number(&args, "missing", -5), -5);
}

static void test_usage_errors(void **state)
{
    (void)state;
    expect_usage_error(PARSE("frobnicate"), "unknown command 'frobnicate'");
    expect_usage_error(PARSE("report", "--date", "2026-11-22"), "--db DB is required");
    expect_usage_error(PARSE("report", "--db"), "--db needs a DB");
    expect_usage_error(PARSE("report", "--db", "x", "--date", "2026-02-30"),
                       "'2026-02-30' is not a date");
    expect_usage_error(PARSE("report", "--db", "x", "--date", "26-1-1"), "YYYY-MM-DD");
    expect_usage_error(PARSE("report", "--db", "x", "--date", "2026-11-22", "--format", "pdf"),
                       "allowed: json|csv|xlsx");
    expect_usage_error(PARSE("report", "--db", "x", "--date", "2026-11-22", "--seconds", "0"),
                       "out of range; allowed: 1 to 100");
    expect_usage_error(PARSE("report", "--db", "x", "--date", "2026-11-22", "--seconds", "9x"),
                       "'9x' is not a whole number");
    expect_usage_error(PARSE("report", "--db", "x", "--date", "2026-11-22", "--key", "abc"),
                       "hexadecimal");
    expect_usage_error(PARSE("report", "--db", "x", "--db", "y", "--date", "2026-11-22"),
                       "--db is given twice");
    expect_usage_error(PARSE("report", "--bogus"), "unknown option '--bogus'");
    expect_usage_error(PARSE("report", "-x"), "unknown option '-x'");
    expect_usage_error(PARSE("report", "--events=yes"), "--events takes no value");
    expect_usage_error(PARSE("report", "--db", ""), "not an empty string");
    expect_usage_error(PARSE("decode"), "missing FILE");
    expect_usage_error(PARSE("decode", "a", "b"), "unexpected argument 'b'");
}

static void test_help_and_version(void **state)
{
    char out[4096];

    (void)state;
    assert_int_equal(PARSE("--help"), CLI_HELP);
    assert_null(args.command);
    assert_int_equal(cli_format_help(table, NULL, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "report"));
    assert_non_null(strstr(out, "decode"));
    assert_int_equal(PARSE("report", "--help"), CLI_HELP);
    assert_ptr_equal(args.command, &report_cmd);
    assert_int_equal(cli_format_help(table, &report_cmd, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "usage: bzkiosk report --db DB --date YYYY-MM-DD [--format F]"));
    assert_non_null(strstr(out, "(json|csv|xlsx)"));
    assert_int_equal(PARSE("--help", "decode"), CLI_HELP);
    assert_ptr_equal(args.command, &decode_cmd);
    /* --help wins over a usage error, so a user can always read it */
    assert_int_equal(PARSE("report", "--help", "--bogus"), CLI_HELP);
    assert_int_equal(PARSE("--version"), CLI_VERSION);
    assert_int_equal(PARSE("report", "--version"), CLI_VERSION);
    assert_int_equal(cli_format_help(table, &report_cmd, out, 10), -ENOSPC);
}

static void test_positional_and_double_dash(void **state)
{
    (void)state;
    assert_int_equal(PARSE("decode", "--", "--strange-name"), CLI_RUN);
    assert_int_equal(args.n_positional, 1);
    assert_string_equal(args.positional[0], "--strange-name");
    assert_int_equal(PARSE("decode", "-"), CLI_RUN);
    assert_string_equal(args.positional[0], "-");
}

static int collect(const char *value, void *userdata)
{
    char *buf = userdata;
    strcat(buf, value);
    strcat(buf, ";");
    return 0;
}

static void test_repeatable(void **state)
{
    char buf[128] = "";

    (void)state;
    assert_int_equal(
        PARSE("report", "--db", "x", "--date", "2026-11-22", "--set", "a.b=1", "--set=c.d=2"),
        CLI_RUN);
    assert_int_equal(cli_each(&args, "set", collect, buf), 0);
    assert_string_equal(buf, "a.b=1;c.d=2;");
}

static void test_real_table_is_well_formed(void **state)
{
    char out[16384];

    (void)state;
    /* Every real command has help, options within the parser's limits, and
     * a unique name; the first one is the default. */
    assert_string_equal(commands_table[0]->name, "run");
    for (int i = 0; commands_table[i]; i++) {
        const struct cli_command *c = commands_table[i];
        int n = 0;
        assert_non_null(c->run);
        assert_non_null(c->summary);
        for (int j = i + 1; commands_table[j]; j++)
            assert_string_not_equal(c->name, commands_table[j]->name);
        while (c->options && c->options[n].name)
            n++;
        assert_true(n <= CLI_MAX_OPTIONS);
        assert_true(c->max_positional <= CLI_MAX_POSITIONAL);
        assert_int_equal(cli_format_help(commands_table, c, out, sizeof(out)), 0);
    }
    assert_int_equal(cli_format_help(commands_table, NULL, out, sizeof(out)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_command),
        cmocka_unit_test(test_full_report),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_positional_and_double_dash),
        cmocka_unit_test(test_repeatable),
        cmocka_unit_test(test_real_table_is_well_formed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
