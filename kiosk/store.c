/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The visit log on SQLite.
 *
 * Durability: WAL with synchronous=FULL. In WAL mode NORMAL syncs only at
 * checkpoints, so a power cut (the usual way a kiosk stops) can lose the
 * last visits that the screen already confirmed; FULL syncs the WAL at every
 * commit. A visit is a few records a minute at a busy desk, far below what
 * one fsync per commit allows (see the README's durable visits/s), so the
 * guarantee costs nothing the visitor notices.
 *
 * Privacy: IDs are stored as a BLAKE2b hash keyed with the device secret;
 * secure_delete overwrites what the retention purge removes. */
#include "store.h"

#include "civil.h"

#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum stmt {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_VISIT_UPSERT,
    ST_VISIT_STAFF,
    ST_ID_UPSERT,
    ST_EVENT,
    ST_DAY_PASSERBY,
    ST_DAY_PROMPT,
    ST_DAY_UPTIME,
    ST_META_SET,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_VISIT_UPSERT] =
        "INSERT INTO visits(id, entry_ms, exit_ms, exit_reason, method, app, kind, prompt_shown,"
        " install_assisted, confirmed, clock_ok, staff, day)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        " ON CONFLICT(id) DO UPDATE SET entry_ms = excluded.entry_ms, exit_ms = excluded.exit_ms,"
        " exit_reason = excluded.exit_reason, method = excluded.method, app = excluded.app,"
        " kind = excluded.kind, prompt_shown = max(prompt_shown, excluded.prompt_shown),"
        " install_assisted = max(install_assisted, excluded.install_assisted),"
        " confirmed = max(confirmed, excluded.confirmed),"
        " clock_ok = min(clock_ok, excluded.clock_ok), staff = max(staff, excluded.staff),"
        " day = excluded.day",
    [ST_VISIT_STAFF] = "UPDATE visits SET staff = 1 WHERE id = ?1",
    [ST_ID_UPSERT] = "INSERT INTO visit_ids(tag, visit_id, first_ms, last_ms, day)"
                     " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(tag, visit_id) DO UPDATE SET"
                     " first_ms = min(first_ms, excluded.first_ms),"
                     " last_ms = max(last_ms, excluded.last_ms), day = max(day, excluded.day)",
    [ST_EVENT] = "INSERT INTO events(t_ms, type, visit_id, detail, day) VALUES(?1, ?2, ?3, ?4, ?5)",
    [ST_DAY_PASSERBY] = "INSERT INTO days(day, passersby) VALUES(?1, 1)"
                        " ON CONFLICT(day) DO UPDATE SET passersby = passersby + 1",
    [ST_DAY_PROMPT] = "INSERT INTO days(day, prompts) VALUES(?1, 1)"
                      " ON CONFLICT(day) DO UPDATE SET prompts = prompts + 1",
    [ST_DAY_UPTIME] = "INSERT INTO days(day, uptime_ms, scanner_ok_ms) VALUES(?1, ?2, ?3)"
                      " ON CONFLICT(day) DO UPDATE SET uptime_ms = uptime_ms + ?2,"
                      " scanner_ok_ms = scanner_ok_ms + ?3",
    [ST_META_SET] = "INSERT OR REPLACE INTO meta(k, v) VALUES(?1, ?2)",
};

/* Each entry moves the schema from version i to i + 1; never edit one that
 * has shipped, add the next. */
static const char *const migrations[] = {
    "CREATE TABLE meta(k TEXT PRIMARY KEY, v) WITHOUT ROWID;"
    "CREATE TABLE visits(id INTEGER PRIMARY KEY, entry_ms INTEGER NOT NULL,"
    " exit_ms INTEGER NOT NULL DEFAULT 0, exit_reason INTEGER NOT NULL, method INTEGER NOT NULL,"
    " app INTEGER NOT NULL, kind INTEGER NOT NULL, prompt_shown INTEGER NOT NULL,"
    " install_assisted INTEGER NOT NULL, confirmed INTEGER NOT NULL, clock_ok INTEGER NOT NULL,"
    " staff INTEGER NOT NULL, day INTEGER NOT NULL);"
    "CREATE INDEX visits_day ON visits(day);"
    "CREATE TABLE visit_ids(tag BLOB NOT NULL, visit_id INTEGER NOT NULL,"
    " first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL, day INTEGER NOT NULL,"
    " PRIMARY KEY(tag, visit_id)) WITHOUT ROWID;"
    "CREATE INDEX visit_ids_day ON visit_ids(day);"
    "CREATE TABLE events(t_ms INTEGER NOT NULL, type INTEGER NOT NULL, visit_id INTEGER,"
    " detail INTEGER, day INTEGER NOT NULL);"
    "CREATE INDEX events_day ON events(day);"
    "CREATE TABLE days(day INTEGER PRIMARY KEY, passersby INTEGER NOT NULL DEFAULT 0,"
    " prompts INTEGER NOT NULL DEFAULT 0, uptime_ms INTEGER NOT NULL DEFAULT 0,"
    " scanner_ok_ms INTEGER NOT NULL DEFAULT 0);",
};

