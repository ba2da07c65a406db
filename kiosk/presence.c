/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "presence.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The smoothing filter: the median of the last three reports, then an
 * exponentially weighted moving average in time (time constant tau). Why:
 * the simulated lobby (and real desk logs, PROTOCOL.md) give σ ≈ 4 dB of
 * per-report noise plus 4 % deep fades of −12 dB, and Android is silent
 * 15 s of every 30 s. The median of three removes a lone fade (two in a row
 * are 0.16 %) at the cost of one report of lag; a time-based EWMA weighs a
 * burst by the time it covers, not by its number of reports (iPhones and
 * Androids report at different rates); during a silence the value is held,
 * and the first report after one moves it by at most 1 − e^(−1 s/τ).
 * τ = 2 s leaves σ ≈ 1 dB at 5 reports/s and follows a visitor walking
 * away within about 2 s. Measured with tests/bench (README, "Presence"). */
#define DT_CAP_MS 1000
/* No phone switches its ID earlier than this after a slot boundary
 * (PROTOCOL.md: 15–30 s): an ID first heard before is the old slot's. A
 * phone's clock a little fast moves its switch earlier, but a margin here
 * would miss phones that walk in with the old ID just before switching. */
#define SWITCH_EARLIEST_MS 14000
/* Android advertises 15 s on, 15 s off; a silence longer than this starts a burst. */
#define BURST_GAP_MS 5000
/* An ID switch restarts advertising at once (the new ID follows the old
 * within RESTART_GAP_MS), or the new ID comes with the next burst: 30 s
 * (two phases of 14.8–15.2 s) after the last burst began, within
 * PHASE_TOL_MS (the first report of a burst is heard a little late). When
 * the track's first burst is the last one (its start was not heard), the
 * silence between them must be one off phase; lost reports only make a
 * heard silence longer, never shorter. */
#define RESTART_GAP_MS 1500
#define PERIOD_MS      30000
#define PHASE_TOL_MS   2000
#define TIGHT_PHASE_MS 500
#define SILENCE_MIN_MS 14500
#define SILENCE_MAX_MS 19000
/* A new track is matched after this many reports (or 3 s). */
#define PENDING_REPORTS   5
#define AMBIGUOUS_WAIT_MS 17000

enum idx_tag { IDX_EMPTY = 0, IDX_ADDR = 1, IDX_ID = 2 };

struct idx_slot {
    uint32_t track; /* index + 1 */
    uint8_t tag;
    uint8_t key[BEACON_ID_LEN];
};

struct track {
    bool used;
    bool pending;     /* new: may be a rotation of a track that fell silent */
    bool near;        /* smoothed RSSI above the threshold (with hysteresis) */
    bool visiting;    /* `visit` is open */
    bool had_visit;   /* ever (not a passer-by) */
    bool staff;       /* present most of the day */
    bool checked_out; /* tapped "Check out": no new visit until it goes away */
    bool has_id, has_old_id, have_rssi;
    uint8_t kind; /* the beacon kind that made the track */
    uint8_t id_tries, pending_reports;
    uint8_t id[BEACON_ID_LEN], old_id[BEACON_ID_LEN];
    struct beacon_addr addr;
    uint16_t near_reports;
    float rssi, prev[2]; /* the filter, and the two reports before */
    int64_t rssi_ms, first_ms, last_ms, id_first_ms, id_last_ms;
    int64_t old_id_first_ms, old_id_last_ms;
    int64_t near_since, last_near, seen_ms, id_try_ms;
    int64_t burst_ms;  /* the first report after a silence of BURST_GAP_MS */
    float pending_sum; /* RSSI sum while pending: a mean, not the filter, decides a link */
    struct visit visit;
};

struct presence {
    struct presence_params prm;
    record_sink_fn emit;
    void *userdata;
    struct track *tracks;
    uint32_t *free_list;
    size_t n_free, hi;
    struct idx_slot *idx;
    size_t idx_mask;
    int64_t next_visit_id, next_tick_ms, last_now;
    bool clock_ok;
    struct presence_stats st;
};

void presence_params_from_config(struct presence_params *p, const struct config *cfg)
{
    memset(p, 0, sizeof(*p));
    p->near_rssi = cfg->near_rssi;
    p->hysteresis_db = 3;
    p->dwell_ms = (int64_t)cfg->dwell_s * 1000;
    p->absent_ms = (int64_t)cfg->absent_s * 1000;
    p->near_gap_ms = 20000; /* Android's 15 s silence and some lost reports */
    p->staff_ms = (int64_t)cfg->staff_min_h * 3600 * 1000;
    p->slot_ms = 86400000 / (cfg->slots_per_day > 0 ? cfg->slots_per_day : 96);
    p->link_window_ms = 180000; /* 15–30 s after the boundary, 5 % up to 150 s late */
    p->link_gap_ms = 25000;
    p->link_rssi_db = 12; /* shadowing by bodies changes by up to 13 dB every 20 s */
    p->tau_ms = 2000;
    p->capacity = 4096;
}

