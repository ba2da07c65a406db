/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lobby_truth.h"

#include "civil.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE INT64_MIN

struct t_person {
    struct lobby_person_info info;
    uint64_t reports;
    int64_t seen_first[LOBBY_MAX_NEAR], seen_last[LOBBY_MAX_NEAR]; /* any radio, near */
    int64_t bz_first[LOBBY_MAX_NEAR], bz_last[LOBBY_MAX_NEAR];     /* Bluezone radios */
    uint32_t first_radio, last_radio; /* a list through t_radio.next (0 = none) */
};

struct t_radio {
    struct lobby_radio_info info;
    int64_t from_us, to_us;
    uint32_t next;                 /* the person's next radio */
    uint32_t addr_head, addr_tail; /* lists through t_item.next */
    uint32_t id_head, id_tail;
};

struct t_item { /* an address or an ID from a time on */
    int64_t t_us;
    uint32_t next;
    uint8_t b[BEACON_ID_LEN]; /* address: b[0..5] and b[6] = type */
};

struct t_gap {
    int64_t t_us, dur_us;
};

#define VEC(type)                                                                                  \
    struct {                                                                                       \
        type *v;                                                                                   \
        uint32_t n, cap;                                                                           \
    }

struct lobby_truth {
    VEC(struct t_person) persons; /* index = person number - 1 */
    VEC(struct t_radio) radios;   /* index = radio number - 1 */
    VEC(struct t_item) items;     /* index 0 unused (0 = end of a list) */
    VEC(struct t_gap) gaps;
    bool failed;
};

static bool grow(void **v, uint32_t *cap, uint32_t need, size_t size)
{
    uint32_t c = *cap ? *cap : 64;
    void *p;

    if (need <= *cap)
        return true;
    while (c < need)
        c *= 2;
    p = realloc(*v, (size_t)c * size);
    if (!p)
        return false;
    memset((char *)p + (size_t)*cap * size, 0, (size_t)(c - *cap) * size);
    *v = p;
    *cap = c;
    return true;
}

#define GROW(t, vec, need) grow((void **)&(vec).v, &(vec).cap, (need), sizeof(*(vec).v))

struct lobby_truth *lobby_truth_create(void)
{
    struct lobby_truth *t = calloc(1, sizeof(*t));

    if (t && !GROW(t, t->items, 1)) {
        free(t);
        return NULL;
    }
    if (t)
        t->items.n = 1;
    return t;
}

void lobby_truth_destroy(struct lobby_truth *t)
{
    if (!t)
        return;
    free(t->persons.v);
    free(t->radios.v);
    free(t->items.v);
    free(t->gaps.v);
    free(t);
}

bool lobby_truth_failed(const struct lobby_truth *t)
{
    return t->failed;
}

static struct t_person *person(struct lobby_truth *t, uint32_t number)
{
    return number >= 1 && number <= t->persons.n ? &t->persons.v[number - 1] : NULL;
}

static struct t_radio *radio(struct lobby_truth *t, uint32_t number)
{
    return number >= 1 && number <= t->radios.n ? &t->radios.v[number - 1] : NULL;
}

static void on_person(const struct lobby_person_info *p, void *userdata)
{
    struct lobby_truth *t = userdata;
    struct t_person *tp;

    if (p->person != t->persons.n + 1 || !GROW(t, t->persons, p->person)) {
        t->failed = true;
        return;
    }
    tp = &t->persons.v[t->persons.n++];
    memset(tp, 0, sizeof(*tp));
    tp->info = *p;
    for (int i = 0; i < LOBBY_MAX_NEAR; i++)
        tp->seen_first[i] = tp->seen_last[i] = tp->bz_first[i] = tp->bz_last[i] = NONE;
}

static void on_radio(const struct lobby_radio_info *r, void *userdata)
{
    struct lobby_truth *t = userdata;
    struct t_person *p = person(t, r->person);
    struct t_radio *tr;

    if (!p || r->radio != t->radios.n + 1 || !GROW(t, t->radios, r->radio)) {
        t->failed = true;
        return;
    }
    tr = &t->radios.v[t->radios.n++];
    memset(tr, 0, sizeof(*tr));
    tr->info = *r;
    tr->from_us = tr->to_us = NONE;
    if (p->last_radio)
        t->radios.v[p->last_radio - 1].next = r->radio;
    else
        p->first_radio = r->radio;
    p->last_radio = r->radio;
}