struct store {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    sqlite3_stmt *tag_lookup; /* tracing asks it thousands of times */
    uint8_t secret[STORE_SECRET_LEN];
    char site_name[128], site_code[33];
    int retention_days;
    bool read_only;
    /* cached from meta; changed only after a commit succeeds */
    int64_t last_t_ms;
    int64_t last_hb_ms;
    bool last_hb_ok;
    bool clock_ok;
    int64_t next_visit_id;
};

static int errno_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return 0;
    case SQLITE_FULL:
        return -ENOSPC;
    case SQLITE_NOMEM:
        return -ENOMEM;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return -EBUSY;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return -EACCES;
    case SQLITE_CANTOPEN:
        return -ENOENT;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
        return -EINVAL;
    default:
        return -EIO;
    }
}

const char *store_errmsg(const struct store *s)
{
    return s && s->db ? sqlite3_errmsg(s->db) : "no database";
}

const char *store_site_name(const struct store *s)
{
    return s->site_name;
}

const char *store_site_code(const struct store *s)
{
    return s->site_code;
}

static int run_stmt(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : errno_of(rc);
}

static int64_t meta_int(sqlite3 *db, const char *key, int64_t fallback)
{
    sqlite3_stmt *st;
    int64_t v = fallback;

    if (sqlite3_prepare_v2(db, "SELECT v FROM meta WHERE k = ?1", -1, &st, NULL) != SQLITE_OK)
        return fallback;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void meta_text(sqlite3 *db, const char *key, char *out, size_t outlen)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, "SELECT v FROM meta WHERE k = ?1", -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static int meta_set_int(struct store *s, const char *key, int64_t v)
{
    sqlite3_stmt *st = s->st[ST_META_SET];

    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, v);
    return run_stmt(st);
}

static int migrate(struct store *s, char *err, size_t errlen)
{
    int have;
    sqlite3_stmt *st;
    const int latest = (int)(sizeof(migrations) / sizeof(migrations[0]));
    char *msg = NULL;
    int rc;

    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (have > latest) {
        snprintf(err, errlen, "%s: schema version %d is newer than this program's %d",
                 sqlite3_db_filename(s->db, "main"), have, latest);
        return -EPROTO;
    }
    if (have == latest)
        return 0;
    if (s->read_only) {
        snprintf(err, errlen, "%s: schema version %d needs migrating to %d; open it once writable",
                 sqlite3_db_filename(s->db, "main"), have, latest);
        return -EPROTO;
    }
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK)
        goto fail_msg;
    for (int v = have; v < latest; v++) {
        char pragma[40];

        if (sqlite3_exec(s->db, migrations[v], NULL, NULL, &msg) != SQLITE_OK)
            goto rollback;
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
        if (sqlite3_exec(s->db, pragma, NULL, NULL, &msg) != SQLITE_OK)
            goto rollback;
    }
    rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return 0;
rollback:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
fail_msg:
    snprintf(err, errlen, "%s: migrating the schema from version %d: %s",
             sqlite3_db_filename(s->db, "main"), have, msg ? msg : sqlite3_errmsg(s->db));
    rc = errno_of(sqlite3_errcode(s->db));
    sqlite3_free(msg);
    return rc ? rc : -EIO;
fail:
    snprintf(err, errlen, "%s: %s", sqlite3_db_filename(s->db, "main"), sqlite3_errmsg(s->db));
    return -EIO;
}

