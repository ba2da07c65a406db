/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli.h"

#include "civil.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_command *find_command(const struct cli_command *const *commands,
                                              const char *name)
{
    for (const struct cli_command *const *c = commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}

static int find_option(const struct cli_command *cmd, const char *name, size_t len)
{
    for (int i = 0; cmd->options && cmd->options[i].name; i++)
        if (strlen(cmd->options[i].name) == len && strncmp(cmd->options[i].name, name, len) == 0)
            return i;
    return -1;
}

static bool in_choices(const char *choices, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = choices; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

int cli_parse_date(const char *s, int64_t *days)
{
    struct civil_date d;

    if (civil_parse_date(s, &d) < 0)
        return -EINVAL;
    *days = civil_days_from_date(d);
    return 0;
}

static enum cli_outcome fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum cli_outcome fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return CLI_ERROR;
}

static enum cli_outcome check_value(const struct cli_command *cmd, const struct cli_option *o,
                                    const char *v, int64_t *number, char *err, size_t errlen)
{
    switch (o->type) {
    case CLI_FLAG:
    case CLI_STRING:
        if (o->type == CLI_STRING && *v == '\0')
            return fail(err, errlen, "bzkiosk %s: --%s needs a %s, not an empty string", cmd->name,
                        o->name, o->metavar ? o->metavar : "value");
        return CLI_RUN;
    case CLI_INT: {
        char *end;
        long long n;
        errno = 0;
        n = strtoll(v, &end, 10);
        if (*v == '\0' || *end != '\0' || errno == ERANGE)
            return fail(err, errlen, "bzkiosk %s: --%s '%s' is not a whole number", cmd->name,
                        o->name, v);
        if (n < o->min || n > o->max)
            return fail(err, errlen, "bzkiosk %s: --%s %lld is out of range; allowed: %lld to %lld",
                        cmd->name, o->name, n, (long long)o->min, (long long)o->max);
        *number = n;
        return CLI_RUN;
    }
    case CLI_DATE:
        if (cli_parse_date(v, number) < 0)
            return fail(err, errlen, "bzkiosk %s: --%s '%s' is not a date; allowed: YYYY-MM-DD",
                        cmd->name, o->name, v);
        return CLI_RUN;
    case CLI_CHOICE:
        if (!in_choices(o->choices, v))
            return fail(err, errlen, "bzkiosk %s: --%s '%s' is not allowed; allowed: %s", cmd->name,
                        o->name, v, o->choices);
        return CLI_RUN;
    case CLI_HEX: {
        size_t n = strlen(v);
        bool ok = n > 0 && n % 2 == 0;
        for (size_t i = 0; ok && i < n; i++)
            ok = (v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f') ||
                 (v[i] >= 'A' && v[i] <= 'F');
        if (!ok)
            return fail(err, errlen,
                        "bzkiosk %s: --%s needs hexadecimal digits (an even number of 0-9, a-f)",
                        cmd->name, o->name);
        return CLI_RUN;
    }
    }
    return CLI_RUN;
}

enum cli_outcome cli_parse(const struct cli_command *const *commands, const char *default_command,
                           int argc, char *const *argv, struct cli_args *args, char *err,
                           size_t errlen)
{
    const struct cli_command *cmd = NULL;
    bool help = false, only_positional = false;
    int i = 1;

    memset(args, 0, sizeof(*args));
    args->argc = argc;
    args->argv = argv;
    err[0] = '\0';

    /* Global options may come before the command. */
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0)
            return CLI_VERSION;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            help = true;
        else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
            args->verbose = true;
        else
            break;
    }
    if (i < argc && argv[i][0] != '-') {
        cmd = find_command(commands, argv[i]);
        if (!cmd)
            return fail(err, errlen, "bzkiosk: unknown command '%s'; see 'bzkiosk --help'",
                        argv[i]);
        i++;
    } else if (help) {
        return CLI_HELP; /* the list of commands */
    } else {
        cmd = find_command(commands, default_command);
    }
    args->command = cmd;
    if (help)
        return CLI_HELP;

    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!only_positional && strcmp(a, "--") == 0) {
            only_positional = true;
        } else if (!only_positional && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            return CLI_HELP;
        } else if (!only_positional && (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0)) {
            args->verbose = true;
        } else if (!only_positional && strcmp(a, "--version") == 0) {
            return CLI_VERSION;
        } else if (!only_positional && a[0] == '-' && a[1] != '\0') {
            const char *name = a + 2, *eq;
            const char *value = NULL;
            const struct cli_option *o;
            int idx;
            enum cli_outcome r;
            if (a[1] != '-')
                return fail(err, errlen, "bzkiosk %s: unknown option '%s'; see 'bzkiosk %s --help'",
                            cmd->name, a, cmd->name);
            eq = strchr(name, '=');
            idx = find_option(cmd, name, eq ? (size_t)(eq - name) : strlen(name));
            if (idx < 0)
                return fail(err, errlen,
                            "bzkiosk %s: unknown option '--%.*s'; see 'bzkiosk %s --help'",
                            cmd->name, eq ? (int)(eq - name) : (int)strlen(name), name, cmd->name);
            o = &cmd->options[idx];
            if (o->type == CLI_FLAG) {
                if (eq)
                    return fail(err, errlen, "bzkiosk %s: --%s takes no value", cmd->name, o->name);
                value = "1";
            } else if (eq) {
                value = eq + 1;
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                return fail(err, errlen, "bzkiosk %s: --%s needs a %s", cmd->name, o->name,
                            o->metavar ? o->metavar : "value");
            }
            if (args->value[idx] && !o->repeatable)
                return fail(err, errlen, "bzkiosk %s: --%s is given twice", cmd->name, o->name);
            r = check_value(cmd, o, value, &args->number[idx], err, errlen);
            if (r != CLI_RUN)
                return r;
            args->value[idx] = value;
        } else {
            if (args->n_positional >= cmd->max_positional)
                return fail(err, errlen,
                            "bzkiosk %s: unexpected argument '%s'; usage: bzkiosk %s%s%s",
                            cmd->name, a, cmd->name, cmd->positional ? " " : "",
                            cmd->positional ? cmd->positional : "");
            args->positional[args->n_positional++] = a;
        }
    }
    if (args->n_positional < cmd->min_positional)
        return fail(err, errlen, "bzkiosk %s: missing %s; usage: bzkiosk %s %s", cmd->name,
                    cmd->positional, cmd->name, cmd->positional);
    for (int k = 0; cmd->options && cmd->options[k].name; k++)
        if (cmd->options[k].required && !args->value[k])
            return fail(err, errlen, "bzkiosk %s: --%s %s is required", cmd->name,
                        cmd->options[k].name,
                        cmd->options[k].metavar ? cmd->options[k].metavar : "");
    return CLI_RUN;
}

