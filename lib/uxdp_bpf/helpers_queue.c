/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Helpers of the keyless maps (QUEUE, STACK, BLOOM_FILTER) and the per-CPU
 * lookup of another CPU's slot. The maps library implements the kernel
 * semantics; a map of another type gets the error the library gives.
 */

#include "uxdp_bpf_internal.h"
#include "helpers.h"

static struct uxdp_map *
map_arg(uint64_t r)
{
	return (struct uxdp_map *)(uintptr_t)r;
}

/* bpf_map_push_elem(map, value, flags): 0 or -errno. */
UXDP_HELPER(map_push_elem)
{
	return (uint64_t)(int64_t)uxdp_map_push(map_arg(r1),
						(const void *)(uintptr_t)r2,
						r3);
}

/* bpf_map_pop_elem(map, value): 0 or -errno. */
UXDP_HELPER(map_pop_elem)
{
	return (uint64_t)(int64_t)uxdp_map_pop(map_arg(r1),
					       (void *)(uintptr_t)r2);
}

/* bpf_map_peek_elem(map, value): 0 or -errno. */
UXDP_HELPER(map_peek_elem)
{
	return (uint64_t)(int64_t)uxdp_map_peek(map_arg(r1),
						(void *)(uintptr_t)r2);
}

/* bpf_map_lookup_percpu_elem(map, key, cpu): slot cpu, or NULL. */
UXDP_HELPER(map_lookup_percpu_elem)
{
	return (uintptr_t)uxdp_map_lookup_percpu(map_arg(r1),
						 (const void *)(uintptr_t)r2,
						 (uint32_t)r3);
}
