/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pin.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>

void ui_pin_init(struct ui_pin *p)
{
    memset(p, 0, sizeof(*p));
}

void ui_pin_clear(struct ui_pin *p)
{
    sodium_memzero(p->digits, sizeof(p->digits));
    p->n = 0;
}

bool ui_pin_locked(const struct ui_pin *p, int64_t now_ms)
{
    return p->locked_until_ms && now_ms < p->locked_until_ms;
}

int ui_pin_locked_s(const struct ui_pin *p, int64_t now_ms)
{
    if (!ui_pin_locked(p, now_ms))
        return 0;
    return (int)((p->locked_until_ms - now_ms + 999) / 1000);
}

void ui_pin_digit(struct ui_pin *p, int digit, int64_t now_ms)
{
    if (ui_pin_locked(p, now_ms) || p->n >= UI_PIN_MAX_DIGITS || digit < 0 || digit > 9)
        return;
    p->digits[p->n++] = (char)('0' + digit);
    p->digits[p->n] = '\0';
    p->last_wrong = false;
}

void ui_pin_delete(struct ui_pin *p)
{
    if (p->n > 0)
        p->digits[--p->n] = '\0';
}

static bool matches(const char *hash, const char *pin)
{
    /* A hash is NUL-terminated text; libsodium wants it in a buffer of
     * crypto_pwhash_STRBYTES. */
    char buf[crypto_pwhash_STRBYTES] = {0};
    size_t len = strlen(hash);

    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, hash, len);
    return crypto_pwhash_str_verify(buf, pin, strlen(pin)) == 0;
}

enum ui_pin_result ui_pin_check(struct ui_pin *p, const char *staff_hash, const char *admin_hash,
                                int64_t now_ms)
{
    enum ui_pin_result r;

    if (ui_pin_locked(p, now_ms)) {
        ui_pin_clear(p);
        return UI_PIN_LOCKED;
    }
    if (p->n < UI_PIN_MIN_DIGITS) {
        ui_pin_clear(p);
        return UI_PIN_TOO_SHORT;
    }
    if (sodium_init() < 0)
        r = UI_PIN_WRONG;
    else if (admin_hash && matches(admin_hash, p->digits))
        r = UI_PIN_ADMIN;
    else if (staff_hash && matches(staff_hash, p->digits))
        r = UI_PIN_STAFF;
    else
        r = UI_PIN_WRONG;
    ui_pin_clear(p);
    if (r != UI_PIN_WRONG) {
        p->wrong = 0;
        p->locked_until_ms = 0;
        p->last_wrong = false;
        return r;
    }
    p->last_wrong = true;
    if (++p->wrong >= UI_PIN_MAX_WRONG) {
        p->wrong = 0;
        p->locked_until_ms = now_ms + UI_PIN_LOCK_MS;
        if (p->locked_until_ms == 0)
            p->locked_until_ms = 1;
    }
    return r;
}

int ui_pin_hash(const char *pin, char out[UI_PIN_HASH_MAX])
{
    size_t n = strlen(pin);

    if (n < UI_PIN_MIN_DIGITS || n > UI_PIN_MAX_DIGITS || strspn(pin, "0123456789") != n)
        return -EINVAL;
    if (sodium_init() < 0)
        return -ENOMEM;
    if (crypto_pwhash_str(out, pin, n, 3, 16u << 20) != 0)
        return -ENOMEM;
    return 0;
}
