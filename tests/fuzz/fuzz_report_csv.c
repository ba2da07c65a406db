/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: any bytes as another kiosk's report CSV (`report --merge`). */
#include "kiosk/report.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(const struct report_day *r, void *userdata)
{
    int64_t sum = 0;

    (void)userdata;
    for (int a = 0; a < VISIT_APP_COUNT; a++)
        sum += r->f.by_app[a];
    if (sum != r->f.visits || r->kiosks < 1 || strnlen(r->site, sizeof(r->site)) >= sizeof(r->site))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    int n = report_parse_csv((const char *)data, size, "f", check, NULL, err, sizeof(err));

    if (n < 0 && strnlen(err, sizeof(err)) == 0)
        abort();
    return 0;
}