/* --- the index: addresses and IDs → tracks (open addressing, linear probing) --- */

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static void make_key(uint8_t key[BEACON_ID_LEN], enum idx_tag tag, const void *what)
{
    memset(key, 0, BEACON_ID_LEN);
    if (tag == IDX_ADDR) {
        const struct beacon_addr *a = what;
        memcpy(key, a->b, 6);
        key[6] = a->type;
    } else {
        memcpy(key, what, BEACON_ID_LEN);
    }
}

static size_t idx_home(const struct presence *p, uint8_t tag, const uint8_t key[BEACON_ID_LEN])
{
    uint64_t a, b;

    memcpy(&a, key, 8);
    b = (uint64_t)key[8] | (uint64_t)key[9] << 8 | (uint64_t)key[10] << 16 |
        (uint64_t)key[11] << 24 | (uint64_t)tag << 32;
    return (size_t)mix(a ^ mix(b)) & p->idx_mask;
}

static long idx_find(const struct presence *p, enum idx_tag tag, const void *what)
{
    uint8_t key[BEACON_ID_LEN];

    make_key(key, tag, what);
    for (size_t i = idx_home(p, tag, key);; i = (i + 1) & p->idx_mask) {
        const struct idx_slot *s = &p->idx[i];
        if (s->tag == IDX_EMPTY)
            return -1;
        if (s->tag == tag && memcmp(s->key, key, BEACON_ID_LEN) == 0)
            return (long)s->track - 1;
    }
}

static void idx_put(struct presence *p, enum idx_tag tag, const void *what, size_t track)
{
    uint8_t key[BEACON_ID_LEN];

    make_key(key, tag, what);
    for (size_t i = idx_home(p, tag, key);; i = (i + 1) & p->idx_mask) {
        struct idx_slot *s = &p->idx[i];
        if (s->tag == IDX_EMPTY || (s->tag == tag && memcmp(s->key, key, BEACON_ID_LEN) == 0)) {
            s->tag = (uint8_t)tag;
            memcpy(s->key, key, BEACON_ID_LEN);
            s->track = (uint32_t)track + 1;
            return;
        }
    }
}

/* Removes the key if it points at `track` (backward-shift deletion keeps
 * every probe chain unbroken without tombstones). */
static void idx_del(struct presence *p, enum idx_tag tag, const void *what, size_t track)
{
    uint8_t key[BEACON_ID_LEN];
    size_t i, j;

    make_key(key, tag, what);
    for (i = idx_home(p, tag, key);; i = (i + 1) & p->idx_mask) {
        struct idx_slot *s = &p->idx[i];
        if (s->tag == IDX_EMPTY)
            return;
        if (s->tag == tag && memcmp(s->key, key, BEACON_ID_LEN) == 0) {
            if (s->track != track + 1)
                return;
            break;
        }
    }
    for (j = i;;) {
        size_t k;
        j = (j + 1) & p->idx_mask;
        if (p->idx[j].tag == IDX_EMPTY)
            break;
        k = idx_home(p, p->idx[j].tag, p->idx[j].key);
        /* move j back to i unless its home lies cyclically in (i, j] */
        if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
            p->idx[i] = p->idx[j];
            i = j;
        }
    }
    p->idx[i].tag = IDX_EMPTY;
}

/* --- records --- */

static void emit(struct presence *p, struct record *rec)
{
    if (p->emit)
        p->emit(rec, p->userdata);
}

static void emit_visit(struct presence *p, enum record_type type, const struct track *t,
                       int64_t now)
{
    struct record rec = {.type = (uint8_t)type, .t_ms = now, .visit = t->visit, .kind = t->kind};

    if (t->has_id)
        memcpy(rec.id, t->id, BEACON_ID_LEN);
    emit(p, &rec);
}

static void emit_id_seen(struct presence *p, const struct track *t, const uint8_t id[BEACON_ID_LEN],
                         int64_t first, int64_t last, int64_t now)
{
    struct record rec = {.type = RECORD_ID_SEEN,
                         .t_ms = now,
                         .visit = t->visit,
                         .kind = t->kind,
                         .first_ms = first < t->visit.entry_ms ? t->visit.entry_ms : first,
                         .last_ms = last};

    memcpy(rec.id, id, BEACON_ID_LEN);
    emit(p, &rec);
}

