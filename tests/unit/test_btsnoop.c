/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/btsnoop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* 2026-11-23T00:30:00.123456Z */
#define T0_US 1795393800123456LL

struct membuf {
    uint8_t *p;
    size_t len, cap;
    int fail_after; /* make write() fail after this many calls (0 = never) */
    int calls;
};

static int mem_write(const void *data, size_t len, void *userdata)
{
    struct membuf *m = userdata;

    if (m->fail_after && ++m->calls > m->fail_after)
        return -ENOSPC;
    if (m->len + len > m->cap) {
        m->cap = (m->len + len) * 2;
        m->p = realloc(m->p, m->cap);
        assert_non_null(m->p);
    }
    memcpy(m->p + m->len, data, len);
    m->len += len;
    return 0;
}

static const uint8_t android_ad[] = {0x02, 0x01, 0x02, 0x0F, 0xFF, 0xB5, 0x22, 0xFA,
                                     0x42, 0xFE, 0x0F, 0x93, 0x6F, 0x30, 0xDF, 0x3B,
                                     0x89, 0x42, 0xA0, 0x03, 0x03, 0x56, 0x4E};
static const uint8_t name_ad[] = {0x09, 0x09, 'B', 'l', 'u', 'e', 'z', 'o', 'n', 'e'};

static struct btsnoop_report report(uint8_t a0, int8_t rssi, const uint8_t *data, uint8_t len)
{
    struct btsnoop_report r = {0};

    r.addr = (struct beacon_addr){{a0, 0x11, 0x22, 0x33, 0x44, 0x55}, BEACON_ADDR_RANDOM};
    r.hci_addr_type = 1;
    r.rssi = rssi;
    r.data = data;
    r.data_len = len;
    r.tx_power = 127;
    return r;
}

/* A small capture: noise records, one legacy event with three reports, one
 * extended event with two, a scan response; returns the expected reports. */
static size_t write_sample(struct membuf *m, uint32_t datalink, struct btsnoop_report *want)
{
    struct btsnoop_writer w;
    struct beacon_addr ctrl = {{0x00, 0xAA, 0x01, 0x00, 0x00, 0x00}, 0};
    uint8_t ev[BTSNOOP_EVENT_MAX];
    const uint8_t cmd[] = {0x0C, 0x20, 0x02, 0x01, 0x00};             /* LE Set Scan Enable */
    const uint8_t cc[] = {0x0E, 0x04, 0x01, 0x0C, 0x20, 0x00};        /* Command Complete */
    const uint8_t conn[] = {0x3E, 0x03, 0x01, 0x00, 0x00};            /* LE Connection Complete */
    const uint8_t acl[] = {0x01, 0x20, 0x04, 0x00, 0x00, 0x00, 0x00}; /* ACL in */
    size_t n, k = 0;

    memset(m, 0, sizeof(*m));
    assert_int_equal(btsnoop_writer_init(&w, datalink, mem_write, m), 0);
    assert_int_equal(btsnoop_write_new_index(&w, T0_US, 1, &ctrl, "hci1"), 0);
    assert_int_equal(btsnoop_write_hci(&w, T0_US, 1, BTSNOOP_OP_COMMAND, cmd, sizeof(cmd)), 0);
    assert_int_equal(btsnoop_write_hci(&w, T0_US + 5, 1, BTSNOOP_OP_EVENT, cc, sizeof(cc)), 0);

    want[k] = report(0x41, -61, android_ad, sizeof(android_ad));
    want[k].event_type = BTSNOOP_ADV_IND;
    want[k + 1] = report(0x42, -90, NULL, 0);
    want[k + 1].event_type = BTSNOOP_ADV_NONCONN_IND;
    want[k + 2] = report(0x43, 127, name_ad, sizeof(name_ad));
    want[k + 2].event_type = BTSNOOP_SCAN_RSP;
    want[k + 2].addr.type = BEACON_ADDR_PUBLIC;
    want[k + 2].hci_addr_type = 0;
    n = btsnoop_build_adv_event(ev, false, want + k, 3);
    assert_int_not_equal(n, 0);
    assert_int_equal(btsnoop_write_hci(&w, T0_US + 1000, 1, BTSNOOP_OP_EVENT, ev, n), 0);
    for (size_t i = 0; i < 3; i++)
        want[k + i].t_us = T0_US + 1000;
    k += 3;

    assert_int_equal(btsnoop_write_hci(&w, T0_US + 1500, 1, BTSNOOP_OP_EVENT, conn, sizeof(conn)),
                     0);
    assert_int_equal(btsnoop_write_hci(&w, T0_US + 1600, 1, BTSNOOP_OP_ACL_RX, acl, sizeof(acl)),
                     0);

    want[k] = report(0x51, -45, android_ad, sizeof(android_ad));
    want[k].extended = true;
    want[k].event_type = BTSNOOP_EXT_LEGACY | BTSNOOP_EXT_CONNECTABLE | BTSNOOP_EXT_SCANNABLE;
    want[k].primary_phy = 1;
    want[k + 1] = report(0x52, -70, name_ad, sizeof(name_ad));
    want[k + 1].extended = true;
    want[k + 1].event_type = BTSNOOP_EXT_SCAN_RSP | BTSNOOP_EXT_SCANNABLE;
    want[k + 1].hci_addr_type = 3;
    want[k + 1].tx_power = -7;
    want[k + 1].primary_phy = 1;
    want[k + 1].secondary_phy = 2;
    want[k + 1].sid = 4;
    n = btsnoop_build_adv_event(ev, true, want + k, 2);
    assert_int_not_equal(n, 0);
    assert_int_equal(btsnoop_write_hci(&w, T0_US + 2000000, 1, BTSNOOP_OP_EVENT, ev, n), 0);
    want[k].t_us = want[k + 1].t_us = T0_US + 2000000;
    k += 2;
    assert_int_equal(w.error, 0);
    return k;
}

