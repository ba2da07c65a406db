/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's settings: one INI file, every key described once in a table
 * (config.c) that drives defaults, validation, the sample file and the
 * README's table, so they cannot drift apart. */
#ifndef BZ_CONFIG_H
#define BZ_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_TEXT_MAX 128
#define CONFIG_URL_MAX  512
#define CONFIG_PATH_MAX 256

struct config {
    /* [site] */
    char site_name[CONFIG_TEXT_MAX];
    char site_code[33];
    char language[3]; /* "vi" or "en": the language a visitor sees first */

    /* [presence] */
    int near_rssi;      /* dBm: smoothed RSSI at or above this is "near" */
    int dwell_s;        /* near this long makes a visit */
    int absent_s;       /* not near this long ends it */
    int slots_per_day;  /* Bluezone ID slots: 96 (v3) or 144 (v2) */
    int staff_min_h;    /* present this many hours in a day: staff, not a visitor */
    int prompt_after_s; /* nothing near this long after a touch: show the prompt */

    /* [install] */
    char install_url[CONFIG_URL_MAX]; /* the QR code on the install prompt */
    char android_url[CONFIG_URL_MAX];
    char ios_url[CONFIG_URL_MAX];

    /* [hours], minutes after local midnight (Vietnam, UTC+7) */
    int open_min;
    int close_min;
    int report_min;

    /* [store] */
    char db_path[CONFIG_PATH_MAX];
    char key_path[CONFIG_PATH_MAX];
    char export_dir[CONFIG_PATH_MAX];
    int retention_days;

    /* [display] */
    char display[10]; /* auto | kmsdrm | window | offscreen */
    int width;        /* pixels, 0 = the screen's own */
    int height;
    int rotation; /* degrees clockwise: 0, 90, 180, 270 */

    /* [access]: libsodium password hashes (`bzkiosk pin-hash`); empty = that PIN is off */
    char staff_pin_hash[128];
    char admin_pin_hash[128];

    /* [bluetooth] */
    char adapter[16];             /* hciN, or "auto" for the first powered one */
    char source[CONFIG_PATH_MAX]; /* auto | bluez | bluez:hciN | sim[:S] | replay:FILE */
    int max_connections;          /* iPhone ID reads at once */
    int read_timeout_s;           /* one iPhone ID read, connect to disconnect */
    int forget_s;                 /* unseen devices are removed from BlueZ after this */
    int power_on;                 /* 1: power the adapter on when it is off */
};

enum config_type {
    CONFIG_INT,
    CONFIG_TEXT,   /* UTF-8, printable */
    CONFIG_CODE,   /* ASCII letters, digits, '-', '_', '.' */
    CONFIG_CHOICE, /* one of a '|'-separated list */
    CONFIG_TIME,   /* HH:MM, stored as minutes */
    CONFIG_URL,    /* http:// or https://, no spaces */
    CONFIG_PATH,   /* absolute or relative, no control characters */
};

struct config_key {
    const char *section;
    const char *name;
    enum config_type type;
    size_t offset;
    size_t size;         /* for strings: the buffer's size */
    long min, max;       /* CONFIG_INT: the range */
    const char *choices; /* CONFIG_CHOICE, or allowed CONFIG_INT values, "a|b|c" */
    const char *def;     /* the default, as written in the file */
    const char *unit;
    const char *help;
};

/* Returns: the table of every key, terminated by an entry with name NULL. */
const struct config_key *config_keys(void);

/* Sets every key to its default. */
void config_defaults(struct config *cfg);

/* Parses INI text. `filename` only names the source in messages. On error
 * returns -EINVAL, leaves *cfg untouched and writes one line to err:
 * "FILE:LINE: [section] key: what is wrong; what is allowed". */
int config_parse(struct config *cfg, const char *text, size_t len, const char *filename, char *err,
                 size_t errlen);

/* Sets one key from "section.key=value" (command-line overrides), with the
 * same checks as the file. */
int config_set(struct config *cfg, const char *assignment, char *err, size_t errlen);

/* Writes the effective settings as an INI file that config_parse accepts. */
int config_format(const struct config *cfg, char *out, size_t outlen);

/* Writes the README's table of keys (Markdown). */
int config_format_doc(char *out, size_t outlen);

#endif
