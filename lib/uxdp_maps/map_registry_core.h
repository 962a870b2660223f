/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_MAP_REGISTRY_CORE_H
#define UXDP_MAP_REGISTRY_CORE_H

/*
 * The id registry's table and its lookup, shared by map_registry.c and the
 * JIT's bitcode (lib/uxdp_bpf/jit_bitcode/), which resolves the ids in
 * maps of maps inline: one definition, so the two cannot drift.
 *
 * Slots live in chunks allocated on first use and kept for the life of
 * the process, so a lookup is two acquire loads and never races with an
 * allocation or a release.
 */

#include <stdint.h>

#include "uxdp_map.h"

#define UXDP_ID_CHUNK_SHIFT 10
#define UXDP_ID_CHUNK_SIZE (1u << UXDP_ID_CHUNK_SHIFT)
#define UXDP_ID_CHUNKS 1024u /* 1M ids per process */

struct uxdp_id_slot {
	void *object;      /* NULL once released */
	uint32_t kind;     /* enum uxdp_id_kind, written before object */
	uint32_t tag;      /* uxdp_id_alloc_tagged()'s tag, likewise */
};

/* The chunk table: UXDP_ID_CHUNKS pointers, each NULL or a chunk. */
typedef struct uxdp_id_slot *uxdp_id_table_t[UXDP_ID_CHUNKS];

/* The process's table, for code that cannot name it (the JIT passes its
 * address to bitcode as a constant). */
uxdp_id_table_t *uxdp_id_table(void);

static inline struct uxdp_id_slot *
uxdp_id_slot_in(uxdp_id_table_t *table, uint32_t id)
{
	struct uxdp_id_slot *chunk;

	if (id == 0 || id >= UXDP_ID_CHUNKS * UXDP_ID_CHUNK_SIZE)
		return NULL;
	chunk = __atomic_load_n(&(*table)[id >> UXDP_ID_CHUNK_SHIFT],
				__ATOMIC_ACQUIRE);
	return chunk != NULL ? &chunk[id & (UXDP_ID_CHUNK_SIZE - 1)] : NULL;
}

/* The object registered under id if it is of kind and still alive. */
static inline void *
uxdp_id_lookup_in(uxdp_id_table_t *table, uint32_t id,
		  enum uxdp_id_kind kind)
{
	struct uxdp_id_slot *s = uxdp_id_slot_in(table, id);
	void *object;

	if (s == NULL)
		return NULL;
	object = __atomic_load_n(&s->object, __ATOMIC_ACQUIRE);
	return object != NULL && s->kind == (uint32_t)kind ? object : NULL;
}

#endif /* UXDP_MAP_REGISTRY_CORE_H */
