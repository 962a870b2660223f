/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run_hex.h"
#include "uxdp_hex.h"

void
run_hex_print(FILE *f, const uint8_t *bytes, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		fputc(digits[bytes[i] >> 4], f);
		fputc(digits[bytes[i] & 0xf], f);
	}
}

int
run_hex_decode(const char *text, uint8_t **bytes, size_t *len)
{
	size_t n_digits = 0, i;
	uint8_t *buf;
	const char *p;
	int v;

	for (p = text; *p != '\0'; p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (uxdp_hex_digit(*p) < 0)
			return -EINVAL;
		n_digits++;
	}
	if (n_digits % 2 != 0)
		return -EINVAL;

	/* at least one byte, so that an empty packet still has a buffer */
	buf = malloc(n_digits / 2 + 1);
	if (buf == NULL)
		return -ENOMEM;
	i = 0;
	for (p = text; *p != '\0'; p++) {
		v = uxdp_hex_digit(*p);
		if (v < 0)
			continue;
		if (i % 2 == 0)
			buf[i / 2] = v << 4;
		else
			buf[i / 2] |= v;
		i++;
	}
	*bytes = buf;
	*len = n_digits / 2;
	return 0;
}
