/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A power cut, simulated the way SQLite's own crash tests do (test6.c): a
 * VFS keeps every write in memory until the file is synced; the cut throws
 * away whatever was not synced. After it, every visit store_sink had
 * confirmed must be in the file. The same harness shows that
 * synchronous=NORMAL in WAL mode does lose confirmed commits, which is why
 * the store uses FULL. */
#include "kiosk/civil.h"
#include "kiosk/store.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#define T0 (civil_vn_day_start_ms(20779) + 8 * 3600000LL)

struct pending {
    sqlite3_int64 off;
    int n;
    struct pending *next;
    unsigned char data[];
};

struct cut_file {
    sqlite3_file base;
    struct pending *head, *tail;
    sqlite3_int64 size; /* the size including pending writes */
    sqlite3_file *real;
};

static sqlite3_vfs cut_vfs;
static sqlite3_vfs *real_vfs;
static bool power_off; /* after the cut nothing reaches the disk */

#define CF(f)   ((struct cut_file *)(f))
#define REAL(f) (CF(f)->real)

static void drop_pending(struct cut_file *c)
{
    while (c->head) {
        struct pending *p = c->head;

        c->head = p->next;
        free(p);
    }
    c->tail = NULL;
}

static int c_close(sqlite3_file *f)
{
    drop_pending(CF(f));
    return REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
}

static int c_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    int rc = REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
    bool covered = false;

    if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
        return rc;
    /* what was written and not yet synced is what a reader sees */
    for (struct pending *p = CF(f)->head; p; p = p->next) {
        sqlite3_int64 a = p->off > off ? p->off : off;
        sqlite3_int64 b = p->off + p->n < off + n ? p->off + p->n : off + n;

        if (a < b) {
            memcpy((char *)buf + (a - off), p->data + (a - p->off), (size_t)(b - a));
            covered = true;
        }
    }
    if (rc == SQLITE_IOERR_SHORT_READ && covered && off + n <= CF(f)->size)
        rc = SQLITE_OK;
    return rc;
}

static int c_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    struct pending *p;

    if (power_off)
        return SQLITE_OK;
    p = malloc(sizeof(*p) + (size_t)n);
    if (!p)
        return SQLITE_NOMEM;
    p->off = off;
    p->n = n;
    p->next = NULL;
    memcpy(p->data, buf, (size_t)n);
    if (CF(f)->tail)
        CF(f)->tail->next = p;
    else
        CF(f)->head = p;
    CF(f)->tail = p;
    if (off + n > CF(f)->size)
        CF(f)->size = off + n;
    return SQLITE_OK;
}

static int flush(sqlite3_file *f)
{
    for (struct pending *p = CF(f)->head; p; p = p->next) {
        int rc = REAL(f)->pMethods->xWrite(REAL(f), p->data, p->n, p->off);

        if (rc != SQLITE_OK)
            return rc;
    }
    drop_pending(CF(f));
    return SQLITE_OK;
}

static int c_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc;

    if (power_off)
        return SQLITE_OK;
    /* SQLite syncs around its truncations; applying it with what precedes it is close enough */
    rc = flush(f);
    if (rc == SQLITE_OK)
        rc = REAL(f)->pMethods->xTruncate(REAL(f), size);
    CF(f)->size = size;
    return rc;
}

static int c_sync(sqlite3_file *f, int flags)
{
    int rc;

    if (power_off)
        return SQLITE_OK;
    rc = flush(f);
    return rc == SQLITE_OK ? REAL(f)->pMethods->xSync(REAL(f), flags) : rc;
}

static int c_size(sqlite3_file *f, sqlite3_int64 *size)
{
    int rc = REAL(f)->pMethods->xFileSize(REAL(f), size);

    if (rc == SQLITE_OK && CF(f)->size > *size)
        *size = CF(f)->size;
    return rc;
}

