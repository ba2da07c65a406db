/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "btsnoop.h"

#include "adv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const uint8_t magic[8] = {'b', 't', 's', 'n', 'o', 'o', 'p', '\0'};

enum {
    HCI_EV_LE_META = 0x3E,
    LE_ADV_REPORT = 0x02,
    LE_EXT_ADV_REPORT = 0x0D,
    LEGACY_FIXED = 10, /* type, addr type, addr, length … rssi */
    EXT_FIXED = 24,
    H4_COMMAND = 0x01,
    H4_ACL = 0x02,
    H4_EVENT = 0x04,
    /* No HCI packet comes near this: a bigger record is a corrupt length. */
    RECORD_MAX = 1 << 20,
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

bool btsnoop_report_is_scan_rsp(const struct btsnoop_report *r)
{
    return r->extended ? (r->event_type & BTSNOOP_EXT_SCAN_RSP) != 0
                       : r->event_type == BTSNOOP_SCAN_RSP;
}

int btsnoop_beacon(const struct btsnoop_report *r, struct beacon *b, size_t *offset)
{
    struct adv_fields f;
    enum adv_problem problem = adv_parse(r->data, r->data_len, &f, offset);

    adv_classify(&f, b);
    b->t_ms = r->t_ms;
    b->addr = r->addr;
    b->rssi = r->rssi;
    return (int)problem;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(struct btsnoop_reader *r, int error, size_t offset, const char *fmt, ...)
{
    va_list ap;

    r->error = error;
    r->error_offset = offset;
    va_start(ap, fmt);
    vsnprintf(r->error_text, sizeof(r->error_text), fmt, ap);
    va_end(ap);
    if (error == -EPROTO)
        r->pos = r->len; /* nothing after a broken record can be trusted */
    r->ev = NULL;
    return error;
}

int btsnoop_reader_init(struct btsnoop_reader *r, const uint8_t *buf, size_t len)
{
    uint32_t version, datalink;

    memset(r, 0, sizeof(*r));
    r->buf = buf;
    r->len = len;
    r->pos = len; /* until the header is known good */
    if (len < BTSNOOP_FILE_HEADER_LEN || memcmp(buf, magic, sizeof(magic)) != 0)
        return fail(r, -EPROTO, 0, "not a btsnoop file (no \"btsnoop\" header)");
    version = be32(buf + 8);
    datalink = be32(buf + 12);
    if (version != 1)
        return fail(r, -EPROTONOSUPPORT, 8, "btsnoop version %u is not supported (only 1)",
                    version);
    if (datalink != BTSNOOP_DATALINK_HCI && datalink != BTSNOOP_DATALINK_UART &&
        datalink != BTSNOOP_DATALINK_MONITOR)
        return fail(r, -EPROTONOSUPPORT, 12,
                    "btsnoop datalink %u is not supported (1001, 1002 and 2001 are)", datalink);
    r->datalink = datalink;
    r->pos = BTSNOOP_FILE_HEADER_LEN;
    return 0;
}

int64_t btsnoop_peek_time(const struct btsnoop_reader *r)
{
    if (r->ev && r->ev_left)
        return r->rec_t_us;
    if (r->pos < r->len && r->len - r->pos >= BTSNOOP_RECORD_HEADER_LEN)
        return (int64_t)(be64(r->buf + r->pos + 16) - (uint64_t)BTSNOOP_UNIX_EPOCH_US);
    return INT64_MIN;
}

static void addr_from_hci(const uint8_t *p, uint8_t hci_type, struct beacon_addr *a)
{
    for (int i = 0; i < 6; i++)
        a->b[i] = p[5 - i];
    a->type = hci_type == 0 || hci_type == 2 ? BEACON_ADDR_PUBLIC : BEACON_ADDR_RANDOM;
}

/* The next report of the event being walked. */
static int next_in_event(struct btsnoop_reader *r, struct btsnoop_report *rep)
{
    const uint8_t *p = r->ev + r->ev_pos;
    size_t room = r->ev_len - r->ev_pos;
    unsigned nr = r->ev_n - r->ev_left + 1;
    size_t need = r->ev_ext ? EXT_FIXED : LEGACY_FIXED;
    uint8_t dlen;

    if (room < need)
        goto overrun;
    memset(rep, 0, sizeof(*rep));
    if (r->ev_ext) {
        rep->event_type = (uint16_t)(p[0] | p[1] << 8);
        rep->hci_addr_type = p[2];
        addr_from_hci(p + 3, p[2], &rep->addr);
        rep->primary_phy = p[9];
        rep->secondary_phy = p[10];
        rep->sid = p[11];
        rep->tx_power = (int8_t)p[12];
        rep->rssi = (int8_t)p[13];
        dlen = p[23];
        if (room - need < dlen)
            goto overrun;
        rep->data = p + EXT_FIXED;
        r->ev_pos += EXT_FIXED + dlen;
    } else {
        rep->event_type = p[0];
        rep->hci_addr_type = p[1];
        addr_from_hci(p + 2, p[1], &rep->addr);
        dlen = p[8];
        if (room - need < dlen)
            goto overrun;
        rep->data = p + 9;
        rep->rssi = (int8_t)p[9 + dlen];
        rep->tx_power = BEACON_RSSI_NONE;
        r->ev_pos += LEGACY_FIXED + dlen;
    }
    rep->extended = r->ev_ext;
    rep->data_len = dlen;
    rep->t_us = r->rec_t_us;
    rep->t_ms = floor_div(r->rec_t_us, 1000);
    rep->record_offset = r->rec_offset;
    rep->index = r->rec_index;
    r->ev_left--;
    r->reports++;
    return 1;

overrun:
    return fail(r, -EBADMSG, r->rec_offset,
                "record at byte %zu: %s report %u of %u runs past the end of its event",
                r->rec_offset, r->ev_ext ? "LE Extended Advertising" : "LE Advertising", nr,
                r->ev_n);
}

/* Frames the record at r->pos. Returns: 1 and *rec (the packet as stored),
 * 0 at the end, or -EPROTO. */
static int frame_record(struct btsnoop_reader *r, struct btsnoop_record *rec)
{
    const uint8_t *p;
    size_t off, incl;

    if (r->pos >= r->len)
        return 0;
    off = r->pos;
    p = r->buf + off;
    if (r->len - off < BTSNOOP_RECORD_HEADER_LEN)
        return fail(r, -EPROTO, off,
                    "record at byte %zu: truncated, %zu of its 24 header bytes are there", off,
                    r->len - off);
    incl = be32(p + 4);
    if (incl > RECORD_MAX)
        return fail(r, -EPROTO, off, "record at byte %zu: corrupt, it claims %zu bytes of packet",
                    off, incl);
    if (incl > r->len - off - BTSNOOP_RECORD_HEADER_LEN)
        return fail(r, -EPROTO, off,
                    "record at byte %zu: truncated, %zu bytes of packet, %zu left in the file", off,
                    incl, r->len - off - BTSNOOP_RECORD_HEADER_LEN);
    r->pos = off + BTSNOOP_RECORD_HEADER_LEN + incl;
    r->records++;
    rec->offset = off;
    rec->flags = be32(p + 8);
    rec->t_us = (int64_t)(be64(p + 16) - (uint64_t)BTSNOOP_UNIX_EPOCH_US);
    rec->data = p + BTSNOOP_RECORD_HEADER_LEN;
    rec->len = incl;
    rec->index = 0;
    return 1;
}

/* What a 1001/1002 record holds, as a monitor opcode (0xFFFF: unknown). */
static uint16_t opcode_of(uint32_t flags, int h4)
{
    bool received = flags & 1, cmd_evt = flags & 2;

    switch (h4) {
    case H4_COMMAND:
        return BTSNOOP_OP_COMMAND;
    case H4_EVENT:
        return BTSNOOP_OP_EVENT;
    case H4_ACL:
        return received ? BTSNOOP_OP_ACL_RX : BTSNOOP_OP_ACL_TX;
    case -1:
        if (cmd_evt)
            return received ? BTSNOOP_OP_EVENT : BTSNOOP_OP_COMMAND;
        return received ? BTSNOOP_OP_ACL_RX : BTSNOOP_OP_ACL_TX;
    default:
        return 0xFFFF;
    }
}

int btsnoop_next_record(struct btsnoop_reader *r, struct btsnoop_record *rec)
{
    int n = frame_record(r, rec);

    if (n <= 0)
        return n;
    switch (r->datalink) {
    case BTSNOOP_DATALINK_MONITOR:
        rec->opcode = (uint16_t)(rec->flags & 0xFFFF);
        rec->index = (uint16_t)(rec->flags >> 16);
        break;
    case BTSNOOP_DATALINK_UART:
        rec->opcode = rec->len ? opcode_of(rec->flags, rec->data[0]) : 0xFFFF;
        if (rec->len) {
            rec->data++;
            rec->len--;
        }
        break;
    default:
        rec->opcode = opcode_of(rec->flags, -1);
        break;
    }
    return 1;
}

int btsnoop_next(struct btsnoop_reader *r, struct btsnoop_report *rep)
{
    struct btsnoop_record rec = {0};

    for (;;) {
        const uint8_t *ev;
        size_t off, evlen, plen;
        int n;

        if (r->ev) {
            if (r->ev_left)
                return next_in_event(r, rep);
            r->ev = NULL;
        }
        n = frame_record(r, &rec);
        if (n <= 0)
            return n;
        off = rec.offset;
        ev = rec.data;
        evlen = rec.len;
        switch (r->datalink) {
        case BTSNOOP_DATALINK_MONITOR:
            if ((rec.flags & 0xFFFF) != BTSNOOP_OP_EVENT)
                continue;
            r->rec_index = (uint16_t)(rec.flags >> 16);
            break;
        case BTSNOOP_DATALINK_UART:
            if (evlen < 1 || ev[0] != H4_EVENT)
                continue;
            ev++;
            evlen--;
            r->rec_index = 0;
            break;
        default: /* 1001: bit 0 = received, bit 1 = command or event */
            if ((rec.flags & 3) != 3)
                continue;
            r->rec_index = 0;
            break;
        }
        if (evlen < 2)
            return fail(r, -EBADMSG, off, "record at byte %zu: an HCI event of %zu bytes", off,
                        evlen);
        if (ev[0] != HCI_EV_LE_META)
            continue;
        plen = ev[1];
        if (plen > evlen - 2)
            return fail(r, -EBADMSG, off,
                        "record at byte %zu: LE event says %zu parameter bytes, the record has %zu",
                        off, plen, evlen - 2);
        if (plen < 1 || (ev[2] != LE_ADV_REPORT && ev[2] != LE_EXT_ADV_REPORT))
            continue;
        if (plen < 2)
            return fail(r, -EBADMSG, off,
                        "record at byte %zu: advertising report event without its count", off);
        r->events++;
        r->ev = ev;
        r->ev_len = 2 + plen;
        r->ev_pos = 4;
        r->ev_n = r->ev_left = ev[3];
        r->ev_ext = ev[2] == LE_EXT_ADV_REPORT;
        r->rec_offset = off;
        r->rec_t_us = rec.t_us;
    }
}

unsigned btsnoop_for_each(struct btsnoop_reader *r, const struct btsnoop_callbacks *cb)
{
    struct btsnoop_report rep;
    unsigned errors = 0;
    int n;

    for (;;) {
        n = btsnoop_next(r, &rep);
        if (n > 0) {
            if (cb->report(&rep, cb->userdata))
                break;
            continue;
        }
        if (n == 0)
            break;
        errors++;
        if (cb->error)
            cb->error(r, cb->userdata);
        if (n == -EPROTO)
            break;
    }
    return errors;
}

/* --- Writing --- */

static int emit(struct btsnoop_writer *w, const void *data, size_t len)
{
    int e;

    if (w->error)
        return w->error;
    e = w->write(data, len, w->userdata);
    if (e < 0)
        w->error = e;
    return e < 0 ? e : 0;
}

int btsnoop_writer_init(struct btsnoop_writer *w, uint32_t datalink, btsnoop_write_fn write,
                        void *userdata)
{
    uint8_t h[BTSNOOP_FILE_HEADER_LEN];

    memset(w, 0, sizeof(*w));
    w->datalink = datalink;
    w->write = write;
    w->userdata = userdata;
    if (datalink != BTSNOOP_DATALINK_HCI && datalink != BTSNOOP_DATALINK_UART &&
        datalink != BTSNOOP_DATALINK_MONITOR)
        return w->error = -EINVAL;
    memcpy(h, magic, sizeof(magic));
    put_be32(h + 8, 1);
    put_be32(h + 12, datalink);
    return emit(w, h, sizeof(h));
}

static void record_header(uint8_t h[BTSNOOP_RECORD_HEADER_LEN], int64_t t_us, uint32_t flags,
                          size_t len)
{
    put_be32(h, (uint32_t)len);
    put_be32(h + 4, (uint32_t)len);
    put_be32(h + 8, flags);
    put_be32(h + 12, 0);
    put_be64(h + 16, (uint64_t)t_us + (uint64_t)BTSNOOP_UNIX_EPOCH_US);
}

/* One record whose packet is `prefix` (0 or 1 byte) then data, in one write when small. */
static int write_packet(struct btsnoop_writer *w, int64_t t_us, uint32_t flags, int prefix,
                        const void *data, size_t len)
{
    uint8_t buf[BTSNOOP_RECORD_HEADER_LEN + 1 + 320];
    size_t total = len + (prefix >= 0);
    size_t n = BTSNOOP_RECORD_HEADER_LEN;
    int e;

    if (total > RECORD_MAX)
        return -EMSGSIZE;
    record_header(buf, t_us, flags, total);
    if (prefix >= 0)
        buf[n++] = (uint8_t)prefix;
    if (len <= sizeof(buf) - n) {
        if (len)
            memcpy(buf + n, data, len);
        e = emit(w, buf, n + len);
    } else {
        e = emit(w, buf, n);
        if (e == 0)
            e = emit(w, data, len);
    }
    if (e == 0)
        w->records++;
    return e;
}

int btsnoop_write_record(struct btsnoop_writer *w, int64_t t_us, uint32_t flags, const void *data,
                         size_t len)
{
    return write_packet(w, t_us, flags, -1, data, len);
}

int btsnoop_write_hci(struct btsnoop_writer *w, int64_t t_us, uint16_t index, uint16_t opcode,
                      const void *data, size_t len)
{
    uint32_t flags;
    int h4;

    if (w->datalink == BTSNOOP_DATALINK_MONITOR)
        return write_packet(w, t_us, (uint32_t)index << 16 | opcode, -1, data, len);
    switch (opcode) {
    case BTSNOOP_OP_COMMAND:
        flags = 2;
        h4 = H4_COMMAND;
        break;
    case BTSNOOP_OP_EVENT:
        flags = 3;
        h4 = H4_EVENT;
        break;
    case BTSNOOP_OP_ACL_TX:
        flags = 0;
        h4 = H4_ACL;
        break;
    case BTSNOOP_OP_ACL_RX:
        flags = 1;
        h4 = H4_ACL;
        break;
    default:
        return 0; /* nothing these formats can hold */
    }
    return write_packet(w, t_us, flags, w->datalink == BTSNOOP_DATALINK_UART ? h4 : -1, data, len);
}

int btsnoop_write_new_index(struct btsnoop_writer *w, int64_t t_us, uint16_t index,
                            const struct beacon_addr *controller, const char *name)
{
    uint8_t p[16] = {0};

    if (w->datalink != BTSNOOP_DATALINK_MONITOR)
        return 0;
    p[0] = 0; /* primary controller */
    p[1] = 0; /* bus: virtual */
    for (int i = 0; i < 6; i++)
        p[2 + i] = controller->b[5 - i];
    /* The monitor's name field is 8 bytes, NUL-padded, not NUL-terminated. */
    memcpy(p + 8, name, strnlen(name, 8));
    return write_packet(w, t_us, (uint32_t)index << 16 | BTSNOOP_OP_NEW_INDEX, -1, p, sizeof(p));
}

static uint8_t *put_addr(uint8_t *o, const struct beacon_addr *a)
{
    for (int i = 0; i < 6; i++)
        *o++ = a->b[5 - i];
    return o;
}

size_t btsnoop_build_adv_event(uint8_t out[BTSNOOP_EVENT_MAX], bool extended,
                               const struct btsnoop_report *reps, size_t n)
{
    size_t plen = 2;
    uint8_t *o;

    if (n > 255)
        return 0;
    for (size_t i = 0; i < n; i++)
        plen += (extended ? EXT_FIXED : LEGACY_FIXED) + reps[i].data_len;
    if (plen > 255)
        return 0;
    out[0] = HCI_EV_LE_META;
    out[1] = (uint8_t)plen;
    out[2] = extended ? LE_EXT_ADV_REPORT : LE_ADV_REPORT;
    out[3] = (uint8_t)n;
    o = out + 4;
    for (size_t i = 0; i < n; i++) {
        const struct btsnoop_report *r = &reps[i];
        if (extended) {
            *o++ = (uint8_t)r->event_type;
            *o++ = (uint8_t)(r->event_type >> 8);
            *o++ = r->hci_addr_type;
            o = put_addr(o, &r->addr);
            *o++ = r->primary_phy;
            *o++ = r->secondary_phy;
            *o++ = r->sid;
            *o++ = (uint8_t)r->tx_power;
            *o++ = (uint8_t)r->rssi;
            memset(o, 0, 9); /* no periodic advertising, not directed */
            o += 9;
            *o++ = r->data_len;
            if (r->data_len)
                memcpy(o, r->data, r->data_len);
            o += r->data_len;
        } else {
            *o++ = (uint8_t)r->event_type;
            *o++ = r->hci_addr_type;
            o = put_addr(o, &r->addr);
            *o++ = r->data_len;
            if (r->data_len)
                memcpy(o, r->data, r->data_len);
            o += r->data_len;
            *o++ = (uint8_t)r->rssi;
        }
    }
    return (size_t)(o - out);
}
