/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#include <stdio.h>

#include "uxdp_bpf_internal.h"

int
uxdp_set_err(char *err, size_t err_len, int code, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && err_len > 0) {
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	/* Callers pass a positive errno; tolerate a negative one too. */
	return code > 0 ? -code : code;
}
