/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assets.h"
#include "file_map.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int assets_path(const char *rel, char *out, size_t outlen, char *err, size_t errlen)
{
    /* The source tree first: a build run from its tree uses the assets it
     * was built with, not an older installed copy. */
    static const char *const dirs[] = {BZ_SOURCE_ASSETS_DIR, BZ_ASSETS_DIR};

    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(out, outlen, "%s/%s", dirs[i], rel);
        if (access(out, R_OK) == 0)
            return 0;
    }
    snprintf(err, errlen, "%s: not found in %s nor %s", rel, BZ_SOURCE_ASSETS_DIR, BZ_ASSETS_DIR);
    return -ENOENT;
}

int assets_load_strings(const char *lang, struct ui_strings *s, char *err, size_t errlen)
{
    char rel[64], path[512];
    struct file_map m = {0};
    int r;

    snprintf(rel, sizeof(rel), "strings/%s.txt", lang);
    r = assets_path(rel, path, sizeof(path), err, errlen);
    if (r < 0)
        return r;
    r = file_map_open(&m, path, err, errlen);
    if (r < 0)
        return r;
    r = ui_strings_parse(s, (const char *)m.data, m.len, path, err, errlen);
    file_map_close(&m);
    return r;
}
