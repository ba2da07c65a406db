/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/adv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "02 01 02 | 0F FF B5 22 <ID> | 03 03 56 4E" from PROTOCOL.md, pieces apart. */
#define FLAGS_ANDROID 0x02, 0x01, 0x02
#define MFR_BLUEZONE                                                                               \
    0x0F, 0xFF, 0xB5, 0x22, 0xFA, 0x42, 0xFE, 0x0F, 0x93, 0x6F, 0x30, 0xDF, 0x3B, 0x89, 0x42, 0xA0
#define UUID16_BLUEZONE 0x03, 0x03, 0x56, 0x4E
/* 00004E56-73F5-4BC4-A12F-17D1AD07A667, little endian as AD carries it */
#define UUID128_IOS_LE                                                                             \
    0x67, 0xA6, 0x07, 0xAD, 0xD1, 0x17, 0x2F, 0xA1, 0xC4, 0x4B, 0xF5, 0x73, 0x56, 0x4E, 0x00, 0x00
#define UUID128_V1_LE                                                                              \
    0x89, 0xA8, 0x07, 0xAD, 0xD1, 0x17, 0x2F, 0xA1, 0xC4, 0x4B, 0xF5, 0x73, 0xF4, 0x39, 0x0A, 0xE2
#define IBEACON_UUID                                                                               \
    0xC7, 0xAF, 0xEF, 0x7B, 0x17, 0x88, 0x4F, 0x4A, 0xA8, 0x7D, 0x69, 0x1D, 0x53, 0xBF, 0x21, 0xC4
#define ZERO15 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

static const char android_id[] = "FA42FE0F936F30DF3B8942A0";

/* Parses from an exact-size heap copy, so ASan catches any read past the end. */
static enum adv_problem parse(const uint8_t *data, size_t len, struct adv_fields *f, size_t *off)
{
    uint8_t *copy = malloc(len ? len : 1);
    enum adv_problem p;

    assert_non_null(copy);
    if (len)
        memcpy(copy, data, len);
    p = adv_parse(copy, len, f, off);
    free(copy);
    return p;
}

/* Parses and classifies; checks the problem, the kind and the ID (NULL = none). */
static void expect(const uint8_t *data, size_t len, enum adv_problem problem, size_t offset,
                   enum beacon_kind kind, const char *id)
{
    struct adv_fields f;
    struct beacon b;
    size_t off = 999;
    char hex[25];

    assert_int_equal(parse(data, len, &f, &off), problem);
    if (off != (problem == ADV_OK ? 0 : offset))
        fail_msg("offset %zu, wanted %zu (len %zu, first byte %02x)", off, offset, len,
                 len ? data[0] : 0);
    memset(&b, 0x55, sizeof(b));
    adv_classify(&f, &b);
    if (b.kind != kind)
        fail_msg("kind %s, wanted %s", beacon_kind_name(b.kind), beacon_kind_name(kind));
    if (!id) {
        assert_false(b.has_id);
        for (int i = 0; i < BEACON_ID_LEN; i++)
            assert_int_equal(b.id[i], 0);
        return;
    }
    assert_true(b.has_id);
    beacon_id_format(b.id, hex);
    assert_string_equal(hex, id);
}

#define EXPECT(kind, id, ...)                                                                      \
    do {                                                                                           \
        const uint8_t d_[] = {__VA_ARGS__};                                                        \
        expect(d_, sizeof(d_), ADV_OK, 0, kind, id);                                               \
    } while (0)
#define EXPECT_PROBLEM(problem, off, kind, id, ...)                                                \
    do {                                                                                           \
        const uint8_t d_[] = {__VA_ARGS__};                                                        \
        expect(d_, sizeof(d_), problem, off, kind, id);                                            \
    } while (0)