/* Appends an item to a list; returns false when out of memory. */
static bool append(struct lobby_truth *t, uint32_t *head, uint32_t *tail, int64_t t_us,
                   const uint8_t *b, size_t n)
{
    struct t_item *it;

    if (!GROW(t, t->items, t->items.n + 1)) {
        t->failed = true;
        return false;
    }
    it = &t->items.v[t->items.n];
    memset(it, 0, sizeof(*it));
    it->t_us = t_us;
    memcpy(it->b, b, n);
    if (*tail)
        t->items.v[*tail].next = t->items.n;
    else
        *head = t->items.n;
    *tail = t->items.n++;
    return true;
}

static void on_address(uint32_t number, const struct beacon_addr *a, int64_t t_us, void *userdata)
{
    struct lobby_truth *t = userdata;
    struct t_radio *r = radio(t, number);
    uint8_t b[7];

    if (!r) {
        t->failed = true;
        return;
    }
    memcpy(b, a->b, 6);
    b[6] = a->type;
    if (r->from_us == NONE)
        r->from_us = t_us;
    append(t, &r->addr_head, &r->addr_tail, t_us, b, sizeof(b));
}

static void on_id(uint32_t number, const uint8_t id[BEACON_ID_LEN], int64_t t_us, void *userdata)
{
    struct lobby_truth *t = userdata;
    struct t_radio *r = radio(t, number);

    if (!r) {
        t->failed = true;
        return;
    }
    append(t, &r->id_head, &r->id_tail, t_us, id, BEACON_ID_LEN);
}

static void on_radio_end(uint32_t number, int64_t t_us, void *userdata)
{
    struct lobby_truth *t = userdata;
    struct t_radio *r = radio(t, number);

    if (r)
        r->to_us = t_us;
}

static void on_gap(int64_t t_us, int64_t dur_us, void *userdata)
{
    struct lobby_truth *t = userdata;

    if (!GROW(t, t->gaps, t->gaps.n + 1)) {
        t->failed = true;
        return;
    }
    t->gaps.v[t->gaps.n++] = (struct t_gap){t_us, dur_us};
}

void lobby_truth_observer(struct lobby_truth *t, struct lobby_observer *o)
{
    memset(o, 0, sizeof(*o));
    o->person = on_person;
    o->radio = on_radio;
    o->address = on_address;
    o->id = on_id;
    o->radio_end = on_radio_end;
    o->scanner_gap = on_gap;
    o->userdata = t;
}

void lobby_truth_report(struct lobby_truth *t, const struct lobby_report *rep)
{
    struct t_person *p = person(t, rep->person);
    struct t_radio *r = radio(t, rep->radio);
    int64_t at = rep->r.t_us;

    if (!p || !r)
        return;
    p->reports++;
    if (!rep->near)
        return;
    for (int i = 0; i < p->info.n_near; i++) {
        if (at < p->info.near_from_us[i] || at > p->info.near_to_us[i])
            continue;
        if (p->seen_first[i] == NONE)
            p->seen_first[i] = at;
        p->seen_last[i] = at;
        if (beacon_kind_is_bluezone(r->info.kind)) {
            if (p->bz_first[i] == NONE)
                p->bz_first[i] = at;
            p->bz_last[i] = at;
        }
    }
}

/* --- JSON --- */

const char *lobby_role_name(enum lobby_role role)
{
    static const char *const names[LOBBY_ROLE_COUNT] = {"visitor", "passerby", "staff", "other-app",
                                                        "device"};
    return (unsigned)role < LOBBY_ROLE_COUNT ? names[role] : "unknown";
}

const char *lobby_radio_name(enum lobby_radio radio)
{
    static const char *const names[LOBBY_RADIO_COUNT] = {"bluezone-android-phone",
                                                         "bluezone-ibeacon",
                                                         "bluezone-iphone",
                                                         "bluezone-v1-phone",
                                                         "iphone",
                                                         "android-phone",
                                                         "gaen-phone",
                                                         "stopcovid-phone",
                                                         "watch",
                                                         "earbuds",
                                                         "tv",
                                                         "eddystone-beacon",
                                                         "laptop",
                                                         "extended-speaker"};
    return (unsigned)radio < LOBBY_RADIO_COUNT ? names[radio] : "unknown";
}

struct out {
    btsnoop_write_fn write;
    void *userdata;
    int error;
    char buf[4096];
    size_t n;
};

