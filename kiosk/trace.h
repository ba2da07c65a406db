/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Case tracing: the health authority's daily keys of confirmed cases give
 * every ID those phones broadcast that day (PROTOCOL.md); the store finds
 * the visits that logged one of them (through the keyed hashes) and the
 * visits present at the same time. */
#ifndef BZ_TRACE_H
#define BZ_TRACE_H

#include "bluezone_id.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

struct trace_key {
    uint8_t day_key[BLUEZONE_KEY_LEN];
    int64_t day_start_s; /* UTC midnight of the key's day */
    uint32_t slots;      /* 96 unless the line says otherwise */
    int line;            /* in the keys file */
};

/* Parses the keys file (INTERFACES.md: `daily_key_hex,day_start_unix[,slots]`
 * per line; blank lines and lines starting with '#' are skipped, and a first
 * line that is a header). Returns: the number of keys (<= max), or -EINVAL
 * with "FILE:LINE: what is wrong" in err. */
int trace_parse_keys(const char *text, size_t len, const char *filename, struct trace_key *keys,
                     size_t max, char *err, size_t errlen);

struct trace_match {
    const struct trace_key *key;
    struct visit visit; /* the visit that logged one of the key's IDs */
    int64_t seen_first_ms, seen_last_ms;
};

struct trace_callbacks {
    /* A visit that logged the case's ID. */
    int (*match)(const struct trace_match *m, void *userdata);
    /* A visit present during that match (not the match itself). */
    int (*overlap)(const struct trace_match *m, const struct visit *other, void *userdata);
    void *userdata;
};

/* Returns: the number of matching visits, or -errno. */
int trace_run(struct store *s, const struct trace_key *keys, size_t n,
              const struct trace_callbacks *cb);

#endif
