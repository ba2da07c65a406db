/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: any bytes as a btsnoop file. Every report must lie inside
 * the buffer, and rebuilding its event and reading it back must give it again. */
#include "kiosk/btsnoop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(const void *p, size_t n, void *userdata)
{
    (void)p;
    (void)n;
    (void)userdata;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct btsnoop_reader r, r2;
    struct btsnoop_report rep, again;
    struct btsnoop_writer w;
    struct beacon b;
    uint8_t ev[BTSNOOP_EVENT_MAX], file[16 + 24 + BTSNOOP_EVENT_MAX + 1];
    int n, guard = 0;

    if (btsnoop_reader_init(&r, data, size) < 0)
        return 0;
    btsnoop_peek_time(&r);
    while ((n = btsnoop_next(&r, &rep)) != 0) {
        if (++guard > 1000000)
            abort(); /* it must always move on */
        if (n < 0) {
            if ((n != -EBADMSG && n != -EPROTO) || r.error_offset >= size)
                abort();
            continue;
        }
        if (rep.data_len && (rep.data < data || rep.data + rep.data_len > data + size))
            abort();
        btsnoop_beacon(&rep, &b, NULL);
        /* rebuild the report as a one-report event in a 2001 file and read it back */
        size_t len = btsnoop_build_adv_event(ev, rep.extended, &rep, 1);
        if (!len)
            continue;
        memcpy(file, "btsnoop\0\0\0\0\1\0\0\x07\xd1", 16);
        memset(file + 16, 0, 24);
        file[16 + 3] = file[16 + 7] = (uint8_t)len;
        file[16 + 11] = 3;
        memcpy(file + 40, ev, len);
        if (btsnoop_reader_init(&r2, file, 40 + len) != 0 || btsnoop_next(&r2, &again) != 1)
            abort();
        if (again.data_len != rep.data_len || memcmp(again.addr.b, rep.addr.b, 6) != 0 ||
            again.rssi != rep.rssi || again.event_type != rep.event_type ||
            (rep.data_len && memcmp(again.data, rep.data, rep.data_len) != 0))
            abort();
    }
    btsnoop_writer_init(&w, r.datalink ? r.datalink : 2001, sink, NULL);
    return 0;
}