/* --- tracks --- */

static bool is_ios(uint8_t kind)
{
    return kind == BEACON_BLUEZONE_IOS || kind == BEACON_BLUEZONE_IOS_BG;
}

/* A beacon that stands for a person's phone (the iBeacon of a 3.0.7 phone
 * stands for a phone that also broadcasts its ID: it would count it twice). */
static bool makes_track(uint8_t kind)
{
    switch (kind) {
    case BEACON_BLUEZONE_ANDROID:
    case BEACON_BLUEZONE_IOS:
    case BEACON_BLUEZONE_IOS_BG:
    case BEACON_BLUEZONE_V1:
    case BEACON_GAEN:
    case BEACON_STOPCOVID:
        return true;
    default:
        return false;
    }
}

static uint8_t app_of(uint8_t kind)
{
    switch (kind) {
    case BEACON_BLUEZONE_ANDROID:
    case BEACON_BLUEZONE_V1:
    case BEACON_BLUEZONE_IBEACON:
        return VISIT_APP_BLUEZONE_ANDROID;
    case BEACON_BLUEZONE_IOS:
    case BEACON_BLUEZONE_IOS_BG:
        return VISIT_APP_BLUEZONE_IOS;
    default:
        return VISIT_APP_OTHER;
    }
}

static void end_visit(struct presence *p, struct track *t, int64_t now, enum visit_exit reason,
                      int64_t exit_ms)
{
    if (!t->visiting)
        return;
    if (t->has_id && t->kind != BEACON_BLUEZONE_IOS && t->kind != BEACON_BLUEZONE_IOS_BG)
        emit_id_seen(p, t, t->id, t->id_first_ms, t->id_last_ms, now);
    t->visiting = false;
    t->visit.exit_ms = exit_ms < t->visit.entry_ms ? t->visit.entry_ms : exit_ms;
    t->visit.exit_reason = (uint8_t)reason;
    emit_visit(p, RECORD_VISIT_END, t, now);
    if (p->st.open)
        p->st.open--;
}

static void unindex(struct presence *p, struct track *t, size_t i)
{
    idx_del(p, IDX_ADDR, &t->addr, i);
    if (t->has_id)
        idx_del(p, IDX_ID, t->id, i);
    if (t->has_old_id)
        idx_del(p, IDX_ID, t->old_id, i);
}

/* Forgets a track; a phone that never made a visit was a passer-by. */
static void track_free(struct presence *p, size_t i, int64_t now, bool merged)
{
    struct track *t = &p->tracks[i];

    end_visit(p, t, now, VISIT_EXIT_ABSENT, t->last_near);
    if (!merged && !t->had_visit && !t->staff) {
        struct record rec = {.type = RECORD_PASSERBY, .t_ms = t->last_ms, .kind = t->kind};
        emit(p, &rec);
        p->st.passersby++;
    }
    if (t->near && p->st.near)
        p->st.near--;
    unindex(p, t, i);
    memset(t, 0, sizeof(*t));
    p->free_list[p->n_free++] = (uint32_t)i;
    p->st.tracked--;
}

/* A free track; when the table is full, the longest-unseen one that is
 * neither near, nor in a visit, nor staff is forgotten. Returns: -1 when
 * every track is such a phone. */
static long track_alloc(struct presence *p, int64_t now)
{
    size_t i;

    if (!p->n_free) {
        long victim = -1;
        for (i = 0; i < p->hi; i++) {
            const struct track *t = &p->tracks[i];
            if (!t->used || t->near || t->visiting || t->staff)
                continue;
            if (victim < 0 || t->last_ms < p->tracks[victim].last_ms)
                victim = (long)i;
        }
        if (victim < 0)
            return -1;
        track_free(p, (size_t)victim, now, false);
        p->st.evicted++;
    }
    i = p->free_list[--p->n_free];
    if (i + 1 > p->hi)
        p->hi = i + 1;
    memset(&p->tracks[i], 0, sizeof(p->tracks[i]));
    p->tracks[i].used = true;
    p->st.tracked++;
    if (p->st.tracked > p->st.peak)
        p->st.peak = p->st.tracked;
    return (long)i;
}

static int64_t slot_start(const struct presence *p, int64_t t)
{
    return t - (t % p->prm.slot_ms);
}

static float median3(float a, float b, float c)
{
    if (a > b) {
        float t = a;
        a = b;
        b = t;
    }
    return c < a ? a : c > b ? b : c;
}

