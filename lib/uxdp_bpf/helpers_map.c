/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Map helpers. r1 is the struct uxdp_map pointer the loader's relocation
 * put into the program's ld_imm64; the maps library implements the
 * kernel semantics.
 */

#include <errno.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

static struct uxdp_map *
map_arg(uint64_t r)
{
	return (struct uxdp_map *)(uintptr_t)r;
}

/* Maps whose values are ids: the kernel verifier lets programs only look
 * maps of maps up and only tail-call through prog arrays; uxdp refuses
 * the other calls when they run. */
static bool
holds_ids(struct uxdp_map *map)
{
	const struct uxdp_map_def *def = uxdp_map_get_def(map);

	return def != NULL && (def->type == BPF_MAP_TYPE_PROG_ARRAY ||
			       def->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
			       def->type == BPF_MAP_TYPE_HASH_OF_MAPS);
}

/* bpf_map_lookup_elem(map, key): pointer to the value, or NULL. On a map
 * of maps it is the inner map itself (uxdp_map_lookup() returns it, as the
 * kernel's lookup does), which the program passes to further map calls. */
UXDP_HELPER(map_lookup_elem)
{
	return (uintptr_t)uxdp_map_lookup(map_arg(r1),
					  (const void *)(uintptr_t)r2);
}

/* bpf_map_update_elem(map, key, value, flags): 0 or -errno. */
UXDP_HELPER(map_update_elem)
{
	if (holds_ids(map_arg(r1)))
		return uxdp_helper_errno(EINVAL);
	/* The program's update: on per-CPU maps, its lcore's slot only. */
	return (uint64_t)(int64_t)uxdp_map_update_prog(map_arg(r1),
						  (const void *)(uintptr_t)r2,
						  (const void *)(uintptr_t)r3,
						  r4);
}

/* bpf_map_delete_elem(map, key): 0 or -errno. */
UXDP_HELPER(map_delete_elem)
{
	if (holds_ids(map_arg(r1)))
		return uxdp_helper_errno(EINVAL);
	return (uint64_t)(int64_t)uxdp_map_delete(map_arg(r1),
						  (const void *)(uintptr_t)r2);
}
