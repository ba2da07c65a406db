/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lobby_sim.h"

#include "bluezone_id.h"
#include "civil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define US      1000000LL
#define MS      1000LL
#define MAX_WAY 14

/* The lobby's geometry, in metres from the kiosk. */
#define DOOR_M      14.0
#define OUT_M       60.0         /* out of the building (lunch): practically out of range */
#define PASS_FAR_M  22.0         /* where a passer-by comes into and goes out of range */
#define SLOT_S      900          /* Bluezone v3: 96 IDs a day */
#define AIRTIME_US  300          /* one advertising packet (~20 bytes of data) at 1 Mbit/s */
#define RESTART_US  (11250 * MS) /* the scanner restarts its scan this often … */
#define RESTART_GAP (150 * MS)   /* … and hears nothing for this long */

/* --- Scenarios --- */

const struct lobby_scenario lobby_scenarios[] = {
    {.name = "day",
     .summary = "an office day 07:30-17:00: ~130 visitors, ~320 passers-by, 6 staff, "
                "one 25 s scanner outage",
     .start_local_s = 7 * 3600 + 30 * 60,
     .duration_s = 9 * 3600 + 30 * 60,
     .day_profile = true,
     .visitors_per_h = 14,
     .passersby_per_h = 34,
     .other_app_per_h = 1,
     .staff = 6,
     .devices = 5,
     .app_share = 0.85f,
     .batch = 1,
     .duty = 0.55f,
     .outage_at_s = 6 * 3600 + 40 * 60,
     .outage_s = 25},
    {.name = "lobby",
     .summary = "an endless steady lobby (the built-in source): people already there at start",
     .start_local_s = -1,
     .duration_s = 0,
     .visitors_per_h = 30,
     .passersby_per_h = 60,
     .other_app_per_h = 2,
     .staff = 4,
     .devices = 5,
     .app_share = 0.85f,
     .batch = 1,
     .duty = 0.55f},
    {.name = "quiet",
     .summary = "one quiet hour 09:00-10:00: a few visitors, 2 staff",
     .start_local_s = 9 * 3600,
     .duration_s = 3600,
     .visitors_per_h = 8,
     .passersby_per_h = 10,
     .staff = 2,
     .devices = 2,
     .app_share = 0.85f,
     .batch = 1,
     .duty = 0.55f},
    {.name = "crowded",
     .summary = "a crowded hour 09:00-10:00: 300 people waiting in the hall, >300 radios in "
                "range, a Bluetooth 5 scanner (extended reports, batched)",
     .start_local_s = 9 * 3600,
     .duration_s = 3600,
     .visitors_per_h = 60,
     .passersby_per_h = 120,
     .other_app_per_h = 6,
     .staff = 6,
     .devices = 12,
     .crowd = 300,
     .app_share = 0.85f,
     .extended = true,
     .batch = 3,
     .duty = 0.55f},
    {.name = "opening",
     .summary = "06:50-07:40: staff arrive, the day key changes at 07:00 (UTC midnight), "
                "IDs change at 07:00, 07:15, 07:30",
     .start_local_s = 6 * 3600 + 50 * 60,
     .duration_s = 50 * 60,
     .day_profile = true,
     .visitors_per_h = 14,
     .passersby_per_h = 20,
     .staff = 6,
     .devices = 3,
     .app_share = 0.85f,
     .batch = 1,
     .duty = 0.55f},
    {.name = "short",
     .summary = "5 busy minutes 09:00-09:05, for tests",
     .start_local_s = 9 * 3600,
     .duration_s = 300,
     .visitors_per_h = 120,
     .passersby_per_h = 120,
     .other_app_per_h = 24,
     .staff = 2,
     .devices = 4,
     .app_share = 0.8f,
     .batch = 1,
     .duty = 0.55f},
};

const size_t lobby_scenario_count = sizeof(lobby_scenarios) / sizeof(lobby_scenarios[0]);

const struct lobby_scenario *lobby_scenario_find(const char *name)
{
    for (size_t i = 0; i < lobby_scenario_count; i++)
        if (strcmp(lobby_scenarios[i].name, name) == 0)
            return &lobby_scenarios[i];
    return NULL;
}

/* --- Random numbers: xoshiro256**, seeded by splitmix64 --- */

