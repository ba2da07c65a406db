/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk bluezone-id: the ID a Bluezone key broadcasts at a given time. */
#include "commands.h"

#include "kiosk/bluezone_id.h"

#include <stdio.h>
#include <string.h>

static const struct cli_option options[] = {
    {.name = "key",
     .type = CLI_HEX,
     .metavar = "HEX",
     .required = true,
     .help = "the base (or daily) key: 64 hex digits"},
    {.name = "t0",
     .type = CLI_INT,
     .metavar = "UNIX",
     .required = true,
     .min = 0,
     .max = 253402300799,
     .help = "when the key was made (its UTC day is day 0), unix seconds"},
    {.name = "at",
     .type = CLI_INT,
     .metavar = "UNIX",
     .required = true,
     .min = 0,
     .max = 253402300799,
     .help = "the time to show the ID for, unix seconds"},
    {.name = "slots",
     .type = CLI_INT,
     .metavar = "N",
     .min = 1,
     .max = BLUEZONE_MAX_SLOTS,
     .help = "IDs per day: 96 (v3, the default) or 144 (v2)"},
    {.name = NULL},
};

static int hexval(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static int run(const struct cli_args *args)
{
    const char *hex = cli_get(args, "key");
    uint8_t key[BLUEZONE_KEY_LEN], id[BEACON_ID_LEN];
    int64_t t0 = cli_get_number(args, "t0", 0), at = cli_get_number(args, "at", 0);
    int64_t slots = cli_get_number(args, "slots", 96);
    char out[25];

    if (strlen(hex) != 2 * BLUEZONE_KEY_LEN) {
        fprintf(stderr, "bzkiosk bluezone-id: --key has %zu hex digits; a key is 64 (32 bytes)\n",
                strlen(hex));
        return EXIT_USAGE;
    }
    for (int i = 0; i < BLUEZONE_KEY_LEN; i++)
        key[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
    if (86400 % slots != 0) {
        fprintf(stderr,
                "bzkiosk bluezone-id: --slots %lld does not divide a day (86400 s); "
                "use 96 or 144\n",
                (long long)slots);
        return EXIT_USAGE;
    }
    if (bluezone_id_at(key, t0, at, (uint32_t)slots, id) < 0) {
        fprintf(stderr, "bzkiosk bluezone-id: --at %lld is before the UTC day of --t0 %lld\n",
                (long long)at, (long long)t0);
        return EXIT_USAGE;
    }
    beacon_id_format(id, out);
    printf("%s\n", out);
    return EXIT_OK;
}

const struct cli_command cmd_bluezone_id = {
    .name = "bluezone-id",
    .summary = "print the Bluezone ID a key broadcasts at a given time",
    .options = options,
    .run = run,
    .description = "The 24 hex characters of PROTOCOL.md: day keys from the base key's UTC "
                   "day, a sub-key chain per day, the slot of --at within its UTC day.",
};
