/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The array of ids behind PROG_ARRAY and ARRAY_OF_MAPS, with the rules
 * the kernel gives its "fd arrays": 4-byte keys and values, updates only
 * with BPF_ANY, a slot can be emptied (delete works, unlike plain arrays;
 * an empty slot is -ENOENT), and user space reads back ids. A slot is one
 * u32 written and read atomically: 0 means empty.
 */

#include <errno.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"

/* The flags the kernel accepts on fd arrays (array flags without the
 * mmap/inner-map ones of plain arrays and without the *_PROG access flags,
 * which make no sense for values programs never read). BPF_F_NUMA_NODE is
 * refused, as for plain arrays in uxdp. */
#define FD_ARRAY_FLAGS_OK (BPF_F_RDONLY | BPF_F_WRONLY)

int
uxdp_fd_array_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	if (def->max_entries == 0 || def->key_size != sizeof(uint32_t) ||
	    def->value_size != sizeof(uint32_t) ||
	    (def->map_flags & ~FD_ARRAY_FLAGS_OK) != 0 ||
	    !uxdp_map_access_flags_ok(def->map_flags))
		return -EINVAL;
	*data_size = uxdp_round_up((uint64_t)def->max_entries *
				   sizeof(uint32_t), 8);
	return 0;
}

int
uxdp_fd_array_init(struct uxdp_map *map, uint64_t data_off)
{
	map->u.array.values_off = data_off;
	map->u.array.value_stride = sizeof(uint32_t);
	return 0;
}

static uint32_t *
slot(struct uxdp_map *map, uint32_t index)
{
	return uxdp_array_slot(map, index);
}

uint32_t
uxdp_fd_array_get(struct uxdp_map *map, uint32_t index)
{
	if (index >= map->def.max_entries)
		return 0;
	return __atomic_load_n(slot(map, index), __ATOMIC_ACQUIRE);
}

int
uxdp_fd_array_update(struct uxdp_map *map, const void *key,
		     const void *value, uint64_t flags,
		     int (*check_id)(struct uxdp_map *map, uint32_t id))
{
	uint32_t index = uxdp_array_key_index(key);
	uint32_t id;
	int ret;

	/* The kernel takes no BPF_NOEXIST/BPF_EXIST here: -EINVAL. */
	if (flags != BPF_ANY)
		return -EINVAL;
	if (index >= map->def.max_entries)
		return -E2BIG;
	memcpy(&id, value, sizeof(id));
	ret = check_id(map, id);
	if (ret < 0)
		return ret;
	__atomic_store_n(slot(map, index), id, __ATOMIC_RELEASE);
	return 0;
}

int
uxdp_fd_array_delete(struct uxdp_map *map, const void *key)
{
	uint32_t index = uxdp_array_key_index(key);

	if (index >= map->def.max_entries)
		return -E2BIG;
	return __atomic_exchange_n(slot(map, index), 0, __ATOMIC_ACQ_REL) != 0 ?
		0 : -ENOENT;
}

int
uxdp_fd_array_lookup_copy(struct uxdp_map *map, const void *key,
			  void *value, enum uxdp_id_kind kind)
{
	uint32_t id = uxdp_fd_array_get(map, uxdp_array_key_index(key));

	/* An id whose object is gone reads as an empty slot: the kernel
	 * would have dropped the reference's slot together with it. */
	if (id == 0 || uxdp_id_kind_of(id) != kind)
		return -ENOENT;
	memcpy(value, &id, sizeof(id));
	return 0;
}

uint32_t
uxdp_fd_array_count(struct uxdp_map *map)
{
	return map->def.max_entries;
}

uint32_t
uxdp_map_slot_id(struct uxdp_map *map, uint32_t index)
{
	if (map == NULL || (map->def.type != BPF_MAP_TYPE_PROG_ARRAY &&
			    map->def.type != BPF_MAP_TYPE_ARRAY_OF_MAPS))
		return 0;
	return uxdp_fd_array_get(map, index);
}