static void smooth(struct presence *p, struct track *t, int rssi, int64_t now)
{
    float x = (float)rssi, dt, a;

    if (rssi == BEACON_RSSI_NONE)
        return;
    if (!t->have_rssi) {
        t->rssi = t->prev[0] = t->prev[1] = x;
        t->have_rssi = true;
        t->rssi_ms = now;
        return;
    }
    x = median3(t->prev[1], t->prev[0], x);
    t->prev[1] = t->prev[0];
    t->prev[0] = (float)rssi;
    dt = (float)(now - t->rssi_ms);
    if (dt < 0)
        dt = 0;
    if (dt > DT_CAP_MS)
        dt = DT_CAP_MS;
    /* dt ≪ tau mostly: 1 − e^(−dt/τ) ≈ dt/τ·(1 − dt/2τ) is exact enough and cheap */
    a = dt / (float)p->prm.tau_ms;
    a = a > 0.5f ? 1.0f - expf(-a) : a * (1.0f - 0.5f * a);
    t->rssi += a * (x - t->rssi);
    t->rssi_ms = now;
}

static void start_visit(struct presence *p, struct track *t, int64_t now)
{
    t->visiting = true;
    t->had_visit = true;
    memset(&t->visit, 0, sizeof(t->visit));
    t->visit.id = p->next_visit_id++;
    t->visit.entry_ms = t->near_since;
    t->visit.method = VISIT_METHOD_AUTO;
    t->visit.app = app_of(t->kind);
    t->visit.kind = t->kind;
    t->visit.confirmed = t->has_id && !is_ios(t->kind);
    t->visit.clock_ok = p->clock_ok;
    t->id_tries = 0;
    p->st.visits++;
    p->st.open++;
    emit_visit(p, RECORD_VISIT_START, t, now);
    if (t->has_old_id && !is_ios(t->kind)) {
        /* the phone rotated its ID before the visit (in the hall, or during
         * an earlier visit): the previous ID is this phone's too; it was seen
         * during the visit only when it ended after the entry */
        struct record rec = {
            .type = RECORD_ID_LINKED, .t_ms = now, .visit = t->visit, .kind = t->kind};
        if (t->old_id_last_ms >= t->visit.entry_ms)
            emit_id_seen(p, t, t->old_id, t->old_id_first_ms, t->old_id_last_ms, now);
        memcpy(rec.id, t->id, BEACON_ID_LEN);
        memcpy(rec.old_id, t->old_id, BEACON_ID_LEN);
        emit(p, &rec);
    }
}

/* Near, dwell and the visit's start after a report at `now`. */
static void update_near(struct presence *p, struct track *t, int64_t now)
{
    bool was = t->near;

    if (!t->have_rssi)
        return;
    if (!t->near && t->rssi >= (float)p->prm.near_rssi) {
        t->near = true;
        t->near_since = now;
        t->near_reports = 0;
    } else if (t->near && t->rssi < (float)(p->prm.near_rssi - p->prm.hysteresis_db)) {
        t->near = false;
    }
    if (t->near) {
        if (was && now - t->last_near > p->prm.near_gap_ms) {
            t->near_since = now; /* a long silence: the dwell starts again */
            t->near_reports = 0;
        }
        t->last_near = now;
        if (t->near_reports < UINT16_MAX)
            t->near_reports++;
    }
    if (t->near != was) {
        if (t->near)
            p->st.near++;
        else if (p->st.near)
            p->st.near--;
    }
    if (t->near && !t->visiting && !t->pending && !t->staff && !t->checked_out &&
        t->near_reports >= 2 && now - t->near_since >= p->prm.dwell_ms)
        start_visit(p, t, now);
}

static void set_addr(struct presence *p, struct track *t, size_t i, const struct beacon_addr *a)
{
    if (beacon_addr_equal(&t->addr, a))
        return;
    idx_del(p, IDX_ADDR, &t->addr, i);
    t->addr = *a;
    idx_put(p, IDX_ADDR, a, i);
}

