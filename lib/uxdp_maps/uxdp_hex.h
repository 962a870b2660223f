/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_HEX_H
#define UXDP_HEX_H

/**
 * @file
 * Hex text of keys and values (memory byte order), as devargs, telemetry,
 * uxdp-run and uxdp-ctl take them: one decoder for all of them. Header
 * only, so that tools linking nothing of uxdp (the kernel oracle's
 * const_text) read hex exactly as uxdp does.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

/** The value of a hex digit (either case), -1 for any other character. */
static inline int
uxdp_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * Decode the n characters at text, pairs of hex digits, into out (NULL:
 * only count), at most max bytes. Returns the number of bytes; -EINVAL
 * when n is 0 or odd or a character is not a hex digit (nothing is
 * written past the bad pair), -E2BIG when there are more than max bytes.
 */
static inline long
uxdp_hex_decode(const char *text, size_t n, uint8_t *out, size_t max)
{
	size_t i;

	if (n == 0 || n % 2 != 0)
		return -EINVAL;
	for (i = 0; i < n; i += 2) {
		int hi = uxdp_hex_digit(text[i]), lo = uxdp_hex_digit(text[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (i / 2 == max)
			return -E2BIG;
		if (out != NULL)
			out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

#endif /* UXDP_HEX_H */
