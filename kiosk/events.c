/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "events.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct out {
    char *p;
    size_t len, used;
    bool overflow;
};

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->overflow)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->p + o->used, o->len - o->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->len - o->used)
        o->overflow = true;
    else
        o->used += (size_t)n;
}

static bool id_is_zero(const uint8_t id[BEACON_ID_LEN])
{
    for (int i = 0; i < BEACON_ID_LEN; i++)
        if (id[i])
            return false;
    return true;
}

static void put_id(struct out *o, const char *name, const uint8_t id[BEACON_ID_LEN])
{
    char hex[25];

    if (id_is_zero(id)) {
        put(o, ",\"%s\":null", name);
        return;
    }
    beacon_id_format(id, hex);
    put(o, ",\"%s\":\"%s\"", name, hex);
}

static const char *kind_name(uint8_t kind)
{
    return beacon_kind_name(kind < BEACON_KIND_COUNT ? (enum beacon_kind)kind : BEACON_OTHER);
}

static void put_visit(struct out *o, const struct record *rec)
{
    const struct visit *v = &rec->visit;

    put(o, ",\"entry_ms\":%" PRId64 ",\"app\":\"%s\",\"method\":\"%s\"", v->entry_ms,
        visit_app_name((enum visit_app)v->app), visit_method_name((enum visit_method)v->method));
    put(o, ",\"confirmed\":%s,\"prompt_shown\":%s,\"install_assisted\":%s,\"staff\":%s",
        v->confirmed ? "true" : "false", v->prompt_shown ? "true" : "false",
        v->install_assisted ? "true" : "false", v->staff ? "true" : "false");
    if (!v->clock_ok)
        put(o, ",\"clock_ok\":false");
}

int events_format(const struct record *rec, char *out, size_t len)
{
    struct out o = {out, len, 0, false};
    const struct visit *v = &rec->visit;
    bool android = v->kind == BEACON_BLUEZONE_ANDROID || v->kind == BEACON_BLUEZONE_V1;

    switch (rec->type) {
    case RECORD_VISIT_START:
    case RECORD_VISIT_CHANGE:
    case RECORD_VISIT_END:
    case RECORD_ID_LINKED:
    case RECORD_PASSERBY:
    case RECORD_STAFF:
    case RECORD_PROMPT:
        break;
    default:
        return 0;
    }
    if (len == 0)
        return -ENOSPC;
    put(&o, "{\"event\":\"%s\",\"t_ms\":%" PRId64 ",\"visit\":%" PRId64 ",\"kind\":\"%s\"",
        record_type_name((enum record_type)rec->type), rec->t_ms, v->id,
        kind_name(rec->type == RECORD_PASSERBY || rec->type == RECORD_PROMPT ? rec->kind
                                                                             : v->kind));
    switch (rec->type) {
    case RECORD_VISIT_START:
    case RECORD_VISIT_CHANGE:
        put_visit(&o, rec);
        if (android)
            put_id(&o, "id", rec->id);
        break;
    case RECORD_VISIT_END:
        put_visit(&o, rec);
        put(&o, ",\"exit_ms\":%" PRId64 ",\"exit_reason\":\"%s\"", v->exit_ms,
            visit_exit_name((enum visit_exit)v->exit_reason));
        break;
    case RECORD_ID_LINKED:
        put_id(&o, "id", rec->id);
        put_id(&o, "old_id", rec->old_id);
        break;
    case RECORD_STAFF:
        put(&o, ",\"staff\":true");
        break;
    case RECORD_PROMPT:
        put(&o, ",\"prompt\":\"%s\"", rec->prompt == RECORD_PROMPT_INSTALL ? "install" : "open");
        break;
    default:
        break;
    }
    put(&o, "}\n");
    return o.overflow ? -ENOSPC : (int)o.used;
}