/* The track now broadcasts `id` (a rotation seen on one track). */
static void rotate_id(struct presence *p, struct track *t, size_t i,
                      const uint8_t id[BEACON_ID_LEN], int64_t first_ms)
{
    struct record rec;

    if (t->has_id && memcmp(t->id, id, BEACON_ID_LEN) == 0)
        return;
    if (t->has_old_id)
        idx_del(p, IDX_ID, t->old_id, i);
    t->has_old_id = t->has_id;
    if (t->has_id) {
        memcpy(t->old_id, t->id, BEACON_ID_LEN);
        t->old_id_first_ms = t->id_first_ms;
        t->old_id_last_ms = t->id_last_ms;
        if (t->visiting)
            emit_id_seen(p, t, t->id, t->id_first_ms, t->id_last_ms, first_ms);
    }
    memcpy(t->id, id, BEACON_ID_LEN);
    t->has_id = true;
    t->id_first_ms = t->id_last_ms = first_ms;
    idx_put(p, IDX_ID, id, i);
    if (t->has_old_id) {
        p->st.linked_ids++;
        if (t->visiting) {
            memset(&rec, 0, sizeof(rec));
            rec.type = RECORD_ID_LINKED;
            rec.t_ms = first_ms;
            rec.visit = t->visit;
            rec.kind = t->kind;
            memcpy(rec.id, t->id, BEACON_ID_LEN);
            memcpy(rec.old_id, t->old_id, BEACON_ID_LEN);
            emit(p, &rec);
        }
    }
}

/* Android's rhythm goes on across an ID switch (PROTOCOL.md, lobby_sim):
 * the app restarts advertising at once (the new ID follows the old within
 * RESTART_GAP_MS), or the new ID comes with the next burst, one period
 * (30 s) after the last burst began. Phones' phases are independent, so
 * this tells apart phones that rotate together at the same RSSI. Returns:
 * the timing error in ms, or -1 when the timing cannot fit. */
static int64_t android_timing(const struct track *c, const struct track *n, int64_t gap,
                              bool *in_phase)
{
    int64_t err;

    *in_phase = false;
    if (gap <= RESTART_GAP_MS)
        return gap > 0 ? gap : 0;
    if (gap < SILENCE_MIN_MS || gap > SILENCE_MAX_MS)
        return -1; /* the silence between them is not one off phase */
    err = n->first_ms - (c->burst_ms + PERIOD_MS);
    if (err < 0)
        err = -err;
    *in_phase = c->burst_ms != c->first_ms;
    if (err <= PHASE_TOL_MS)
        return err;
    if (c->burst_ms != c->first_ms)
        return -1;
    /* the track's first burst: its start may not have been heard (it was
     * on when we started listening, or came into range), only the silence
     * counts */
    return gap > 15000 ? gap - 15000 : 15000 - gap;
}

/* Is `c` the phone that the new track `n` continues? Returns: a cost (the
 * RSSI difference in dB, plus 1 dB per 250 ms of timing error), or a
 * negative value when it cannot be. */
static float link_score(const struct presence *p, const struct track *c, const struct track *n)
{
    int64_t gap, timing = 0;
    bool in_phase = false;
    float d;

    if (!c->used || c == n || c->pending || !c->have_rssi || !n->have_rssi)
        return -1;
    if (is_ios(n->kind) != is_ios(c->kind))
        return -1;
    if (!is_ios(n->kind)) {
        /* its ID is the previous slot's: first heard before phones start
         * switching (PROTOCOL.md: 15–30 s after the boundary), or by a
         * phone that walked in since and never switched (a phone switches
         * once a slot; the timing below keeps out the rest) */
        if (c->kind != BEACON_BLUEZONE_ANDROID || !c->has_id || c->id_first_ms >= n->first_ms ||
            (c->id_first_ms >= slot_start(p, n->first_ms) + SWITCH_EARLIEST_MS && c->has_old_id))
            return -1;
    }
    /* the old one fell silent before the new one appeared, and not long before */
    gap = n->first_ms - c->last_ms;
    if (gap < 0 || gap > p->prm.link_gap_ms)
        return -1;
    if (!is_ios(n->kind) && (timing = android_timing(c, n, gap, &in_phase)) < 0)
        return -1;
    d = fabsf(c->rssi - n->pending_sum / (float)(n->pending_reports ? n->pending_reports : 1));
    /* a new burst exactly one period after the old one began is strong
     * evidence on its own: then the phone may also have moved (twice the
     * RSSI margin) */
    if (d > (float)p->prm.link_rssi_db &&
        !(in_phase && timing <= TIGHT_PHASE_MS && d <= 2.0f * (float)p->prm.link_rssi_db))
        return -1;
    return d + (float)timing / 250.0f;
}