static void test_android_forms(void **state)
{
    (void)state;
    /* PROTOCOL.md's example as is */
    EXPECT(BEACON_BLUEZONE_ANDROID, android_id, FLAGS_ANDROID, MFR_BLUEZONE, UUID16_BLUEZONE);
    /* never depend on Flags or AD order */
    EXPECT(BEACON_BLUEZONE_ANDROID, android_id, UUID16_BLUEZONE, MFR_BLUEZONE);
    EXPECT(BEACON_BLUEZONE_ANDROID, android_id, 0x02, 0x01, 0x1A, UUID16_BLUEZONE, MFR_BLUEZONE);
    /* 0x4E56 in an incomplete list (AD 0x02), among others */
    EXPECT(BEACON_BLUEZONE_ANDROID, android_id, FLAGS_ANDROID, MFR_BLUEZONE, 0x05, 0x02, 0x0F, 0x18,
           0x56, 0x4E);
    /* the decision of README.md: the ID without the UUID is still Bluezone Android */
    EXPECT(BEACON_BLUEZONE_ANDROID, android_id, MFR_BLUEZONE);
    /* the UUID without the ID: Bluezone Android, no ID */
    EXPECT(BEACON_BLUEZONE_ANDROID, NULL, FLAGS_ANDROID, UUID16_BLUEZONE);
    /* the company with a wrong length is no ID */
    EXPECT(BEACON_BLUEZONE_ANDROID, NULL, UUID16_BLUEZONE, 0x0E, 0xFF, 0xB5, 0x22, 1, 2, 3, 4, 5, 6,
           7, 8, 9, 10, 11);
    EXPECT(BEACON_OTHER, NULL, 0x0E, 0xFF, 0xB5, 0x22, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    EXPECT(BEACON_OTHER, NULL, 0x10, 0xFF, 0xB5, 0x22, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
    /* another company with 12 bytes is not Bluezone */
    EXPECT(BEACON_OTHER, NULL, 0x0F, 0xFF, 0xB6, 0x22, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    /* 0x4E56 as a 32-bit UUID list and as a 128-bit base UUID count as the same UUID */
    EXPECT(BEACON_BLUEZONE_ANDROID, NULL, 0x05, 0x05, 0x56, 0x4E, 0x00, 0x00);
    EXPECT(BEACON_BLUEZONE_ANDROID, NULL, 0x11, 0x07, 0xFB, 0x34, 0x9B, 0x5F, 0x80, 0x00, 0x00,
           0x80, 0x00, 0x10, 0x00, 0x00, 0x56, 0x4E, 0x00, 0x00);
}

static void test_iphone_forms(void **state)
{
    (void)state;
    EXPECT(BEACON_BLUEZONE_IOS, NULL, 0x02, 0x01, 0x1A, 0x11, 0x07, UUID128_IOS_LE);
    EXPECT(BEACON_BLUEZONE_IOS, NULL, 0x02, 0x01, 0x1A, 0x11, 0x06, UUID128_IOS_LE, 0x09, 0x09, 'B',
           'l', 'u', 'e', 'z', 'o', 'n', 'e');
    /* the scan response with the name only */
    EXPECT(BEACON_BLUEZONE_IOS, NULL, 0x09, 0x09, 'B', 'l', 'u', 'e', 'z', 'o', 'n', 'e');
    EXPECT(BEACON_OTHER, NULL, 0x09, 0x09, 'b', 'l', 'u', 'e', 'z', 'o', 'n', 'e');
    EXPECT(BEACON_OTHER, NULL, 0x08, 0x08, 'B', 'l', 'u', 'e', 'z', 'o', 'n');
    /* background: Apple's overflow area with bitmask 08 00 … 00 */
    EXPECT(BEACON_BLUEZONE_IOS_BG, NULL, 0x14, 0xFF, 0x4C, 0x00, 0x01, 0x08, ZERO15);
    EXPECT(BEACON_BLUEZONE_IOS_BG, NULL, 0x02, 0x01, 0x1A, 0x14, 0xFF, 0x4C, 0x00, 0x01, 0x08,
           ZERO15);
    /* another app's bit, or an extra one, is not Bluezone */
    EXPECT(BEACON_OTHER, NULL, 0x14, 0xFF, 0x4C, 0x00, 0x01, 0x04, ZERO15);
    EXPECT(BEACON_OTHER, NULL, 0x14, 0xFF, 0x4C, 0x00, 0x01, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           0, 0, 0, 0x01);
    EXPECT(BEACON_OTHER, NULL, 0x14, 0xFF, 0x4C, 0x00, 0x01, 0x09, ZERO15);
    /* a shorter overflow area */
    EXPECT(BEACON_OTHER, NULL, 0x13, 0xFF, 0x4C, 0x00, 0x01, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           0, 0, 0);
    /* Apple's "Nearby" continuity message: everyday noise */
    EXPECT(BEACON_OTHER, NULL, 0x02, 0x01, 0x1A, 0x0A, 0xFF, 0x4C, 0x00, 0x10, 0x05, 0x01, 0x18,
           0x44, 0x52, 0x9A);
}

static void test_ibeacon_v1_and_others(void **state)
{
    (void)state;
    EXPECT(BEACON_BLUEZONE_IBEACON, NULL, 0x02, 0x01, 0x04, 0x1A, 0xFF, 0x4C, 0x00, 0x02, 0x15,
           IBEACON_UUID, 0x00, 0x14, 0x00, 0x14, 0xC5);
    /* any major/minor */
    EXPECT(BEACON_BLUEZONE_IBEACON, NULL, 0x1A, 0xFF, 0x4C, 0x00, 0x02, 0x15, IBEACON_UUID, 0x12,
           0x34, 0x56, 0x78, 0xC3);
    /* another iBeacon UUID */
    EXPECT(BEACON_OTHER, NULL, 0x1A, 0xFF, 0x4C, 0x00, 0x02, 0x15, 0xC7, 0xAF, 0xEF, 0x7B, 0x17,
           0x88, 0x4F, 0x4A, 0xA8, 0x7D, 0x69, 0x1D, 0x53, 0xBF, 0x21, 0xC5, 0x00, 0x14, 0x00, 0x14,
           0xC5);
    /* v1: UUID + 6 ASCII characters; the ID is those bytes, zero padded */
    EXPECT(BEACON_BLUEZONE_V1, "414243313233000000000000", 0x11, 0x07, UUID128_V1_LE, 0x09, 0xFF,
           0xB5, 0x22, 'A', 'B', 'C', '1', '2', '3');
    EXPECT(BEACON_BLUEZONE_V1, NULL, 0x11, 0x07, UUID128_V1_LE);
    /* v1 manufacturer data that is not ASCII is no ID */
    EXPECT(BEACON_BLUEZONE_V1, NULL, 0x11, 0x07, UUID128_V1_LE, 0x09, 0xFF, 0xB5, 0x22, 'A', 'B',
           'C', '1', '2', 0x00);
    EXPECT(BEACON_OTHER, NULL, 0x09, 0xFF, 0xB5, 0x22, 'A', 'B', 'C', '1', '2', 0x80);
    /* GAEN: the UUID list and/or the service data */
    EXPECT(BEACON_GAEN, NULL, 0x02, 0x01, 0x1A, 0x03, 0x03, 0x6F, 0xFD, 0x17, 0x16, 0x6F, 0xFD, 1,
           2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x40, 0, 0, 0);
    EXPECT(BEACON_GAEN, NULL, 0x17, 0x16, 0x6F, 0xFD, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
           15, 16, 0x40, 0, 0, 0);
    EXPECT(BEACON_STOPCOVID, NULL, 0x03, 0x03, 0x64, 0xFD, 0x15, 0x16, 0x64, 0xFD, 1, 2, 3, 4, 5, 6,
           7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x01, 0xF8);
    /* nothing at all */
    EXPECT(BEACON_OTHER, NULL, 0);
    expect(NULL, 0, ADV_OK, 0, BEACON_OTHER, NULL);
}

static void test_malformations(void **state)
{
    (void)state;
    /* zero length then padding: fine; then something else: a problem, earlier fields kept */
    EXPECT(BEACON_BLUEZONE_ANDROID, android_id, MFR_BLUEZONE, 0, 0, 0, 0);
    EXPECT_PROBLEM(ADV_ZERO_LENGTH, 16, BEACON_BLUEZONE_ANDROID, android_id, MFR_BLUEZONE, 0,
                   UUID16_BLUEZONE);
    EXPECT_PROBLEM(ADV_ZERO_LENGTH, 0, BEACON_OTHER, NULL, 0, 0x03, 0x03, 0x56, 0x4E);
    /* a length that overruns: the fields before it are kept */
    EXPECT_PROBLEM(ADV_OVERRUN, 16, BEACON_BLUEZONE_ANDROID, android_id, MFR_BLUEZONE, 0x04, 0x03,
                   0x56, 0x4E);
    EXPECT_PROBLEM(ADV_OVERRUN, 3, BEACON_OTHER, NULL, FLAGS_ANDROID, 0x0F, 0xFF, 0xB5, 0x22, 0xFA);
    EXPECT_PROBLEM(ADV_OVERRUN, 0, BEACON_OTHER, NULL, 0x05);
    EXPECT_PROBLEM(ADV_OVERRUN, 0, BEACON_OTHER, NULL, 0xFF, 0xFF, 0xB5, 0x22);
    /* a UUID16 list of 3 bytes: the whole UUID is kept, the fields after too */
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_BLUEZONE_ANDROID, android_id, 0x04, 0x03, 0x56,
                   0x4E, 0x01, MFR_BLUEZONE);
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_OTHER, NULL, 0x02, 0x03, 0x56);
    /* too short for their type */
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_OTHER, NULL, 0x01, 0x01);
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_OTHER, NULL, 0x02, 0xFF, 0xB5);
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_OTHER, NULL, 0x02, 0x16, 0x6F);
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_OTHER, NULL, 0x04, 0x20, 1, 2, 3);
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_OTHER, NULL, 0x10, 0x21, 1, 2, 3, 4, 5, 6, 7, 8,
                   9, 10, 11, 12, 13, 14, 15);
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_OTHER, NULL, 0x01, 0x0A);
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_OTHER, NULL, 0x04, 0x05, 1, 2, 3);
    /* a 128-bit UUID list with one byte too many: the whole UUID still counts */
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_BLUEZONE_IOS, NULL, 0x12, 0x07, UUID128_IOS_LE,
                   0x00);
    /* the first problem is the one reported */
    EXPECT_PROBLEM(ADV_FIELD_TRUNCATED, 0, BEACON_OTHER, NULL, 0x01, 0x01, 0x09);
    {
        const uint8_t d[] = {0x02, 0x03, 0x56, 0x01, 0x01, 0x05};
        struct adv_fields f;
        size_t off;
        assert_int_equal(parse(d, sizeof(d), &f, &off), ADV_FIELD_TRUNCATED);
        assert_int_equal(off, 0);
    }
    assert_string_equal(adv_problem_name(ADV_OK), "ok");
    assert_string_equal(adv_problem_name(ADV_ZERO_LENGTH), "zero-length");
    assert_string_equal(adv_problem_name(ADV_OVERRUN), "overrun");
    assert_string_equal(adv_problem_name(ADV_FIELD_TRUNCATED), "field-truncated");
}

