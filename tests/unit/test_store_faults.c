/* SPDX-License-Identifier: GPL-3.0-or-later */
/* I/O errors and a full disk under the store, injected by a VFS that wraps
 * SQLite's own: a failed record is reported, nothing of it is kept, what was
 * recorded before stays, and the store works again once the disk does. */
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

/* ---- the faulty VFS ---- */

enum fault { FAULT_NONE, FAULT_WRITE_FULL, FAULT_WRITE_IOERR, FAULT_SYNC_IOERR, FAULT_READ_IOERR };

static struct {
    enum fault fault;
    int after; /* operations to let through before failing */
    int hits;  /* faults delivered */
} inject;

struct faulty_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
};

static sqlite3_vfs faulty_vfs;
static sqlite3_vfs *real_vfs;

static bool fire(enum fault f)
{
    if (inject.fault != f)
        return false;
    if (inject.after > 0) {
        inject.after--;
        return false;
    }
    inject.hits++;
    return true;
}

#define REAL(f) (((struct faulty_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;

    return rc;
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    if (fire(FAULT_READ_IOERR))
        return SQLITE_IOERR_READ;
    return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    if (fire(FAULT_WRITE_FULL))
        return SQLITE_FULL;
    if (fire(FAULT_WRITE_IOERR))
        return SQLITE_IOERR_WRITE;
    return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
    if (fire(FAULT_SYNC_IOERR))
        return SQLITE_IOERR_FSYNC;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int f_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int f_check(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_fcntl(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_caps(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static const sqlite3_io_methods faulty_io = {
    .iVersion = 2,
    .xClose = f_close,
    .xRead = f_read,
    .xWrite = f_write,
    .xTruncate = f_truncate,
    .xSync = f_sync,
    .xFileSize = f_size,
    .xLock = f_lock,
    .xUnlock = f_unlock,
    .xCheckReservedLock = f_check,
    .xFileControl = f_fcntl,
    .xSectorSize = f_sector,
    .xDeviceCharacteristics = f_caps,
    .xShmMap = f_shm_map,
    .xShmLock = f_shm_lock,
    .xShmBarrier = f_shm_barrier,
    .xShmUnmap = f_shm_unmap,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    struct faulty_file *ff = (struct faulty_file *)f;
    int rc;

    (void)vfs;
    ff->real = (sqlite3_file *)(ff + 1);
    rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
    f->pMethods = ff->real->pMethods ? &faulty_io : NULL;
    return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    (void)vfs;
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

static void register_faulty(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    faulty_vfs = (sqlite3_vfs){
        .iVersion = 1,
        .szOsFile = (int)sizeof(struct faulty_file) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname,
        .zName = "faulty",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full,
        .xDlOpen = NULL,
        .xRandomness = v_random,
        .xSleep = v_sleep,
        .xCurrentTime = v_time,
        .xGetLastError = v_error,
    };
    sqlite3_vfs_register(&faulty_vfs, 0);
}

/* ---- the tests ---- */

struct fixture {
    char dir[64], path[96];
    struct store *s;
};

static struct store *open_faulty(const char *path, char *err, size_t errlen, int *rc)
{
    struct store_options opt = {.path = path, .site_name = "x", .vfs = "faulty"};
    struct store *s = NULL;

    *rc = store_open(&s, &opt, err, errlen);
    return s;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char err[256];
    int rc;

    memset(&inject, 0, sizeof(inject));
    snprintf(f->dir, sizeof(f->dir), "/tmp/bzfaultXXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/kiosk.db", f->dir);
    f->s = open_faulty(f->path, err, sizeof(err), &rc);
    if (rc < 0)
        fail_msg("%s", err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];

    memset(&inject, 0, sizeof(inject));
    store_close(f->s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static int start(struct store *s, int64_t id)
{
    struct record r = {.type = RECORD_VISIT_START, .t_ms = T0 + id * 1000};

    r.visit.id = id;
    r.visit.entry_ms = r.t_ms;
    r.visit.clock_ok = true;
    return store_sink(&r, s);
}

static void expect_intact(struct fixture *f, int64_t last_ok, int64_t lost)
{
    struct visit v;
    sqlite3 *db;
    sqlite3_stmt *st;

    for (int64_t id = 1; id <= last_ok; id++)
        assert_int_equal(store_get_visit(f->s, id, &v), 0);
    if (lost)
        assert_int_equal(store_get_visit(f->s, lost, &v), -ENOENT);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_full_disk_is_enospc_and_recovers(void **state)
{
    struct fixture *f = *state;

    for (int id = 1; id <= 5; id++)
        assert_int_equal(start(f->s, id), 0);
    inject.fault = FAULT_WRITE_FULL;
    assert_int_equal(start(f->s, 6), -ENOSPC);
    assert_true(inject.hits > 0);
    assert_int_equal(start(f->s, 6), -ENOSPC);
    inject.fault = FAULT_NONE;
    expect_intact(f, 5, 6);
    assert_int_equal(start(f->s, 6), 0);
    expect_intact(f, 6, 0);
}

static void test_write_error_is_eio_and_nothing_half_kept(void **state)
{
    struct fixture *f = *state;

    for (int id = 1; id <= 3; id++)
        assert_int_equal(start(f->s, id), 0);
    /* the second write of a transaction fails: the first must not count */
    for (int after = 0; after < 3; after++) {
        inject.fault = FAULT_WRITE_IOERR;
        inject.after = after;
        inject.hits = 0;
        int r = start(f->s, 4);
        inject.fault = FAULT_NONE;
        if (inject.hits)
            assert_int_equal(r, -EIO);
        expect_intact(f, 3, inject.hits ? 4 : 0);
        if (!inject.hits)
            break;
    }
    assert_int_equal(start(f->s, 5), 0);
}

static void test_sync_error_is_reported_not_hidden(void **state)
{
    struct fixture *f = *state;
    int r;

    assert_int_equal(start(f->s, 1), 0);
    inject.fault = FAULT_SYNC_IOERR;
    r = start(f->s, 2);
    inject.fault = FAULT_NONE;
    assert_int_equal(r, -EIO);
    assert_int_equal(start(f->s, 3), 0);
    expect_intact(f, 1, 0);
}

static void test_read_errors_in_reports(void **state)
{
    struct fixture *f = *state;
    struct store_day d;
    int r;

    for (int id = 1; id <= 50; id++)
        assert_int_equal(start(f->s, id), 0);
    store_close(f->s);
    {
        char err[256];
        int rc;

        f->s = open_faulty(f->path, err, sizeof(err), &rc);
        assert_int_equal(rc, 0);
    }
    inject.fault = FAULT_READ_IOERR;
    r = store_day_figures(f->s, 20779, &d);
    inject.fault = FAULT_NONE;
    assert_int_equal(r, -EIO);
    assert_int_equal(store_day_figures(f->s, 20779, &d), 0);
    assert_int_equal(d.visits, 50);
}

static void test_open_on_a_full_disk_says_so(void **state)
{
    struct fixture *f = *state;
    char path[128], err[512] = "";
    struct store *s;
    int rc;

    snprintf(path, sizeof(path), "%s/new.db", f->dir);
    inject.fault = FAULT_WRITE_FULL;
    s = open_faulty(path, err, sizeof(err), &rc);
    inject.fault = FAULT_NONE;
    assert_null(s);
    assert_int_equal(rc, -ENOSPC);
    assert_non_null(strstr(err, "new.db"));
    /* and once there is room, the same file opens and migrates */
    s = open_faulty(path, err, sizeof(err), &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(start(s, 1), 0);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_disk_is_enospc_and_recovers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_error_is_eio_and_nothing_half_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sync_error_is_reported_not_hidden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_errors_in_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_on_a_full_disk_says_so, setup, teardown),
    };

    register_faulty();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
