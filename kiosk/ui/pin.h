/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The staff/admin PIN pad: digits typed, checked against libsodium password
 * hashes from the settings ([access]), and a lock after too many wrong
 * PINs. Time comes in as a monotonic now_ms. */
#ifndef BZ_UI_PIN_H
#define BZ_UI_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UI_PIN_MIN_DIGITS 4
#define UI_PIN_MAX_DIGITS 8
#define UI_PIN_MAX_WRONG  5
#define UI_PIN_LOCK_MS    (5 * 60 * 1000)
#define UI_PIN_HASH_MAX   128 /* crypto_pwhash_STRBYTES */

struct ui_pin {
    char digits[UI_PIN_MAX_DIGITS + 1];
    int n;
    int wrong;               /* wrong PINs in a row */
    int64_t locked_until_ms; /* 0: not locked */
    bool last_wrong;         /* the last check failed: say so */
};

enum ui_pin_result {
    UI_PIN_STAFF,     /* the staff PIN */
    UI_PIN_ADMIN,     /* the admin PIN (also opens the staff screen) */
    UI_PIN_WRONG,     /* counted; tries left = UI_PIN_MAX_WRONG - wrong */
    UI_PIN_LOCKED,    /* locked: nothing is checked */
    UI_PIN_TOO_SHORT, /* fewer than UI_PIN_MIN_DIGITS: not counted */
};

void ui_pin_init(struct ui_pin *p);
/* Clears the digits typed (leaving the screen); the wrong count and lock stay. */
void ui_pin_clear(struct ui_pin *p);
bool ui_pin_locked(const struct ui_pin *p, int64_t now_ms);
/* Seconds until the lock ends (rounded up), 0 when not locked. */
int ui_pin_locked_s(const struct ui_pin *p, int64_t now_ms);
/* Typing while locked or beyond UI_PIN_MAX_DIGITS is ignored. */
void ui_pin_digit(struct ui_pin *p, int digit, int64_t now_ms);
void ui_pin_delete(struct ui_pin *p);
/* Checks the digits typed against the hashes (an empty hash matches
 * nothing) and clears them. The fifth wrong PIN in a row locks the pad for
 * UI_PIN_LOCK_MS; a right one resets the count. */
enum ui_pin_result ui_pin_check(struct ui_pin *p, const char *staff_hash, const char *admin_hash,
                                int64_t now_ms);

/* Hashes a PIN for the settings (Argon2id, 16 MiB, 3 passes: slow enough to
 * matter, small enough for a Pi and the kiosk's memory budget).
 * Returns: 0, -EINVAL when pin is not 4..8 digits, -ENOMEM. */
int ui_pin_hash(const char *pin, char out[UI_PIN_HASH_MAX]);

#endif