/* Every prefix of every form, and random bytes: never out of bounds (ASan), never a crash. */
static void test_every_prefix_and_noise(void **state)
{
    static const uint8_t forms[][40] = {
        {FLAGS_ANDROID, MFR_BLUEZONE, UUID16_BLUEZONE},
        {0x02, 0x01, 0x1A, 0x11, 0x07, UUID128_IOS_LE, 0x09, 0x09, 'B', 'l', 'u', 'e', 'z', 'o',
         'n', 'e'},
        {0x14, 0xFF, 0x4C, 0x00, 0x01, 0x08, ZERO15},
        {0x1A, 0xFF, 0x4C, 0x00, 0x02, 0x15, IBEACON_UUID, 0x00, 0x14, 0x00, 0x14, 0xC5},
        {0x11, 0x07, UUID128_V1_LE, 0x09, 0xFF, 0xB5, 0x22, 'A', 'B', 'C', '1', '2', '3'},
        {0x17, 0x16, 0x6F, 0xFD, 1,  2,  3,  4,  5,    6, 7, 8,
         9,    10,   11,   12,   13, 14, 15, 16, 0x40, 0, 0, 0},
    };
    struct adv_fields f;
    struct beacon b;
    uint8_t noise[300];
    uint32_t x = 12345;

    (void)state;
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        for (size_t n = 0; n <= sizeof(forms[i]); n++) {
            size_t off = 0;
            enum adv_problem p = parse(forms[i], n, &f, &off);
            assert_true(off < n || (p == ADV_OK && off == 0));
            adv_classify(&f, &b);
            assert_true(b.kind < BEACON_KIND_COUNT);
        }
    }
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(round % 300);
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            noise[i] = (uint8_t)(x >> 16);
            if (round & 1) /* short lengths more often, to reach the structures' bodies */
                noise[i] = i % 3 == 0 ? (uint8_t)(noise[i] % 8) : noise[i];
        }
        size_t off;
        enum adv_problem p = parse(noise, n, &f, &off);
        assert_true(p == ADV_OK || off < n);
        assert_true(f.n_uuid16 <= ADV_MAX_UUID16 && f.n_uuid128 <= ADV_MAX_UUID128);
        assert_true(f.n_mfr <= ADV_MAX_MFR && f.n_svc <= ADV_MAX_SVC);
        assert_true(strlen(f.name) < sizeof(f.name));
        adv_classify(&f, &b);
        assert_true(b.kind < BEACON_KIND_COUNT);
    }
}

