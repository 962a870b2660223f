/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BPF_MAP_TYPE_PERCPU_ARRAY: an array whose every value has one slot per
 * CPU (uxdp: per lcore, UXDP_MAP_NR_CPUS slots) of round_up(value_size, 8)
 * bytes, the kernel's per-CPU layout in the syscall's value buffer. In
 * memory each CPU has its own array, as the kernel's per-CPU areas do:
 * entry i, slot c lives at (c * max_entries + i) * stride. Laid out entry
 * by entry instead, eight lcores counting in one 8-byte entry would share
 * a cache line and bounce it, which is what per-CPU maps exist to avoid.
 * A program reads and writes its lcore's slot without a lock; the control
 * plane copies every slot.
 */

#include <errno.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"

/* As for ARRAY, minus BPF_F_MMAPABLE (the kernel refuses it on per-CPU
 * arrays: there is no single value to map). */
#define PERCPU_ARRAY_FLAGS_OK (BPF_F_RDONLY | BPF_F_WRONLY | \
			       BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG | \
			       BPF_F_INNER_MAP)

/* The kernel bounds a per-CPU value by PCPU_MIN_UNIT_SIZE (32 KiB). */
#define PERCPU_VALUE_MAX (32u << 10)

static int
percpu_array_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	if (def->max_entries == 0 || def->key_size != sizeof(uint32_t) ||
	    def->value_size == 0 ||
	    (def->map_flags & ~PERCPU_ARRAY_FLAGS_OK) != 0 ||
	    !uxdp_map_access_flags_ok(def->map_flags))
		return -EINVAL;
	if (uxdp_round_up(def->value_size, 8) > PERCPU_VALUE_MAX)
		return -E2BIG;
	*data_size = (uint64_t)def->max_entries * UXDP_MAP_NR_CPUS *
		     uxdp_round_up(def->value_size, 8);
	return 0;
}

static int
percpu_array_init(struct uxdp_map *map, uint64_t data_off)
{
	struct uxdp_array_layout *a = &map->u.array;

	a->values_off = data_off;
	a->value_stride = uxdp_round_up(map->def.value_size, 8);
	return 0;
}

static inline void *
slot(struct uxdp_map *map, uint32_t index, uint32_t cpu)
{
	const struct uxdp_array_layout *a = &map->u.array;

	return uxdp_map_at(map, a->values_off +
			   ((uint64_t)cpu * map->def.max_entries + index) *
			   a->value_stride);
}

static void *
percpu_array_lookup(struct uxdp_map *map, const void *key)
{
	uint32_t index = uxdp_array_key_index(key);

	if (index >= map->def.max_entries)
		return NULL;
	return slot(map, index, uxdp_map_this_cpu());
}

static void *
percpu_array_lookup_percpu(struct uxdp_map *map, const void *key,
			   uint32_t cpu)
{
	uint32_t index = uxdp_array_key_index(key);

	if (index >= map->def.max_entries)
		return NULL;
	return slot(map, index, cpu);
}

static int
check_update(struct uxdp_map *map, uint32_t index, uint64_t flags)
{
	if ((flags & BPF_F_LOCK) || flags > BPF_EXIST)
		return -EINVAL;
	if (index >= map->def.max_entries)
		return -E2BIG;
	if (flags == BPF_NOEXIST)
		return -EEXIST; /* every index exists */
	return 0;
}

/* The syscall's update: value holds every slot at the stride. */
static int
percpu_array_update(struct uxdp_map *map, const void *key, const void *value,
		    uint64_t flags)
{
	uint32_t stride = map->u.array.value_stride;
	uint32_t index = uxdp_array_key_index(key);
	uint32_t cpu;
	int ret;

	ret = check_update(map, index, flags);
	if (ret < 0)
		return ret;
	for (cpu = 0; cpu < UXDP_MAP_NR_CPUS; cpu++)
		uxdp_map_value_store(slot(map, index, cpu),
				     (const char *)value + (uint64_t)cpu * stride,
				     map->def.value_size);
	return 0;
}

/* The program's update: its own slot only. */
static int
percpu_array_update_prog(struct uxdp_map *map, const void *key,
			 const void *value, uint64_t flags)
{
	uint32_t index = uxdp_array_key_index(key);
	int ret;

	ret = check_update(map, index, flags);
	if (ret < 0)
		return ret;
	uxdp_map_value_store(slot(map, index, uxdp_map_this_cpu()), value,
			     map->def.value_size);
	return 0;
}

static int
percpu_array_delete(struct uxdp_map *map, const void *key)
{
	return -EINVAL; /* array elements cannot be deleted */
}

static int
percpu_array_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	uint32_t stride = map->u.array.value_stride;
	uint32_t index = uxdp_array_key_index(key);
	uint32_t cpu;

	if (index >= map->def.max_entries)
		return -ENOENT;
	for (cpu = 0; cpu < UXDP_MAP_NR_CPUS; cpu++) {
		char *dst = (char *)value + (uint64_t)cpu * stride;

		memset(dst, 0, stride);
		uxdp_map_value_load(dst, slot(map, index, cpu),
				    map->def.value_size);
	}
	return 0;
}

static uint32_t
percpu_array_count(struct uxdp_map *map)
{
	return map->def.max_entries;
}

const struct uxdp_map_ops uxdp_map_percpu_array_ops = {
	.size = percpu_array_size,
	.init = percpu_array_init,
	.lookup = percpu_array_lookup,
	.update = percpu_array_update,
	.delete = percpu_array_delete,
	.get_next_key = uxdp_array_get_next_key,
	.lookup_copy = percpu_array_lookup_copy,
	.count = percpu_array_count,
	.update_prog = percpu_array_update_prog,
	.lookup_percpu = percpu_array_lookup_percpu,
};
