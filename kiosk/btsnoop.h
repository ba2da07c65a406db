/* SPDX-License-Identifier: GPL-3.0-or-later */
/* btsnoop files: what `btmon -w` writes (datalink 2001, Linux monitor) and
 * Android's HCI snoop log (1002, H4 UART; 1001, unencapsulated HCI).
 *
 * The reader is a cursor over bytes the platform has mapped or read: it
 * yields one advertising report at a time (LE Advertising Report and LE
 * Extended Advertising Report events, any number of reports per event),
 * pointing into the buffer, with no allocation. The replay source steps it
 * by time; decode and replay run it flat out with btsnoop_for_each.
 *
 * The writer builds the same records for the simulator and the tests and
 * hands the bytes to a callback (the platform owns the file). */
#ifndef BZ_BTSNOOP_H
#define BZ_BTSNOOP_H

#include "beacon.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BTSNOOP_FILE_HEADER_LEN   16
#define BTSNOOP_RECORD_HEADER_LEN 24
/* Record timestamps count microseconds from "0 AD" as btsnoop defines it;
 * this is 1970-01-01 on that scale (the value BlueZ and Wireshark use). */
#define BTSNOOP_UNIX_EPOCH_US 0x00dcddb30f2f8000LL

enum btsnoop_datalink {
    BTSNOOP_DATALINK_HCI = 1001,     /* unencapsulated HCI; flags say direction and kind */
    BTSNOOP_DATALINK_UART = 1002,    /* H4: the first byte is the packet type */
    BTSNOOP_DATALINK_MONITOR = 2001, /* Linux monitor: flags = controller index << 16 | opcode */
};

/* Monitor opcodes (the low 16 bits of a 2001 record's flags). */
enum btsnoop_opcode {
    BTSNOOP_OP_NEW_INDEX = 0,
    BTSNOOP_OP_DEL_INDEX = 1,
    BTSNOOP_OP_COMMAND = 2,
    BTSNOOP_OP_EVENT = 3,
    BTSNOOP_OP_ACL_TX = 4,
    BTSNOOP_OP_ACL_RX = 5,
    BTSNOOP_OP_OPEN_INDEX = 8,
    BTSNOOP_OP_INDEX_INFO = 10,
};

/* Legacy event types (LE Advertising Report). */
enum {
    BTSNOOP_ADV_IND = 0,
    BTSNOOP_ADV_DIRECT_IND = 1,
    BTSNOOP_ADV_SCAN_IND = 2,
    BTSNOOP_ADV_NONCONN_IND = 3,
    BTSNOOP_SCAN_RSP = 4,
};

/* Extended event type bits (LE Extended Advertising Report). */
enum {
    BTSNOOP_EXT_CONNECTABLE = 0x0001,
    BTSNOOP_EXT_SCANNABLE = 0x0002,
    BTSNOOP_EXT_DIRECTED = 0x0004,
    BTSNOOP_EXT_SCAN_RSP = 0x0008,
    BTSNOOP_EXT_LEGACY = 0x0010,
    BTSNOOP_EXT_DATA_STATUS = 0x0060, /* 0 complete, 0x20 more to come, 0x40 truncated */
};

/* One advertising report. */
struct btsnoop_report {
    int64_t t_us;         /* the record's time, unix microseconds */
    int64_t t_ms;         /* the same, unix milliseconds (rounded down) */
    size_t record_offset; /* where its record starts in the file */
    uint16_t index;       /* the controller (datalink 2001; 0 otherwise) */
    bool extended;        /* from an LE Extended Advertising Report */
    uint16_t event_type;  /* legacy: BTSNOOP_ADV_IND …; extended: BTSNOOP_EXT_* bits */
    struct beacon_addr addr;
    uint8_t hci_addr_type; /* as HCI said: 0 public, 1 random, 2/3 identity, 0xFF anonymous */
    int8_t rssi;           /* dBm, BEACON_RSSI_NONE (127) when not available */
    int8_t tx_power;       /* extended only; 127 when not available */
    uint8_t primary_phy, secondary_phy, sid; /* extended only */
    uint8_t data_len;
    const uint8_t *data; /* the advertising data, inside the reader's buffer */
};

/* True for a scan response (legacy or extended). */
bool btsnoop_report_is_scan_rsp(const struct btsnoop_report *r);

/* The classified beacon of a report (adv_parse + adv_classify): time,
 * address, RSSI, kind and ID. Returns: what adv_parse said of the data
 * (ADV_OK …, an enum adv_problem); *offset (if not NULL) where. */
int btsnoop_beacon(const struct btsnoop_report *r, struct beacon *b, size_t *offset);

