/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Where the printing helpers' messages go: the "uxdp.bpf" log type at
 * INFO, one line each. A program printing per packet would otherwise
 * flood the log at line rate (the kernel's trace pipe is a ring that
 * overwrites; a DPDK log is a file or a terminal): each thread prints at
 * most UXDP_PRINTK_BURST lines a second and then says how many it
 * dropped when the next second begins.
 */

#include <string.h>
#include <time.h>

#include <rte_log.h>

#include "uxdp_bpf_internal.h"

#define UXDP_PRINTK_BURST 100

static __thread uint64_t window_start; /* seconds of CLOCK_MONOTONIC_COARSE */
static __thread unsigned int window_lines;
static __thread uint64_t suppressed;

void
uxdp_printk_log(const char *helper, const char *msg)
{
	struct timespec ts;
	size_t len = strlen(msg);

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	if ((uint64_t)ts.tv_sec != window_start) {
		if (suppressed > 0)
			rte_log(RTE_LOG_INFO, uxdp_bpf_logtype,
				"%s: %llu messages suppressed\n", helper,
				(unsigned long long)suppressed);
		window_start = ts.tv_sec;
		window_lines = 0;
		suppressed = 0;
	}
	if (window_lines >= UXDP_PRINTK_BURST) {
		suppressed++;
		return;
	}
	window_lines++;
	rte_log(RTE_LOG_INFO, uxdp_bpf_logtype, "%s: %s%s", helper, msg,
		len > 0 && msg[len - 1] == '\n' ? "" : "\n");
}
