/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_jiffies64() and bpf_get_numa_node_id(): kernel clocks and topology
 * as a userspace process can see them.
 */

#include <sched.h>
#include <time.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

/*
 * jiffies64: the kernel's tick counter. CLOCK_MONOTONIC_COARSE advances
 * once a tick and its resolution is the tick length (1 s / CONFIG_HZ), so
 * ticks since boot are its value divided by its resolution. The kernel
 * starts the counter at INITIAL_JIFFIES, 300 s worth of ticks before
 * 2^32 (to catch 32-bit wrap bugs early): add the same so that values
 * compare with the kernel's (test_helpers_sys checks they agree).
 */
UXDP_HELPER(jiffies64)
{
	static uint64_t cached; /* every thread computes the same value */
	uint64_t ns, hz, tick_ns = __atomic_load_n(&cached, __ATOMIC_RELAXED);
	struct timespec ts;

	if (tick_ns == 0) {
		if (clock_getres(CLOCK_MONOTONIC_COARSE, &ts) != 0 ||
		    ts.tv_sec != 0 || ts.tv_nsec == 0)
			ts.tv_nsec = 1000000; /* HZ=1000 if it cannot tell */
		tick_ns = ts.tv_nsec;
		__atomic_store_n(&cached, tick_ns, __ATOMIC_RELAXED);
	}
	hz = 1000000000ull / tick_ns;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	ns = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	return ((1ull << 32) - 300 * hz) + ns / tick_ns;
}

/* bpf_get_numa_node_id(): the node of the CPU running the program, as
 * the kernel's numa_node_id(); getcpu() reads it from the vDSO. */
UXDP_HELPER(get_numa_node_id)
{
	unsigned int cpu, node;

	if (getcpu(&cpu, &node) != 0)
		return 0;
	return node;
}
