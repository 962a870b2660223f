/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#include <errno.h>
#include <linux/bpf.h>

#include "uxdp_btf_json.h"
#include "uxdp_run.h"

/* The maps of a uxdp object behind the shared dump/update code. */

static unsigned int
maps_count(void *ctx)
{
	struct uxdp_run *run = ctx;

	return uxdp_obj_map_count(run->obj);
}

static struct uxdp_map *
map_at(void *ctx, unsigned int idx)
{
	struct uxdp_run *run = ctx;

	return uxdp_obj_map_at(run->obj, idx);
}

static int
maps_info(void *ctx, unsigned int idx, struct run_map_info *info)
{
	struct uxdp_map *map = map_at(ctx, idx);
	const struct uxdp_map_def *def;

	if (map == NULL)
		return -ENOENT;
	def = uxdp_map_get_def(map);
	info->name = uxdp_map_name(map);
	info->type_name = uxdp_map_type_name(def->type);
	info->type = def->type;
	info->key_size = def->key_size;
	info->value_size = def->value_size;
	info->max_entries = def->max_entries;
	info->flags = def->map_flags;
	return 0;
}

static int
maps_next_key(void *ctx, unsigned int idx, const void *key, void *next)
{
	return uxdp_map_get_next_key(map_at(ctx, idx), key, next);
}

static int
maps_lookup(void *ctx, unsigned int idx, const void *key, void *value)
{
	return uxdp_map_lookup_copy(map_at(ctx, idx), key, value);
}

static int
maps_update(void *ctx, unsigned int idx, const void *key, const void *value)
{
	return uxdp_map_update(map_at(ctx, idx), key, value, BPF_ANY);
}

/* A program of the object by function or section name: its id, what
 * uxdp's devmaps and prog arrays hold. */
static int
maps_prog_ref(void *ctx, const char *name, uint32_t *ref)
{
	struct uxdp_run *run = ctx;
	struct uxdp_prog *prog = uxdp_obj_find_prog(run->obj, name, NULL, 0);

	if (prog == NULL)
		return -ENOENT;
	*ref = uxdp_prog_id(prog);
	return 0;
}

/* Per-CPU values have one slot per lcore (RTE_MAX_LCORE); uxdp-run runs
 * programs outside any EAL lcore, so they use slot 0. */
static unsigned int
maps_n_cpus(void *ctx)
{
	return uxdp_map_nr_cpus();
}

/* --btf-json: the map's BTF key/value type, or hex when the map has none
 * or the type has no JSON form (floats), so that every entry prints. */
static int
maps_format(void *ctx, unsigned int idx, bool is_key, const void *data,
	    size_t size, char *out, size_t out_len)
{
	struct uxdp_run *run = ctx;
	uint32_t key_id = 0, value_id = 0;
	int ret;

	uxdp_obj_map_btf_ids(run->obj, map_at(ctx, idx), &key_id, &value_id);
	ret = uxdp_btf_render(uxdp_obj_btf(run->obj), is_key ? key_id : value_id,
			      data, size, out, out_len);
	if (ret == -ENOSPC || ret >= 0)
		return ret;
	return uxdp_btf_render(NULL, 0, data, size, out, out_len);
}

const struct run_map_ops uxdp_run_map_ops = {
	.count = maps_count,
	.info = maps_info,
	.next_key = maps_next_key,
	.lookup = maps_lookup,
	.update = maps_update,
	.prog_ref = maps_prog_ref,
	.n_cpus = maps_n_cpus,
	.format = maps_format,
};
