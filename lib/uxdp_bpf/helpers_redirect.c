/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_redirect(ifindex, flags) and bpf_redirect_map(map, key, flags) for
 * XDP, with the kernel's return values. Like the kernel, the helpers only
 * record the target (the kernel's per-CPU bpf_redirect_info); whoever ran
 * the program resolves and sends once it returned XDP_REDIRECT
 * (xdp_do_redirect()). The record lives in the run's own struct
 * uxdp_xdp_buff, which uxdp_prog_run_r0() publishes to these helpers
 * through a thread-local pointer: the helpers get no ctx argument, and
 * lcores run concurrently, each with its own buff.
 *
 * Kernel rules kept: bpf_redirect() with any flag is XDP_ABORTED;
 * bpf_redirect_map() takes its lookup-failure verdict from the low bits
 * of flags (XDP_ABORTED..XDP_TX), accepts BPF_F_BROADCAST and
 * BPF_F_EXCLUDE_INGRESS on devmaps, and is XDP_ABORTED with any other
 * flag. A failed lookup leaves the ifindex redirect to tgt_index armed, as
 * the kernel's map_id = INT_MAX does; a broadcast is XDP_REDIRECT whether
 * or not the key exists.
 *
 * A devmap entry may carry a devmap program (map_devmap.c stores its id):
 * like the kernel, which takes the entry's device and program together,
 * the record gets both here, the program as its id (resolving it is left
 * to the sender, once per stage rather than once per frame), and the
 * sender runs it before transmit. A broadcast reads each entry's program
 * as it sends.
 */

#include <string.h>
#include <linux/bpf.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"
#include "run_state.h"

#ifndef BPF_F_BROADCAST
#define BPF_F_BROADCAST (1ULL << 3)
#endif
#ifndef BPF_F_EXCLUDE_INGRESS
#define BPF_F_EXCLUDE_INGRESS (1ULL << 4)
#endif

/* The verdicts a failed lookup may return: XDP_ABORTED..XDP_TX. */
#define ACTION_MASK 3ULL
#define DEVMAP_FLAGS (BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS)

/* The record of the current run; a scratch one outside uxdp_prog_run()
 * (tests calling an engine directly), so the helpers always work. */
static struct uxdp_redirect *
current(void)
{
	static __thread struct uxdp_redirect scratch;
	struct uxdp_xdp_buff *buff = uxdp_run_state.buff;

	return buff != NULL ? &buff->redirect : &scratch;
}

UXDP_HELPER(redirect)
{
	struct uxdp_redirect *ri;

	if (r2 != 0)
		return UXDP_ABORTED;
	ri = current();
	ri->kind = UXDP_REDIRECT_IFINDEX;
	ri->ifindex = (uint32_t)r1;
	ri->tgt_index = (uint32_t)r1;
	ri->map = NULL;
	ri->flags = 0;
	ri->prog_id = 0;
	return UXDP_REDIRECT;
}

/* The ifindex and program id of a devmap entry: both DEVMAP and
 * DEVMAP_HASH store them as {ifindex, id} whatever their value_size. */
static uint32_t
entry_word(const void *value, unsigned int i)
{
	uint32_t w;

	memcpy(&w, (const uint32_t *)value + i, sizeof(w));
	return w;
}

UXDP_HELPER(redirect_map)
{
	struct uxdp_map *map = (struct uxdp_map *)(uintptr_t)r1;
	const struct uxdp_map_def *def = uxdp_map_get_def(map);
	uint32_t key = (uint32_t)r2;
	uint64_t flags = r3;
	struct uxdp_redirect *ri;
	const void *value;

	/* The kernel verifier lets only devmaps, cpumaps and xskmaps reach
	 * this helper; uxdp has devmaps only. */
	if (def == NULL || (def->type != BPF_MAP_TYPE_DEVMAP &&
			    def->type != BPF_MAP_TYPE_DEVMAP_HASH))
		return UXDP_ABORTED;
	if ((flags & ~(ACTION_MASK | DEVMAP_FLAGS)) != 0)
		return UXDP_ABORTED;
	ri = current();
	value = uxdp_map_lookup(map, &key);
	if (value == NULL && (flags & BPF_F_BROADCAST) == 0) {
		/* The last call wins: a failed one clears the map target. */
		ri->kind = UXDP_REDIRECT_IFINDEX;
		ri->ifindex = ri->tgt_index;
		ri->map = NULL;
		ri->flags = 0;
		ri->prog_id = 0;
		return flags & ACTION_MASK;
	}
	ri->tgt_index = key;
	if (flags & BPF_F_BROADCAST) {
		ri->kind = UXDP_REDIRECT_MULTI;
		ri->map = map;
		ri->ifindex = 0;
		ri->flags = (uint32_t)(flags & BPF_F_EXCLUDE_INGRESS);
		ri->prog_id = 0;
	} else {
		/* Copy the target now: the kernel holds the entry's device
		 * from here on, so a later update cannot change it. */
		ri->kind = UXDP_REDIRECT_DEVMAP;
		ri->ifindex = entry_word(value, 0);
		ri->map = NULL;
		ri->flags = 0;
		ri->prog_id = entry_word(value, 1);
	}
	return UXDP_REDIRECT;
}