static int write_site(struct store *s)
{
    sqlite3_stmt *st = s->st[ST_META_SET];
    const char *keys[2] = {"site_name", "site_code"};
    const char *vals[2] = {s->site_name, s->site_code};
    int r;

    for (int i = 0; i < 2; i++) {
        char have[128] = "";

        meta_text(s->db, keys[i], have, sizeof(have));
        if (!*vals[i] || strcmp(have, vals[i]) == 0)
            continue;
        sqlite3_bind_text(st, 1, keys[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, vals[i], -1, SQLITE_STATIC);
        r = run_stmt(st);
        if (r < 0)
            return r;
    }
    return 0;
}

int store_open(struct store **out, const struct store_options *opt, char *err, size_t errlen)
{
    struct store *s;
    int flags, rc, r;
    char *msg = NULL;

    *out = NULL;
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium could not start");
        return -EIO;
    }
    s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    memcpy(s->secret, opt->id_secret, STORE_SECRET_LEN);
    s->retention_days = opt->retention_days;
    s->read_only = opt->read_only;
    flags = opt->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    rc = sqlite3_open_v2(opt->path, &s->db, flags | SQLITE_OPEN_NOMUTEX, opt->vfs);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open: %s", opt->path,
                 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        r = errno_of(rc);
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    if (!opt->read_only) {
        rc = sqlite3_exec(s->db,
                          opt->bulk_unsafe ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;"
                                             " PRAGMA secure_delete = ON;"
                                           : "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                                             " PRAGMA secure_delete = ON;",
                          NULL, NULL, &msg);
    } else {
        rc = sqlite3_exec(s->db, "PRAGMA query_only = ON", NULL, NULL, &msg);
    }
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", opt->path, msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        r = errno_of(rc) ? errno_of(rc) : -EIO;
        goto fail;
    }
    r = migrate(s, err, errlen);
    if (r < 0)
        goto fail;
    if (!opt->read_only) {
        for (int i = 0; i < ST_COUNT; i++) {
            rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                                    NULL);
            if (rc != SQLITE_OK) {
                snprintf(err, errlen, "%s: preparing a statement: %s", opt->path,
                         sqlite3_errmsg(s->db));
                r = errno_of(rc) ? errno_of(rc) : -EIO;
                goto fail;
            }
        }
    }
    snprintf(s->site_name, sizeof(s->site_name), "%s", opt->site_name ? opt->site_name : "");
    snprintf(s->site_code, sizeof(s->site_code), "%s", opt->site_code ? opt->site_code : "");
    if (!opt->read_only) {
        r = write_site(s);
        if (r < 0) {
            snprintf(err, errlen, "%s: writing the site: %s", opt->path, sqlite3_errmsg(s->db));
            goto fail;
        }
    }
    /* the file's own site wins for reading (the report of a copied database) */
    if (opt->read_only || !*s->site_name)
        meta_text(s->db, "site_name", s->site_name, sizeof(s->site_name));
    if (opt->read_only || !*s->site_code)
        meta_text(s->db, "site_code", s->site_code, sizeof(s->site_code));
    s->last_t_ms = meta_int(s->db, "last_t_ms", 0);
    s->last_hb_ms = meta_int(s->db, "last_hb_ms", 0);
    s->last_hb_ok = meta_int(s->db, "last_hb_ok", 0) != 0;
    s->clock_ok = meta_int(s->db, "clock_ok", 1) != 0;
    {
        sqlite3_stmt *st;

        s->next_visit_id = 1;
        if (sqlite3_prepare_v2(s->db, "SELECT max(id) FROM visits", -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                s->next_visit_id = sqlite3_column_int64(st, 0) + 1;
            sqlite3_finalize(st);
        }
        /* a purge must not let numbering restart below what was ever used */
        int64_t used = meta_int(s->db, "next_visit_id", 1);
        if (used > s->next_visit_id)
            s->next_visit_id = used;
    }
    *out = s;
    return 0;
fail:
    store_close(s);
    return r;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_finalize(s->tag_lookup);
    sqlite3_close(s->db);
    sodium_memzero(s->secret, sizeof(s->secret));
    free(s);
}

int64_t store_next_visit_id(struct store *s)
{
    return s->next_visit_id;
}

bool store_clock_ok(const struct store *s)
{
    return s->clock_ok;
}

int64_t store_last_time_ms(const struct store *s)
{
    return s->last_t_ms;
}

