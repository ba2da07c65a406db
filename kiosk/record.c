/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "record.h"

#include <errno.h>
#include <string.h>

static const char *const app_names[VISIT_APP_COUNT] = {
    [VISIT_APP_BLUEZONE_ANDROID] = "bluezone-android",
    [VISIT_APP_BLUEZONE_IOS] = "bluezone-ios",
    [VISIT_APP_OTHER] = "other",
    [VISIT_APP_NONE] = "none",
    [VISIT_APP_NO_SMARTPHONE] = "no-smartphone",
};

static const char *const method_names[VISIT_METHOD_COUNT] = {
    [VISIT_METHOD_AUTO] = "auto",
    [VISIT_METHOD_TOUCH] = "touch",
    [VISIT_METHOD_STAFF] = "staff",
};

static const char *const exit_names[VISIT_EXIT_COUNT] = {
    [VISIT_EXIT_OPEN] = "open",
    [VISIT_EXIT_ABSENT] = "absent",
    [VISIT_EXIT_CHECKOUT] = "checkout",
    [VISIT_EXIT_CLOSING] = "closing",
};

static const char *const type_names[RECORD_TYPE_COUNT] = {
    "visit_start", "visit_change", "visit_end", "id_seen", "passerby",
    "prompt",      "scanner",      "id_linked", "staff",   "heartbeat",
};

static int parse(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -EINVAL;
}

const char *record_type_name(enum record_type type)
{
    return (unsigned)type < RECORD_TYPE_COUNT ? type_names[type] : "unknown";
}

const char *visit_app_name(enum visit_app app)
{
    return (unsigned)app < VISIT_APP_COUNT ? app_names[app] : "none";
}

const char *visit_method_name(enum visit_method method)
{
    return (unsigned)method < VISIT_METHOD_COUNT ? method_names[method] : "auto";
}

const char *visit_exit_name(enum visit_exit reason)
{
    return (unsigned)reason < VISIT_EXIT_COUNT ? exit_names[reason] : "open";
}

int visit_app_parse(const char *name, enum visit_app *app)
{
    int i = parse(app_names, VISIT_APP_COUNT, name);
    if (i < 0)
        return i;
    *app = (enum visit_app)i;
    return 0;
}

int visit_method_parse(const char *name, enum visit_method *method)
{
    int i = parse(method_names, VISIT_METHOD_COUNT, name);
    if (i < 0)
        return i;
    *method = (enum visit_method)i;
    return 0;
}

int visit_exit_parse(const char *name, enum visit_exit *reason)
{
    int i = parse(exit_names, VISIT_EXIT_COUNT, name);
    if (i < 0)
        return i;
    *reason = (enum visit_exit)i;
    return 0;
}
