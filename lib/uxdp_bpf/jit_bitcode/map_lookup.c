/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Helpers compiled to LLVM bitcode at build time and linked into every
 * JIT module that calls them (jit_bitcode.c), where the optimiser inlines
 * them and specialises them on the constants the JIT passes: the map's
 * address, a compile-time copy of its layout and the key size. A 4-byte
 * key then hashes in a handful of multiplies and compares with one load.
 *
 * The functions are external here only so that clang keeps them; the JIT
 * makes them internal after linking. They must behave exactly as the
 * helper the interpreter calls (uxdp_map_lookup() on the same map).
 */

#include "map_hash_core.h"

/*
 * bpf_map_lookup_elem on HASH, LRU_HASH, PERCPU_HASH, LRU_PERCPU_HASH:
 * map_hash.c's hash_lookup. h is the layout of map (its unchanging
 * fields); this_cpu is uxdp_map_this_cpu, passed by address so that the
 * JIT needs no symbol lookup, and called only for per-CPU maps.
 */
void *
uxdp_bc_hash_lookup(const struct uxdp_hash_layout *h, struct uxdp_map *map,
		    const void *key, uint32_t key_size,
		    unsigned int (*this_cpu)(void))
{
	struct hash_elem *e;

	/* uxdp_map_lookup()'s own check; free when the key is on the
	 * program's stack, which the optimiser knows is not NULL. */
	if (key == NULL)
		return NULL;
	e = hash_lookup_elem(h, map, key, key_size);
	if (e == NULL)
		return NULL;
	return hash_elem_slot(h, e, h->n_slots > 1 ? this_cpu() : 0);
}