static void flush(struct out *o)
{
    if (o->n && !o->error)
        o->error = o->write(o->buf, o->n, o->userdata);
    o->n = 0;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->n > sizeof(o->buf) - 512)
        flush(o);
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->n, sizeof(o->buf) - o->n, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->n += (size_t)n < sizeof(o->buf) - o->n ? (size_t)n : sizeof(o->buf) - o->n - 1;
}

static long long ms(int64_t us)
{
    return (long long)civil_floor_div(us, 1000);
}

/* A time, or null. */
static void put_time(struct out *o, const char *key, int64_t us)
{
    if (us == NONE || us == INT64_MAX)
        put(o, "\"%s\":null", key);
    else
        put(o, "\"%s\":%lld", key, ms(us));
}

static const char *kind_of(const struct lobby_person_info *p)
{
    if (p->role == LOBBY_DEVICE)
        return "other";
    if (!p->smartphone)
        return "no-smartphone";
    if (!p->has_phone)
        return "none";
    return beacon_kind_name((enum beacon_kind)p->kind);
}

static void put_radio(struct out *o, const struct lobby_truth *t, const struct t_radio *r,
                      int64_t end_us)
{
    char hex[65], s[25];
    int64_t to = r->to_us == NONE ? end_us : r->to_us;
    bool first = true;

    put(o, "{\"radio\":%u,\"what\":\"%s\",\"kind\":\"%s\",", r->info.radio,
        lobby_radio_name((enum lobby_radio)r->info.what),
        beacon_kind_name((enum beacon_kind)r->info.kind));
    if (r->info.has_key) {
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02X", r->info.key[i]);
        put(o, "\"key\":\"%s\",\"key_t0\":%lld,", hex, (long long)r->info.key_t0_s);
    }
    put_time(o, "from_ms", r->from_us);
    put(o, ",");
    put_time(o, "to_ms", r->from_us == NONE ? NONE : to);
    put(o, ",\"addresses\":[");
    for (uint32_t i = r->addr_head; i; i = t->items.v[i].next) {
        const struct t_item *it = &t->items.v[i];
        struct beacon_addr a;
        memcpy(a.b, it->b, 6);
        a.type = it->b[6];
        beacon_addr_format(&a, s);
        put(o, "%s{\"addr\":\"%s\",\"type\":\"%s\",\"from_ms\":%lld,", first ? "" : ",", s,
            a.type == BEACON_ADDR_PUBLIC ? "public" : "random", ms(it->t_us));
        put_time(o, "to_ms", it->next ? t->items.v[it->next].t_us : to);
        put(o, "}");
        first = false;
    }
    put(o, "],\"ids\":[");
    first = true;
    for (uint32_t i = r->id_head; i; i = t->items.v[i].next) {
        const struct t_item *it = &t->items.v[i];
        beacon_id_format(it->b, s);
        put(o, "%s{\"id\":\"%s\",\"from_ms\":%lld,", first ? "" : ",", s, ms(it->t_us));
        put_time(o, "to_ms", it->next ? t->items.v[it->next].t_us : to);
        put(o, "}");
        first = false;
    }
    put(o, "]}");
}

/* The visits the presence engine should find: near intervals closer than absent_s merged. */
static void put_visits(struct out *o, const struct t_person *p, int absent_s, unsigned *visits)
{
    const struct lobby_person_info *in = &p->info;
    bool first = true;
    int i = 0;

    put(o, "\"visits\":[");
    if (in->role != LOBBY_VISITOR) {
        put(o, "]");
        return;
    }
    while (i < in->n_near) {
        int j = i;
        int64_t seen_first = NONE, seen_last = NONE;
        while (j + 1 < in->n_near &&
               in->near_from_us[j + 1] - in->near_to_us[j] < (int64_t)absent_s * 1000000)
            j++;
        for (int k = i; k <= j; k++) {
            if (seen_first == NONE && p->bz_first[k] != NONE)
                seen_first = p->bz_first[k];
            if (p->bz_last[k] != NONE)
                seen_last = p->bz_last[k];
        }
        put(o, "%s{", first ? "" : ",");
        put_time(o, "entry_ms", in->near_from_us[i]);
        put(o, ",");
        put_time(o, "exit_ms", in->near_to_us[j]);
        put(o, ",");
        put_time(o, "first_seen_ms", seen_first);
        put(o, ",");
        put_time(o, "last_seen_ms", seen_last);
        put(o, "}");
        first = false;
        (*visits)++;
        i = j + 1;
    }
    put(o, "]");
}

