/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk config: check a settings file and show the settings in effect. */
#include "commands.h"
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>

static const struct cli_option options[] = {
    {.name = "config", .type = CLI_STRING, .metavar = "FILE", .help = "the settings file to check"},
    {.name = "set",
     .type = CLI_STRING,
     .metavar = "S.K=V",
     .repeatable = true,
     .help = "override one setting, e.g. --set presence.near_rssi=-70"},
    {.name = "doc", .type = CLI_FLAG, .help = "print the table of every key (Markdown) instead"},
    {.name = NULL},
};

static int run(const struct cli_args *args)
{
    enum { OUT_MAX = 32768 };
    struct config cfg;
    char err[600];
    char *out = malloc(OUT_MAX);
    int r;

    if (!out) {
        fputs("bzkiosk config: out of memory\n", stderr);
        return EXIT_FAILURE_RUN;
    }
    if (cli_has(args, "doc")) {
        r = config_format_doc(out, OUT_MAX);
    } else {
        r = settings_for_command(&cfg, args, err, sizeof(err));
        if (r < 0) {
            fprintf(stderr, "bzkiosk config: %s\n", err);
            free(out);
            return EXIT_FAILURE_RUN;
        }
        r = config_format(&cfg, out, OUT_MAX);
    }
    if (r < 0) {
        fputs("bzkiosk config: output too long\n", stderr);
        free(out);
        return EXIT_FAILURE_RUN;
    }
    fputs(out, stdout);
    free(out);
    return EXIT_OK;
}

const struct cli_command cmd_config = {
    .name = "config",
    .summary = "check a settings file and print the settings in effect",
    .options = options,
    .run = run,
    .description = "Exits 1 with the file, line and key of the first problem when the settings "
                   "are wrong; the kiosk never starts on such a file.",
};
