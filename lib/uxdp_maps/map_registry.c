/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The id registry: u32 ids for maps and programs, so that maps which refer
 * to other objects (prog arrays, maps of maps) store ids, never pointers.
 *
 * Ids count up from 1 and are never reused, so a stale id resolves to
 * nothing instead of to another object. The table and its lookup are in
 * map_registry_core.h.
 *
 * Process-local for now: a secondary process attaching to shared maps
 * does not see the primary's ids (that needs this table in a memzone and
 * programs a secondary can run). Lifetimes are not reference counted as
 * in the kernel: an object must be released here before it is freed, and
 * a run that resolved it just before must be over.
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "uxdp_map_impl.h"
#include "map_registry_core.h"

static struct uxdp_id_slot *id_chunks[UXDP_ID_CHUNKS];
static uint32_t id_next = 1;
static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;

uxdp_id_table_t *
uxdp_id_table(void)
{
	return &id_chunks;
}

static struct uxdp_id_slot *
slot_of(uint32_t id)
{
	return uxdp_id_slot_in(uxdp_id_table(), id);
}

int
uxdp_id_alloc(enum uxdp_id_kind kind, void *object, uint32_t *id)
{
	return uxdp_id_alloc_tagged(kind, object, 0, id);
}

int
uxdp_id_alloc_tagged(enum uxdp_id_kind kind, void *object, uint32_t tag,
		     uint32_t *id)
{
	struct uxdp_id_slot *chunk, *s;
	uint32_t n;
	int ret = 0;

	if (object == NULL || id == NULL || kind == UXDP_ID_NONE)
		return -EINVAL;
	pthread_mutex_lock(&id_lock);
	n = id_next;
	if (n >= UXDP_ID_CHUNKS * UXDP_ID_CHUNK_SIZE) {
		ret = -ENOSPC;
		goto out;
	}
	chunk = id_chunks[n >> UXDP_ID_CHUNK_SHIFT];
	if (chunk == NULL) {
		chunk = calloc(UXDP_ID_CHUNK_SIZE, sizeof(*chunk));
		if (chunk == NULL) {
			ret = -ENOMEM;
			goto out;
		}
		__atomic_store_n(&id_chunks[n >> UXDP_ID_CHUNK_SHIFT], chunk,
				 __ATOMIC_RELEASE);
	}
	s = &chunk[n & (UXDP_ID_CHUNK_SIZE - 1)];
	s->kind = kind;
	s->tag = tag;
	__atomic_store_n(&s->object, object, __ATOMIC_RELEASE);
	id_next = n + 1;
	*id = n;
out:
	pthread_mutex_unlock(&id_lock);
	return ret;
}

void
uxdp_id_release(uint32_t id)
{
	struct uxdp_id_slot *s = slot_of(id);

	if (s != NULL)
		__atomic_store_n(&s->object, NULL, __ATOMIC_RELEASE);
}

void *
uxdp_id_lookup(uint32_t id, enum uxdp_id_kind kind)
{
	return uxdp_id_lookup_in(uxdp_id_table(), id, kind);
}

uint32_t
uxdp_id_tag(uint32_t id)
{
	struct uxdp_id_slot *s = slot_of(id);

	if (s == NULL || __atomic_load_n(&s->object, __ATOMIC_ACQUIRE) == NULL)
		return 0;
	return s->tag;
}

enum uxdp_id_kind
uxdp_id_kind_of(uint32_t id)
{
	struct uxdp_id_slot *s = slot_of(id);

	if (s == NULL || __atomic_load_n(&s->object, __ATOMIC_ACQUIRE) == NULL)
		return UXDP_ID_NONE;
	return (enum uxdp_id_kind)s->kind;
}

uint32_t
uxdp_map_id(const struct uxdp_map *map)
{
	/* map->id is an id of the creator's registry: in a process that
	 * attached to the map it names nothing (or something else). */
	return map != NULL && uxdp_map_is_owner(map) ? map->id : 0;
}

struct uxdp_map *
uxdp_map_by_id(uint32_t id)
{
	return uxdp_id_lookup(id, UXDP_ID_MAP);
}
