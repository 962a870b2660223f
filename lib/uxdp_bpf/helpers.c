/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The helpers uxdp provides, indexed by their BPF_FUNC_* id from the uapi
 * header so that the ids cannot drift from the kernel's.
 */

#include <rte_common.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

#define HELPER(fname, args) \
	[BPF_FUNC_##fname] = { \
		.id = BPF_FUNC_##fname, \
		.name = "bpf_" #fname, \
		.n_args = (args), \
		.fn = uxdp_helper_##fname, \
	}

static const struct uxdp_helper_desc helper_table[] = {
	HELPER(map_lookup_elem, 2),
	HELPER(map_update_elem, 4),
	HELPER(map_delete_elem, 2),
	HELPER(ktime_get_ns, 0),
	HELPER(trace_printk, 5),
	HELPER(get_prandom_u32, 0),
	HELPER(get_smp_processor_id, 0),
	HELPER(csum_diff, 5),
	HELPER(xdp_adjust_head, 2),
	HELPER(redirect, 2),
	HELPER(redirect_map, 3),
	HELPER(xdp_adjust_meta, 2),
	HELPER(xdp_adjust_tail, 2),
	HELPER(ktime_get_boot_ns, 0),
	HELPER(ktime_get_coarse_ns, 0),
	HELPER(xdp_get_buff_len, 1),
	HELPER(map_push_elem, 3),
	HELPER(map_pop_elem, 2),
	HELPER(map_peek_elem, 2),
	HELPER(map_lookup_percpu_elem, 3),
	HELPER(ringbuf_output, 4),
	HELPER(ringbuf_reserve, 3),
	HELPER(ringbuf_submit, 2),
	HELPER(ringbuf_discard, 2),
	HELPER(ringbuf_query, 2),
	HELPER(perf_event_output, 5),
	HELPER(jiffies64, 0),
	HELPER(get_numa_node_id, 0),
	HELPER(xdp_load_bytes, 4),
	HELPER(xdp_store_bytes, 4),
	HELPER(check_mtu, 5),
	HELPER(spin_lock, 1),
	HELPER(spin_unlock, 1),
	HELPER(strncmp, 3),
	HELPER(snprintf, 5),
	HELPER(trace_vprintk, 4),
	HELPER(probe_read_kernel, 3),
	HELPER(loop, 4),
	HELPER(for_each_map_elem, 4),
};

const struct uxdp_helper_desc *
uxdp_helper_get(uint32_t id)
{
	if (id >= RTE_DIM(helper_table) || helper_table[id].fn == NULL)
		return NULL;
	return &helper_table[id];
}
