/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk pin-hash: a PIN's libsodium hash for [access] in the settings. */
#include "commands.h"

#include "kiosk/ui/pin.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct cli_option options[] = {
    {.name = NULL},
};

static int run(const struct cli_args *args)
{
    char line[64], hash[UI_PIN_HASH_MAX];
    size_t n;
    int r;

    (void)args;
    /* From standard input, never the command line (other users see argv). */
    if (!fgets(line, sizeof(line), stdin)) {
        fprintf(stderr, "bzkiosk pin-hash: no PIN on standard input\n");
        return EXIT_FAILURE_RUN;
    }
    n = strcspn(line, "\r\n");
    line[n] = '\0';
    r = ui_pin_hash(line, hash);
    sodium_memzero(line, sizeof(line));
    if (r == -EINVAL) {
        fprintf(stderr, "bzkiosk pin-hash: the PIN must be %d to %d digits\n", UI_PIN_MIN_DIGITS,
                UI_PIN_MAX_DIGITS);
        return EXIT_FAILURE_RUN;
    }
    if (r < 0) {
        fprintf(stderr, "bzkiosk pin-hash: cannot hash the PIN: out of memory\n");
        return EXIT_FAILURE_RUN;
    }
    printf("%s\n", hash);
    return EXIT_OK;
}

const struct cli_command cmd_pin_hash = {
    .name = "pin-hash",
    .summary = "hash a staff or admin PIN (read from standard input) for the settings",
    .options = options,
    .run = run,
    .description = "Reads a PIN of 4 to 8 digits from standard input and prints its Argon2id "
                   "hash. Put it in the settings as [access] staff_pin_hash or admin_pin_hash, "
                   "e.g. `echo 2580 | bzkiosk pin-hash`.",
};