int lobby_truth_json(const struct lobby_truth *t, const struct lobby_truth_meta *m,
                     btsnoop_write_fn write, void *userdata)
{
    struct out o = {.write = write, .userdata = userdata};
    unsigned roles[LOBBY_ROLE_COUNT] = {0}, visits = 0, with_app = 0, installs = 0;
    int absent = m->absent_s > 0 ? m->absent_s : 120;

    put(&o, "{\"format\":\"bzkiosk-lobby-truth/1\",\"scenario\":\"%s\",\"seed\":%llu,", m->scenario,
        (unsigned long long)m->seed);
    put_time(&o, "start_ms", m->start_us);
    put(&o, ",");
    put_time(&o, "end_ms", m->end_us);
    put(&o, ",\"near_m\":%.1f,\"absent_s\":%d,", LOBBY_NEAR_M, absent);
    put(&o,
        "\"stats\":{\"people\":%u,\"radios\":%u,\"adverts\":%llu,\"reports\":%llu,"
        "\"lost\":%llu,\"max_in_range\":%u,",
        m->stats.people, m->stats.radios, (unsigned long long)m->stats.adverts,
        (unsigned long long)m->stats.reports, (unsigned long long)m->stats.lost,
        m->stats.max_in_range);
    put_time(&o, "max_in_range_ms", m->stats.max_in_range_us);
    put(&o, "},\"scanner_gaps\":[");
    for (uint32_t i = 0; i < t->gaps.n; i++) {
        put(&o, "%s{\"from_ms\":%lld,\"to_ms\":%lld}", i ? "," : "", ms(t->gaps.v[i].t_us),
            ms(t->gaps.v[i].t_us + t->gaps.v[i].dur_us));
    }
    put(&o, "],\n\"people\":[\n");
    for (uint32_t i = 0; i < t->persons.n; i++) {
        const struct t_person *p = &t->persons.v[i];
        const struct lobby_person_info *in = &p->info;
        unsigned before = visits;
        roles[in->role < LOBBY_ROLE_COUNT ? in->role : 0]++;
        put(&o, "{\"person\":%u,\"role\":\"%s\",\"kind\":\"%s\",\"installs\":%s,", in->person,
            lobby_role_name((enum lobby_role)in->role), kind_of(in),
            in->installs ? "true" : "false");
        put_time(&o, "arrive_ms", in->arrive_us);
        put(&o, ",");
        put_time(&o, "leave_ms", in->leave_us);
        put(&o, ",");
        put_time(&o, "app_start_ms", in->app_start_us > 0 ? in->app_start_us : NONE);
        put(&o, ",\"reports\":%llu,\"near\":[", (unsigned long long)p->reports);
        for (int k = 0; k < in->n_near; k++) {
            put(&o, "%s{", k ? "," : "");
            put_time(&o, "from_ms", in->near_from_us[k]);
            put(&o, ",");
            put_time(&o, "to_ms", in->near_to_us[k]);
            put(&o, ",");
            put_time(&o, "first_seen_ms", p->seen_first[k]);
            put(&o, ",");
            put_time(&o, "last_seen_ms", p->seen_last[k]);
            put(&o, "}");
        }
        put(&o, "],");
        put_visits(&o, p, absent, &visits);
        if (visits > before && in->has_phone && beacon_kind_is_bluezone(in->kind))
            with_app += visits - before;
        if (in->installs)
            installs++;
        put(&o, ",\"radios\":[");
        for (uint32_t r = p->first_radio; r; r = t->radios.v[r - 1].next) {
            if (r != p->first_radio)
                put(&o, ",");
            put_radio(&o, t, &t->radios.v[r - 1], m->end_us);
        }
        put(&o, "]}%s\n", i + 1 < t->persons.n ? "," : "");
    }
    put(&o,
        "],\n\"counts\":{\"visitor\":%u,\"passerby\":%u,\"staff\":%u,\"other-app\":%u,"
        "\"device\":%u,\"visits\":%u,\"visits_with_app\":%u,\"installs\":%u}}\n",
        roles[LOBBY_VISITOR], roles[LOBBY_PASSERBY], roles[LOBBY_STAFF], roles[LOBBY_OTHER_APP],
        roles[LOBBY_DEVICE], visits, with_app, installs);
    flush(&o);
    if (!o.error && t->failed)
        return -ENOMEM;
    return o.error;
}
