/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "log.h"

#include <stdio.h>

static log_sink_fn log_sink;
static void *log_userdata;
static enum log_level log_max_level = LOG_LEVEL_INFO;

void log_set_sink(log_sink_fn sink, void *userdata)
{
    log_sink = sink;
    log_userdata = userdata;
}

void log_set_level(enum log_level max_level)
{
    log_max_level = max_level;
}

enum log_level log_get_level(void)
{
    return log_max_level;
}

const char *log_level_name(enum log_level level)
{
    switch (level) {
    case LOG_LEVEL_ERROR:
        return "error";
    case LOG_LEVEL_WARN:
        return "warning";
    case LOG_LEVEL_INFO:
        return "info";
    case LOG_LEVEL_DEBUG:
        return "debug";
    }
    return "log";
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
    char buf[1024];

    if (!log_sink || level > log_max_level)
        return;
    /* A message longer than the buffer is cut, never dropped. */
    vsnprintf(buf, sizeof(buf), fmt, ap);
    log_sink(level, buf, log_userdata);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}
