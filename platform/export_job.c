/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "export_job.h"
#include "export.h"
#include "store_service.h"
#include "usb.h"

#include "kiosk/civil.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct export_job {
    struct config cfg;
    char db[4096], key[4096], to_dir[4096];
    struct export_job_request req;
    struct export_job_callbacks cb;
    sd_event_source *io;
    int efd;
    pthread_t thread;
    bool started, joined;

    pthread_mutex_t lock; /* guards what follows */
    int percent, reported_percent;
    char what[32];
    bool finished;
    int result;
    char text[4096 + 1200];
};

static void wake(struct export_job *j)
{
    uint64_t one = 1;

    if (write(j->efd, &one, sizeof(one)) < 0) {
        /* the counter is full: the loop is already woken */
    }
}

static void on_progress(int percent, const char *what, void *userdata)
{
    struct export_job *j = userdata;

    pthread_mutex_lock(&j->lock);
    j->percent = percent;
    snprintf(j->what, sizeof(j->what), "%s", what);
    pthread_mutex_unlock(&j->lock);
    wake(j);
}

static void finish(struct export_job *j, int result, const char *text)
{
    pthread_mutex_lock(&j->lock);
    j->finished = true;
    j->result = result;
    snprintf(j->text, sizeof(j->text), "%s", text);
    pthread_mutex_unlock(&j->lock);
    wake(j);
}

static void *run(void *userdata)
{
    struct export_job *j = userdata;
    struct export_request r = {.to_dir = j->to_dir, .progress = on_progress, .userdata = j};
    struct store *s;
    struct device_key k;
    struct timespec now;
    char err[1024], dir[4096], text[4096 + 1100];
    int64_t first, last;
    int rc;

    rc = store_service_open(&j->cfg, *j->db ? j->db : NULL, *j->key ? j->key : NULL,
                            STORE_READ_WITH_KEY, &s, &k, err, sizeof(err));
    if (rc < 0) {
        finish(j, rc, err);
        return NULL;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    r.now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    if (store_visit_days(s, &first, &last) < 0)
        first = last = civil_vn_day(r.now_ms);
    r.from_day = j->req.from_day == EXPORT_JOB_FIRST ? first : j->req.from_day;
    r.until_day = j->req.until_day;
    if (r.until_day == EXPORT_JOB_LAST)
        r.until_day = r.from_day > last ? r.from_day : last;
    rc = export_write(s, &k, &r, dir, sizeof(dir), err, sizeof(err));
    store_close(s);
    device_key_wipe(&k);
    if (rc < 0) {
        finish(j, rc, err);
        return NULL;
    }
    if (j->req.eject) {
        on_progress(100, "ejecting", j);
        rc = usb_eject(j->to_dir, err, sizeof(err));
        if (rc < 0) {
            snprintf(text, sizeof(text), "%s was written, but %s", dir, err);
            finish(j, rc, text);
            return NULL;
        }
    }
    finish(j, 0, dir);
    return NULL;
}

static int on_wake(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
    struct export_job *j = userdata;
    uint64_t n;
    int percent;
    char what[32];
    bool finished;

    (void)s;
    (void)revents;
    if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
        return 0;
    pthread_mutex_lock(&j->lock);
    percent = j->percent;
    snprintf(what, sizeof(what), "%s", j->what);
    finished = j->finished;
    pthread_mutex_unlock(&j->lock);
    if (percent != j->reported_percent && j->cb.progress) {
        j->reported_percent = percent;
        j->cb.progress(percent, what, j->cb.userdata);
    }
    if (finished && !j->joined) {
        pthread_join(j->thread, NULL);
        j->joined = true;
        sd_event_source_set_enabled(j->io, SD_EVENT_OFF);
        if (j->cb.done)
            j->cb.done(j->result, j->text, j->cb.userdata);
    }
    return 0;
}

int export_job_start(sd_event *loop, const struct config *cfg, const struct export_job_request *req,
                     const struct export_job_callbacks *cb, struct export_job **out, char *err,
                     size_t errlen)
{
    struct export_job *j = calloc(1, sizeof(*j));
    int r;

    *out = NULL;
    if (!j) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    j->cfg = *cfg;
    j->req = *req;
    j->cb = *cb;
    j->reported_percent = -1;
    snprintf(j->db, sizeof(j->db), "%s", req->db ? req->db : "");
    snprintf(j->key, sizeof(j->key), "%s", req->key ? req->key : "");
    snprintf(j->to_dir, sizeof(j->to_dir), "%s", req->to_dir);
    pthread_mutex_init(&j->lock, NULL);
    j->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (j->efd < 0) {
        r = -errno;
        snprintf(err, errlen, "cannot start the export: %s", strerror(errno));
        export_job_free(j);
        return r;
    }
    r = sd_event_add_io(loop, &j->io, j->efd, EPOLLIN, on_wake, j);
    if (r < 0) {
        snprintf(err, errlen, "cannot start the export: %s", strerror(-r));
        export_job_free(j);
        return r;
    }
    r = pthread_create(&j->thread, NULL, run, j);
    if (r != 0) {
        snprintf(err, errlen, "cannot start the export: %s", strerror(r));
        export_job_free(j);
        return -r;
    }
    j->started = true;
    *out = j;
    return 0;
}

void export_job_free(struct export_job *j)
{
    if (!j)
        return;
    if (j->started && !j->joined)
        pthread_join(j->thread, NULL);
    sd_event_source_unref(j->io);
    if (j->efd >= 0)
        close(j->efd);
    pthread_mutex_destroy(&j->lock);
    free(j);
}