void store_id_tag(const struct store *s, const uint8_t id[BEACON_ID_LEN], uint8_t tag[16])
{
    crypto_generichash(tag, 16, id, BEACON_ID_LEN, s->secret, sizeof(s->secret));
}

static int put_visit(struct store *s, const struct visit *v, bool clock_ok)
{
    sqlite3_stmt *st = s->st[ST_VISIT_UPSERT];

    if (v->id <= 0 || v->app >= VISIT_APP_COUNT || v->method >= VISIT_METHOD_COUNT ||
        v->exit_reason >= VISIT_EXIT_COUNT)
        return -EINVAL;
    sqlite3_bind_int64(st, 1, v->id);
    sqlite3_bind_int64(st, 2, v->entry_ms);
    sqlite3_bind_int64(st, 3, v->exit_ms);
    sqlite3_bind_int(st, 4, v->exit_reason);
    sqlite3_bind_int(st, 5, v->method);
    sqlite3_bind_int(st, 6, v->app);
    sqlite3_bind_int(st, 7, v->kind);
    sqlite3_bind_int(st, 8, v->prompt_shown);
    sqlite3_bind_int(st, 9, v->install_assisted);
    sqlite3_bind_int(st, 10, v->confirmed);
    sqlite3_bind_int(st, 11, v->clock_ok && clock_ok);
    sqlite3_bind_int(st, 12, v->staff);
    sqlite3_bind_int64(st, 13, civil_vn_day(v->entry_ms));
    return run_stmt(st);
}

static int put_id(struct store *s, int64_t visit_id, const uint8_t id[BEACON_ID_LEN],
                  int64_t first_ms, int64_t last_ms)
{
    sqlite3_stmt *st = s->st[ST_ID_UPSERT];
    uint8_t tag[16];

    if (visit_id <= 0)
        return -EINVAL;
    store_id_tag(s, id, tag);
    sqlite3_bind_blob(st, 1, tag, sizeof(tag), SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, visit_id);
    sqlite3_bind_int64(st, 3, first_ms);
    sqlite3_bind_int64(st, 4, last_ms);
    sqlite3_bind_int64(st, 5, civil_vn_day(last_ms));
    return run_stmt(st);
}

static int put_event(struct store *s, const struct record *rec, int64_t visit_id, int detail)
{
    sqlite3_stmt *st = s->st[ST_EVENT];

    sqlite3_bind_int64(st, 1, rec->t_ms);
    sqlite3_bind_int(st, 2, rec->type);
    if (visit_id > 0)
        sqlite3_bind_int64(st, 3, visit_id);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_int(st, 4, detail);
    sqlite3_bind_int64(st, 5, civil_vn_day(rec->t_ms));
    return run_stmt(st);
}

static int bump_day(struct store *s, enum stmt which, int64_t t_ms)
{
    sqlite3_stmt *st = s->st[which];

    sqlite3_bind_int64(st, 1, civil_vn_day(t_ms));
    return run_stmt(st);
}

/* Uptime between two heartbeats, split at local midnight so each day gets its share. */
static int add_uptime(struct store *s, int64_t from_ms, int64_t to_ms, bool scanner_ok)
{
    sqlite3_stmt *st = s->st[ST_DAY_UPTIME];

    while (from_ms < to_ms) {
        int64_t day = civil_vn_day(from_ms);
        int64_t end = civil_vn_day_start_ms(day + 1);
        int64_t span;
        int r;

        if (end > to_ms)
            end = to_ms;
        span = end - from_ms;
        sqlite3_bind_int64(st, 1, day);
        sqlite3_bind_int64(st, 2, span);
        sqlite3_bind_int64(st, 3, scanner_ok ? span : 0);
        r = run_stmt(st);
        if (r < 0)
            return r;
        from_ms = end;
    }
    return 0;
}

