/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#include <errno.h>
#include <stdlib.h>
#include <bpf/bpf.h>

#include "kernel_run.h"

/* The kernel's maps behind the shared dump/update code, through the bpf()
 * map commands, with the names libbpf gives them (bpf_map__name()). */

bool
kernel_run_loads_tail_targets(struct bpf_object *obj,
			      struct bpf_program *prog)
{
	struct bpf_map *map;

	if (bpf_program__type(prog) != BPF_PROG_TYPE_XDP)
		return false;
	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) == BPF_MAP_TYPE_PROG_ARRAY)
			return true;
	}
	return false;
}

int
kernel_run_collect_maps(struct kernel_run *kr)
{
	struct bpf_map *map;
	unsigned int n = 0;

	bpf_object__for_each_map(map, kr->obj)
		n++;
	kr->maps = calloc(n ? n : 1, sizeof(*kr->maps));
	if (kr->maps == NULL)
		return -ENOMEM;
	/* A map libbpf did not create (autocreate off) has no fd. */
	bpf_object__for_each_map(map, kr->obj) {
		if (bpf_map__fd(map) >= 0)
			kr->maps[kr->n_maps++] = map;
	}
	return 0;
}

static unsigned int
maps_count(void *ctx)
{
	struct kernel_run *kr = ctx;

	return kr->n_maps;
}

static int
maps_info(void *ctx, unsigned int idx, struct run_map_info *info)
{
	struct kernel_run *kr = ctx;
	struct bpf_map_info kinfo;
	__u32 len = sizeof(kinfo);
	struct bpf_map *map;

	if (idx >= kr->n_maps)
		return -ENOENT;
	map = kr->maps[idx];
	info->name = bpf_map__name(map);
	info->type = bpf_map__type(map);
	info->type_name = libbpf_bpf_map_type_str(info->type) ?: "unknown";
	info->key_size = bpf_map__key_size(map);
	info->value_size = bpf_map__value_size(map);
	info->max_entries = bpf_map__max_entries(map);
	info->flags = bpf_map__map_flags(map);
	/* The flags the kernel gave the map (devmaps get BPF_F_RDONLY_PROG
	 * whatever was asked), as uxdp reports its own. */
	memset(&kinfo, 0, sizeof(kinfo));
	if (bpf_map__fd(map) >= 0 &&
	    bpf_obj_get_info_by_fd(bpf_map__fd(map), &kinfo, &len) == 0)
		info->flags = kinfo.map_flags;
	return 0;
}

static int
map_fd(void *ctx, unsigned int idx)
{
	struct kernel_run *kr = ctx;

	return bpf_map__fd(kr->maps[idx]);
}

/* libbpf 1.x returns -errno from its bpf() wrappers. */
static int
maps_next_key(void *ctx, unsigned int idx, const void *key, void *next)
{
	return bpf_map_get_next_key(map_fd(ctx, idx), key, next);
}

static int
maps_lookup(void *ctx, unsigned int idx, const void *key, void *value)
{
	return bpf_map_lookup_elem(map_fd(ctx, idx), key, value);
}

static int
maps_update(void *ctx, unsigned int idx, const void *key, const void *value)
{
	return bpf_map_update_elem(map_fd(ctx, idx), key, value, BPF_ANY);
}

/* A loaded program of the object by name: its fd, what the kernel's
 * devmaps take. */
static int
maps_prog_ref(void *ctx, const char *name, uint32_t *ref)
{
	struct kernel_run *kr = ctx;
	struct bpf_program *prog = bpf_object__find_program_by_name(kr->obj,
								  name);
	int fd = prog != NULL ? bpf_program__fd(prog) : -1;

	if (fd < 0)
		return -ENOENT;
	*ref = (uint32_t)fd;
	return 0;
}

static unsigned int
maps_n_cpus(void *ctx)
{
	int n = libbpf_num_possible_cpus();

	return n > 0 ? (unsigned int)n : 0;
}

const struct run_map_ops kernel_run_map_ops = {
	.count = maps_count,
	.info = maps_info,
	.next_key = maps_next_key,
	.lookup = maps_lookup,
	.update = maps_update,
	.prog_ref = maps_prog_ref,
	.n_cpus = maps_n_cpus,
};
