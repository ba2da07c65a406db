/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where beacons come from: the BlueZ scanner, a btsnoop replay or the
 * simulated lobby. A source is a table of operations (as wlroots' backends
 * are), so the kiosk runs the same with or without a radio. */
#ifndef BZ_SOURCE_H
#define BZ_SOURCE_H

#include "kiosk/beacon.h"
#include "kiosk/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

struct source_events {
    /* One classified advertising report. */
    void (*beacon)(const struct beacon *b, void *userdata);
    /* The scanner's health changed: ok = scanning; `what` says why not, for
     * the staff screen ("adapter hci0 is powered off"). */
    void (*health)(bool ok, const char *what, void *userdata);
    /* The source has nothing more to give (end of a replayed file). */
    void (*finished)(void *userdata);
    void *userdata;
};

struct source;

struct source_ops {
    const char *scheme; /* "sim", "replay", "bluez": the part of --source before ':' */
    /* Creates and starts the source on `loop`; `arg` is the part after ':'
     * (NULL when absent). Returns: 0, or -errno with one line in err. */
    int (*create)(const char *arg, const struct config *cfg, sd_event *loop,
                  const struct source_events *events, struct source **out, char *err,
                  size_t errlen);
    /* The lobby's clock in unix ms: the wall clock for a radio, the file's or
     * the simulation's clock otherwise. */
    int64_t (*now_ms)(struct source *src);
    /* Optional (NULL when the source cannot): reads an iPhone's 12-byte
     * Bluezone ID over GATT (service …A667, characteristic …A689) and calls
     * `done` later from the loop, exactly once: err 0 with the ID, or -errno
     * (-ETIMEDOUT, -EBUSY when max_connections reads are under way …).
     * Returns: 0 when the read started, or -errno (then `done` is not called). */
    int (*read_id)(struct source *src, const struct beacon_addr *addr,
                   void (*done)(int err, const uint8_t id[BEACON_ID_LEN], void *userdata),
                   void *userdata);
    /* Stops and frees; accepts NULL. */
    void (*destroy)(struct source *src);
};

/* Every source embeds this first. */
struct source {
    const struct source_ops *ops;
};

/* Opens the source that `spec` names ("auto", "bluez:hci1", "sim",
 * "replay:FILE" …). "auto" is BlueZ when this machine has a Bluetooth
 * adapter, else the simulated lobby. */
int source_open(const char *spec, const struct config *cfg, sd_event *loop,
                const struct source_events *events, struct source **out, char *err, size_t errlen);

int64_t source_now_ms(struct source *src);
/* ops->read_id, or -EOPNOTSUPP when the source has none. */
int source_read_id(struct source *src, const struct beacon_addr *addr,
                   void (*done)(int err, const uint8_t id[BEACON_ID_LEN], void *userdata),
                   void *userdata);
void source_destroy(struct source *src);

#endif
