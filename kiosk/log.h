/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One logging module for the whole program. The logic in kiosk/ formats
 * messages; where they go (stderr, journald, a test's buffer) is decided by
 * whoever installs the sink, so kiosk/ itself does no I/O. */
#ifndef BZ_LOG_H
#define BZ_LOG_H

#include <stdarg.h>

/* syslog(3) numbering, so a sink can prefix "<N>" for journald. */
enum log_level {
    LOG_LEVEL_ERROR = 3,
    LOG_LEVEL_WARN = 4,
    LOG_LEVEL_INFO = 6,
    LOG_LEVEL_DEBUG = 7,
};

typedef void (*log_sink_fn)(enum log_level level, const char *message, void *userdata);

/* Installs the sink (NULL drops every message) and the most verbose level
 * that reaches it. */
void log_set_sink(log_sink_fn sink, void *userdata);
void log_set_level(enum log_level max_level);
enum log_level log_get_level(void);

/* Returns: the level's name ("error", "warning", "info", "debug"). */
const char *log_level_name(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level level, const char *fmt, va_list ap);

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
