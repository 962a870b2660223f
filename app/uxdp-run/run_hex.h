/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef RUN_HEX_H
#define RUN_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Print len bytes as lowercase hex, memory order, no separators. */
void run_hex_print(FILE *f, const uint8_t *bytes, size_t len);

/*
 * Parse hex text (either case; whitespace between digits is ignored) into
 * a new buffer the caller frees; *len may be 0. -EINVAL for an odd number
 * of digits or a character that is not a hex digit, -ENOMEM.
 */
int run_hex_decode(const char *text, uint8_t **bytes, size_t *len);

#endif /* RUN_HEX_H */