/* Extended advertising: more than 31 bytes, long fields, full tables. */
static void test_extended(void **state)
{
    uint8_t d[255];
    struct adv_fields f;
    struct beacon b;
    size_t n = 0, off;

    (void)state;
    /* 100 bytes of someone's manufacturer data, then Bluezone's form */
    d[n++] = 101;
    d[n++] = 0xFF;
    d[n++] = 0x75;
    d[n++] = 0x00;
    for (int i = 0; i < 98; i++)
        d[n++] = (uint8_t)i;
    /* ten 16-bit UUIDs: two more than the table holds */
    d[n++] = 21;
    d[n++] = 0x03;
    for (int i = 0; i < 10; i++) {
        d[n++] = (uint8_t)(0x10 + i);
        d[n++] = 0x18;
    }
    const uint8_t tail[] = {MFR_BLUEZONE, UUID16_BLUEZONE,
                            0x21,         0x09,
                            'A',          ' ',
                            'n',          'a',
                            'm',          'e',
                            ' ',          'l',
                            'o',          'n',
                            'g',          'e',
                            'r',          ' ',
                            't',          'h',
                            'a',          'n',
                            ' ',          '3',
                            '1',          ' ',
                            'b',          'y',
                            't',          'e',
                            's',          '!',
                            '!',          '!',
                            '!',          '!'};
    memcpy(d + n, tail, sizeof(tail));
    n += sizeof(tail);
    assert_true(n > 31 && n <= sizeof(d));
    assert_int_equal(parse(d, n, &f, &off), ADV_OK);
    assert_int_equal(f.n_mfr, 2);
    assert_int_equal(f.mfr[0].company, 0x0075);
    assert_int_equal(f.mfr[0].full_len, 98);
    assert_int_equal(f.mfr[0].len, ADV_MAX_FIELD);
    assert_int_equal(f.n_uuid16, ADV_MAX_UUID16);
    assert_int_equal(f.n_dropped, 3); /* 0x1818, 0x1819 and Bluezone's 0x4E56 */
    assert_int_equal(strlen(f.name), 31);
    adv_classify(&f, &b);
    assert_int_equal(b.kind, BEACON_BLUEZONE_ANDROID);
    assert_true(b.has_id);
}

