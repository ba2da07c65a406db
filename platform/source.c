/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

extern const struct source_ops source_sim_ops;
extern const struct source_ops source_replay_ops;
extern const struct source_ops source_bluez_ops;

/* The sources this build has. */
static const struct source_ops *const source_table[] = {
    &source_sim_ops,
    &source_replay_ops,
    &source_bluez_ops,
    NULL,
};

/* True when the kernel has a Bluetooth controller. */
static bool machine_has_adapter(void)
{
    DIR *d = opendir("/sys/class/bluetooth");
    struct dirent *e;
    bool found = false;

    if (!d)
        return false;
    while (!found && (e = readdir(d)))
        found = strncmp(e->d_name, "hci", 3) == 0;
    closedir(d);
    return found;
}

int source_open(const char *spec, const struct config *cfg, sd_event *loop,
                const struct source_events *events, struct source **out, char *err, size_t errlen)
{
    char scheme[16];
    const char *colon, *arg = NULL;
    size_t n;

    if (strcmp(spec, "auto") == 0)
        spec = machine_has_adapter() ? "bluez" : "sim";
    colon = strchr(spec, ':');
    n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (colon)
        arg = colon + 1;
    if (n == 0 || n >= sizeof(scheme) || (colon && *arg == '\0')) {
        snprintf(err, errlen,
                 "source '%s': allowed: bluez, bluez:hciN, sim, sim:SCENARIO, "
                 "replay:FILE",
                 spec);
        return -EINVAL;
    }
    memcpy(scheme, spec, n);
    scheme[n] = '\0';
    for (const struct source_ops *const *ops = source_table; *ops; ops++)
        if (strcmp((*ops)->scheme, scheme) == 0)
            return (*ops)->create(arg, cfg, loop, events, out, err, errlen);
    snprintf(err, errlen,
             "source '%s': this build has no '%s' source; allowed: bluez, "
             "bluez:hciN, sim, sim:SCENARIO, replay:FILE",
             spec, scheme);
    return -EINVAL;
}

int64_t source_now_ms(struct source *src)
{
    return src->ops->now_ms(src);
}

int source_read_id(struct source *src, const struct beacon_addr *addr,
                   void (*done)(int err, const uint8_t id[BEACON_ID_LEN], void *userdata),
                   void *userdata)
{
    if (!src || !src->ops->read_id)
        return -EOPNOTSUPP;
    return src->ops->read_id(src, addr, done, userdata);
}

void source_destroy(struct source *src)
{
    if (src)
        src->ops->destroy(src);
}
