/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ground truth of a simulated lobby: who was there, in which role, when
 * they were at the desk, every address and Bluezone ID each of their radios
 * used, and when the scanner first and last heard them at the desk. It
 * listens to lobby_sim (as its observer, and to every report) and writes the
 * JSON documented in README.md ("Ground truth"). Memory grows with people,
 * addresses and IDs (never with reports). */
#ifndef BZ_LOBBY_TRUTH_H
#define BZ_LOBBY_TRUTH_H

#include "btsnoop.h"
#include "lobby_sim.h"

#include <stdint.h>

struct lobby_truth;

/* Returns: NULL when out of memory. */
struct lobby_truth *lobby_truth_create(void);
void lobby_truth_destroy(struct lobby_truth *truth);

/* The observer to give lobby_sim_create. */
void lobby_truth_observer(struct lobby_truth *truth, struct lobby_observer *observer);

/* One report the scanner heard (lobby_sim_write's `each`, or after lobby_sim_next). */
void lobby_truth_report(struct lobby_truth *truth, const struct lobby_report *rep);

/* Out of memory at some point: the truth is incomplete. */
bool lobby_truth_failed(const struct lobby_truth *truth);

struct lobby_truth_meta {
    const char *scenario;
    uint64_t seed;
    int64_t start_us, end_us;
    int absent_s; /* near intervals closer than this make one expected visit (120) */
    struct lobby_sim_stats stats;
};

/* Writes the JSON. Returns: 0 or the write function's -errno. */
int lobby_truth_json(const struct lobby_truth *truth, const struct lobby_truth_meta *meta,
                     btsnoop_write_fn write, void *userdata);

/* Names used in the JSON. */
const char *lobby_role_name(enum lobby_role role);
const char *lobby_radio_name(enum lobby_radio radio);

#endif