static int apply(struct store *s, const struct record *rec, bool clock_ok)
{
    const struct visit *v = &rec->visit;
    int r;

    switch (rec->type) {
    case RECORD_VISIT_START:
    case RECORD_VISIT_CHANGE:
    case RECORD_VISIT_END:
        r = put_visit(s, v, clock_ok);
        if (r == 0 && v->id >= s->next_visit_id)
            r = meta_set_int(s, "next_visit_id", v->id + 1);
        return r;
    case RECORD_ID_SEEN:
        return put_id(s, v->id, rec->id, rec->first_ms, rec->last_ms);
    case RECORD_ID_LINKED:
        r = put_id(s, v->id, rec->old_id, rec->t_ms, rec->t_ms);
        return r < 0 ? r : put_id(s, v->id, rec->id, rec->t_ms, rec->t_ms);
    case RECORD_PASSERBY:
        return bump_day(s, ST_DAY_PASSERBY, rec->t_ms);
    case RECORD_PROMPT:
        r = put_event(s, rec, v->id, rec->prompt);
        return r < 0 ? r : bump_day(s, ST_DAY_PROMPT, rec->t_ms);
    case RECORD_SCANNER:
        return put_event(s, rec, 0, rec->scanner_ok);
    case RECORD_STAFF: {
        sqlite3_stmt *st = s->st[ST_VISIT_STAFF];

        /* a staff phone is counted once a day, with or without a visit of its own */
        r = put_event(s, rec, v->id, rec->kind);
        if (r < 0 || v->id <= 0)
            return r;
        sqlite3_bind_int64(st, 1, v->id);
        return run_stmt(st);
    }
    case RECORD_HEARTBEAT:
        if (s->last_hb_ms > 0 && rec->t_ms > s->last_hb_ms &&
            rec->t_ms - s->last_hb_ms <= STORE_HEARTBEAT_GAP_MS) {
            r = add_uptime(s, s->last_hb_ms, rec->t_ms, s->last_hb_ok && rec->scanner_ok);
            if (r < 0)
                return r;
        }
        r = meta_set_int(s, "last_hb_ms", rec->t_ms);
        return r < 0 ? r : meta_set_int(s, "last_hb_ok", rec->scanner_ok);
    default:
        return -EINVAL;
    }
}

int store_sink(const struct record *rec, void *userdata)
{
    struct store *s = userdata;
    bool clock_ok;
    int r;

    if (!s || s->read_only)
        return -EBADF;
    /* the clock guard: an unset clock, or time going backwards, is flagged */
    clock_ok = rec->t_ms >= STORE_CLOCK_SANE_MS && rec->t_ms >= s->last_t_ms;
    r = run_stmt(s->st[ST_BEGIN]);
    if (r < 0)
        return r;
    r = apply(s, rec, clock_ok);
    if (r == 0 && rec->t_ms > s->last_t_ms)
        r = meta_set_int(s, "last_t_ms", rec->t_ms);
    if (r == 0 && clock_ok != s->clock_ok)
        r = meta_set_int(s, "clock_ok", clock_ok);
    if (r == 0)
        r = run_stmt(s->st[ST_COMMIT]);
    if (r < 0) {
        if (!sqlite3_get_autocommit(s->db))
            run_stmt(s->st[ST_ROLLBACK]);
        return r;
    }
    if (rec->t_ms > s->last_t_ms)
        s->last_t_ms = rec->t_ms;
    s->clock_ok = clock_ok;
    if (rec->type == RECORD_HEARTBEAT) {
        s->last_hb_ms = rec->t_ms;
        s->last_hb_ok = rec->scanner_ok;
    }
    if (rec->type <= RECORD_VISIT_END && rec->visit.id >= s->next_visit_id)
        s->next_visit_id = rec->visit.id + 1;
    return 0;
}

int64_t store_purge(struct store *s, int64_t now_ms)
{
    static const char *const sql[] = {
        "DELETE FROM visit_ids WHERE day < ?1"
        " OR visit_id IN (SELECT id FROM visits WHERE day < ?1)",
        "DELETE FROM visits WHERE day < ?1",
        "DELETE FROM events WHERE day < ?1",
        "DELETE FROM days WHERE day < ?1",
    };
    int64_t cutoff, total = 0;
    int rc;

    if (s->read_only)
        return -EBADF;
    if (s->retention_days <= 0)
        return 0;
    cutoff = civil_vn_day(now_ms) - s->retention_days;
    rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return errno_of(rc);
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        sqlite3_stmt *st;

        rc = sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL);
        if (rc != SQLITE_OK)
            break;
        sqlite3_bind_int64(st, 1, cutoff);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            break;
        rc = SQLITE_OK;
        total += sqlite3_changes(s->db);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        int r = errno_of(rc);

        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return r ? r : -EIO;
    }
    /* the WAL still holds the old pages: write them back so the data is gone */
    sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return total;
}

