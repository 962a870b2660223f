/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_loop (181) and bpf_for_each_map_elem (164), as the kernel's helpers
 * define them:
 *  - flags other than 0: -EINVAL, before anything else;
 *  - bpf_loop takes nr_loops as a u32 (the upper half of r1 is ignored),
 *    refuses more than 1 << 23 with -E2BIG, calls callback(i, ctx) for
 *    i = 0.. and stops after a call that returns nonzero: it returns the
 *    number of calls made, the stopping one included; where the kernel
 *    inlines the call (flags a known 0), its inlined form's edges
 *    (callback.h, UXDP_LOOP_INLINED);
 *  - bpf_for_each_map_elem calls callback(map, key, value, ctx): arrays
 *    for every index in order, with key pointing at a u32 copy of the
 *    index (the kernel's is on its own stack too) and value at the
 *    element (for a per-CPU array, this CPU's copy); hash maps bucket by
 *    bucket, each chain in order, key and value pointing into the
 *    element (per-CPU: this CPU's value). It returns the elements
 *    visited, the stopping one included.
 * The callback may update or delete elements: a deleted hash element
 * keeps its chain link (map_hash_core.h), so the walk goes on from it,
 * as the kernel's RCU walk does. An element that moves to another bucket
 * while the walk stands on it ends that bucket's walk early.
 *
 * The engines never call the helper table's entries for these two: each
 * passes its own callback runner (interp.c, jit_callback.c). The table
 * entries exist for the checks (argument count) and abort if reached.
 */

#include <errno.h>

#include "uxdp_map.h"
#include "uxdp_map_impl.h"
#include "map_hash_core.h"
#include "uxdp_bpf_internal.h"
#include "run_state.h"
#include "callback.h"
#include "helpers.h"

uint64_t
uxdp_callback_loop(struct uxdp_callback *cb, uint64_t nr_loops,
		   uint64_t callback_ctx, uint64_t flags, bool inlined)
{
	uint32_t n = (uint32_t)nr_loops;
	uint32_t i;

	if (inlined) {
		if (nr_loops > UXDP_MAX_LOOPS)
			return (uint32_t)-E2BIG;
	} else {
		if (flags != 0)
			return uxdp_helper_errno(EINVAL);
		if (n > UXDP_MAX_LOOPS)
			return uxdp_helper_errno(E2BIG);
	}
	for (i = 0; i < n; i++) {
		uint64_t ret = cb->invoke(cb, i, callback_ctx, 0, 0, 0);

		if (cb->ended)
			return 0;
		if (ret != 0)
			return (uint64_t)i + 1;
	}
	return i;
}

static uint64_t
for_each_array(struct uxdp_callback *cb, struct uxdp_map *map,
	       uint64_t callback_ctx)
{
	uint32_t max = uxdp_map_get_def(map)->max_entries;
	uint64_t visited = 0;
	uint32_t i;

	uintptr_t outer_key = uxdp_run_state.sb_cb_key;

	for (i = 0; i < max; i++) {
		uint32_t key = i;
		void *value = uxdp_map_lookup(map, &key);
		uint64_t ret;

		visited++;
		/* The key is on this C stack: tell the sandbox (sandbox.c)
		 * that the callback may read it. */
		uxdp_run_state.sb_cb_key = (uintptr_t)&key;
		ret = cb->invoke(cb, (uintptr_t)map, (uintptr_t)&key,
				 (uintptr_t)value, callback_ctx, 0);
		if (cb->ended || ret != 0)
			break;
	}
	uxdp_run_state.sb_cb_key = outer_key;
	return visited;
}

static uint64_t
for_each_hash(struct uxdp_callback *cb, struct uxdp_map *map,
	      uint64_t callback_ctx)
{
	const struct uxdp_hash_layout *h = &map->u.hash;
	uint32_t cpu = h->n_slots > 1 ? uxdp_map_this_cpu() : 0;
	uint64_t visited = 0;
	uint32_t b, link;

	for (b = 0; b < h->n_buckets; b++) {
		for (link = load_link(hash_bucket_head(h, map, b));
		     !link_is_end(link);) {
			struct hash_elem *e = hash_elem_at(h, map, link >> 1);
			uint64_t ret;

			visited++;
			ret = cb->invoke(cb, (uintptr_t)map,
					 (uintptr_t)e->key,
					 (uintptr_t)hash_elem_slot(h, e, cpu),
					 callback_ctx, 0);
			if (cb->ended || ret != 0)
				return visited;
			link = load_link(&e->next);
		}
	}
	return visited;
}

uint64_t
uxdp_callback_for_each(struct uxdp_callback *cb, struct uxdp_map *map,
		       uint64_t callback_ctx, uint64_t flags)
{
	if (flags != 0)
		return uxdp_helper_errno(EINVAL);
	switch (uxdp_map_get_def(map)->type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return for_each_array(cb, map, callback_ctx);
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return for_each_hash(cb, map, callback_ctx);
	default: /* the checks refuse other types at load */
		return uxdp_helper_errno(EINVAL);
	}
}

/* Table entries: the engines handle both calls themselves. Reaching
 * these means a caller ran the table directly; end like an unknown
 * helper would, with an error rather than a call to nowhere. */
UXDP_HELPER(loop)
{
	(void)r1; (void)r2; (void)r3; (void)r4; (void)r5;
	return uxdp_helper_errno(EOPNOTSUPP);
}

UXDP_HELPER(for_each_map_elem)
{
	(void)r1; (void)r2; (void)r3; (void)r4; (void)r5;
	return uxdp_helper_errno(EOPNOTSUPP);
}
