/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY: accepted so that programs declaring one
 * load, but uxdp has no perf events to put in it. Every slot stays empty:
 * bpf_perf_event_output() then fails as the kernel's does on an empty slot
 * (-ENOENT), and updates (which would carry a perf event fd of the calling
 * process) are refused with -EOPNOTSUPP. Use a RINGBUF to get data out.
 */

#include <errno.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"

/* The kernel's array flags, minus what fd arrays refuse (*_PROG). */
#define PERF_FLAGS_OK (BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_INNER_MAP)
#define PERF_ENOTSUPP 524

static int
perf_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	if (def->max_entries == 0 || def->key_size != sizeof(uint32_t) ||
	    def->value_size != sizeof(uint32_t) ||
	    (def->map_flags & ~PERF_FLAGS_OK) != 0 ||
	    !uxdp_map_access_flags_ok(def->map_flags))
		return -EINVAL;
	*data_size = 0;
	return 0;
}

static int
perf_init(struct uxdp_map *map, uint64_t data_off)
{
	return 0;
}

static void *
perf_lookup(struct uxdp_map *map, const void *key)
{
	return NULL;
}

static int
perf_update(struct uxdp_map *map, const void *key, const void *value,
	    uint64_t flags)
{
	if (flags > BPF_EXIST)
		return -EINVAL;
	if (uxdp_array_key_index(key) >= map->def.max_entries)
		return -E2BIG;
	return -EOPNOTSUPP;
}

static int
perf_delete(struct uxdp_map *map, const void *key)
{
	return uxdp_array_key_index(key) >= map->def.max_entries ? -E2BIG : -ENOENT;
}

/* The kernel's syscall cannot read perf event arrays either. */
static int
perf_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	return -PERF_ENOTSUPP;
}

static uint32_t
perf_count(struct uxdp_map *map)
{
	return 0;
}

int
uxdp_perf_event_output(struct uxdp_map *map, uint64_t flags,
		       const void *data, uint64_t size)
{
	uint64_t index = flags & BPF_F_INDEX_MASK;

	if (map == NULL || map->def.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return -EINVAL;
	if (flags & ~(BPF_F_INDEX_MASK | BPF_F_CTXLEN_MASK))
		return -EINVAL;
	if (index == BPF_F_CURRENT_CPU)
		index = uxdp_map_this_cpu();
	if (index >= map->def.max_entries)
		return -E2BIG;
	return -ENOENT; /* no perf event in any slot */
}

const struct uxdp_map_ops uxdp_map_perf_event_array_ops = {
	.size = perf_size,
	.init = perf_init,
	.lookup = perf_lookup,
	.update = perf_update,
	.delete = perf_delete,
	.get_next_key = uxdp_array_get_next_key,
	.lookup_copy = perf_lookup_copy,
	.count = perf_count,
};