int64_t store_close_open_visits(struct store *s)
{
    sqlite3_stmt *st;
    int rc;

    if (s->read_only)
        return -EBADF;
    rc = sqlite3_prepare_v2(s->db,
                            "UPDATE visits SET exit_reason = ?1, exit_ms = max(entry_ms, ?2)"
                            " WHERE exit_reason = ?3",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return errno_of(rc);
    sqlite3_bind_int(st, 1, VISIT_EXIT_CLOSING);
    sqlite3_bind_int64(st, 2, s->last_hb_ms);
    sqlite3_bind_int(st, 3, VISIT_EXIT_OPEN);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return errno_of(rc);
    return sqlite3_changes(s->db);
}

/* ---- reading ---- */

static void read_visit(sqlite3_stmt *st, struct visit *v)
{
    memset(v, 0, sizeof(*v));
    v->id = sqlite3_column_int64(st, 0);
    v->entry_ms = sqlite3_column_int64(st, 1);
    v->exit_ms = sqlite3_column_int64(st, 2);
    v->exit_reason = (uint8_t)sqlite3_column_int(st, 3);
    v->method = (uint8_t)sqlite3_column_int(st, 4);
    v->app = (uint8_t)sqlite3_column_int(st, 5);
    v->kind = (uint8_t)sqlite3_column_int(st, 6);
    v->prompt_shown = sqlite3_column_int(st, 7) != 0;
    v->install_assisted = sqlite3_column_int(st, 8) != 0;
    v->confirmed = sqlite3_column_int(st, 9) != 0;
    v->clock_ok = sqlite3_column_int(st, 10) != 0;
    v->staff = sqlite3_column_int(st, 11) != 0;
    if (v->exit_reason >= VISIT_EXIT_COUNT)
        v->exit_reason = VISIT_EXIT_OPEN;
    if (v->method >= VISIT_METHOD_COUNT)
        v->method = VISIT_METHOD_AUTO;
    if (v->app >= VISIT_APP_COUNT)
        v->app = VISIT_APP_OTHER;
}

#define VISIT_COLUMNS                                                                              \
    "id, entry_ms, exit_ms, exit_reason, method, app, kind, prompt_shown, install_assisted,"       \
    " confirmed, clock_ok, staff"

int store_day_figures(struct store *s, int64_t day, struct store_day *out)
{
    sqlite3_stmt *st;
    int rc;

    memset(out, 0, sizeof(*out));
    out->day = day;
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT app, (entry_ms / 1000 + 25200) % 86400 / 3600, count(*),"
                            " sum(prompt_shown), sum(install_assisted), sum(clock_ok = 0), staff"
                            " FROM visits WHERE day = ?1 GROUP BY staff, app, 2",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return errno_of(rc);
    sqlite3_bind_int64(st, 1, day);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int app = sqlite3_column_int(st, 0);
        int hour = sqlite3_column_int(st, 1);
        int64_t n = sqlite3_column_int64(st, 2);

        if (sqlite3_column_int(st, 6))
            continue; /* staff are counted from their records below */
        if (app < 0 || app >= VISIT_APP_COUNT)
            app = VISIT_APP_OTHER;
        out->visits += n;
        out->by_app[app] += n;
        if (hour >= 0 && hour < 24)
            out->by_hour[hour] += n;
        out->installs_assisted += sqlite3_column_int64(st, 4);
        out->clock_flagged += sqlite3_column_int64(st, 5);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return errno_of(rc);
    rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM events WHERE day = ?1 AND type = ?2", -1,
                            &st, NULL);
    if (rc != SQLITE_OK)
        return errno_of(rc);
    sqlite3_bind_int64(st, 1, day);
    sqlite3_bind_int(st, 2, RECORD_STAFF);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        out->staff = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return errno_of(rc);
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT passersby, prompts, uptime_ms, scanner_ok_ms FROM days"
                            " WHERE day = ?1",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return errno_of(rc);
    sqlite3_bind_int64(st, 1, day);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->passersby = sqlite3_column_int64(st, 0);
        out->prompts_shown = sqlite3_column_int64(st, 1);
        out->uptime_s = sqlite3_column_int64(st, 2) / 1000;
        out->scanner_ok_s = sqlite3_column_int64(st, 3) / 1000;
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : errno_of(rc);
}

/* Steps a prepared visits query, hands each row to fn (which may stop it
 * with a negative value), and finalizes the statement. */