static int c_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int c_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int c_check(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int c_fcntl(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int c_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int c_caps(sqlite3_file *f)
{
    (void)f;
    return 0; /* promise nothing about atomic or ordered writes */
}

static int c_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int c_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void c_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int c_shm_unmap(sqlite3_file *f, int del)
{
    /* after the cut the shared memory is lost with the machine, never deleted cleanly */
    return REAL(f)->pMethods->xShmUnmap(REAL(f), power_off ? 0 : del);
}

static const sqlite3_io_methods cut_io = {
    .iVersion = 2,
    .xClose = c_close,
    .xRead = c_read,
    .xWrite = c_write,
    .xTruncate = c_truncate,
    .xSync = c_sync,
    .xFileSize = c_size,
    .xLock = c_lock,
    .xUnlock = c_unlock,
    .xCheckReservedLock = c_check,
    .xFileControl = c_fcntl,
    .xSectorSize = c_sector,
    .xDeviceCharacteristics = c_caps,
    .xShmMap = c_shm_map,
    .xShmLock = c_shm_lock,
    .xShmBarrier = c_shm_barrier,
    .xShmUnmap = c_shm_unmap,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    struct cut_file *c = CF(f);
    int rc;

    (void)vfs;
    memset(c, 0, sizeof(*c));
    c->real = (sqlite3_file *)(c + 1);
    rc = real_vfs->xOpen(real_vfs, name, c->real, flags, out_flags);
    if (rc == SQLITE_OK && c->real->pMethods)
        c->real->pMethods->xFileSize(c->real, &c->size);
    f->pMethods = c->real->pMethods ? &cut_io : NULL;
    return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    (void)vfs;
    if (power_off)
        return SQLITE_OK;
    return real_vfs->xDelete(real_vfs, name, sync);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xGetLastError(real_vfs, n, out);
}

static void register_cut(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    cut_vfs = (sqlite3_vfs){
        .iVersion = 1,
        .szOsFile = (int)sizeof(struct cut_file) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname,
        .zName = "powercut",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full,
        .xRandomness = v_random,
        .xSleep = v_sleep,
        .xCurrentTime = v_time,
        .xGetLastError = v_error,
    };
    sqlite3_vfs_register(&cut_vfs, 0);
}

/* ---- the tests ---- */

static char dir[64], path[96];

static int setup(void **state)
{
    (void)state;
    power_off = false;
    snprintf(dir, sizeof(dir), "/tmp/bzcutXXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/kiosk.db", dir);
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    power_off = false;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static void expect_ok_file(void)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_every_confirmed_visit_survives_a_power_cut(void **state)
{
    (void)state;
    for (int cut_after = 1; cut_after <= 40; cut_after += 3) {
        struct store_options opt = {.path = path, .site_name = "x", .vfs = "powercut"};
        struct store *s;
        char err[256];
        struct visit v;

        power_off = false;
        unlink(path);
        assert_int_equal(store_open(&s, &opt, err, sizeof(err)), 0);
        for (int id = 1; id <= cut_after; id++) {
            struct record r = {.type = RECORD_VISIT_START, .t_ms = T0 + id * 1000};

            r.visit.id = id;
            r.visit.entry_ms = r.t_ms;
            r.visit.clock_ok = true;
            assert_int_equal(store_sink(&r, s), 0);
            r.type = RECORD_HEARTBEAT;
            assert_int_equal(store_sink(&r, s), 0);
        }
        power_off = true;
        store_close(s); /* nothing of this reaches the disk */
        power_off = false;
        expect_ok_file();
        opt.vfs = NULL;
        assert_int_equal(store_open(&s, &opt, err, sizeof(err)), 0);
        for (int id = 1; id <= cut_after; id++)
            if (store_get_visit(s, id, &v) != 0)
                fail_msg("cut after %d visits: visit %d was confirmed and is lost", cut_after, id);
        assert_int_equal(store_next_visit_id(s), cut_after + 1);
        store_close(s);
        unlink(path);
        snprintf(err, sizeof(err), "%s-wal", path);
        unlink(err);
        snprintf(err, sizeof(err), "%s-shm", path);
        unlink(err);
    }
}

/* The harness can see a loss: raw SQLite with synchronous=NORMAL loses
 * commits it had confirmed. */
static int rows_after_cut(const char *sync_mode, int n)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[128];
    int rows = -1;

    power_off = false;
    assert_int_equal(
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "powercut"),
        SQLITE_OK);
    snprintf(sql, sizeof(sql), "PRAGMA journal_mode = WAL; PRAGMA synchronous = %s;", sync_mode);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    for (int i = 0; i < n; i++)
        assert_int_equal(sqlite3_exec(db, "INSERT INTO t VALUES(1)", NULL, NULL, NULL), SQLITE_OK);
    power_off = true;
    sqlite3_close(db);
    power_off = false;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            rows = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    } else {
        rows = 0; /* even the table was lost */
    }
    sqlite3_close(db);
    return rows;
}

static void test_the_harness_sees_normal_lose_commits(void **state)
{
    char p[128];

    (void)state;
    assert_int_equal(rows_after_cut("FULL", 20), 20);
    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
    assert_true(rows_after_cut("NORMAL", 20) < 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_confirmed_visit_survives_a_power_cut, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_the_harness_sees_normal_lose_commits, setup, teardown),
    };

    register_cut();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
