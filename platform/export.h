/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The export for the stick: a new folder per export (site, range, time) with
 * the visits, the reports, the signing key and last a MANIFEST.sha256 that
 * `sha256sum -c` accepts, signed with the kiosk's Ed25519 key. The folder is
 * built under a hidden temporary name and renamed only once everything in it
 * has been synced and read back: a stick pulled mid-export leaves no folder
 * under a final name that fails verification. */
#ifndef BZ_EXPORT_H
#define BZ_EXPORT_H

#include "device_key.h"

#include "kiosk/config.h"
#include "kiosk/store.h"

#include <stddef.h>
#include <stdint.h>

#define EXPORT_MANIFEST  "MANIFEST.sha256"
#define EXPORT_SIGNATURE "MANIFEST.sha256.sig"
#define EXPORT_PUBKEY    "signing-key.pub"
#define EXPORT_VISITS    "visits.csv"

struct export_request {
    const char *to_dir;          /* the stick's mount point (it must exist) */
    int64_t from_day, until_day; /* Vietnam-local days, inclusive */
    int64_t now_ms;              /* names the folder */
    /* For the admin screen's progress bar: percent 0..100, what is being done. */
    void (*progress)(int percent, const char *what, void *userdata);
    void *userdata;
};

/* Writes and verifies one export. On success the folder's path is in
 * out_dir. Returns: 0, or -errno with one line in err (-ENOSPC: the stick is
 * full; nothing is left under a final name). */
int export_write(struct store *s, const struct device_key *k, const struct export_request *req,
                 char *out_dir, size_t out_len, char *err, size_t errlen);

/* Checks a folder against its manifest and signature: the signature over
 * the manifest, every listed file's SHA-256, and no unlisted file. With
 * expected_pk (32 bytes, may be NULL) the signer must be that kiosk.
 * Returns: the number of files checked, or -errno with one line in err. */
int export_verify(const char *dir, const uint8_t *expected_pk, char *signer_hex, size_t hexlen,
                  char *err, size_t errlen);

/* The visits CSV (INTERFACES.md): UTF-8 with BOM, RFC 4180, CRLF. */
int export_visits_csv(struct store *s, int64_t from_day, int64_t until_day, FILE *out);

#endif
