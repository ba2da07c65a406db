/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: any bytes as a keys file for `bzkiosk trace`. */
#include "kiosk/trace.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct trace_key keys[64];
    char err[256];
    int n = trace_parse_keys((const char *)data, size, "f", keys, 64, err, sizeof(err));

    if (n > 64)
        abort();
    for (int i = 0; i < n; i++)
        if (keys[i].slots < 1 || keys[i].slots > BLUEZONE_MAX_SLOTS || 86400 % keys[i].slots ||
            keys[i].day_start_s % 86400 || keys[i].line < 1)
            abort();
    if (n < 0 && strnlen(err, sizeof(err)) == 0)
        abort();
    return 0;
}