/* What the BlueZ scanner does: fields from D-Bus properties, not raw bytes. */
static void test_fields_from_dbus(void **state)
{
    static const uint8_t id[12] = {0xFA, 0x42, 0xFE, 0x0F, 0x93, 0x6F,
                                   0x30, 0xDF, 0x3B, 0x89, 0x42, 0xA0};
    static const uint8_t gaen[20] = {1, 2, 3};
    struct adv_fields f;
    struct adv_uuid128 u;
    struct beacon b;
    char s[37];

    (void)state;
    memset(&f, 0, sizeof(f));
    assert_int_equal(adv_uuid128_parse("00004e56-0000-1000-8000-00805F9B34FB", &u), 0);
    assert_true(adv_fields_add_uuid(&f, &u));
    assert_int_equal(f.n_uuid16, 1);
    assert_int_equal(f.uuid16[0], 0x4E56);
    adv_classify(&f, &b);
    assert_int_equal(b.kind, BEACON_BLUEZONE_ANDROID);
    assert_false(b.has_id);
    assert_true(adv_fields_add_mfr(&f, 0x22B5, id, sizeof(id)));
    adv_classify(&f, &b);
    assert_int_equal(b.kind, BEACON_BLUEZONE_ANDROID);
    assert_true(b.has_id);
    assert_memory_equal(b.id, id, 12);

    memset(&f, 0, sizeof(f));
    assert_int_equal(adv_uuid128_parse("00004E56-73F5-4BC4-A12F-17D1AD07A667", &u), 0);
    assert_true(adv_fields_add_uuid(&f, &u));
    assert_int_equal(f.n_uuid128, 1);
    adv_uuid128_format(&u, s);
    assert_string_equal(s, "00004e56-73f5-4bc4-a12f-17d1ad07a667");
    adv_classify(&f, &b);
    assert_int_equal(b.kind, BEACON_BLUEZONE_IOS);

    memset(&f, 0, sizeof(f));
    assert_int_equal(adv_uuid128_parse("0000fd6f-0000-1000-8000-00805f9b34fb", &u), 0);
    assert_true(adv_fields_add_svc(&f, &u, gaen, sizeof(gaen)));
    adv_classify(&f, &b);
    assert_int_equal(b.kind, BEACON_GAEN);

    memset(&f, 0, sizeof(f));
    adv_fields_set_name(&f, "Bluezone", 8);
    adv_classify(&f, &b);
    assert_int_equal(b.kind, BEACON_BLUEZONE_IOS);
    adv_fields_set_name(&f, "A very long name that goes past the table's room", 48);
    assert_int_equal(strlen(f.name), 31);

    for (int i = 0; i < ADV_MAX_MFR; i++)
        assert_true(adv_fields_add_mfr(&f, 1, NULL, 0));
    assert_false(adv_fields_add_mfr(&f, 0x22B5, id, sizeof(id)));
    assert_int_equal(f.n_dropped, 1);

    assert_int_equal(adv_uuid128_parse("0000fd6f-0000-1000-8000-00805f9b34f", &u), -EINVAL);
    assert_int_equal(adv_uuid128_parse("0000fd6f-0000-1000-8000-00805f9b34fbb", &u), -EINVAL);
    assert_int_equal(adv_uuid128_parse("0000fd6f+0000-1000-8000-00805f9b34fb", &u), -EINVAL);
    assert_int_equal(adv_uuid128_parse("0000fd6g-0000-1000-8000-00805f9b34fb", &u), -EINVAL);
    assert_int_equal(adv_uuid128_parse("", &u), -EINVAL);
}

