/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BPF_MAP_TYPE_ARRAY with the kernel's semantics: a 4-byte index key,
 * max_entries zero-filled values at a stride of round_up(value_size, 8),
 * every index always exists (BPF_NOEXIST fails, delete fails), and
 * lookups and updates need no lock: each update writes its own slot.
 */

#include <errno.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"

/* Flags the kernel accepts on arrays that uxdp can honour, all stored:
 * the access flags (enforcing them is the caller's job: the program checks
 * for *_PROG, the control plane for the others), BPF_F_MMAPABLE, which
 * libbpf sets on global data sections, and BPF_F_INNER_MAP, which only
 * matters to map-in-map. BPF_F_NUMA_NODE is refused: the definition has
 * no node to check it against. */
#define ARRAY_FLAGS_OK (BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | \
			BPF_F_WRONLY_PROG | BPF_F_MMAPABLE | BPF_F_INNER_MAP)

/* The kernel bounds value_size so that round_up(value_size, 8) cannot
 * overflow an int. */
#define ARRAY_VALUE_SIZE_MAX 0x7fffffffu

static int
array_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	if (def->max_entries == 0 || def->key_size != sizeof(uint32_t) ||
	    def->value_size == 0 || (def->map_flags & ~ARRAY_FLAGS_OK) != 0 ||
	    !uxdp_map_access_flags_ok(def->map_flags))
		return -EINVAL;
	if (def->value_size > ARRAY_VALUE_SIZE_MAX)
		return -E2BIG;
	/* Both factors are below 2^32: the product fits in 64 bits. */
	*data_size = (uint64_t)def->max_entries *
		     uxdp_round_up(def->value_size, 8);
	return 0;
}

static int
array_init(struct uxdp_map *map, uint64_t data_off)
{
	struct uxdp_array_layout *a = &map->u.array;

	/* The memory is already zero: new arrays read as zeros. */
	a->values_off = data_off;
	a->value_stride = uxdp_round_up(map->def.value_size, 8);
	return 0;
}

static void *
array_lookup(struct uxdp_map *map, const void *key)
{
	return uxdp_array_lookup_value(map, key);
}

static int
array_update(struct uxdp_map *map, const void *key, const void *value,
	     uint64_t flags)
{
	uint32_t index = uxdp_array_key_index(key);

	/* The kernel's order of checks. BPF_F_LOCK needs a bpf_spin_lock in
	 * the value. */
	if ((flags & ~(uint64_t)BPF_F_LOCK) > BPF_EXIST)
		return -EINVAL;
	if (index >= map->def.max_entries)
		return -E2BIG;
	if (flags & BPF_NOEXIST)
		return -EEXIST; /* every index exists */
	if ((flags & BPF_F_LOCK) && !map->def.has_spin_lock)
		return -EINVAL;
	uxdp_map_value_update(map, uxdp_array_slot(map, index), value,
			      (flags & BPF_F_LOCK) != 0);
	return 0;
}

static int
array_delete(struct uxdp_map *map, const void *key)
{
	return -EINVAL; /* array elements cannot be deleted */
}

int
uxdp_array_get_next_key(struct uxdp_map *map, const void *key, void *next_key)
{
	/* NULL sorts as an index past the end: both restart at 0. */
	uint32_t index = key != NULL ? uxdp_array_key_index(key) : UINT32_MAX;
	uint32_t next;

	if (index >= map->def.max_entries)
		next = 0;
	else if (index == map->def.max_entries - 1)
		return -ENOENT;
	else
		next = index + 1;
	memcpy(next_key, &next, sizeof(next));
	return 0;
}

static int
array_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	uint32_t index = uxdp_array_key_index(key);

	if (index >= map->def.max_entries)
		return -ENOENT;
	uxdp_map_value_load(value, uxdp_array_slot(map, index), map->def.value_size);
	uxdp_map_value_hide_lock(map, value);
	return 0;
}

static uint32_t
array_count(struct uxdp_map *map)
{
	return map->def.max_entries;
}

const struct uxdp_map_ops uxdp_map_array_ops = {
	.size = array_size,
	.init = array_init,
	.lookup = array_lookup,
	.update = array_update,
	.delete = array_delete,
	.get_next_key = uxdp_array_get_next_key,
	.lookup_copy = array_lookup_copy,
	.count = array_count,
};