static int each_visit_row(sqlite3_stmt *st, int (*fn)(const struct visit *v, void *userdata),
                          void *userdata)
{
    int rc, r = 0;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct visit v;

        read_visit(st, &v);
        r = fn(&v, userdata);
        if (r < 0)
            break;
    }
    sqlite3_finalize(st);
    if (r < 0)
        return r;
    return rc == SQLITE_DONE ? 0 : errno_of(rc);
}

int store_each_visit(struct store *s, int64_t from_day, int64_t until_day,
                     int (*fn)(const struct visit *v, void *userdata), void *userdata)
{
    sqlite3_stmt *st;
    int rc;

    rc = sqlite3_prepare_v2(s->db,
                            "SELECT " VISIT_COLUMNS " FROM visits WHERE day BETWEEN ?1 AND ?2"
                            " ORDER BY day, id",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return errno_of(rc);
    sqlite3_bind_int64(st, 1, from_day);
    sqlite3_bind_int64(st, 2, until_day);
    return each_visit_row(st, fn, userdata);
}

int store_visits_with_tag(struct store *s, const uint8_t tag[16],
                          int (*fn)(const struct visit *v, int64_t first_ms, int64_t last_ms,
                                    void *userdata),
                          void *userdata)
{
    sqlite3_stmt *st;
    int rc, r = 0;

    if (!s->tag_lookup) {
        rc = sqlite3_prepare_v3(
            s->db,
            "SELECT v.id, v.entry_ms, v.exit_ms, v.exit_reason, v.method, v.app, v.kind,"
            " v.prompt_shown, v.install_assisted, v.confirmed, v.clock_ok, v.staff, i.first_ms,"
            " i.last_ms FROM visit_ids i JOIN visits v ON v.id = i.visit_id WHERE i.tag = ?1"
            " ORDER BY v.id",
            -1, SQLITE_PREPARE_PERSISTENT, &s->tag_lookup, NULL);
        if (rc != SQLITE_OK)
            return errno_of(rc);
    }
    st = s->tag_lookup;
    sqlite3_bind_blob(st, 1, tag, 16, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct visit v;

        read_visit(st, &v);
        r = fn(&v, sqlite3_column_int64(st, 12), sqlite3_column_int64(st, 13), userdata);
        if (r < 0)
            break;
    }
    sqlite3_reset(st);
    if (r < 0)
        return r;
    return rc == SQLITE_DONE ? 0 : errno_of(rc);
}

int store_visits_overlapping(struct store *s, int64_t from_ms, int64_t to_ms,
                             int (*fn)(const struct visit *v, void *userdata), void *userdata)
{
    sqlite3_stmt *st;
    int rc;

    /* visits last hours at most: the day index narrows the scan to two days */
    rc = sqlite3_prepare_v2(
        s->db,
        "SELECT " VISIT_COLUMNS " FROM visits WHERE day BETWEEN ?3 AND ?4"
        " AND entry_ms <= ?2 AND (exit_ms >= ?1 OR exit_ms = 0) ORDER BY entry_ms, id",
        -1, &st, NULL);
    if (rc != SQLITE_OK)
        return errno_of(rc);
    sqlite3_bind_int64(st, 1, from_ms);
    sqlite3_bind_int64(st, 2, to_ms);
    sqlite3_bind_int64(st, 3, civil_vn_day(from_ms) - 1);
    sqlite3_bind_int64(st, 4, civil_vn_day(to_ms));
    return each_visit_row(st, fn, userdata);
}

int store_get_visit(struct store *s, int64_t id, struct visit *out)
{
    sqlite3_stmt *st;
    int rc;

    rc = sqlite3_prepare_v2(s->db, "SELECT " VISIT_COLUMNS " FROM visits WHERE id = ?1", -1, &st,
                            NULL);
    if (rc != SQLITE_OK)
        return errno_of(rc);
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_visit(st, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : errno_of(rc);
}

int store_visit_days(struct store *s, int64_t *first_day, int64_t *last_day)
{
    sqlite3_stmt *st;
    int rc;

    rc = sqlite3_prepare_v2(s->db, "SELECT min(day), max(day) FROM visits", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return errno_of(rc);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *first_day = sqlite3_column_int64(st, 0);
        *last_day = sqlite3_column_int64(st, 1);
        sqlite3_finalize(st);
        return 0;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? -ENOENT : errno_of(rc);
}
