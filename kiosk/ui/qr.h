/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The install link as a QR code (libqrencode), stored in a frame. */
#ifndef BZ_UI_QR_H
#define BZ_UI_QR_H

#include "frame.h"

/* Encodes text (error correction M: a scratched or glaring screen still
 * scans) into f->qr. Returns: 0, or -EINVAL when it cannot be encoded
 * (empty, or too long for a QR code), -ENOMEM. */
int ui_qr_encode(struct ui_frame *f, const char *text);

#endif