/* A new app version is a table entry, not new code. */
static void test_table_driven(void **state)
{
    static const struct adv_signature pc_covid[] = {
        {.kind = BEACON_BLUEZONE_ANDROID,
         .what = "a made-up future form: company 0x1234, 02 + 12-byte ID",
         .all = {{.match = ADV_MATCH_MFR,
                  .uuid16 = 0x1234,
                  .min_len = 13,
                  .max_len = 13,
                  .n_bytes = 1,
                  .bytes = {0x02}},
                 {.match = ADV_MATCH_UUID16, .uuid16 = 0xABCD}},
         .id_offset = 1,
         .id_len = 12},
    };
    const uint8_t d[] = {0x10, 0xFF, 0x34, 0x12, 0x02, 1,  2,    3,    4,    5,   6,
                         7,    8,    9,    10,   11,   12, 0x03, 0x03, 0xCD, 0xAB};
    struct adv_fields f;
    struct beacon b;
    char hex[25];

    (void)state;
    assert_int_equal(parse(d, sizeof(d), &f, NULL), ADV_OK);
    adv_classify(&f, &b);
    assert_int_equal(b.kind, BEACON_OTHER);
    adv_classify_with(pc_covid, 1, &f, &b);
    assert_int_equal(b.kind, BEACON_BLUEZONE_ANDROID);
    beacon_id_format(b.id, hex);
    assert_string_equal(hex, "0102030405060708090A0B0C");
    /* both conditions must hold */
    assert_int_equal(parse(d, sizeof(d) - 4, &f, NULL), ADV_OK);
    adv_classify_with(pc_covid, 1, &f, &b);
    assert_int_equal(b.kind, BEACON_OTHER);

    /* the built-in table is sane */
    for (size_t i = 0; i < adv_signature_count; i++) {
        const struct adv_signature *s = &adv_signatures[i];
        assert_non_null(s->what);
        assert_true(s->kind > BEACON_OTHER && s->kind < BEACON_KIND_COUNT);
        assert_true(s->id_len <= BEACON_ID_LEN);
        assert_int_not_equal(s->all[0].match, ADV_MATCH_NONE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_android_forms),          cmocka_unit_test(test_iphone_forms),
        cmocka_unit_test(test_ibeacon_v1_and_others),  cmocka_unit_test(test_malformations),
        cmocka_unit_test(test_every_prefix_and_noise), cmocka_unit_test(test_extended),
        cmocka_unit_test(test_fields_from_dbus),       cmocka_unit_test(test_table_driven),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
