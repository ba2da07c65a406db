/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef BZ_VERSION_H
#define BZ_VERSION_H

/* "0.1.0" */
extern const char bz_version[];
/* The git revision the binary was built from ("3f2a9c1", "3f2a9c1-dirty"), or "unknown". */
extern const char bz_revision[];

#endif
