/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "qr.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

int ui_qr_encode(struct ui_frame *f, const char *text)
{
    QRcode *code;

    f->qr_side = 0;
    if (!text || !*text)
        return -EINVAL;
    errno = 0;
    code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code)
        return errno == ENOMEM ? -ENOMEM : -EINVAL;
    if (code->width > UI_QR_MAX_SIDE) {
        QRcode_free(code);
        return -EINVAL;
    }
    memset(f->qr, 0, sizeof(f->qr));
    for (int y = 0; y < code->width; y++)
        for (int x = 0; x < code->width; x++)
            if (code->data[y * code->width + x] & 1) {
                size_t bit = (size_t)y * (size_t)code->width + (size_t)x;
                f->qr[bit / 8] |= (uint8_t)(1u << (bit % 8));
            }
    f->qr_side = code->width;
    QRcode_free(code);
    return 0;
}
