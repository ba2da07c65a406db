/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk verify DIR: an export folder against its manifest and signature. */
#include "commands.h"
#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct cli_option options[] = {
    {.name = "key",
     .type = CLI_HEX,
     .metavar = "HEX",
     .help = "the kiosk's public key (64 hex digits, on the staff screen): the folder must be "
             "signed by it"},
    {.name = NULL},
};

static int run(const struct cli_args *args)
{
    const char *dir = args->positional[0];
    const char *key = cli_get(args, "key");
    uint8_t pk[crypto_sign_PUBLICKEYBYTES];
    char err[1024], signer[crypto_sign_PUBLICKEYBYTES * 2 + 1];
    size_t len;
    int n;

    if (sodium_init() < 0) {
        fprintf(stderr, "bzkiosk verify: libsodium could not start\n");
        return EXIT_FAILURE_RUN;
    }
    if (key && (sodium_hex2bin(pk, sizeof(pk), key, strlen(key), NULL, &len, NULL) < 0 ||
                len != sizeof(pk))) {
        fprintf(stderr, "bzkiosk verify: --key: a public key is 64 hex digits\n");
        return EXIT_USAGE;
    }
    n = export_verify(dir, key ? pk : NULL, signer, sizeof(signer), err, sizeof(err));
    if (n < 0) {
        fprintf(stderr, "bzkiosk verify: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    printf("%s: %d files match the manifest, signed by %s%s\n", dir, n, signer,
           key ? " (the expected key)" : "");
    return EXIT_OK;
}

const struct cli_command cmd_verify = {
    .name = "verify",
    .summary = "check an export folder against its manifest and signature",
    .positional = "DIR",
    .min_positional = 1,
    .max_positional = 1,
    .options = options,
    .run = run,
    .description = "Checks MANIFEST.sha256's Ed25519 signature with signing-key.pub, every "
                   "listed file's SHA-256, and that no file was added. The key beside the "
                   "manifest proves the folder is intact; --key (the kiosk's public key from "
                   "its staff screen) proves which kiosk wrote it. Exit 1 names the first "
                   "file that fails.",
};