/* The cursor. Fields are private except the counters and the error. */
struct btsnoop_reader {
    const uint8_t *buf;
    size_t len;
    uint32_t datalink;
    size_t pos; /* the next record */
    /* the event being walked */
    const uint8_t *ev;
    size_t ev_len, ev_pos;
    unsigned ev_left, ev_n;
    bool ev_ext;
    size_t rec_offset;
    int64_t rec_t_us;
    uint16_t rec_index;
    /* counters */
    uint64_t records, events, reports;
    /* the last error: -EBADMSG (a malformed event: reading goes on with the
     * next record) or -EPROTO (a truncated or corrupt record: nothing after
     * it can be trusted, reading stops). */
    int error;
    size_t error_offset;
    char error_text[160];
};

/* Checks the file header. Returns: 0, or -EPROTO / -EPROTONOSUPPORT with
 * error_text ("not a btsnoop file", "datalink 1003 is not supported …"). */
int btsnoop_reader_init(struct btsnoop_reader *r, const uint8_t *buf, size_t len);

/* The next advertising report. Returns: 1 and *rep; 0 at the end of the
 * file (or after a fatal error); -EBADMSG for a malformed event, after the
 * reports before the fault were returned (call again to go on); -EPROTO for
 * a truncated or corrupt record (error_offset and error_text say where and
 * what; every earlier record was returned). */
int btsnoop_next(struct btsnoop_reader *r, struct btsnoop_report *rep);

/* The time of the record the cursor is at (unix µs), or INT64_MIN at the
 * end: the paced replay waits for it without consuming anything. */
int64_t btsnoop_peek_time(const struct btsnoop_reader *r);

/* One record, whatever it holds (for tools that copy or convert captures). */
struct btsnoop_record {
    int64_t t_us;  /* unix microseconds */
    size_t offset; /* where it starts in the file */
    uint32_t flags;
    uint16_t index;  /* the controller (2001), else 0 */
    uint16_t opcode; /* as 2001 says it (enum btsnoop_opcode); 1001/1002 mapped to it, or 0xFFFF */
    const uint8_t *data; /* the HCI packet (without 1002's H4 type byte) */
    size_t len;
};

/* The next record, advertising or not (do not mix with btsnoop_next on one
 * reader). Returns: 1 and *rec, 0 at the end, or -EPROTO as btsnoop_next. */
int btsnoop_next_record(struct btsnoop_reader *r, struct btsnoop_record *rec);

struct btsnoop_callbacks {
    /* One report; return nonzero to stop early. */
    int (*report)(const struct btsnoop_report *rep, void *userdata);
    /* One error (r->error, r->error_offset, r->error_text); may be NULL. */
    void (*error)(const struct btsnoop_reader *r, void *userdata);
    void *userdata;
};

/* The whole buffer at once. Returns: the number of errors (0 = clean file). */
unsigned btsnoop_for_each(struct btsnoop_reader *r, const struct btsnoop_callbacks *cb);

/* --- Writing --- */

/* Receives bytes to write; returns 0 or -errno. */
typedef int (*btsnoop_write_fn)(const void *data, size_t len, void *userdata);

struct btsnoop_writer {
    uint32_t datalink;
    btsnoop_write_fn write;
    void *userdata;
    uint64_t records;
    int error; /* the first error from write(); later writes are skipped */
};

/* Writes the file header. Returns: 0 or -errno (-EINVAL for an unknown datalink). */
int btsnoop_writer_init(struct btsnoop_writer *w, uint32_t datalink, btsnoop_write_fn write,
                        void *userdata);

/* One record with the given flags. Returns: 0 or -errno. */
int btsnoop_write_record(struct btsnoop_writer *w, int64_t t_us, uint32_t flags, const void *data,
                         size_t len);

/* One HCI packet as `btmon -w` records it: `opcode` (enum btsnoop_opcode)
 * on controller `index`. For 1001/1002 the index is dropped, the opcode
 * becomes the direction flags (and the H4 type byte); packets those formats
 * cannot hold (NEW_INDEX …) are skipped. Returns: 0 or -errno. */
int btsnoop_write_hci(struct btsnoop_writer *w, int64_t t_us, uint16_t index, uint16_t opcode,
                      const void *data, size_t len);

/* The NEW_INDEX record btmon starts a capture with (2001 only; a no-op otherwise). */
int btsnoop_write_new_index(struct btsnoop_writer *w, int64_t t_us, uint16_t index,
                            const struct beacon_addr *controller, const char *name);

#define BTSNOOP_EVENT_MAX 257 /* event code + length + 255 bytes of parameters */

/* Builds an LE Advertising Report event (extended = false) or an LE Extended
 * Advertising Report event from n reports (their data, addr, rssi,
 * event_type, hci_addr_type and, for extended, tx_power/phys/sid). Returns:
 * the event's length, or 0 when they do not fit in one event. */
size_t btsnoop_build_adv_event(uint8_t out[BTSNOOP_EVENT_MAX], bool extended,
                               const struct btsnoop_report *reps, size_t n);

#endif
