/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: any bytes as advertising data (adv_parse + adv_classify),
 * and as a UUID string (adv_uuid128_parse). */
#include "kiosk/adv.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct adv_fields f;
    struct adv_uuid128 u;
    struct beacon b;
    size_t off = 0;
    char s[40];
    enum adv_problem p = adv_parse(data, size, &f, &off);

    if (p != ADV_OK && off >= size)
        abort();
    if (f.n_uuid16 > ADV_MAX_UUID16 || f.n_uuid128 > ADV_MAX_UUID128 || f.n_mfr > ADV_MAX_MFR ||
        f.n_svc > ADV_MAX_SVC || strnlen(f.name, sizeof(f.name)) >= sizeof(f.name))
        abort();
    for (int i = 0; i < f.n_mfr; i++)
        if (f.mfr[i].len > ADV_MAX_FIELD || f.mfr[i].len > f.mfr[i].full_len)
            abort();
    adv_classify(&f, &b);
    if (b.kind >= BEACON_KIND_COUNT || (b.has_id && !beacon_kind_is_bluezone(b.kind)))
        abort();
    /* the same bytes as a UUID string */
    memcpy(s, data, size < sizeof(s) - 1 ? size : sizeof(s) - 1);
    s[size < sizeof(s) - 1 ? size : sizeof(s) - 1] = '\0';
    if (adv_uuid128_parse(s, &u) == 0) {
        char back[37];
        adv_uuid128_format(&u, back);
        if (strcasecmp(back, s) != 0)
            abort();
    }
    return 0;
}
