/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_snprintf() and bpf_trace_vprintk(): the kernel's formats
 * (bprintf.c) with arguments in an array of u64, at most 12.
 */

#include <errno.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"
#include "bprintf.h"

/* What the kernel formats a trace_vprintk message into (MAX_BPRINTF_BUF). */
#define VPRINTK_BUF 1024

/* data_len: a multiple of 8, at most 12 arguments, data given if any. */
static int
arg_count(uint64_t data, uint32_t data_len, unsigned int *n)
{
	if (data_len % 8 != 0 ||
	    data_len > UXDP_BPRINTF_MAX_ARGS * 8 ||
	    (data_len != 0 && data == 0))
		return -EINVAL;
	*n = data_len / 8;
	return 0;
}

/* bpf_snprintf(str, str_size, fmt, data, data_len): the length of the
 * whole text including its NUL, even when str_size truncated it. The
 * kernel verifier requires fmt in read-only map memory and checks it at
 * load time; uxdp checks it at each call (same -EINVAL). */
UXDP_HELPER(snprintf)
{
	unsigned int n;
	int ret;

	ret = arg_count(r4, (uint32_t)r5, &n);
	/* str may be NULL only with size 0 (the kernel verifier's rule). */
	if (ret == 0)
		ret = uxdp_bprintf((char *)(uintptr_t)r1, r1 != 0 ? (uint32_t)r2 : 0,
				   (const char *)(uintptr_t)r3, UINT32_MAX,
				   (const uint64_t *)(uintptr_t)r4, n);
	return ret < 0 ? uxdp_helper_errno(-ret) : (uint64_t)ret + 1;
}

/* bpf_trace_vprintk(fmt, fmt_size, data, data_len): prints to the log
 * and returns the length of the message (without NUL). */
UXDP_HELPER(trace_vprintk)
{
	char buf[VPRINTK_BUF];
	unsigned int n;
	int ret;

	ret = arg_count(r3, (uint32_t)r4, &n);
	if (ret == 0)
		ret = uxdp_bprintf(buf, sizeof(buf),
				   (const char *)(uintptr_t)r1, (uint32_t)r2,
				   (const uint64_t *)(uintptr_t)r3, n);
	if (ret < 0)
		return uxdp_helper_errno(-ret);
	uxdp_printk_log("bpf_trace_vprintk", buf);
	return ret;
}
