/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_trace_printk(fmt, fmt_size, a1, a2, a3): the kernel's BPF formats
 * (bprintf.c: %d %i %u %x %X with l/ll, %c, %s, %p and its kernel forms,
 * %pI4 and friends, flags and widths), at most 3 conversions, printed on
 * the "uxdp.bpf" log type (printk_log.c, rate limited) instead of the
 * kernel's trace pipe. A format without a NUL within fmt_size, with more
 * conversions than 3 or with anything the kernel refuses gives -EINVAL.
 * Returns the length of the formatted message, as the kernel does.
 */

#include <errno.h>

#include <rte_log.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"
#include "bprintf.h"

RTE_LOG_REGISTER(uxdp_bpf_logtype, uxdp.bpf, INFO);

#define PRINTK_MAX_ARGS 3
#define PRINTK_BUF 1024 /* the kernel formats into 1 KiB as well */

UXDP_HELPER(trace_printk)
{
	uint64_t args[PRINTK_MAX_ARGS] = { r3, r4, r5 };
	char buf[PRINTK_BUF];
	int ret;

	ret = uxdp_bprintf(buf, sizeof(buf), (const char *)(uintptr_t)r1,
			   (uint32_t)r2, args, PRINTK_MAX_ARGS);
	if (ret < 0)
		return uxdp_helper_errno(-ret);
	uxdp_printk_log("bpf_trace_printk", buf);
	return ret;
}
