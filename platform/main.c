/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bzkiosk program: parses the command line and runs one command. */
#include "commands.h"
#include "log_stderr.h"
#include "version.h"

#include <stdio.h>
#include <stdlib.h>

static int print_help(const struct cli_command *command)
{
    char *buf = malloc(16384);

    if (!buf || cli_format_help(commands_table, command, buf, 16384) < 0) {
        free(buf);
        fputs("bzkiosk: help text too long\n", stderr);
        return EXIT_FAILURE_RUN;
    }
    fputs(buf, stdout);
    free(buf);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    struct cli_args args;
    char err[512];
    int rc;

    switch (cli_parse(commands_table, "run", argc, argv, &args, err, sizeof(err))) {
    case CLI_VERSION:
        printf("bzkiosk %s (git %s)\n", bz_version, bz_revision);
        return EXIT_OK;
    case CLI_HELP:
        return print_help(args.command);
    case CLI_ERROR:
        fprintf(stderr, "%s\n", err);
        return EXIT_USAGE;
    case CLI_RUN:
        break;
    }
    log_stderr_install(args.verbose);
    rc = args.command->run(&args);
    if (fflush(stdout) != 0 && rc == EXIT_OK) {
        /* Output that did not reach its destination is a failure (a full disk, a closed pipe). */
        perror("bzkiosk: writing the output");
        rc = EXIT_FAILURE_RUN;
    }
    return rc;
}