static void expect_report(const struct btsnoop_report *got, const struct btsnoop_report *want,
                          uint32_t datalink)
{
    assert_int_equal(got->t_us, want->t_us);
    assert_int_equal(got->t_ms, want->t_us / 1000);
    assert_int_equal(got->index, datalink == BTSNOOP_DATALINK_MONITOR ? 1 : 0);
    assert_int_equal(got->extended, want->extended);
    assert_int_equal(got->event_type, want->event_type);
    assert_memory_equal(got->addr.b, want->addr.b, 6);
    assert_int_equal(got->addr.type, want->addr.type);
    assert_int_equal(got->hci_addr_type, want->hci_addr_type);
    assert_int_equal(got->rssi, want->rssi);
    assert_int_equal(got->data_len, want->data_len);
    if (want->data_len)
        assert_memory_equal(got->data, want->data, want->data_len);
    if (want->extended) {
        assert_int_equal(got->tx_power, want->tx_power);
        assert_int_equal(got->primary_phy, want->primary_phy);
        assert_int_equal(got->secondary_phy, want->secondary_phy);
        assert_int_equal(got->sid, want->sid);
    }
}

static void test_roundtrip_every_datalink(void **state)
{
    static const uint32_t links[] = {BTSNOOP_DATALINK_MONITOR, BTSNOOP_DATALINK_UART,
                                     BTSNOOP_DATALINK_HCI};
    struct btsnoop_report want[8], got;
    struct btsnoop_reader r;
    struct membuf m;

    (void)state;
    for (size_t l = 0; l < 3; l++) {
        size_t n = write_sample(&m, links[l], want), k = 0;
        assert_int_equal(btsnoop_reader_init(&r, m.p, m.len), 0);
        assert_int_equal(r.datalink, links[l]);
        assert_int_equal(btsnoop_peek_time(&r), T0_US);
        while (btsnoop_next(&r, &got) == 1) {
            assert_true(k < n);
            expect_report(&got, &want[k++], links[l]);
            assert_true(btsnoop_report_is_scan_rsp(&got) ==
                        (k == 3 || k == 5)); /* the third and fifth are scan responses */
        }
        assert_int_equal(k, n);
        assert_int_equal(r.error, 0);
        assert_int_equal(r.reports, n);
        assert_int_equal(r.events, 2);
        assert_int_equal(btsnoop_next(&r, &got), 0);
        assert_int_equal(btsnoop_peek_time(&r), INT64_MIN);
        free(m.p);
    }
}

