/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Attaching to a map another process created: a DPDK secondary process
 * (or a second primary-side component) finds the map's memzone by name.
 *
 * Why this works without any translation: DPDK maps every memzone at the
 * same virtual address in the primary and its secondaries, a map is its
 * memzone, and the block holds no pointer (offsets only; the operations
 * are found per process from def.type, map.c). The memzone is the handle:
 * the struct uxdp_map * of the creator is valid here as it is.
 *
 * What stays with the creator: its id registry (process memory), hence the
 * maps whose values are ids (PROG_ARRAY, ARRAY_OF_MAPS, HASH_OF_MAPS) are
 * refused, since their ids would resolve against this process's registry
 * to nothing or to an unrelated object; and the right to free the map
 * (uxdp_map_destroy() of an attached map does nothing).
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <rte_memzone.h>

#include "uxdp_map_impl.h"

#define MAP_MZ_PREFIX "uxdp_map_"

int
uxdp_map_is_owner(const struct uxdp_map *map)
{
	return map->owner_pid == (int32_t)getpid();
}

/* A memzone holds a live map: the name scheme of map.c, room for a
 * header, and the magic (a destroyed map's memzone is gone, and destroy
 * clears the magic first). */
static struct uxdp_map *
map_of_memzone(const struct rte_memzone *mz)
{
	struct uxdp_map *map;

	if (mz == NULL ||
	    strncmp(mz->name, MAP_MZ_PREFIX, strlen(MAP_MZ_PREFIX)) != 0 ||
	    mz->len < sizeof(struct uxdp_map))
		return NULL;
	map = mz->addr;
	if (__atomic_load_n(&map->magic, __ATOMIC_ACQUIRE) != UXDP_MAP_MAGIC ||
	    mz->len < map->total_size)
		return NULL;
	return map;
}

struct attach_search {
	const char *name;
	struct uxdp_map *found;
	unsigned int matches;
};

static void
match_map_name(const struct rte_memzone *mz, void *arg)
{
	struct attach_search *s = arg;
	struct uxdp_map *map = map_of_memzone(mz);

	if (map == NULL ||
	    strncmp(map->name, s->name, sizeof(map->name)) != 0)
		return;
	s->found = map;
	s->matches++;
}

static int
type_holds_ids(uint32_t type)
{
	return type == BPF_MAP_TYPE_PROG_ARRAY ||
	       type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

int
uxdp_map_attach(const char *name, struct uxdp_map **out)
{
	struct attach_search s = { .name = name };
	struct uxdp_map *map;

	if (name == NULL || out == NULL || name[0] == '\0')
		return -EINVAL;
	*out = NULL;
	/* The memzone's own name is unique: the exact handle. */
	map = map_of_memzone(rte_memzone_lookup(name));
	if (map == NULL) {
		/* Else a map name: memzones do not carry it (it may be longer
		 * than a memzone name), so read the headers. Control path
		 * only: a walk over at most RTE_MAX_MEMZONE entries. */
		rte_memzone_walk(match_map_name, &s);
		if (s.matches > 1)
			return -ENOTUNIQ;
		map = s.found;
	}
	if (map == NULL)
		return -ENOENT;
	if (type_holds_ids(map->def.type))
		return -ENOTSUP;
	*out = map;
	return 0;
}

void
uxdp_map_detach(struct uxdp_map *map)
{
	/* Nothing of an attached map lives in this process: the handle is
	 * the shared memory itself. Kept so that callers say what they mean
	 * and a later version can count attachments. */
	RTE_SET_USED(map);
}

const char *
uxdp_map_memzone_name(const struct uxdp_map *map)
{
	if (map == NULL || map->mem_kind != UXDP_MEM_SHARED)
		return NULL;
	return map->memzone_name;
}
