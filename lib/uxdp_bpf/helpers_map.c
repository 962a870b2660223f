/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Map helpers. r1 is the struct uxdp_map pointer the loader's relocation
 * put into the program's ld_imm64; the maps library implements the
 * kernel semantics.
 */

#include "uxdp_bpf_internal.h"
#include "helpers.h"

static struct uxdp_map *
map_arg(uint64_t r)
{
	return (struct uxdp_map *)(uintptr_t)r;
}

/* bpf_map_lookup_elem(map, key): pointer to the value, or NULL. */
UXDP_HELPER(map_lookup_elem)
{
	return (uintptr_t)uxdp_map_lookup(map_arg(r1),
					  (const void *)(uintptr_t)r2);
}

/* bpf_map_update_elem(map, key, value, flags): 0 or -errno. */
UXDP_HELPER(map_update_elem)
{
	return (uint64_t)(int64_t)uxdp_map_update(map_arg(r1),
						  (const void *)(uintptr_t)r2,
						  (const void *)(uintptr_t)r3,
						  r4);
}

/* bpf_map_delete_elem(map, key): 0 or -errno. */
UXDP_HELPER(map_delete_elem)
{
	return (uint64_t)(int64_t)uxdp_map_delete(map_arg(r1),
						  (const void *)(uintptr_t)r2);
}
