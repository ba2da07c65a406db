/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The words on screen, read from assets/strings/<lang>.txt so that no user
 * text lives in C: "key = text" lines, '#' comments, {name} placeholders. */
#ifndef BZ_UI_STRINGS_H
#define BZ_UI_STRINGS_H

#include <stddef.h>

#define UI_STRINGS_MAX      160
#define UI_STRINGS_KEY_MAX  40
#define UI_STRINGS_TEXT_MAX 200

struct ui_strings {
    size_t n;
    struct {
        char key[UI_STRINGS_KEY_MAX];
        char text[UI_STRINGS_TEXT_MAX];
    } entry[UI_STRINGS_MAX];
};

/* Parses a strings file. Returns: 0, or -EINVAL with one line in err
 * ("FILE:LINE: what is wrong"): a line without '=', an empty key, a key
 * given twice, text that is too long or not UTF-8, too many keys. */
int ui_strings_parse(struct ui_strings *s, const char *text, size_t len, const char *filename,
                     char *err, size_t errlen);

/* Returns: the text of key, or the key itself (visible on screen, so a
 * missing text is noticed, not silent). */
const char *ui_strings_get(const struct ui_strings *s, const char *key);

/* One {name} and its value. */
struct ui_var {
    const char *name;
    const char *value;
};

/* Copies template into out, replacing each {name} by its value; an unknown
 * {name} is kept as it is. Always NUL-terminates (truncates at a UTF-8
 * boundary). */
void ui_format(char *out, size_t outlen, const char *template_text, const struct ui_var *vars,
               size_t n_vars);

#endif