/* Merges the new track n (index ni) into c (index ci): the same phone. */
static void merge(struct presence *p, size_t ci, size_t ni, int64_t now)
{
    struct track *c = &p->tracks[ci], *n = &p->tracks[ni];
    struct track copy = *n;

    track_free(p, ni, now, true);
    if (copy.has_id)
        rotate_id(p, c, ci, copy.id, copy.first_ms);
    else
        p->st.linked_addrs++;
    c->id_last_ms = copy.id_last_ms;
    set_addr(p, c, ci, &copy.addr);
    /* presence time for the staff rule: the silence between them counts as
     * any silence under a minute does */
    if (copy.first_ms > c->last_ms && copy.first_ms - c->last_ms < 60000)
        c->seen_ms += copy.first_ms - c->last_ms;
    c->seen_ms += copy.seen_ms;
    c->last_ms = copy.last_ms;
    /* the same phone a few seconds later: its filter goes on; the new
     * reports' mean counts as one step of it */
    if (copy.pending_reports)
        c->rssi += 0.3f * (copy.pending_sum / (float)copy.pending_reports - c->rssi);
    c->rssi_ms = copy.rssi_ms;
    c->burst_ms = copy.burst_ms;
    if (copy.near) {
        if (!c->near || copy.near_since - c->last_near > p->prm.near_gap_ms) {
            c->near_since = copy.near_since;
            c->near_reports = copy.near_reports;
        } else {
            c->near_reports = (uint16_t)(c->near_reports + copy.near_reports);
        }
        if (!c->near)
            p->st.near++;
        c->near = true;
        c->last_near = copy.last_near;
    } else if (c->near) {
        c->near = false;
        if (p->st.near)
            p->st.near--;
    }
}

/* A pending track: a rotation of a silent track, or a new phone? Decided
 * after PENDING_REPORTS reports or 3 s; when two or more silent Androids
 * could be the one, after AMBIGUOUS_WAIT_MS: the one that did not switch
 * speaks again within one off phase (15 s) and drops out. Returns: the
 * track the report now belongs to. */
static size_t resolve_pending(struct presence *p, size_t ni, int64_t now)
{
    struct track *n = &p->tracks[ni];
    long best = -1;
    float best_d = 0;
    int candidates = 0;

    if (!n->pending || (n->pending_reports < PENDING_REPORTS && now - n->first_ms < 3000))
        return ni;
    for (size_t i = 0; i < p->hi; i++) {
        float d = link_score(p, &p->tracks[i], n);
        if (d < 0)
            continue;
        candidates++;
        if (best < 0 || d < best_d ||
            (d == best_d && p->tracks[i].last_ms > p->tracks[best].last_ms)) {
            best = (long)i;
            best_d = d;
        }
    }
    if (candidates >= 2 && !is_ios(n->kind) && now - n->first_ms < AMBIGUOUS_WAIT_MS)
        return ni;
    n->pending = false;
    if (best < 0)
        return ni;
    merge(p, (size_t)best, ni, now);
    return (size_t)best;
}

void presence_observe(struct presence *p, const struct beacon *b)
{
    int64_t now = b->t_ms;
    bool has_id =
        b->has_id && (b->kind == BEACON_BLUEZONE_ANDROID || b->kind == BEACON_BLUEZONE_V1);
    long ti = -1;
    struct track *t;
    size_t i;

    p->st.observed++;
    if (now >= p->next_tick_ms || now + 2000 < p->last_now)
        presence_tick(p, now);
    if (has_id)
        ti = idx_find(p, IDX_ID, b->id);
    if (ti < 0)
        ti = idx_find(p, IDX_ADDR, &b->addr);
    if (ti < 0) {
        if (!makes_track(b->kind)) {
            p->st.ignored++;
            return;
        }
        ti = track_alloc(p, now);
        if (ti < 0) {
            p->st.dropped++;
            return;
        }
        t = &p->tracks[ti];
        t->kind = b->kind;
        t->first_ms = t->last_ms = now;
        t->addr = b->addr;
        idx_put(p, IDX_ADDR, &b->addr, (size_t)ti);
        if (has_id) {
            memcpy(t->id, b->id, BEACON_ID_LEN);
            t->has_id = true;
            t->id_first_ms = t->id_last_ms = now;
            idx_put(p, IDX_ID, b->id, (size_t)ti);
            t->pending = b->kind == BEACON_BLUEZONE_ANDROID &&
                         now - slot_start(p, now) >= SWITCH_EARLIEST_MS &&
                         now - slot_start(p, now) <= p->prm.link_window_ms;
        } else {
            t->pending = is_ios(b->kind);
        }
    }
    i = (size_t)ti;
    t = &p->tracks[i];
    if (now - t->last_ms > BURST_GAP_MS || t->burst_ms == 0)
        t->burst_ms = now;
    if (now > t->last_ms) {
        int64_t gap = now - t->last_ms;
        /* presence time for the staff rule: silences up to a minute count */
        t->seen_ms += gap < 60000 ? gap : 0;
        t->last_ms = now;
    }
    set_addr(p, t, i, &b->addr);
    if (makes_track(b->kind) && b->kind != t->kind) {
        if (!(is_ios(t->kind) && is_ios(b->kind)) || b->kind == BEACON_BLUEZONE_IOS)
            t->kind = b->kind;
    }
    if (has_id && !(t->has_old_id && memcmp(t->old_id, b->id, BEACON_ID_LEN) == 0)) {
        /* (a late report of the previous ID does not switch back) */
        rotate_id(p, t, i, b->id, now);
        t->id_last_ms = now;
    }
    smooth(p, t, b->rssi, now);
    if (t->pending && b->rssi != BEACON_RSSI_NONE) {
        t->pending_reports++;
        t->pending_sum += (float)b->rssi;
        i = resolve_pending(p, i, now);
        t = &p->tracks[i];
    }
    update_near(p, t, now);
    if (!t->staff && t->seen_ms >= p->prm.staff_ms) {
        struct record rec = {.type = RECORD_STAFF, .t_ms = now, .kind = t->kind};
        t->staff = true;
        if (t->visiting) {
            t->visit.staff = true;
            rec.visit = t->visit;
        } else {
            rec.visit.staff = true;
        }
        p->st.staff++;
        emit(p, &rec);
    }
}

