/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "settings.h"

#include "kiosk/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SETTINGS_MAX_BYTES (64 * 1024)

int settings_load_file(struct config *cfg, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f;
    int r;

    f = fopen(path, "rb");
    if (!f) {
        r = -errno;
        snprintf(err, errlen, "%s: cannot open the settings file: %s", path, strerror(errno));
        return r;
    }
    text = malloc(SETTINGS_MAX_BYTES + 1);
    if (!text) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return -ENOMEM;
    }
    len = fread(text, 1, SETTINGS_MAX_BYTES + 1, f);
    if (ferror(f)) {
        r = -EIO;
        snprintf(err, errlen, "%s: cannot read the settings file: %s", path, strerror(errno));
    } else if (len > SETTINGS_MAX_BYTES) {
        r = -EFBIG;
        snprintf(err, errlen, "%s: too large; allowed: at most %d KiB of settings", path,
                 SETTINGS_MAX_BYTES / 1024);
    } else {
        r = config_parse(cfg, text, len, path, err, errlen);
    }
    fclose(f);
    free(text);
    return r;
}

struct apply_ctx {
    struct config *cfg;
    char *err;
    size_t errlen;
};

static int apply_set(const char *value, void *userdata)
{
    struct apply_ctx *ctx = userdata;
    return config_set(ctx->cfg, value, ctx->err, ctx->errlen);
}

int settings_for_command(struct config *cfg, const struct cli_args *args, char *err, size_t errlen)
{
    const char *path = cli_get(args, "config");
    struct config next;
    struct apply_ctx ctx = {&next, err, errlen};
    int r;

    config_defaults(&next);
    if (path) {
        r = settings_load_file(&next, path, err, errlen);
        if (r < 0)
            return r;
        log_debug("settings from %s", path);
    } else if (access(SETTINGS_DEFAULT_PATH, F_OK) == 0) {
        r = settings_load_file(&next, SETTINGS_DEFAULT_PATH, err, errlen);
        if (r < 0)
            return r;
        log_debug("settings from %s", SETTINGS_DEFAULT_PATH);
    } else {
        log_debug("no settings file (%s): using the defaults", SETTINGS_DEFAULT_PATH);
    }
    if (cli_has(args, "set")) {
        r = cli_each(args, "set", apply_set, &ctx);
        if (r < 0)
            return r;
    }
    *cfg = next;
    return 0;
}
