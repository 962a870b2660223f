/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_HELPERS_H
#define UXDP_HELPERS_H

/*
 * The helper functions behind the table of helpers.c. Each takes r1..r5
 * and returns r0; errors are negative errno values in two's complement,
 * as the kernel returns them.
 */

#include <stdint.h>

#define UXDP_HELPER(name) \
	uint64_t uxdp_helper_##name(uint64_t r1, uint64_t r2, uint64_t r3, \
				    uint64_t r4, uint64_t r5)

/* helpers_map.c */
UXDP_HELPER(map_lookup_elem);
UXDP_HELPER(map_update_elem);
UXDP_HELPER(map_delete_elem);

/* helpers_queue.c: keyless maps and per-CPU lookups */
UXDP_HELPER(map_push_elem);
UXDP_HELPER(map_pop_elem);
UXDP_HELPER(map_peek_elem);
UXDP_HELPER(map_lookup_percpu_elem);

/* helpers_ringbuf.c: ring buffers and perf event arrays */
UXDP_HELPER(ringbuf_output);
UXDP_HELPER(ringbuf_reserve);
UXDP_HELPER(ringbuf_submit);
UXDP_HELPER(ringbuf_discard);
UXDP_HELPER(ringbuf_query);
UXDP_HELPER(perf_event_output);

/* helpers_misc.c */
UXDP_HELPER(ktime_get_ns);
UXDP_HELPER(ktime_get_boot_ns);
UXDP_HELPER(ktime_get_coarse_ns);
UXDP_HELPER(get_prandom_u32);
UXDP_HELPER(get_smp_processor_id);
UXDP_HELPER(csum_diff);

/* helpers_printk.c */
UXDP_HELPER(trace_printk);

/* helpers_redirect.c */
UXDP_HELPER(redirect);
UXDP_HELPER(redirect_map);

/* helpers_xdp.c */
UXDP_HELPER(xdp_adjust_head);
UXDP_HELPER(xdp_adjust_meta);
UXDP_HELPER(xdp_adjust_tail);
UXDP_HELPER(xdp_get_buff_len);

/* helpers_bytes.c, helpers_mtu.c */
UXDP_HELPER(xdp_load_bytes);
UXDP_HELPER(xdp_store_bytes);
UXDP_HELPER(check_mtu);

/* helpers_sys.c */
UXDP_HELPER(jiffies64);
UXDP_HELPER(get_numa_node_id);

/* helpers_lock.c, helpers_str.c, helpers_probe.c */
UXDP_HELPER(spin_lock);
UXDP_HELPER(spin_unlock);
UXDP_HELPER(strncmp);
UXDP_HELPER(probe_read_kernel);

/* helpers_bprintf.c */
UXDP_HELPER(snprintf);
UXDP_HELPER(trace_vprintk);

/* helpers_callback.c: never called by the engines (callback.h) */
UXDP_HELPER(loop);
UXDP_HELPER(for_each_map_elem);

/* -errno as a helper's 64-bit return value. */
static inline uint64_t
uxdp_helper_errno(int err)
{
	return (uint64_t)(int64_t)-err;
}

#endif /* UXDP_HELPERS_H */