/* The clock went back (a wall clock corrected live): every track's times
 * move back with it, so visits still end absent_s after their phone went
 * away instead of hanging until the clock catches up; what is logged from
 * now on is flagged (MISSION.md: never log an earlier time unflagged). */
static void clock_went_back(struct presence *p, int64_t back)
{
    p->clock_ok = false;
    for (size_t i = 0; i < p->hi; i++) {
        struct track *t = &p->tracks[i];
        if (!t->used)
            continue;
        t->first_ms -= back;
        t->last_ms -= back;
        t->rssi_ms -= back;
        t->burst_ms -= back;
        t->id_first_ms -= back;
        t->id_last_ms -= back;
        t->old_id_first_ms -= back;
        t->old_id_last_ms -= back;
        t->near_since -= back;
        t->last_near -= back;
        t->id_try_ms -= back;
        t->visit.clock_ok = false;
    }
}

void presence_tick(struct presence *p, int64_t now)
{
    if (p->last_now != INT64_MIN && now + 2000 < p->last_now) {
        clock_went_back(p, p->last_now - now);
        p->last_now = now;
    }
    if (now > p->last_now)
        p->last_now = now;
    p->next_tick_ms = now + 1000;
    for (size_t i = 0; i < p->hi; i++) {
        struct track *t = &p->tracks[i];
        if (!t->used)
            continue;
        if (t->pending) {
            resolve_pending(p, i, now);
            if (!t->used)
                continue; /* merged into the track it continues */
        }
        if (t->visiting && now - t->last_near >= p->prm.absent_ms)
            end_visit(p, t, now, VISIT_EXIT_ABSENT, t->last_near);
        if (t->near && now - t->last_ms > p->prm.near_gap_ms) {
            t->near = false;
            if (p->st.near)
                p->st.near--;
        }
        if (t->checked_out && now - t->last_near >= p->prm.absent_ms)
            t->checked_out = false;
        if (!t->visiting && now - t->last_ms >= p->prm.absent_ms)
            track_free(p, i, now, false);
    }
    while (p->hi && !p->tracks[p->hi - 1].used)
        p->hi--;
}

void presence_close_all(struct presence *p, int64_t now, enum visit_exit reason)
{
    for (size_t i = 0; i < p->hi; i++) {
        struct track *t = &p->tracks[i];
        if (t->used && t->visiting)
            end_visit(p, t, now, reason, reason == VISIT_EXIT_ABSENT ? t->last_near : now);
    }
}

struct presence *presence_create(const struct presence_params *params, record_sink_fn emit_fn,
                                 void *userdata)
{
    struct presence *p = calloc(1, sizeof(*p));
    size_t n_idx = 16;

    if (!p)
        return NULL;
    p->prm = *params;
    if (p->prm.capacity < 16)
        p->prm.capacity = 16;
    if (p->prm.slot_ms <= 0)
        p->prm.slot_ms = 900000;
    if (p->prm.tau_ms <= 0)
        p->prm.tau_ms = 1;
    /* at most 3 keys per track (address, ID, previous ID), load ≤ 3/8 */
    while (n_idx < p->prm.capacity * 8)
        n_idx *= 2;
    p->tracks = calloc(p->prm.capacity, sizeof(*p->tracks));
    p->free_list = calloc(p->prm.capacity, sizeof(*p->free_list));
    p->idx = calloc(n_idx, sizeof(*p->idx));
    if (!p->tracks || !p->free_list || !p->idx) {
        presence_destroy(p);
        return NULL;
    }
    p->idx_mask = n_idx - 1;
    for (size_t i = 0; i < p->prm.capacity; i++)
        p->free_list[i] = (uint32_t)(p->prm.capacity - 1 - i);
    p->n_free = p->prm.capacity;
    p->emit = emit_fn;
    p->userdata = userdata;
    p->next_visit_id = 1;
    p->next_tick_ms = INT64_MIN;
    p->last_now = INT64_MIN;
    p->clock_ok = true;
    return p;
}