static int option_index(const struct cli_args *args, const char *name)
{
    return args->command ? find_option(args->command, name, strlen(name)) : -1;
}

const char *cli_get(const struct cli_args *args, const char *name)
{
    int idx = option_index(args, name);
    return idx < 0 ? NULL : args->value[idx];
}

int64_t cli_get_number(const struct cli_args *args, const char *name, int64_t fallback)
{
    int idx = option_index(args, name);
    return (idx < 0 || !args->value[idx]) ? fallback : args->number[idx];
}

bool cli_has(const struct cli_args *args, const char *name)
{
    return cli_get(args, name) != NULL;
}

int cli_each(const struct cli_args *args, const char *name,
             int (*fn)(const char *value, void *userdata), void *userdata)
{
    size_t n = strlen(name);

    for (int i = 1; i < args->argc; i++) {
        const char *a = args->argv[i];
        const char *value = NULL;
        if (strcmp(a, "--") == 0)
            break;
        if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
            continue;
        if (a[2 + n] == '=')
            value = a + 3 + n;
        else if (a[2 + n] == '\0' && i + 1 < args->argc)
            value = args->argv[++i];
        if (value) {
            int r = fn(value, userdata);
            if (r < 0)
                return r;
        }
    }
    return 0;
}

struct out {
    char *buf;
    size_t len, used;
    bool full;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->full)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->len - o->used)
        o->full = true;
    else
        o->used += (size_t)n;
}

int cli_format_help(const struct cli_command *const *commands, const struct cli_command *command,
                    char *out, size_t outlen)
{
    struct out o = {out, outlen, 0, false};

    if (outlen == 0)
        return -ENOSPC;
    out[0] = '\0';
    if (!command) {
        put(&o, "usage: bzkiosk [--verbose] [COMMAND] [OPTIONS]\n\n"
                "A Bluezone check-in kiosk. With no command it runs the kiosk.\n\ncommands:\n");
        for (const struct cli_command *const *c = commands; *c; c++)
            put(&o, "  %-12s %s\n", (*c)->name, (*c)->summary);
        put(&o, "\n'bzkiosk COMMAND --help' describes a command. --version prints the version.\n"
                "Exit status: 0 success, 1 failure, 2 bad usage.\n");
        return o.full ? -ENOSPC : 0;
    }
    put(&o, "usage: bzkiosk %s", command->name);
    for (int k = 0; command->options && command->options[k].name; k++) {
        const struct cli_option *opt = &command->options[k];
        put(&o, " %s--%s%s%s%s", opt->required ? "" : "[", opt->name, opt->metavar ? " " : "",
            opt->metavar ? opt->metavar : "", opt->required ? "" : "]");
    }
    if (command->positional)
        put(&o, " %s", command->positional);
    put(&o, "\n\n%s\n", command->summary);
    if (command->description)
        put(&o, "\n%s\n", command->description);
    if (command->options && command->options[0].name)
        put(&o, "\noptions:\n");
    for (int k = 0; command->options && command->options[k].name; k++) {
        const struct cli_option *opt = &command->options[k];
        char left[48];
        snprintf(left, sizeof(left), "--%s%s%s", opt->name, opt->metavar ? " " : "",
                 opt->metavar ? opt->metavar : "");
        put(&o, "  %-22s %s", left, opt->help);
        if (opt->type == CLI_CHOICE)
            put(&o, " (%s)", opt->choices);
        else if (opt->type == CLI_INT)
            put(&o, " (%lld to %lld)", (long long)opt->min, (long long)opt->max);
        put(&o, "\n");
    }
    put(&o, "  %-22s %s\n  %-22s %s\n", "--verbose, -v", "log debug messages too", "--help, -h",
        "this help");
    return o.full ? -ENOSPC : 0;
}