/* Every record, as a tool that copies captures sees them. */
static void test_records(void **state)
{
    static const uint32_t links[] = {BTSNOOP_DATALINK_MONITOR, BTSNOOP_DATALINK_UART,
                                     BTSNOOP_DATALINK_HCI};
    /* NEW_INDEX (2001 only), command, event, event, LE event, ACL in, event */
    static const uint16_t want[] = {BTSNOOP_OP_NEW_INDEX, BTSNOOP_OP_COMMAND, BTSNOOP_OP_EVENT,
                                    BTSNOOP_OP_EVENT,     BTSNOOP_OP_EVENT,   BTSNOOP_OP_ACL_RX,
                                    BTSNOOP_OP_EVENT};
    struct btsnoop_report reps[8];
    struct btsnoop_record rec;
    struct btsnoop_reader r;
    struct membuf m;

    (void)state;
    for (size_t l = 0; l < 3; l++) {
        size_t k = links[l] == BTSNOOP_DATALINK_MONITOR ? 0 : 1;
        write_sample(&m, links[l], reps);
        assert_int_equal(btsnoop_reader_init(&r, m.p, m.len), 0);
        while (btsnoop_next_record(&r, &rec) == 1) {
            assert_true(k < sizeof(want) / sizeof(want[0]));
            assert_int_equal(rec.opcode, want[k]);
            assert_int_equal(rec.index, links[l] == BTSNOOP_DATALINK_MONITOR ? 1 : 0);
            if (rec.opcode == BTSNOOP_OP_COMMAND)
                assert_int_equal(rec.data[0], 0x0C); /* no H4 byte left */
            k++;
        }
        assert_int_equal(k, sizeof(want) / sizeof(want[0]));
        assert_int_equal(r.error, 0);
        free(m.p);
    }
}

static void test_time(void **state)
{
    struct btsnoop_report rep = report(1, -50, NULL, 0), got;
    struct btsnoop_reader r;
    struct btsnoop_writer w;
    struct membuf m = {0};
    uint8_t ev[BTSNOOP_EVENT_MAX];
    size_t n = btsnoop_build_adv_event(ev, false, &rep, 1);

    (void)state;
    btsnoop_writer_init(&w, BTSNOOP_DATALINK_MONITOR, mem_write, &m);
    btsnoop_write_hci(&w, -1500, 0, BTSNOOP_OP_EVENT, ev, n); /* before 1970: rounds down */
    btsnoop_write_hci(&w, 0, 0, BTSNOOP_OP_EVENT, ev, n);
    /* the timestamp field of the second record: microseconds since 0 AD */
    const uint8_t *ts = m.p + 16 + 24 + n + 16;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | ts[i];
    assert_true(v == 0x00dcddb30f2f8000ULL);
    btsnoop_reader_init(&r, m.p, m.len);
    assert_int_equal(btsnoop_next(&r, &got), 1);
    assert_int_equal(got.t_us, -1500);
    assert_int_equal(got.t_ms, -2);
    assert_int_equal(btsnoop_next(&r, &got), 1);
    assert_int_equal(got.t_ms, 0);
    free(m.p);
}

