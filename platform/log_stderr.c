/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "log_stderr.h"

#include "kiosk/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* True when stderr is the stream systemd connected to journald
 * (JOURNAL_STREAM holds its device and inode, see systemd.exec(5)). */
static bool stderr_is_journal(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;

    if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(2, &st) < 0)
        return false;
    return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static void to_journal(enum log_level level, const char *message, void *userdata)
{
    (void)userdata;
    fprintf(stderr, "<%d>%s\n", (int)level, message);
}

static void to_terminal(enum log_level level, const char *message, void *userdata)
{
    (void)userdata;
    fprintf(stderr, "bzkiosk: %s: %s\n", log_level_name(level), message);
}

void log_stderr_install(bool verbose)
{
    log_set_sink(stderr_is_journal() ? to_journal : to_terminal, NULL);
    log_set_level(verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
}
