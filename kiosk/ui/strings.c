/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "strings.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool utf8_valid(const unsigned char *p, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned c = p[i];
        size_t extra;
        if (c < 0x80)
            extra = 0;
        else if ((c & 0xE0) == 0xC0 && c >= 0xC2)
            extra = 1;
        else if ((c & 0xF0) == 0xE0)
            extra = 2;
        else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
            extra = 3;
        else
            return false;
        if (i + extra >= n)
            return false;
        for (size_t k = 1; k <= extra; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        i += extra + 1;
    }
    return true;
}

static void trim(const char **b, const char **e)
{
    while (*b < *e && (**b == ' ' || **b == '\t'))
        (*b)++;
    while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
        (*e)--;
}

int ui_strings_parse(struct ui_strings *s, const char *text, size_t len, const char *filename,
                     char *err, size_t errlen)
{
    const char *p = text, *end = text + len;
    unsigned line = 0;

    s->n = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *kb = p, *ke, *vb, *ve, *eq;
        size_t klen, vlen;

        line++;
        p = nl ? nl + 1 : end;
        trim(&kb, &le);
        if (kb == le || *kb == '#')
            continue;
        eq = memchr(kb, '=', (size_t)(le - kb));
        if (!eq) {
            snprintf(err, errlen, "%s:%u: no '=' (lines are: key = text)", filename, line);
            return -EINVAL;
        }
        ke = eq;
        vb = eq + 1;
        ve = le;
        trim(&kb, &ke);
        trim(&vb, &ve);
        klen = (size_t)(ke - kb);
        vlen = (size_t)(ve - vb);
        if (klen == 0 || klen >= UI_STRINGS_KEY_MAX) {
            snprintf(err, errlen, "%s:%u: the key is empty or longer than %d bytes", filename, line,
                     UI_STRINGS_KEY_MAX - 1);
            return -EINVAL;
        }
        if (vlen >= UI_STRINGS_TEXT_MAX) {
            snprintf(err, errlen, "%s:%u: the text is longer than %d bytes", filename, line,
                     UI_STRINGS_TEXT_MAX - 1);
            return -EINVAL;
        }
        if (!utf8_valid((const unsigned char *)vb, vlen)) {
            snprintf(err, errlen, "%s:%u: the text is not UTF-8", filename, line);
            return -EINVAL;
        }
        if (s->n >= UI_STRINGS_MAX) {
            snprintf(err, errlen, "%s:%u: more than %d texts", filename, line, UI_STRINGS_MAX);
            return -EINVAL;
        }
        memcpy(s->entry[s->n].key, kb, klen);
        s->entry[s->n].key[klen] = '\0';
        for (size_t i = 0; i < s->n; i++)
            if (strcmp(s->entry[i].key, s->entry[s->n].key) == 0) {
                snprintf(err, errlen, "%s:%u: key '%s' is given twice", filename, line,
                         s->entry[i].key);
                return -EINVAL;
            }
        memcpy(s->entry[s->n].text, vb, vlen);
        s->entry[s->n].text[vlen] = '\0';
        s->n++;
    }
    return 0;
}

const char *ui_strings_get(const struct ui_strings *s, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->entry[i].key, key) == 0)
            return s->entry[i].text;
    return key;
}

/* Appends n bytes of src, cutting at a UTF-8 character boundary when full. */
static void append(char *out, size_t outlen, size_t *used, const char *src, size_t n)
{
    size_t room = outlen - 1 - *used;

    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out + *used, src, n);
    *used += n;
    out[*used] = '\0';
}

void ui_format(char *out, size_t outlen, const char *template_text, const struct ui_var *vars,
               size_t n_vars)
{
    const char *p = template_text;
    size_t used = 0;

    if (outlen == 0)
        return;
    out[0] = '\0';
    while (*p) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        const struct ui_var *var = NULL;

        if (!open || !close) {
            append(out, outlen, &used, p, strlen(p));
            return;
        }
        append(out, outlen, &used, p, (size_t)(open - p));
        for (size_t i = 0; i < n_vars; i++)
            if (strlen(vars[i].name) == (size_t)(close - open - 1) &&
                strncmp(vars[i].name, open + 1, (size_t)(close - open - 1)) == 0)
                var = &vars[i];
        if (var)
            append(out, outlen, &used, var->value, strlen(var->value));
        else
            append(out, outlen, &used, open, (size_t)(close - open + 1));
        p = close + 1;
    }
}