void presence_destroy(struct presence *p)
{
    if (!p)
        return;
    free(p->tracks);
    free(p->free_list);
    free(p->idx);
    free(p);
}

size_t presence_memory(const struct presence_params *params)
{
    size_t n_idx = 16, cap = params->capacity < 16 ? 16 : params->capacity;

    while (n_idx < cap * 8)
        n_idx *= 2;
    return sizeof(struct presence) + cap * (sizeof(struct track) + sizeof(uint32_t)) +
           n_idx * sizeof(struct idx_slot);
}

void presence_set_next_visit_id(struct presence *p, int64_t id)
{
    if (id > p->next_visit_id)
        p->next_visit_id = id;
}

int64_t presence_new_visit_id(struct presence *p)
{
    return p->next_visit_id++;
}

static bool near_now(const struct presence *p, const struct track *t, int64_t now)
{
    return t->used && t->near && now - t->last_near <= p->prm.near_gap_ms;
}

int64_t presence_checkout(struct presence *p, int64_t now)
{
    struct track *best = NULL;
    int64_t id;

    for (size_t i = 0; i < p->hi; i++) {
        struct track *t = &p->tracks[i];
        if (t->visiting && near_now(p, t, now) && (!best || t->rssi > best->rssi))
            best = t;
    }
    if (!best)
        return 0;
    id = best->visit.id;
    end_visit(p, best, now, VISIT_EXIT_CHECKOUT, now);
    best->checked_out = true;
    return id;
}

bool presence_bluezone_near(const struct presence *p, int64_t now)
{
    for (size_t i = 0; i < p->hi; i++) {
        const struct track *t = &p->tracks[i];
        if (near_now(p, t, now) && !t->staff && beacon_kind_is_bluezone(t->kind))
            return true;
    }
    return false;
}

static struct track *by_visit(struct presence *p, int64_t visit_id)
{
    for (size_t i = 0; i < p->hi; i++)
        if (p->tracks[i].used && p->tracks[i].visiting && p->tracks[i].visit.id == visit_id)
            return &p->tracks[i];
    return NULL;
}

int presence_visit_mark(struct presence *p, int64_t visit_id, bool prompt_shown,
                        bool install_assisted, int64_t now)
{
    struct track *t = by_visit(p, visit_id);

    if (!t)
        return -ENOENT;
    t->visit.prompt_shown |= prompt_shown;
    t->visit.install_assisted |= install_assisted;
    emit_visit(p, RECORD_VISIT_CHANGE, t, now);
    return 0;
}

int64_t presence_want_id(struct presence *p, int64_t now, int tries, struct beacon_addr *addr)
{
    for (size_t i = 0; i < p->hi; i++) {
        struct track *t = &p->tracks[i];
        if (!t->visiting || t->visit.confirmed || !is_ios(t->kind) || !near_now(p, t, now) ||
            t->id_tries >= tries || (t->id_tries && now - t->id_try_ms < 15000))
            continue;
        t->id_tries++;
        t->id_try_ms = now;
        *addr = t->addr;
        return t->visit.id;
    }
    return 0;
}

int presence_set_id(struct presence *p, int64_t visit_id, const uint8_t id[BEACON_ID_LEN],
                    int64_t now)
{
    struct track *t = by_visit(p, visit_id);
    struct record rec = {.type = RECORD_ID_SEEN, .t_ms = now, .first_ms = now, .last_ms = now};

    if (!t)
        return -ENOENT;
    t->visit.confirmed = true;
    emit_visit(p, RECORD_VISIT_CHANGE, t, now);
    rec.visit = t->visit;
    rec.kind = t->kind;
    memcpy(rec.id, id, BEACON_ID_LEN);
    emit(p, &rec);
    return 0;
}

void presence_stats(const struct presence *p, struct presence_stats *out)
{
    *out = p->st;
}