struct rng {
    uint64_t s[4];
};

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_u64(struct rng *r)
{
    uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static double rng_unit(struct rng *r)
{
    return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

static double rng_range(struct rng *r, double a, double b)
{
    return a + (b - a) * rng_unit(r);
}

static bool rng_chance(struct rng *r, double p)
{
    return rng_unit(r) < p;
}

static int64_t rng_us(struct rng *r, double a_s, double b_s)
{
    return (int64_t)llround(rng_range(r, a_s, b_s) * US);
}

static double rng_normal(struct rng *r)
{
    double u = rng_unit(r), v = rng_unit(r);
    return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

static double rng_exp(struct rng *r, double mean)
{
    return -mean * log(1.0 - rng_unit(r));
}

/* --- People and radios --- */

struct person {
    bool used;
    uint8_t role;
    uint32_t number;
    uint64_t seed; /* for body shadowing, a pure function of time */
    int64_t arrive_us, leave_us;
    uint8_t n_way;
    int64_t way_t[MAX_WAY];
    float way_d[MAX_WAY];
    bool fixed_shadow; /* staff: the phone lies on a desk */
    float shadow_db;
    uint8_t n_near;
    int64_t near_from[LOBBY_MAX_NEAR], near_to[LOBBY_MAX_NEAR];
    int64_t fg_from_us, fg_to_us; /* an iPhone's app in the foreground */
    int64_t app_start_us;         /* the Bluezone app advertises from then */
    uint8_t radios_left;
};

struct radio {
    bool used, started, on;
    uint8_t what, kind;
    uint8_t hci_type; /* 0 public, 1 random */
    uint8_t adv_type; /* legacy PDU type */
    uint32_t number;
    uint32_t person; /* slot */
    struct rng rng;
    struct beacon_addr addr;
    int64_t next_us, start_us, end_us;
    uint32_t interval_us;
    float tx_db; /* mean RSSI at 1 m */
    float rate;  /* advertising events a second it adds to the air while on */
    int64_t phase_end_us, next_rotate_us, next_id_us, boundary_s;
    uint32_t tick;
    uint8_t key[32];
    int64_t t0_s;
    uint8_t id[BEACON_ID_LEN];
    uint8_t style;     /* which of a few payload layouts this phone uses */
    uint8_t token[20]; /* rolling payload bytes (RPI, auth tags) */
    int heap_pos;
};

struct lobby_sim {
    struct lobby_scenario sc;
    struct lobby_observer obs;
    struct rng rng;
    int64_t start_us, end_us;
    uint32_t n_persons_cap, n_radios_cap;
    struct person *persons;
    struct radio *radios;
    uint32_t *heap; /* radio slots ordered by (next_us, number) */
    uint32_t heap_len;
    uint32_t person_count, radio_count; /* numbers given so far */
    int64_t next_visitor_us, next_passerby_us, next_other_us;
    double air_rate; /* advertising events a second on the air */
    uint32_t active;
    /* scan responses waiting for their time */
    struct lobby_report pending[16];
    uint8_t pending_data[16][31];
    uint8_t n_pending;
    uint8_t out_data[255];
    struct lobby_sim_stats stats;
};

static void *xcalloc(size_t n, size_t size)
{
    return n ? calloc(n, size) : NULL;
}

/* --- Time of day --- */

static int64_t local_midnight_s(int64_t unix_s)
{
    return civil_floor_div(unix_s + CIVIL_VN_OFFSET_S, CIVIL_DAY_S) * CIVIL_DAY_S -
           CIVIL_VN_OFFSET_S;
}

/* Arrivals at the office, relative to the day's mean (1.0). */
static double day_profile(int64_t t_us)
{
    int64_t s = t_us / US;
    double h = (double)(s - local_midnight_s(s)) / 3600.0;

    if (h < 7.5 || h >= 17.0)
        return 0.0;
    if (h < 8.0)
        return 0.7;
    if (h < 10.0)
        return 1.7;
    if (h < 11.5)
        return 1.2;
    if (h < 13.0)
        return 0.25;
    if (h < 15.0)
        return 1.1;
    if (h < 16.5)
        return 0.8;
    return 0.3;
}

int64_t lobby_sim_start_of(const struct lobby_scenario *sc, int64_t unix_s)
{
    if (sc->start_local_s < 0)
        return unix_s * US;
    return (local_midnight_s(unix_s) + sc->start_local_s) * US;
}

/* --- The heap of radios --- */

static bool before(const struct lobby_sim *s, uint32_t a, uint32_t b)
{
    const struct radio *x = &s->radios[a], *y = &s->radios[b];
    return x->next_us < y->next_us || (x->next_us == y->next_us && x->number < y->number);
}

static void heap_set(struct lobby_sim *s, uint32_t pos, uint32_t slot)
{
    s->heap[pos] = slot;
    s->radios[slot].heap_pos = (int)pos;
}

static void heap_up(struct lobby_sim *s, uint32_t pos)
{
    uint32_t slot = s->heap[pos];

    while (pos > 0) {
        uint32_t parent = (pos - 1) / 2;
        if (!before(s, slot, s->heap[parent]))
            break;
        heap_set(s, pos, s->heap[parent]);
        pos = parent;
    }
    heap_set(s, pos, slot);
}

static void heap_down(struct lobby_sim *s, uint32_t pos)
{
    uint32_t slot = s->heap[pos];

    for (;;) {
        uint32_t l = 2 * pos + 1, best = l;
        if (l >= s->heap_len)
            break;
        if (l + 1 < s->heap_len && before(s, s->heap[l + 1], s->heap[l]))
            best = l + 1;
        if (!before(s, s->heap[best], slot))
            break;
        heap_set(s, pos, s->heap[best]);
        pos = best;
    }
    heap_set(s, pos, slot);
}

static void heap_push(struct lobby_sim *s, uint32_t slot)
{
    s->heap[s->heap_len] = slot;
    heap_up(s, s->heap_len++);
}

static void heap_pop(struct lobby_sim *s)
{
    s->radios[s->heap[0]].heap_pos = -1;
    if (--s->heap_len) {
        heap_set(s, 0, s->heap[s->heap_len]);
        heap_down(s, 0);
    }
}

/* --- Where people are --- */

static double distance_at(const struct person *p, int64_t t)
{
    if (t <= p->way_t[0])
        return p->way_d[0];
    for (int i = 1; i < p->n_way; i++) {
        if (t <= p->way_t[i]) {
            double span = (double)(p->way_t[i] - p->way_t[i - 1]);
            double f = span > 0 ? (double)(t - p->way_t[i - 1]) / span : 1.0;
            return p->way_d[i - 1] + f * (p->way_d[i] - p->way_d[i - 1]);
        }
    }
    return p->way_d[p->n_way - 1];
}

static void way_add(struct person *p, int64_t t, double d)
{
    if (p->n_way < MAX_WAY) {
        p->way_t[p->n_way] = t;
        p->way_d[p->n_way] = (float)d;
        p->n_way++;
    }
}

/* Walks from the last waypoint to distance d at speed v; returns the arrival time. */
static int64_t walk_to(struct person *p, double d, double v)
{
    int64_t t = p->way_t[p->n_way - 1];
    double from = p->way_d[p->n_way - 1];

    t += (int64_t)llround(fabs(from - d) / v * US);
    way_add(p, t, d);
    return t;
}

static int64_t stay(struct person *p, int64_t dur_us)
{
    int64_t t = p->way_t[p->n_way - 1] + dur_us;
    way_add(p, t, p->way_d[p->n_way - 1]);
    return t;
}

/* The intervals with distance <= LOBBY_NEAR_M, from the piecewise-linear path. */
static void compute_near(struct person *p)
{
    bool in = p->way_d[0] <= LOBBY_NEAR_M;
    int64_t from = p->way_t[0];

    p->n_near = 0;
    for (int i = 1; i < p->n_way; i++) {
        double a = p->way_d[i - 1], b = p->way_d[i];
        bool now = b <= LOBBY_NEAR_M;
        if (now == in)
            continue;
        /* the crossing within segment i-1 → i */
        double f = (LOBBY_NEAR_M - a) / (b - a);
        int64_t t = p->way_t[i - 1] + (int64_t)llround(f * (double)(p->way_t[i] - p->way_t[i - 1]));
        if (now) {
            from = t;
        } else if (p->n_near < LOBBY_MAX_NEAR) {
            p->near_from[p->n_near] = from;
            p->near_to[p->n_near++] = t;
        }
        in = now;
    }
    if (in && p->n_near < LOBBY_MAX_NEAR) {
        p->near_from[p->n_near] = from;
        p->near_to[p->n_near++] = p->leave_us;
    }
}

static bool is_near(const struct person *p, int64_t t)
{
    for (int i = 0; i < p->n_near; i++)
        if (t >= p->near_from[i] && t <= p->near_to[i])
            return true;
    return false;
}

/* Body shadowing: phone in a hand, a pocket, a bag, behind the body; it
 * changes every 20 s, as a pure function of the person and the time. */
static double shadow_db(const struct person *p, int64_t t)
{
    static const float levels[8] = {0, 0, -2, -4, -5, -7, -9, -13};
    uint64_t x = p->seed ^ (uint64_t)(t / (20 * US)) * 0x9E3779B97F4A7C15ULL;

    if (p->fixed_shadow)
        return p->shadow_db;
    return levels[splitmix(&x) & 7];
}

/* --- Addresses and payloads --- */

static void random_addr(struct radio *r, uint8_t top)
{
    for (int i = 0; i < 6; i++)
        r->addr.b[i] = (uint8_t)rng_u64(&r->rng);
    r->addr.b[0] = (uint8_t)((r->addr.b[0] & 0x3F) | top);
    r->addr.type = BEACON_ADDR_RANDOM;
    r->hci_type = 1;
}

enum { RPA = 0x40, NRPA = 0x00, STATIC = 0xC0 };

static void new_address(struct lobby_sim *s, struct radio *r, uint8_t top, int64_t t)
{
    random_addr(r, top);
    if (s->obs.address)
        s->obs.address(r->number, &r->addr, t, s->obs.userdata);
}

static void new_token(struct radio *r)
{
    for (size_t i = 0; i < sizeof(r->token); i++)
        r->token[i] = (uint8_t)rng_u64(&r->rng);
}

static size_t put(uint8_t *o, size_t n, const uint8_t *src, size_t len)
{
    memcpy(o + n, src, len);
    return n + len;
}

static const uint8_t uuid_ios_le[16] = {0x67, 0xA6, 0x07, 0xAD, 0xD1, 0x17, 0x2F, 0xA1,
                                        0xC4, 0x4B, 0xF5, 0x73, 0x56, 0x4E, 0x00, 0x00};
static const uint8_t uuid_v1_le[16] = {0x89, 0xA8, 0x07, 0xAD, 0xD1, 0x17, 0x2F, 0xA1,
                                       0xC4, 0x4B, 0xF5, 0x73, 0xF4, 0x39, 0x0A, 0xE2};
static const uint8_t ibeacon_uuid[16] = {0xC7, 0xAF, 0xEF, 0x7B, 0x17, 0x88, 0x4F, 0x4A,
                                         0xA8, 0x7D, 0x69, 0x1D, 0x53, 0xBF, 0x21, 0xC4};

/* Apple's own adverts ("Nearby Info"): what every iPhone sends. */
static size_t apple_nearby(const struct radio *r, uint8_t *o)
{
    const uint8_t head[] = {0x02, 0x01, 0x1A, 0x0A, 0xFF, 0x4C, 0x00, 0x10, 0x05};
    size_t n = put(o, 0, head, sizeof(head));
    o[n++] = (uint8_t)(0x01 + (r->style & 0x1F));
    o[n++] = 0x18;
    return put(o, n, r->token, 3);
}

/* The advertising data of radio r for this event; sets *scan_rsp (length)
 * when an active scan may also get a scan response. */
static size_t payload(struct lobby_sim *s, struct radio *r, const struct person *p, int64_t t,
                      uint8_t *o, uint8_t *rsp, size_t *rsp_len, uint8_t *adv_type)
{
    size_t n = 0;

    (void)s;
    *rsp_len = 0;
    *adv_type = r->adv_type;
    switch (r->what) {
    case LOBBY_RADIO_BZ_ANDROID: {
        const uint8_t flags[3][3] = {{0x02, 0x01, 0x02}, {0x02, 0x01, 0x1A}, {0x02, 0x01, 0x06}};
        uint8_t mfr[16] = {0x0F, 0xFF, 0xB5, 0x22};
        const uint8_t uuid[4] = {0x03, 0x03, 0x56, 0x4E};
        memcpy(mfr + 4, r->id, BEACON_ID_LEN);
        if (r->style % 4 != 3)
            n = put(o, n, flags[r->style % 4], 3);
        if (r->style & 4) {
            n = put(o, n, uuid, 4);
            n = put(o, n, mfr, 16);
        } else {
            n = put(o, n, mfr, 16);
            n = put(o, n, uuid, 4);
        }
        return n; /* an empty scan response now and then: see step() */
    }
    case LOBBY_RADIO_BZ_IBEACON: {
        const uint8_t head[] = {0x1A, 0xFF, 0x4C, 0x00, 0x02, 0x15};
        const uint8_t tail[] = {0x00, 0x14, 0x00, 0x14, 0xC5};
        if (r->style & 1)
            n = put(o, n, (const uint8_t[]){0x02, 0x01, 0x1A}, 3);
        n = put(o, n, head, sizeof(head));
        n = put(o, n, ibeacon_uuid, 16);
        return put(o, n, tail, sizeof(tail));
    }
    case LOBBY_RADIO_BZ_IPHONE: {
        bool app = p->app_start_us <= t;
        bool fg = app && t >= p->fg_from_us && t < p->fg_to_us;
        /* iOS multiplexes its adverts: the app's, then its own now and then */
        if (!app || r->tick % (fg ? 4u : 2u) == (fg ? 3u : 1u))
            return apple_nearby(r, o);
        if (fg) {
            const uint8_t head[] = {0x02, 0x01, 0x1A, 0x11, 0x07};
            const uint8_t name[] = {0x09, 0x09, 'B', 'l', 'u', 'e', 'z', 'o', 'n', 'e'};
            n = put(o, n, head, sizeof(head));
            n = put(o, n, uuid_ios_le, 16);
            *rsp_len = put(rsp, 0, name, sizeof(name));
            return n;
        }
        const uint8_t bg[] = {0x02, 0x01, 0x1A, 0x14, 0xFF, 0x4C, 0x00, 0x01, 0x08};
        n = put(o, n, bg, sizeof(bg));
        memset(o + n, 0, 15);
        return n + 15;
    }
    case LOBBY_RADIO_BZ_V1: {
        const uint8_t head[] = {0x02, 0x01, 0x1A, 0x11, 0x07};
        const uint8_t mfr[] = {0x09, 0xFF, 0xB5, 0x22};
        n = put(o, n, head, sizeof(head));
        n = put(o, n, uuid_v1_le, 16);
        n = put(o, n, mfr, sizeof(mfr));
        for (int i = 0; i < 6; i++)
            o[n++] = (uint8_t)("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[r->key[i] & 31]);
        return n;
    }
    case LOBBY_RADIO_IPHONE:
        return apple_nearby(r, o);
    case LOBBY_RADIO_ANDROID: {
        const uint8_t head[] = {0x02, 0x01, 0x06, 0x03, 0x03, 0x2C, 0xFE, 0x06, 0x16, 0x2C, 0xFE};
        n = put(o, n, head, sizeof(head));
        return put(o, n, r->token, 3);
    }
    case LOBBY_RADIO_GAEN: {
        const uint8_t head[] = {0x02, 0x01, 0x1A, 0x03, 0x03, 0x6F, 0xFD, 0x17, 0x16, 0x6F, 0xFD};
        n = put(o, n, head, sizeof(head));
        n = put(o, n, r->token, 16);
        return put(o, n, (const uint8_t[]){0x40, r->token[16], r->token[17], r->token[18]}, 4);
    }
    case LOBBY_RADIO_STOPCOVID: {
        const uint8_t head[] = {0x02, 0x01, 0x06, 0x03, 0x03, 0x64, 0xFD, 0x15, 0x16, 0x64, 0xFD};
        n = put(o, n, head, sizeof(head));
        n = put(o, n, r->token, 16);
        return put(o, n, (const uint8_t[]){0x00, 0xF8}, 2);
    }
    case LOBBY_RADIO_WATCH:
        if (r->style & 1) { /* a band with Xiaomi's service data */
            const uint8_t head[] = {0x02, 0x01, 0x06, 0x0E, 0x16, 0x95,
                                    0xFE, 0x30, 0x58, 0x5B, 0x05, 0x01};
            n = put(o, n, head, sizeof(head));
            for (int i = 5; i >= 0; i--)
                o[n++] = r->addr.b[i];
            return n;
        } else { /* a watch with Samsung's manufacturer data and a name */
            const uint8_t head[] = {0x02, 0x01, 0x06, 0x0B, 0xFF, 0x75, 0x00, 0x01, 0x00, 0x02};
            const uint8_t name[] = {0x0A, 0x09, 'G', 'a', 'l', 'a', 'x', 'y', ' ', 'W', '4'};
            n = put(o, n, head, sizeof(head));
            n = put(o, n, r->token, 5);
            return put(o, n, name, sizeof(name));
        }
    case LOBBY_RADIO_EARBUDS: {
        const uint8_t head[] = {0x1C, 0xFF, 0x4C, 0x00, 0x07, 0x17, 0x01, 0x0E, 0x20};
        n = put(o, n, head, sizeof(head));
        return put(o, n, r->token, 20);
    }
    case LOBBY_RADIO_TV: {
        const uint8_t head[] = {0x02, 0x01, 0x1A, 0x1A, 0xFF, 0x75, 0x00, 0x42, 0x04, 0x01, 0x01};
        n = put(o, n, head, sizeof(head));
        n = put(o, n, r->token, 19);
        *rsp_len = put(rsp, 0,
                       (const uint8_t[]){0x10, 0x09, '[', 'T', 'V', ']', ' ', 'S', 'a', 'm', 's',
                                         'u', 'n', 'g', ' ', '5', '5'},
                       17);
        return n;
    }
    case LOBBY_RADIO_BEACON: {
        const uint8_t head[] = {0x02, 0x01, 0x06, 0x03, 0x03, 0xAA, 0xFE,
                                0x15, 0x16, 0xAA, 0xFE, 0x00, 0xEC};
        n = put(o, n, head, sizeof(head));
        return put(o, n, r->token, 16);
    }
    case LOBBY_RADIO_LAPTOP: {
        const uint8_t head[] = {0x1E, 0xFF, 0x06, 0x00, 0x01, 0x09, 0x20, 0x02};
        n = put(o, n, head, sizeof(head));
        n = put(o, n, r->token, 20);
        memset(o + n, 0, 3);
        return n + 3;
    }
    case LOBBY_RADIO_EXT_SPEAKER: {
        /* extended advertising: a name and 40 bytes of vendor data, 60 bytes in all */
        const uint8_t name[] = {0x0E, 0x09, 'L', 'o', 'b', 'b', 'y', ' ',
                                'S',  'p',  'e', 'a', 'k', 'e', 'r'};
        n = put(o, n, (const uint8_t[]){0x02, 0x01, 0x06}, 3);
        n = put(o, n, name, sizeof(name));
        o[n++] = 41;
        o[n++] = 0xFF;
        o[n++] = 0x0F;
        o[n++] = 0x00; /* Broadcom */
        for (int i = 0; i < 38; i++)
            o[n++] = r->token[i % 20];
        return n;
    }
    default:
        return 0;
    }
}

/* --- Radios over time --- */

static void set_on(struct lobby_sim *s, struct radio *r, bool on)
{
    if (r->on == on)
        return;
    r->on = on;
    s->air_rate += on ? r->rate : -r->rate;
}

/* The ID this phone broadcasts at t (it switches 15–30 s after a boundary). */
static void bluezone_id_for(struct radio *r, int64_t t_s)
{
    bluezone_id_at(r->key, r->t0_s, t_s, 96, r->id);
}

/* Schedules the switch after the next 15-minute boundary after t_s. */
static void plan_id_change(struct radio *r, int64_t t_s)
{
    int64_t b = (civil_floor_div(t_s, SLOT_S) + 1) * SLOT_S;
    double late =
        rng_chance(&r->rng, 0.05) ? rng_range(&r->rng, 30, 150) : rng_range(&r->rng, 15, 30);
    r->boundary_s = b;
    r->next_id_us = b * US + (int64_t)llround(late * US);
}

static void notify_id(struct lobby_sim *s, struct radio *r, int64_t t)
{
    if (s->obs.id)
        s->obs.id(r->number, r->id, t, s->obs.userdata);
}

/* The radio's first event: its address, ID and phase. */
static void radio_start(struct lobby_sim *s, struct radio *r, int64_t t)
{
    int64_t t_s = civil_floor_div(t, US);

    r->started = true;
    switch (r->what) {
    case LOBBY_RADIO_BZ_ANDROID: {
        /* still showing the previous slot's ID if within the switching delay */
        int64_t b = civil_floor_div(t_s, SLOT_S) * SLOT_S;
        double late = rng_range(&r->rng, 15, 30);
        bool previous = t < b * US + (int64_t)llround(late * US) && b > r->t0_s;
        bluezone_id_for(r, previous ? b - 1 : t_s);
        if (previous) {
            r->boundary_s = b;
            r->next_id_us = b * US + (int64_t)llround(late * US);
        } else {
            plan_id_change(r, t_s);
        }
        new_address(s, r, RPA, t);
        notify_id(s, r, t);
        set_on(s, r, rng_chance(&r->rng, 0.5));
        r->phase_end_us = t + rng_us(&r->rng, 0, 15);
        break;
    }
    case LOBBY_RADIO_BZ_IBEACON:
        new_address(s, r, NRPA, t);
        set_on(s, r, rng_chance(&r->rng, 0.25));
        r->phase_end_us = t + (r->on ? rng_us(&r->rng, 0, 15) : rng_us(&r->rng, 0, 45));
        break;
    case LOBBY_RADIO_BZ_V1:
        for (int i = 0; i < 6; i++)
            r->id[i] = (uint8_t)("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[r->key[i] & 31]);
        memset(r->id + 6, 0, BEACON_ID_LEN - 6);
        notify_id(s, r, t);
        new_address(s, r, RPA, t);
        set_on(s, r, true);
        r->next_rotate_us = t + rng_us(&r->rng, 60, 900);
        break;
    case LOBBY_RADIO_TV:
        for (int i = 0; i < 6; i++)
            r->addr.b[i] = (uint8_t)rng_u64(&r->rng);
        r->addr.b[0] = 0xF4; /* a vendor's public OUI */
        r->addr.b[1] = 0x7B;
        r->addr.b[2] = 0x09;
        r->addr.type = BEACON_ADDR_PUBLIC;
        r->hci_type = 0;
        if (s->obs.address)
            s->obs.address(r->number, &r->addr, t, s->obs.userdata);
        new_token(r);
        set_on(s, r, true);
        r->next_rotate_us = INT64_MAX;
        break;
    case LOBBY_RADIO_WATCH:
    case LOBBY_RADIO_BEACON:
    case LOBBY_RADIO_EXT_SPEAKER:
        new_address(s, r, STATIC, t); /* these keep their address */
        new_token(r);
        set_on(s, r, true);
        r->next_rotate_us = INT64_MAX;
        break;
    default: /* phones and gadgets that rotate their address every 10–20 minutes */
        new_address(s, r,
                    r->what == LOBBY_RADIO_GAEN || r->what == LOBBY_RADIO_ANDROID ? NRPA : RPA, t);
        new_token(r);
        set_on(s, r, true);
        r->next_rotate_us = t + rng_us(&r->rng, 0, r->what == LOBBY_RADIO_GAEN ? 600 : 900);
        break;
    }
    s->active++;
    if (s->active > s->stats.max_in_range) {
        s->stats.max_in_range = s->active;
        s->stats.max_in_range_us = t;
    }
}

/* Brings the radio's state up to time t (phases, address rotation, ID changes). */
static void radio_advance(struct lobby_sim *s, struct radio *r, int64_t t)
{
    switch (r->what) {
    case LOBBY_RADIO_BZ_ANDROID:
        while (t >= r->next_id_us || t >= r->phase_end_us) {
            if (r->next_id_us <= r->phase_end_us) {
                /* the new ID; when advertising, the app restarts it: a new address
                 * too, the 15 s on / 15 s off rhythm goes on */
                bluezone_id_for(r, r->boundary_s);
                notify_id(s, r, r->next_id_us);
                if (r->on)
                    new_address(s, r, RPA, r->next_id_us);
                plan_id_change(r, r->boundary_s);
                continue;
            }
            int64_t at = r->phase_end_us;
            set_on(s, r, !r->on);
            if (r->on)
                new_address(s, r, RPA, at);
            r->phase_end_us = at + rng_us(&r->rng, 14.8, 15.2);
        }
        break;
    case LOBBY_RADIO_BZ_IBEACON:
        while (t >= r->phase_end_us) {
            int64_t at = r->phase_end_us;
            set_on(s, r, !r->on);
            if (r->on)
                new_address(s, r, NRPA, at);
            r->phase_end_us = at + (r->on ? rng_us(&r->rng, 14, 16) : rng_us(&r->rng, 44, 46));
        }
        break;
    default:
        if (t >= r->next_rotate_us) {
            bool gaen = r->what == LOBBY_RADIO_GAEN;
            new_address(s, r, gaen || r->what == LOBBY_RADIO_ANDROID ? NRPA : RPA,
                        r->next_rotate_us);
            new_token(r);
            r->next_rotate_us += gaen ? rng_us(&r->rng, 600, 1200) : rng_us(&r->rng, 780, 1020);
        }
        break;
    }
}

/* The next event time after t for radio r. */
static int64_t radio_next_time(struct radio *r, int64_t t)
{
    int64_t next = t + r->interval_us + (int64_t)(rng_u64(&r->rng) % (10 * MS)); /* advDelay */

    if ((r->what == LOBBY_RADIO_BZ_ANDROID || r->what == LOBBY_RADIO_BZ_IBEACON) && !r->on) {
        next = r->phase_end_us;
        if (r->what == LOBBY_RADIO_BZ_ANDROID && r->next_id_us < next)
            next = r->next_id_us;
    }
    return next;
}

/* --- Reception --- */

static bool scanner_deaf(const struct lobby_sim *s, int64_t t)
{
    if (s->sc.outage_s > 0) {
        int64_t at = s->start_us + (int64_t)s->sc.outage_at_s * US;
        if (t >= at && t < at + (int64_t)s->sc.outage_s * US)
            return true;
    }
    return (t - s->start_us) % RESTART_US < RESTART_GAP;
}

/* Decides whether the scanner hears this advert; returns the RSSI it reports. */
static bool heard(struct lobby_sim *s, struct radio *r, const struct person *p, int64_t t, double d,
                  int8_t *rssi)
{
    double mean = r->tx_db - 22.0 * log10(d < 0.3 ? 0.3 : d) + shadow_db(p, t);
    double inst = mean + 4.0 * rng_normal(&r->rng);
    double p_sens, p_coll, p_ok;

    if (rng_chance(&r->rng, 0.04))
        inst -= 12.0; /* a deep multipath fade */
    p_sens = 1.0 / (1.0 + exp(-(inst + 93.0) / 1.5));
    p_coll = 1.0 - exp(-2.0 * s->air_rate * AIRTIME_US * 1e-6);
    if (inst > -75.0)
        p_coll *= 0.4; /* a strong signal survives most collisions (capture) */
    p_ok = s->sc.duty * p_sens * (1.0 - p_coll);
    if (scanner_deaf(s, t) || !rng_chance(&r->rng, p_ok))
        return false;
    inst = round(inst);
    *rssi = (int8_t)(inst < -127 ? -127 : inst > 20 ? 20 : inst);
    return true;
}

/* --- Creating people --- */

static uint32_t find_free_person(struct lobby_sim *s)
{
    for (uint32_t i = 0; i < s->n_persons_cap; i++)
        if (!s->persons[i].used)
            return i;
    return UINT32_MAX;
}

static uint32_t find_free_radio(struct lobby_sim *s)
{
    for (uint32_t i = 0; i < s->n_radios_cap; i++)
        if (!s->radios[i].used)
            return i;
    return UINT32_MAX;
}

/* The radio's fixed traits. */
static void radio_traits(struct radio *r)
{
    static const struct {
        uint32_t interval_ms;
        float tx_db;
        uint8_t adv_type;
    } t[LOBBY_RADIO_COUNT] = {
        [LOBBY_RADIO_BZ_ANDROID] = {100, -60, 0}, [LOBBY_RADIO_BZ_IBEACON] = {1000, -62, 3},
        [LOBBY_RADIO_BZ_IPHONE] = {211, -58, 0},  [LOBBY_RADIO_BZ_V1] = {100, -60, 0},
        [LOBBY_RADIO_IPHONE] = {1000, -58, 0},    [LOBBY_RADIO_ANDROID] = {1000, -62, 3},
        [LOBBY_RADIO_GAEN] = {250, -61, 3},       [LOBBY_RADIO_STOPCOVID] = {300, -61, 3},
        [LOBBY_RADIO_WATCH] = {700, -68, 0},      [LOBBY_RADIO_EARBUDS] = {300, -65, 3},
        [LOBBY_RADIO_TV] = {200, -52, 0},         [LOBBY_RADIO_BEACON] = {1000, -63, 3},
        [LOBBY_RADIO_LAPTOP] = {1000, -58, 3},    [LOBBY_RADIO_EXT_SPEAKER] = {250, -55, 0},
    };
    r->interval_us = t[r->what].interval_ms * (uint32_t)MS;
    r->tx_db = t[r->what].tx_db + (float)rng_range(&r->rng, -4, 4);
    r->adv_type = t[r->what].adv_type;
    r->rate = 1e6f / ((float)r->interval_us + 5000.0f);
}

static uint8_t radio_kind(uint8_t what)
{
    switch (what) {
    case LOBBY_RADIO_BZ_ANDROID:
        return BEACON_BLUEZONE_ANDROID;
    case LOBBY_RADIO_BZ_IBEACON:
        return BEACON_BLUEZONE_IBEACON;
    case LOBBY_RADIO_BZ_IPHONE:
        return BEACON_BLUEZONE_IOS;
    case LOBBY_RADIO_BZ_V1:
        return BEACON_BLUEZONE_V1;
    case LOBBY_RADIO_GAEN:
        return BEACON_GAEN;
    case LOBBY_RADIO_STOPCOVID:
        return BEACON_STOPCOVID;
    default:
        return BEACON_OTHER;
    }
}

/* Creates a radio for person slot pslot, advertising from from_us (its
 * Bluezone key made that day when fresh: an install at the desk). */
static void add_radio(struct lobby_sim *s, uint32_t pslot, uint8_t what, int64_t from_us,
                      bool fresh)
{
    struct person *p = &s->persons[pslot];
    uint32_t slot = find_free_radio(s);
    struct radio *r;
    struct lobby_radio_info info = {0};

    if (slot == UINT32_MAX)
        return;
    r = &s->radios[slot];
    memset(r, 0, sizeof(*r));
    r->used = true;
    r->what = what;
    r->kind = radio_kind(what);
    r->number = ++s->radio_count;
    r->person = pslot;
    rng_seed(&r->rng, rng_u64(&s->rng));
    r->style = (uint8_t)rng_u64(&r->rng);
    radio_traits(r);
    r->start_us = from_us > s->start_us ? from_us : s->start_us;
    r->end_us = p->leave_us;
    r->next_us = r->start_us + (int64_t)(rng_u64(&r->rng) % (uint64_t)r->interval_us);
    if (what == LOBBY_RADIO_BZ_ANDROID || what == LOBBY_RADIO_BZ_V1) {
        int64_t day0 = civil_floor_div(civil_floor_div(r->start_us, US), CIVIL_DAY_S) * CIVIL_DAY_S;
        for (int i = 0; i < 32; i++)
            r->key[i] = (uint8_t)rng_u64(&r->rng);
        r->t0_s = fresh ? day0 : day0 - CIVIL_DAY_S * (int64_t)(1 + rng_u64(&r->rng) % 30);
        info.has_key = true;
        memcpy(info.key, r->key, 32);
        info.key_t0_s = r->t0_s;
    }
    info.person = p->number;
    info.radio = r->number;
    info.what = what;
    info.kind = r->kind;
    if (s->obs.radio)
        s->obs.radio(&info, s->obs.userdata);
    s->stats.radios++;
    if (r->next_us >= r->end_us) {
        r->used = false;
        return;
    }
    p->radios_left++;
    heap_push(s, slot);
}

/* What a person carries, decided before they are announced. */
struct kit {
    uint8_t n;
    uint8_t what[6];
    int64_t from[6];
    bool fresh[6];
};

static void kit_add(struct kit *k, uint8_t what, int64_t from, bool fresh)
{
    if (k->n < 6) {
        k->what[k->n] = what;
        k->from[k->n] = from;
        k->fresh[k->n++] = fresh;
    }
}

/* Decides a person's phone and gadgets (fills the truth's kind and app fields). */
static void equip(struct lobby_sim *s, struct person *p, struct lobby_person_info *info,
                  struct kit *k, bool visitor, int64_t desk_us)
{
    bool smartphone = !visitor || !rng_chance(&s->rng, 0.05);
    bool iphone = rng_chance(&s->rng, 0.3);
    bool app = smartphone && rng_chance(&s->rng, s->sc.app_share);
    bool at_desk = visitor && desk_us > 0;
    int64_t from = p->arrive_us;

    memset(k, 0, sizeof(*k));
    info->smartphone = smartphone;
    info->has_phone = false;
    info->kind = BEACON_OTHER;
    p->app_start_us = from;
    if (!smartphone)
        return;
    if (app) {
        if (at_desk && rng_chance(&s->rng, 0.08)) {
            /* the app was not running: opened at the desk after a prompt */
            p->app_start_us = desk_us + rng_us(&s->rng, 15, 60);
            info->app_start_us = p->app_start_us;
        }
        info->has_phone = true;
        if (iphone) {
            kit_add(k, LOBBY_RADIO_BZ_IPHONE, from, false);
            info->kind = BEACON_BLUEZONE_IOS;
            if (at_desk && rng_chance(&s->rng, 0.35)) {
                p->fg_from_us = desk_us + rng_us(&s->rng, 5, 40);
                p->fg_to_us = p->fg_from_us + rng_us(&s->rng, 60, 300);
            }
        } else if (rng_chance(&s->rng, 0.005)) {
            kit_add(k, LOBBY_RADIO_BZ_V1, p->app_start_us, false);
            info->kind = BEACON_BLUEZONE_V1;
        } else {
            kit_add(k, LOBBY_RADIO_BZ_ANDROID, p->app_start_us, false);
            if (rng_chance(&s->rng, 0.6))
                kit_add(k, LOBBY_RADIO_BZ_IBEACON, p->app_start_us, false);
            info->kind = BEACON_BLUEZONE_ANDROID;
        }
    } else if (rng_chance(&s->rng, 0.04)) {
        bool gaen = rng_chance(&s->rng, 0.7);
        kit_add(k, gaen ? LOBBY_RADIO_GAEN : LOBBY_RADIO_STOPCOVID, from, false);
        info->kind = gaen ? BEACON_GAEN : BEACON_STOPCOVID;
        info->has_phone = true;
    } else {
        bool installs = at_desk && rng_chance(&s->rng, 0.3);
        if (installs) {
            /* installs Bluezone at the desk, prompted by the kiosk */
            p->app_start_us = desk_us + rng_us(&s->rng, 60, 180);
            info->app_start_us = p->app_start_us;
            info->installs = true;
        }
        if (iphone) {
            /* the same iPhone: its Bluezone adverts start once installed */
            kit_add(k, installs ? LOBBY_RADIO_BZ_IPHONE : LOBBY_RADIO_IPHONE, from, false);
            info->has_phone = true;
            if (installs)
                info->kind = BEACON_BLUEZONE_IOS;
        } else {
            if (rng_chance(&s->rng, 0.3)) {
                kit_add(k, LOBBY_RADIO_ANDROID, from, false);
                info->has_phone = true;
            }
            if (installs) {
                kit_add(k, LOBBY_RADIO_BZ_ANDROID, p->app_start_us, true);
                info->kind = BEACON_BLUEZONE_ANDROID;
                info->has_phone = true;
            }
        }
    }
    if (rng_chance(&s->rng, 0.12))
        kit_add(k, LOBBY_RADIO_WATCH, from, false);
    if (iphone && rng_chance(&s->rng, 0.15))
        kit_add(k, LOBBY_RADIO_EARBUDS, from, false);
}

static uint32_t new_person(struct lobby_sim *s, uint8_t role, int64_t arrive_us)
{
    uint32_t slot = find_free_person(s);
    struct person *p;

    if (slot == UINT32_MAX)
        return UINT32_MAX;
    p = &s->persons[slot];
    memset(p, 0, sizeof(*p));
    p->used = true;
    p->role = role;
    p->seed = rng_u64(&s->rng);
    p->arrive_us = arrive_us;
    way_add(p, arrive_us, DOOR_M);
    return slot;
}

/* Announces the person with their radios, or forgets one who left before
 * the start or carries nothing that advertises. */
static void commit_person(struct lobby_sim *s, uint32_t slot, struct lobby_person_info *info,
                          const struct kit *k)
{
    struct person *p = &s->persons[slot];

    if (p->leave_us <= s->start_us) {
        p->used = false;
        return;
    }
    compute_near(p);
    /* the truth starts with the scenario: forget desk visits that ended before */
    while (p->n_near && p->near_to[0] <= s->start_us) {
        memmove(p->near_from, p->near_from + 1, sizeof(p->near_from[0]) * (p->n_near - 1u));
        memmove(p->near_to, p->near_to + 1, sizeof(p->near_to[0]) * (p->n_near - 1u));
        p->n_near--;
    }
    p->number = ++s->person_count;
    info->person = p->number;
    info->role = p->role;
    info->arrive_us = p->arrive_us;
    info->leave_us = p->leave_us;
    info->n_near = p->n_near;
    memcpy(info->near_from_us, p->near_from, sizeof(p->near_from));
    memcpy(info->near_to_us, p->near_to, sizeof(p->near_to));
    s->stats.people++;
    if (s->obs.person)
        s->obs.person(info, s->obs.userdata);
    p->radios_left = 0;
    for (int i = 0; i < k->n; i++)
        add_radio(s, slot, k->what[i], k->from[i], k->fresh[i]);
    if (p->radios_left == 0)
        p->used = false; /* nothing to simulate: no smartphone, or a silent one */
}

static void spawn_visitor(struct lobby_sim *s, int64_t t)
{
    uint32_t slot = new_person(s, LOBBY_VISITOR, t);
    struct lobby_person_info info = {0};
    struct kit k;
    struct person *p;
    double v, d_desk;
    int64_t desk;

    if (slot == UINT32_MAX)
        return;
    p = &s->persons[slot];
    v = rng_range(&s->rng, 0.8, 1.3);
    if (rng_chance(&s->rng, 0.55)) { /* sits down first */
        double d_wait = rng_range(&s->rng, 4.5, 9.0);
        walk_to(p, d_wait, v);
        stay(p, rng_us(&s->rng, 60, 900));
    }
    d_desk = rng_range(&s->rng, 0.4, 1.1);
    desk = walk_to(p, d_desk, v);
    stay(p, rng_us(&s->rng, 45, 420));
    if (rng_chance(&s->rng, 0.15)) { /* steps back to fill in a form, then returns */
        double d_back = rng_range(&s->rng, 4.5, 8.0);
        walk_to(p, d_back, v);
        stay(p, rng_us(&s->rng, 60, 300));
        walk_to(p, d_desk, v);
        stay(p, rng_us(&s->rng, 30, 150));
    }
    p->leave_us = walk_to(p, rng_range(&s->rng, 14.0, 18.0), v);
    equip(s, p, &info, &k, true, desk);
    commit_person(s, slot, &info, &k);
}

static void spawn_passerby(struct lobby_sim *s, int64_t t, uint8_t role)
{
    uint32_t slot = new_person(s, role, t);
    struct lobby_person_info info = {0};
    struct kit k = {0};
    struct person *p;
    double v;

    if (slot == UINT32_MAX)
        return;
    p = &s->persons[slot];
    p->way_d[0] = (float)PASS_FAR_M;
    v = rng_range(&s->rng, 0.9, 1.5);
    if (role == LOBBY_OTHER_APP) {
        walk_to(p, rng_range(&s->rng, 5.0, 10.0), v);
        stay(p, rng_us(&s->rng, 300, 1800));
    } else {
        walk_to(p, rng_range(&s->rng, 3.5, 12.0), v);
        if (rng_chance(&s->rng, 0.2)) /* stops to read the notices */
            stay(p, rng_us(&s->rng, 10, 120));
    }
    p->leave_us = walk_to(p, PASS_FAR_M, v);
    if (role == LOBBY_OTHER_APP) {
        /* always a phone with another tracing app */
        bool gaen = rng_chance(&s->rng, 0.7);
        info.smartphone = info.has_phone = true;
        info.kind = gaen ? BEACON_GAEN : BEACON_STOPCOVID;
        kit_add(&k, gaen ? LOBBY_RADIO_GAEN : LOBBY_RADIO_STOPCOVID, t, false);
    } else {
        equip(s, p, &info, &k, false, 0);
    }
    commit_person(s, slot, &info, &k);
}

/* Someone present for the whole scenario at distance d (staff, the crowd, devices). */
static void spawn_static(struct lobby_sim *s, uint8_t role, int index, int64_t arrive,
                         int64_t leave)
{
    uint32_t slot = new_person(s, role, arrive);
    struct lobby_person_info info = {0};
    struct kit k = {0};
    struct person *p;
    double d;

    if (slot == UINT32_MAX)
        return;
    p = &s->persons[slot];
    p->n_way = 0;
    if (role == LOBBY_STAFF) {
        /* staff 0 is the receptionist beside the kiosk, the others at their desks */
        d = index == 0 ? rng_range(&s->rng, 0.8, 1.4) : rng_range(&s->rng, 3.0, 10.0);
        way_add(p, arrive, DOOR_M);
        walk_to(p, d, 1.1);
        p->fixed_shadow = true;
        p->shadow_db = (float)rng_range(&s->rng, -5, -1);
        if (s->sc.day_profile && leave != INT64_MAX && rng_chance(&s->rng, 0.6)) {
            /* lunch away from the building */
            int64_t mid = local_midnight_s(arrive / US) * US;
            int64_t out = mid + rng_us(&s->rng, 11.5 * 3600, 12.0 * 3600);
            int64_t back = mid + rng_us(&s->rng, 12.75 * 3600, 13.25 * 3600);
            way_add(p, out, d);
            way_add(p, out + 20 * US, OUT_M);
            way_add(p, back - 20 * US, OUT_M);
            way_add(p, back, d);
        }
        way_add(p, leave == INT64_MAX ? INT64_MAX - 1 : leave - 15 * US, d);
        way_add(p, leave, DOOR_M);
        p->leave_us = leave;
        /* every member of staff has Bluezone (the documents ask for 100%) */
        bool iphone = rng_chance(&s->rng, 0.3);
        info.smartphone = info.has_phone = true;
        info.kind = iphone ? BEACON_BLUEZONE_IOS : BEACON_BLUEZONE_ANDROID;
        p->app_start_us = arrive;
        kit_add(&k, iphone ? LOBBY_RADIO_BZ_IPHONE : LOBBY_RADIO_BZ_ANDROID, arrive, false);
        if (!iphone && rng_chance(&s->rng, 0.6))
            kit_add(&k, LOBBY_RADIO_BZ_IBEACON, arrive, false);
        if (rng_chance(&s->rng, 0.3))
            kit_add(&k, LOBBY_RADIO_WATCH, arrive, false);
        if (index % 3 == 1)
            kit_add(&k, LOBBY_RADIO_LAPTOP, arrive, false);
        commit_person(s, slot, &info, &k);
        return;
    }
    if (role == LOBBY_DEVICE) {
        static const uint8_t kinds[] = {LOBBY_RADIO_TV,          LOBBY_RADIO_BEACON,
                                        LOBBY_RADIO_EXT_SPEAKER, LOBBY_RADIO_LAPTOP,
                                        LOBBY_RADIO_WATCH,       LOBBY_RADIO_EARBUDS};
        d = rng_range(&s->rng, 3.0, 15.0);
        way_add(p, arrive, d);
        way_add(p, leave, d);
        p->fixed_shadow = true;
        p->leave_us = leave;
        kit_add(&k, kinds[index % (int)sizeof(kinds)], arrive, false);
        commit_person(s, slot, &info, &k);
        return;
    }
    /* the crowd: waiting in the hall, never at the desk */
    d = rng_range(&s->rng, 3.0, 20.0);
    way_add(p, arrive, DOOR_M);
    walk_to(p, d, 1.0);
    way_add(p, leave == INT64_MAX ? INT64_MAX - 1 : leave - 20 * US, d);
    way_add(p, leave, DOOR_M);
    p->leave_us = leave;
    equip(s, p, &info, &k, false, 0);
    commit_person(s, slot, &info, &k);
}

/* --- Life and death of radios --- */

static void retire(struct lobby_sim *s, uint32_t slot)
{
    struct radio *r = &s->radios[slot];
    struct person *p = &s->persons[r->person];

    heap_pop(s);
    set_on(s, r, false);
    if (r->started && s->active)
        s->active--;
    if (s->obs.radio_end)
        s->obs.radio_end(r->number, r->end_us, s->obs.userdata);
    r->used = false;
    if (p->radios_left && --p->radios_left == 0)
        p->used = false;
}

static int64_t next_spawn(const struct lobby_sim *s)
{
    int64_t t = s->next_visitor_us;

    if (s->next_passerby_us < t)
        t = s->next_passerby_us;
    if (s->next_other_us < t)
        t = s->next_other_us;
    return t;
}

/* The next arrival of a Poisson process of rate_per_h (thinned by the day's profile). */
static int64_t next_arrival(struct lobby_sim *s, int64_t t, double rate_per_h)
{
    double peak = s->sc.day_profile ? 1.7 : 1.0;

    if (rate_per_h <= 0)
        return INT64_MAX;
    for (int guard = 0; guard < 100000; guard++) {
        t += (int64_t)llround(rng_exp(&s->rng, 3600.0 / (rate_per_h * peak)) * US) + 1;
        if (t >= s->end_us)
            return INT64_MAX;
        if (!s->sc.day_profile || rng_chance(&s->rng, day_profile(t) / peak))
            return t;
    }
    return INT64_MAX;
}

static void do_spawn(struct lobby_sim *s)
{
    int64_t t = next_spawn(s);

    if (t == s->next_visitor_us) {
        spawn_visitor(s, t);
        s->next_visitor_us = next_arrival(s, t, s->sc.visitors_per_h);
    } else if (t == s->next_passerby_us) {
        spawn_passerby(s, t, LOBBY_PASSERBY);
        s->next_passerby_us = next_arrival(s, t, s->sc.passersby_per_h);
    } else {
        spawn_passerby(s, t, LOBBY_OTHER_APP);
        s->next_other_us = next_arrival(s, t, s->sc.other_app_per_h);
    }
}

/* --- The public API --- */

struct lobby_sim *lobby_sim_create(const struct lobby_scenario *sc, uint64_t seed, int64_t start_us,
                                   const struct lobby_observer *observer)
{
    struct lobby_sim *s = calloc(1, sizeof(*s));
    int64_t warm, mid;

    if (!s)
        return NULL;
    s->sc = *sc;
    if (observer)
        s->obs = *observer;
    rng_seed(&s->rng, seed ^ 0x426C75657A6F6E65ULL); /* "Bluezone" */
    s->start_us = start_us;
    s->end_us = sc->duration_s > 0 ? start_us + (int64_t)sc->duration_s * US : INT64_MAX;
    s->n_persons_cap = 1024 + 2u * (uint32_t)sc->crowd;
    s->n_radios_cap = 2 * s->n_persons_cap;
    s->persons = xcalloc(s->n_persons_cap, sizeof(*s->persons));
    s->radios = xcalloc(s->n_radios_cap, sizeof(*s->radios));
    s->heap = xcalloc(s->n_radios_cap, sizeof(*s->heap));
    if (!s->persons || !s->radios || !s->heap) {
        lobby_sim_destroy(s);
        return NULL;
    }
    if (sc->outage_s > 0 && s->obs.scanner_gap)
        s->obs.scanner_gap(start_us + (int64_t)sc->outage_at_s * US, (int64_t)sc->outage_s * US,
                           s->obs.userdata);
    /* everyday devices, staff and the crowd are there for the whole scenario */
    mid = local_midnight_s(start_us / US) * US;
    for (int i = 0; i < sc->devices; i++)
        spawn_static(s, LOBBY_DEVICE, i, start_us - rng_us(&s->rng, 600, 7200),
                     s->end_us == INT64_MAX ? INT64_MAX : s->end_us + 3600 * US);
    for (int i = 0; i < sc->staff; i++) {
        int64_t arrive, leave;
        if (sc->day_profile) {
            arrive = mid + rng_us(&s->rng, 7 * 3600 + 10 * 60, 7 * 3600 + 50 * 60);
            leave = mid + rng_us(&s->rng, 16 * 3600 + 55 * 60, 17 * 3600 + 40 * 60);
        } else {
            arrive = start_us - rng_us(&s->rng, 3600, 3 * 3600);
            leave = s->end_us == INT64_MAX ? INT64_MAX : s->end_us + rng_us(&s->rng, 600, 3600);
        }
        spawn_static(s, LOBBY_STAFF, i, arrive, leave);
    }
    for (int i = 0; i < sc->crowd; i++)
        spawn_static(s, LOBBY_PASSERBY, i, start_us - rng_us(&s->rng, 0, 1800),
                     s->end_us == INT64_MAX ? INT64_MAX : s->end_us + rng_us(&s->rng, 0, 1800));
    /* arrivals from an hour before the start, so people are already in the lobby */
    warm = start_us - 3600 * US;
    s->next_visitor_us = next_arrival(s, warm, sc->visitors_per_h);
    s->next_passerby_us = next_arrival(s, warm, sc->passersby_per_h);
    s->next_other_us = next_arrival(s, warm, sc->other_app_per_h);
    return s;
}

void lobby_sim_destroy(struct lobby_sim *s)
{
    if (!s)
        return;
    free(s->persons);
    free(s->radios);
    free(s->heap);
    free(s);
}

int64_t lobby_sim_start_us(const struct lobby_sim *s)
{
    return s->start_us;
}

int64_t lobby_sim_end_us(const struct lobby_sim *s)
{
    return s->end_us;
}

void lobby_sim_stats(const struct lobby_sim *s, struct lobby_sim_stats *stats)
{
    *stats = s->stats;
}

/* The earliest waiting scan response, or -1. */
static int earliest_pending(const struct lobby_sim *s)
{
    int best = -1;

    for (int i = 0; i < s->n_pending; i++)
        if (best < 0 || s->pending[i].r.t_us < s->pending[best].r.t_us)
            best = i;
    return best;
}

static void fill_report(struct lobby_report *out, const struct radio *r, const struct person *p,
                        int64_t t, double d, int8_t rssi)
{
    memset(out, 0, sizeof(*out));
    out->r.t_us = t;
    out->r.t_ms = civil_floor_div(t, MS);
    out->r.addr = r->addr;
    out->r.hci_addr_type = r->hci_type;
    out->r.rssi = rssi;
    out->r.tx_power = BEACON_RSSI_NONE;
    out->r.primary_phy = 1;
    out->r.sid = 0xFF;
    out->person = p->number;
    out->radio = r->number;
    out->near = is_near(p, t);
    out->distance_m = (float)d;
}

static uint16_t ext_type(uint8_t legacy_type, bool scan_rsp)
{
    /* legacy PDUs as an extended scanner reports them */
    switch (legacy_type) {
    case BTSNOOP_ADV_IND:
        return scan_rsp ? 0x1B : 0x13;
    case BTSNOOP_ADV_SCAN_IND:
        return scan_rsp ? 0x1A : 0x12;
    default:
        return 0x10;
    }
}

/* One advertising event of the radio at the top of the heap. Returns: true
 * and *out when the scanner heard it. */
static bool step(struct lobby_sim *s, struct lobby_report *out)
{
    uint32_t slot = s->heap[0];
    struct radio *r = &s->radios[slot];
    struct person *p = &s->persons[r->person];
    int64_t t = r->next_us;
    uint8_t rsp[31], adv_type;
    size_t len, rsp_len;
    double d;
    int8_t rssi;
    bool got = false, ext_only;

    if (t >= r->end_us || t >= s->end_us) {
        retire(s, slot);
        return false;
    }
    if (!r->started)
        radio_start(s, r, t);
    radio_advance(s, r, t);
    if ((r->what == LOBBY_RADIO_BZ_ANDROID || r->what == LOBBY_RADIO_BZ_IBEACON) && !r->on)
        goto reschedule;
    len = payload(s, r, p, t, s->out_data, rsp, &rsp_len, &adv_type);
    r->tick++;
    s->stats.adverts++;
    ext_only = r->what == LOBBY_RADIO_EXT_SPEAKER;
    d = distance_at(p, t);
    if ((ext_only && !s->sc.extended) || !heard(s, r, p, t, d, &rssi)) {
        s->stats.lost++;
        goto reschedule;
    }
    fill_report(out, r, p, t, d, rssi);
    out->r.data = s->out_data;
    out->r.data_len = (uint8_t)len;
    out->r.extended = s->sc.extended;
    if (ext_only) {
        out->r.event_type = 0x0000; /* non-connectable, non-scannable, not legacy */
        out->r.secondary_phy = 1;
        out->r.sid = 3;
        out->r.tx_power = 4;
    } else {
        out->r.event_type = s->sc.extended ? ext_type(adv_type, false) : adv_type;
    }
    got = true;
    /* an active scan asks scannable advertisers for their scan response */
    if (!ext_only && (adv_type == BTSNOOP_ADV_IND || adv_type == BTSNOOP_ADV_SCAN_IND) &&
        s->n_pending < 16) {
        bool empty_rsp = r->what == LOBBY_RADIO_BZ_ANDROID && rng_chance(&r->rng, 0.3);
        if ((rsp_len && rng_chance(&r->rng, 0.6)) || empty_rsp) {
            struct lobby_report *q = &s->pending[s->n_pending];
            *q = *out;
            q->r.t_us = t + 400 + (int64_t)(rng_u64(&r->rng) % 300);
            q->r.t_ms = civil_floor_div(q->r.t_us, MS);
            q->r.rssi = (int8_t)(rssi + (int)(rng_u64(&r->rng) % 5) - 2);
            q->r.event_type = s->sc.extended ? ext_type(adv_type, true) : BTSNOOP_SCAN_RSP;
            memcpy(s->pending_data[s->n_pending], rsp, rsp_len);
            q->r.data = s->pending_data[s->n_pending];
            q->r.data_len = empty_rsp ? 0 : (uint8_t)rsp_len;
            s->n_pending++;
        }
    }

reschedule:
    r->next_us = radio_next_time(r, t);
    heap_down(s, 0);
    return got;
}

int64_t lobby_sim_peek_time(struct lobby_sim *s)
{
    struct lobby_report tmp;
    int best;

    /* run the world until a report is due; keep it as the first pending one */
    for (;;) {
        best = earliest_pending(s);
        int64_t ev = s->heap_len ? s->radios[s->heap[0]].next_us : INT64_MAX;
        int64_t sp = next_spawn(s);
        if (best >= 0 && s->pending[best].r.t_us <= ev && s->pending[best].r.t_us <= sp)
            return s->pending[best].r.t_us;
        if (sp <= ev && sp != INT64_MAX) {
            do_spawn(s);
            continue;
        }
        if (ev == INT64_MAX || ev >= s->end_us) {
            if (best >= 0)
                return s->pending[best].r.t_us;
            if (ev == INT64_MAX)
                return INT64_MAX;
            step(s, &tmp); /* retires the radio */
            continue;
        }
        if (step(s, &tmp)) {
            if (s->n_pending < 16) {
                /* park it among the pending ones (its data copied) */
                struct lobby_report *q = &s->pending[s->n_pending];
                *q = tmp;
                memcpy(s->pending_data[s->n_pending], tmp.r.data, tmp.r.data_len);
                q->r.data = s->pending_data[s->n_pending];
                s->n_pending++;
            } else {
                s->stats.lost++;
            }
        }
    }
}

int lobby_sim_next(struct lobby_sim *s, struct lobby_report *out)
{
    int64_t t = lobby_sim_peek_time(s);
    int best;

    if (t == INT64_MAX)
        return 0;
    best = earliest_pending(s);
    *out = s->pending[best];
    memcpy(s->out_data, s->pending_data[best], out->r.data_len);
    out->r.data = s->out_data;
    /* remove it, keeping the others (and their data) in place */
    s->n_pending--;
    if (best != s->n_pending) {
        s->pending[best] = s->pending[s->n_pending];
        memcpy(s->pending_data[best], s->pending_data[s->n_pending], 31);
        s->pending[best].r.data = s->pending_data[best];
    }
    s->stats.reports++;
    return 1;
}

int lobby_sim_write(struct lobby_sim *s, struct btsnoop_writer *w, int64_t until_us,
                    void (*each)(const struct lobby_report *rep, void *userdata), void *userdata)
{
    struct beacon_addr ctrl = {{0xB8, 0x27, 0xEB, 0x00, 0x00, 0x01}, BEACON_ADDR_PUBLIC};
    struct btsnoop_report batch[8];
    uint8_t data[8][255];
    uint8_t ev[BTSNOOP_EVENT_MAX];
    struct lobby_report rep;
    size_t n = 0, len;
    int max = s->sc.batch < 1 ? 1 : s->sc.batch > 8 ? 8 : s->sc.batch;
    int e;

    e = btsnoop_write_new_index(w, s->start_us, 0, &ctrl, "hci0");
    while (e == 0) {
        bool more = lobby_sim_peek_time(s) < until_us && lobby_sim_next(s, &rep) == 1;
        if (more && each)
            each(&rep, userdata);
        /* flush when this report cannot join the batch */
        if (n && (!more || (int)n >= max || rep.r.t_us - batch[0].t_us > 1000 ||
                  rep.r.extended != batch[0].extended)) {
            len = btsnoop_build_adv_event(ev, batch[0].extended, batch, n);
            if (len == 0) { /* too big together: one event each */
                for (size_t i = 0; i < n && e == 0; i++) {
                    len = btsnoop_build_adv_event(ev, batch[i].extended, &batch[i], 1);
                    e = btsnoop_write_hci(w, batch[i].t_us, 0, BTSNOOP_OP_EVENT, ev, len);
                }
            } else {
                e = btsnoop_write_hci(w, batch[n - 1].t_us, 0, BTSNOOP_OP_EVENT, ev, len);
            }
            n = 0;
        }
        if (!more)
            break;
        memcpy(data[n], rep.r.data, rep.r.data_len);
        batch[n] = rep.r;
        batch[n].data = data[n];
        n++;
    }
    return e;
}