static void test_bad_headers(void **state)
{
    struct btsnoop_reader r;
    struct btsnoop_report rep;
    uint8_t h[16] = {'b', 't', 's', 'n', 'o', 'o', 'p', 0, 0, 0, 0, 1, 0, 0, 0x07, 0xD1};

    (void)state;
    assert_int_equal(btsnoop_reader_init(&r, h, 16), 0);
    assert_int_equal(btsnoop_next(&r, &rep), 0); /* no records: an empty capture */
    assert_int_equal(btsnoop_reader_init(&r, h, 15), -EPROTO);
    assert_non_null(strstr(r.error_text, "not a btsnoop file"));
    assert_int_equal(btsnoop_next(&r, &rep), 0);
    h[11] = 2;
    assert_int_equal(btsnoop_reader_init(&r, h, 16), -EPROTONOSUPPORT);
    assert_non_null(strstr(r.error_text, "version 2"));
    h[11] = 1;
    h[15] = 0xEB; /* 1003, BCSP */
    h[14] = 0x03;
    assert_int_equal(btsnoop_reader_init(&r, h, 16), -EPROTONOSUPPORT);
    assert_non_null(strstr(r.error_text, "datalink 1003"));
    assert_int_equal(btsnoop_next(&r, &rep), 0);
    h[0] = 'B';
    assert_int_equal(btsnoop_reader_init(&r, h, 16), -EPROTO);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Reads everything; returns the reports seen; *errors and the last error kept. */
static size_t read_all(const uint8_t *p, size_t len, int *last_error, size_t *offset)
{
    struct btsnoop_reader r;
    struct btsnoop_report rep;
    size_t n = 0;
    int e;
    uint8_t *copy = malloc(len);

    assert_non_null(copy);
    memcpy(copy, p, len);
    *last_error = 0;
    assert_int_equal(btsnoop_reader_init(&r, copy, len), 0);
    while ((e = btsnoop_next(&r, &rep)) != 0) {
        if (e == 1) {
            n++;
            continue;
        }
        *last_error = e;
        *offset = r.error_offset;
        assert_non_null(strstr(r.error_text, "record at byte"));
    }
    free(copy);
    return n;
}

static void test_truncated_and_corrupt(void **state)
{
    struct btsnoop_report want[8];
    struct membuf m;
    size_t n = write_sample(&m, BTSNOOP_DATALINK_MONITOR, want), off = 0;
    /* record offsets: the last record (extended event) starts here */
    size_t last = m.len - 24 - (4 + 2 * 24 + sizeof(android_ad) + sizeof(name_ad));
    int e;

    (void)state;
    /* every cut: never out of bounds; the reports of whole records come first */
    for (size_t cut = 16; cut <= m.len; cut++) {
        size_t got = read_all(m.p, cut, &e, &off);
        if (cut == m.len) {
            assert_int_equal(got, n);
            assert_int_equal(e, 0);
        } else if (cut > last) {
            assert_int_equal(got, 3);
            assert_int_equal(e, -EPROTO);
            assert_int_equal(off, last);
        }
    }
    /* a length far too big */
    {
        uint8_t *c = malloc(m.len);
        memcpy(c, m.p, m.len);
        put32(c + last + 4, 0x7FFFFFFF);
        assert_int_equal(read_all(c, m.len, &e, &off), 3);
        assert_int_equal(e, -EPROTO);
        assert_int_equal(off, last);
        free(c);
    }
    /* an event claiming 3 reports where 2 fit: 2 reports, an error, then the file goes on */
    {
        uint8_t *c = malloc(m.len + m.len);
        memcpy(c, m.p, m.len);
        memcpy(c + m.len, m.p + last, m.len - last); /* the extended event once more */
        c[last + 24 + 3] = 3;
        assert_int_equal(read_all(c, m.len + (m.len - last), &e, &off), 3 + 2 + 2);
        assert_int_equal(e, -EBADMSG);
        assert_int_equal(off, last);
        /* a parameter length past the record */
        c[last + 24 + 3] = 2;
        c[last + 24 + 1] = 250;
        assert_int_equal(read_all(c, m.len + (m.len - last), &e, &off), 3 + 2);
        assert_int_equal(e, -EBADMSG);
        free(c);
    }
    free(m.p);
}

static int count_report(const struct btsnoop_report *rep, void *userdata)
{
    size_t *n = userdata;

    (void)rep;
    return ++*n == 4; /* stop after the fourth */
}

static void count_error(const struct btsnoop_reader *r, void *userdata)
{
    (void)r;
    (void)userdata;
}

static void test_for_each_and_writer_errors(void **state)
{
    struct btsnoop_report want[8];
    struct btsnoop_callbacks cb = {count_report, count_error, NULL};
    struct btsnoop_reader r;
    struct btsnoop_writer w;
    struct membuf m;
    size_t n = 0;
    uint8_t ev[BTSNOOP_EVENT_MAX], big[200] = {0};
    struct btsnoop_report reps[2];

    (void)state;
    write_sample(&m, BTSNOOP_DATALINK_UART, want);
    cb.userdata = &n;
    btsnoop_reader_init(&r, m.p, m.len);
    assert_int_equal(btsnoop_for_each(&r, &cb), 0);
    assert_int_equal(n, 4);
    btsnoop_reader_init(&r, m.p, m.len - 1);
    n = 10;
    assert_int_equal(btsnoop_for_each(&r, &cb), 1);
    assert_int_equal(r.error, -EPROTO);
    free(m.p);

    /* a write error is kept and stops later writes */
    memset(&m, 0, sizeof(m));
    m.fail_after = 2;
    assert_int_equal(btsnoop_writer_init(&w, BTSNOOP_DATALINK_MONITOR, mem_write, &m), 0);
    assert_int_equal(btsnoop_write_record(&w, 0, 3, ev, 0), 0);
    assert_int_equal(btsnoop_write_record(&w, 0, 3, ev, 0), -ENOSPC);
    assert_int_equal(btsnoop_write_record(&w, 0, 3, ev, 0), -ENOSPC);
    assert_int_equal(w.error, -ENOSPC);
    assert_int_equal(w.records, 1);
    free(m.p);
    assert_int_equal(btsnoop_writer_init(&w, 1003, mem_write, &m), -EINVAL);

    /* reports that do not fit one event */
    reps[0] = report(1, -50, big, 200);
    reps[1] = report(2, -50, big, 40);
    assert_int_not_equal(btsnoop_build_adv_event(ev, false, reps, 1), 0);
    assert_int_equal(btsnoop_build_adv_event(ev, false, reps, 2), 0);
    assert_int_equal(btsnoop_build_adv_event(ev, true, reps, 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_every_datalink),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_truncated_and_corrupt),
        cmocka_unit_test(test_for_each_and_writer_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
