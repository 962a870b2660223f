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
#include "map_registry_core.h"

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

/* The inner map an outer map's slot names (map_of_maps.c's map_of_id_at):
 * its id resolved in the process registry, NULL when empty or gone. */
static inline void *
inner_map_at(const uint32_t *id_ptr, uxdp_id_table_t *ids)
{
	uint32_t id;

	if (id_ptr == NULL)
		return NULL;
	id = __atomic_load_n(id_ptr, __ATOMIC_ACQUIRE);
	return id != 0 ? uxdp_id_lookup_in(ids, id, UXDP_ID_MAP) : NULL;
}

/* bpf_map_lookup_elem on ARRAY_OF_MAPS (map_of_maps.c's aom_lookup): the
 * id array's slot, then the registry. */
void *
uxdp_bc_array_of_maps_lookup(struct uxdp_map *map, const void *key,
			     uxdp_id_table_t *ids)
{
	uint32_t index;

	if (key == NULL)
		return NULL;
	index = uxdp_array_key_index(key);
	if (index >= map->def.max_entries)
		return NULL;
	return inner_map_at(uxdp_array_slot(map, index), ids);
}

/* bpf_map_lookup_elem on HASH_OF_MAPS (hom_lookup): the hash table's
 * value is the id. */
void *
uxdp_bc_hash_of_maps_lookup(const struct uxdp_hash_layout *h,
			    struct uxdp_map *map, const void *key,
			    uint32_t key_size, uxdp_id_table_t *ids)
{
	struct hash_elem *e;

	if (key == NULL)
		return NULL;
	e = hash_lookup_elem(h, map, key, key_size);
	return e != NULL ? inner_map_at(hash_elem_slot(h, e, 0), ids) : NULL;
}

/* A hash lookup whose map is known only at run time (map_hash.c's
 * hash_lookup). */
static inline void *
hash_lookup_any(struct uxdp_map *map, const void *key,
		unsigned int (*this_cpu)(void))
{
	const struct uxdp_hash_layout *h = &map->u.hash;
	struct hash_elem *e;

	e = hash_lookup_elem_sized(h, map, key, map->def.key_size);
	if (e == NULL)
		return NULL;
	return hash_elem_slot(h, e, h->n_slots > 1 ? this_cpu() : 0);
}

/*
 * bpf_map_lookup_elem on a map the JIT cannot name: an inner map of a map
 * of maps, or a pointer chosen at run time. Arrays and the hash family
 * are looked up here as map_array.c and map_hash.c do; every other type
 * goes to uxdp_map_lookup(), passed by address as `any`.
 */
void *
uxdp_bc_map_lookup_dynamic(struct uxdp_map *map, const void *key,
			   unsigned int (*this_cpu)(void),
			   void *(*any)(struct uxdp_map *, const void *))
{
	if (map == NULL || key == NULL)
		return NULL;
	switch (map->def.type) {
	case BPF_MAP_TYPE_ARRAY:
		return uxdp_array_lookup_value(map, key);
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return hash_lookup_any(map, key, this_cpu);
	default:
		return any(map, key);
	}
}
