/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line: every command is declared as data (its options and
 * arguments) and parsed here, so usage errors and --help look the same
 * everywhere and are tested without running anything. */
#ifndef BZ_CLI_H
#define BZ_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLI_MAX_OPTIONS    16
#define CLI_MAX_POSITIONAL 4

/* The exit codes of INTERFACES.md. */
enum {
    EXIT_OK = 0,
    EXIT_FAILURE_RUN = 1,
    EXIT_USAGE = 2,
};

enum cli_type {
    CLI_FLAG,   /* --events */
    CLI_STRING, /* --db FILE */
    CLI_INT,    /* --seconds N, within [min, max] */
    CLI_DATE,   /* --date YYYY-MM-DD */
    CLI_CHOICE, /* --format json|csv|xlsx */
    CLI_HEX,    /* --key HEX: an even number of hex digits */
};

struct cli_option {
    const char *name; /* without the leading "--" */
    enum cli_type type;
    const char *metavar; /* "FILE", "N" … */
    const char *help;
    bool required;
    bool repeatable;     /* only the last value is kept by cli_get; all by cli_each */
    int64_t min, max;    /* CLI_INT */
    const char *choices; /* CLI_CHOICE: "a|b|c" */
};

struct cli_args;

struct cli_command {
    const char *name;
    const char *summary;    /* one line for the command list */
    const char *positional; /* e.g. "FILE", "[SCREEN]"; NULL for none */
    int min_positional, max_positional;
    const struct cli_option *options; /* terminated by {.name = NULL} */
    /* Returns: an exit code (EXIT_OK, EXIT_FAILURE_RUN, EXIT_USAGE). */
    int (*run)(const struct cli_args *args);
    const char *description; /* paragraph for --help; may be NULL */
};

struct cli_args {
    const struct cli_command *command;
    const char *value[CLI_MAX_OPTIONS]; /* NULL when not given */
    int64_t number[CLI_MAX_OPTIONS];    /* CLI_INT: the value; CLI_DATE: days since 1970-01-01 */
    const char *positional[CLI_MAX_POSITIONAL];
    int n_positional;
    bool verbose;
    /* For repeatable options: argv, so cli_each can walk every occurrence. */
    int argc;
    char *const *argv;
};

enum cli_outcome {
    CLI_RUN = 0, /* *args is ready for command->run */
    CLI_HELP,    /* print cli_format_help for args->command (or the list if NULL) */
    CLI_VERSION, /* print the version */
    CLI_ERROR,   /* usage error: err holds one line */
};

/* Parses argv (argv[0] is the program); `commands` ends with NULL. With no command, or when the
 * first word is an option, `default_command` is used. Global options: --help,
 * --version, --verbose/-v (anywhere). */
enum cli_outcome cli_parse(const struct cli_command *const *commands, const char *default_command,
                           int argc, char *const *argv, struct cli_args *args, char *err,
                           size_t errlen);

/* Returns: the option's value, or NULL when it was not given. */
const char *cli_get(const struct cli_args *args, const char *name);
/* Returns: the number of CLI_INT / CLI_DATE option `name`, or `fallback`. */
int64_t cli_get_number(const struct cli_args *args, const char *name, int64_t fallback);
bool cli_has(const struct cli_args *args, const char *name);
/* Calls fn for every value of a repeatable option, in order. */
int cli_each(const struct cli_args *args, const char *name,
             int (*fn)(const char *value, void *userdata), void *userdata);

/* Writes the usage and options of one command, or the list of commands when
 * command is NULL. */
int cli_format_help(const struct cli_command *const *commands, const struct cli_command *command,
                    char *out, size_t outlen);

/* Parses YYYY-MM-DD (a real calendar date, 1970..9999). Returns: 0 and the
 * days since 1970-01-01, or -EINVAL. */
int cli_parse_date(const char *s, int64_t *days);

#endif
