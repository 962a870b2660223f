/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Maps of maps: BPF_MAP_TYPE_ARRAY_OF_MAPS (the id array of
 * map_fd_array.c) and BPF_MAP_TYPE_HASH_OF_MAPS (map_hash.c's table with
 * 4-byte values). Values are map ids; a program's lookup returns the inner
 * map itself, which the map helpers then take as their map argument.
 *
 * As in the kernel, a map of maps is created from a template map
 * (def.inner_map_id, the kernel's inner_map_fd) whose definition is kept:
 * every inner map stored later must have the same type, key size, value
 * size and flags, and for array types the same max_entries unless the
 * template has BPF_F_INNER_MAP; otherwise the update is -EINVAL. A map of
 * maps cannot itself be an inner map (one level only).
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"

/* The kernel's value for "no inner-map support in this type"
 * (ENOTSUPP, kernel-internal but seen by user space). */
#define KERNEL_ENOTSUPP 524

static bool
is_map_of_maps(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

/* Types whose inner maps must also match in max_entries: plain arrays
 * only (the kernel's array_map_meta_equal); per-CPU arrays use the
 * generic comparison, which ignores max_entries. */
static bool
is_array_type(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY;
}

/* The template of a new map of maps: -EBADF when the id names nothing,
 * -EINVAL for a program or a map of maps, ENOTSUPP for a prog array. */
static int
check_template(const struct uxdp_map_def *def)
{
	enum uxdp_id_kind kind = uxdp_id_kind_of(def->inner_map_id);
	struct uxdp_map *tmpl;

	if (kind == UXDP_ID_NONE)
		return -EBADF;
	if (kind != UXDP_ID_MAP)
		return -EINVAL;
	tmpl = uxdp_map_by_id(def->inner_map_id);
	if (tmpl == NULL)
		return -EBADF;
	if (is_map_of_maps(tmpl->def.type))
		return -EINVAL;
	if (tmpl->def.type == BPF_MAP_TYPE_PROG_ARRAY)
		return -KERNEL_ENOTSUPP;
	return 0;
}

static int
copy_template(struct uxdp_map *map)
{
	struct uxdp_map *tmpl = uxdp_map_by_id(map->def.inner_map_id);

	if (tmpl == NULL)
		return -EBADF;
	map->inner_def = tmpl->def;
	map->inner_def.inner_map_id = 0;
	/* The template may go away now: the stored definition drops it. */
	map->def.inner_map_id = 0;
	return 0;
}

/* May this map be stored in map (kernel: the type's map_meta_equal)? */
static int
check_inner_id(struct uxdp_map *map, uint32_t id)
{
	const struct uxdp_map_def *meta = &map->inner_def;
	enum uxdp_id_kind kind = uxdp_id_kind_of(id);
	struct uxdp_map *inner;

	if (kind == UXDP_ID_NONE)
		return -EBADF;
	inner = uxdp_map_by_id(id);
	if (inner == NULL)
		return kind == UXDP_ID_PROG ? -EINVAL : -EBADF;
	if (inner->def.type != meta->type ||
	    inner->def.key_size != meta->key_size ||
	    inner->def.value_size != meta->value_size ||
	    inner->def.map_flags != meta->map_flags)
		return -EINVAL;
	if (is_array_type(meta->type) && !(meta->map_flags & BPF_F_INNER_MAP) &&
	    inner->def.max_entries != meta->max_entries)
		return -EINVAL;
	return 0;
}

static struct uxdp_map *
map_of_id_at(const void *id_ptr)
{
	uint32_t id;

	if (id_ptr == NULL)
		return NULL;
	id = __atomic_load_n((const uint32_t *)id_ptr, __ATOMIC_ACQUIRE);
	return id != 0 ? uxdp_map_by_id(id) : NULL;
}

/* --- ARRAY_OF_MAPS --- */

static int
aom_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	int ret = uxdp_fd_array_size(def, data_size);

	return ret < 0 ? ret : check_template(def);
}

static int
aom_init(struct uxdp_map *map, uint64_t data_off)
{
	int ret = uxdp_fd_array_init(map, data_off);

	return ret < 0 ? ret : copy_template(map);
}

static void *
aom_lookup(struct uxdp_map *map, const void *key)
{
	uint32_t index, id;

	memcpy(&index, key, sizeof(index));
	id = uxdp_fd_array_get(map, index);
	return id != 0 ? uxdp_map_by_id(id) : NULL;
}

static int
aom_update(struct uxdp_map *map, const void *key, const void *value,
	   uint64_t flags)
{
	return uxdp_fd_array_update(map, key, value, flags, check_inner_id);
}

static int
aom_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	return uxdp_fd_array_lookup_copy(map, key, value, UXDP_ID_MAP);
}

const struct uxdp_map_ops uxdp_map_array_of_maps_ops = {
	.size = aom_size,
	.init = aom_init,
	.lookup = aom_lookup,
	.update = aom_update,
	.delete = uxdp_fd_array_delete,
	.get_next_key = uxdp_array_get_next_key,
	.lookup_copy = aom_lookup_copy,
	.count = uxdp_fd_array_count,
};

/* --- HASH_OF_MAPS: the hash table of map_hash.c holding ids --- */

static int
hom_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	int ret;

	if (def->value_size != sizeof(uint32_t))
		return -EINVAL;
	ret = uxdp_map_hash_ops.size(def, data_size);
	return ret < 0 ? ret : check_template(def);
}

static int
hom_init(struct uxdp_map *map, uint64_t data_off)
{
	int ret = uxdp_map_hash_ops.init(map, data_off);

	return ret < 0 ? ret : copy_template(map);
}

static void *
hom_lookup(struct uxdp_map *map, const void *key)
{
	return map_of_id_at(uxdp_map_hash_ops.lookup(map, key));
}

static int
hom_update(struct uxdp_map *map, const void *key, const void *value,
	   uint64_t flags)
{
	uint32_t id;
	int ret;

	/* The kernel resolves the fd before it looks at the flags. */
	memcpy(&id, value, sizeof(id));
	ret = check_inner_id(map, id);
	if (ret < 0)
		return ret;
	return uxdp_map_hash_ops.update(map, key, value, flags);
}

static int
hom_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	uint32_t id;
	int ret;

	ret = uxdp_map_hash_ops.lookup_copy(map, key, &id);
	if (ret < 0)
		return ret;
	memcpy(value, &id, sizeof(id));
	return 0;
}

static int
hom_delete(struct uxdp_map *map, const void *key)
{
	return uxdp_map_hash_ops.delete(map, key);
}

static int
hom_get_next_key(struct uxdp_map *map, const void *key, void *next_key)
{
	return uxdp_map_hash_ops.get_next_key(map, key, next_key);
}

static uint32_t
hom_count(struct uxdp_map *map)
{
	return uxdp_map_hash_ops.count(map);
}

const struct uxdp_map_ops uxdp_map_hash_of_maps_ops = {
	.size = hom_size,
	.init = hom_init,
	.lookup = hom_lookup,
	.update = hom_update,
	.delete = hom_delete,
	.get_next_key = hom_get_next_key,
	.lookup_copy = hom_lookup_copy,
	.count = hom_count,
};
