/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The events of `bzkiosk replay --events` and `bzkiosk scan` (INTERFACES.md):
 * one JSON object per line, made from the records presence and flow produce. */
#ifndef BZ_EVENTS_H
#define BZ_EVENTS_H

#include "record.h"

#include <stddef.h>

#define EVENTS_LINE_MAX 512

/* Writes the event line of `rec` (with its '\n' and a NUL): visit_start,
 * visit_change, visit_end, id_linked, passerby, staff, prompt. Returns: its
 * length, 0 for a record that is no event (id_seen, scanner, heartbeat: IDs
 * seen are personal data and stay in the store), or -ENOSPC. */
int events_format(const struct record *rec, char *out, size_t len);

#endif
