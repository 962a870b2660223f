/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BPF_MAP_TYPE_DEVMAP (an array) and BPF_MAP_TYPE_DEVMAP_HASH (a hash) of
 * redirect targets, with the kernel's value layout: 4 bytes (u32 ifindex)
 * or 8 bytes (struct bpf_devmap_val: ifindex, then a program fd on update
 * and its id on lookup).
 *
 * What an ifindex names is the redirecting side's business (the PMD): the
 * maps library stores the number as given. uxdp reads it as a DPDK port id
 * (see doc/maps.md), so it cannot check it against the kernel's netdevs,
 * and ifindex 0 keeps the kernel's meaning: "no device" (a DEVMAP slot
 * written with 0 becomes empty; DEVMAP_HASH refuses it).
 *
 * Programs on entries: where the kernel reads a program fd in
 * bpf_devmap_val.bpf_prog, uxdp reads a program id (uxdp ids replace fds,
 * as in prog arrays), and a lookup returns it, as the kernel returns the
 * program's id. Like the kernel, only a devmap program (expected attach
 * type BPF_XDP_DEVMAP: SEC("xdp/devmap")) is accepted; any other id, a
 * plain XDP program's or one naming nothing, is -EINVAL, and so is a
 * program with ifindex 0. A value <= 0 in that field means no program.
 * The id is stored, not the program: ids are never reused, so an entry
 * whose program was freed names nothing and the redirecting side drops
 * its frames (the kernel holds a reference instead; it cannot happen
 * there).
 *
 * A program's lookup returns a pointer to the stored value, as the
 * kernel's does; the kernel makes such maps BPF_F_RDONLY_PROG, so does
 * uxdp.
 */

#include <errno.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"

#define DEVMAP_FLAGS_OK (BPF_F_RDONLY | BPF_F_WRONLY)

/* A DEVMAP slot: the value (as bpf_devmap_val), and whether it is set. */
struct devmap_slot {
	uint32_t ifindex;
	uint32_t prog_id;   /* the entry's devmap program, 0: none */
	uint32_t present;
	uint32_t reserved;
};

static int
devmap_check_def(const struct uxdp_map_def *def)
{
	if (def->max_entries == 0 || def->key_size != sizeof(uint32_t) ||
	    (def->value_size != 4 && def->value_size != 8) ||
	    (def->map_flags & ~DEVMAP_FLAGS_OK) != 0)
		return -EINVAL;
	return 0;
}

/* The value given to an update, as the kernel reads it: the program
 * field only when the value has one. -EINVAL, as the kernel's
 * __dev_map_alloc_node() returns for every refusal, when the field names
 * anything but a live devmap program, or a program without a device. */
static int
read_value(const struct uxdp_map *map, const void *value, uint32_t *ifindex,
	   uint32_t *prog_id)
{
	int32_t id = 0;

	memcpy(ifindex, value, sizeof(*ifindex));
	if (map->def.value_size == 8)
		memcpy(&id, (const char *)value + 4, sizeof(id));
	*prog_id = 0;
	if (id <= 0)
		return 0;
	if (*ifindex == 0 || uxdp_id_kind_of((uint32_t)id) != UXDP_ID_PROG ||
	    uxdp_id_tag((uint32_t)id) != BPF_XDP_DEVMAP)
		return -EINVAL;
	*prog_id = (uint32_t)id;
	return 0;
}

static int
devmap_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	int ret = devmap_check_def(def);

	if (ret < 0)
		return ret;
	*data_size = (uint64_t)def->max_entries * sizeof(struct devmap_slot);
	return 0;
}

static int
devmap_init(struct uxdp_map *map, uint64_t data_off)
{
	map->u.array.values_off = data_off;
	map->u.array.value_stride = sizeof(struct devmap_slot);
	map->def.map_flags |= BPF_F_RDONLY_PROG;
	return 0;
}

static inline struct devmap_slot *
slot_at(struct uxdp_map *map, uint32_t index)
{
	return uxdp_map_at(map, map->u.array.values_off +
			   (uint64_t)index * sizeof(struct devmap_slot));
}

static void *
devmap_lookup(struct uxdp_map *map, const void *key)
{
	uint32_t index = uxdp_array_key_index(key);
	struct devmap_slot *s;

	if (index >= map->def.max_entries)
		return NULL;
	s = slot_at(map, index);
	return __atomic_load_n(&s->present, __ATOMIC_ACQUIRE) ? s : NULL;
}

static int
devmap_update(struct uxdp_map *map, const void *key, const void *value,
	      uint64_t flags)
{
	uint32_t index = uxdp_array_key_index(key);
	struct devmap_slot *s;
	uint32_t ifindex, prog_id;
	int ret;

	if (flags > BPF_EXIST)
		return -EINVAL;
	if (index >= map->def.max_entries)
		return -E2BIG;
	if (flags == BPF_NOEXIST)
		return -EEXIST;
	ret = read_value(map, value, &ifindex, &prog_id);
	if (ret < 0)
		return ret;
	s = slot_at(map, index);
	if (ifindex == 0) {
		/* The kernel's "no device": the slot empties. */
		__atomic_store_n(&s->present, 0, __ATOMIC_RELEASE);
		return 0;
	}
	/* Readers take both fields after present: a redirect racing an
	 * update may pair the old device with the new program; the kernel
	 * swaps the pair atomically, uxdp does not (documented). */
	__atomic_store_n(&s->ifindex, ifindex, __ATOMIC_RELAXED);
	__atomic_store_n(&s->prog_id, prog_id, __ATOMIC_RELAXED);
	__atomic_store_n(&s->present, 1, __ATOMIC_RELEASE);
	return 0;
}

static int
devmap_delete(struct uxdp_map *map, const void *key)
{
	uint32_t index = uxdp_array_key_index(key);

	if (index >= map->def.max_entries)
		return -EINVAL;
	__atomic_store_n(&slot_at(map, index)->present, 0, __ATOMIC_RELEASE);
	return 0;
}

static int
devmap_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	struct devmap_slot *s = devmap_lookup(map, key);
	uint32_t val[2];

	if (s == NULL)
		return -ENOENT;
	val[0] = __atomic_load_n(&s->ifindex, __ATOMIC_RELAXED);
	val[1] = __atomic_load_n(&s->prog_id, __ATOMIC_RELAXED);
	memcpy(value, val, map->def.value_size);
	return 0;
}

static uint32_t
devmap_count(struct uxdp_map *map)
{
	return map->def.max_entries;
}

const struct uxdp_map_ops uxdp_map_devmap_ops = {
	.size = devmap_size,
	.init = devmap_init,
	.lookup = devmap_lookup,
	.update = devmap_update,
	.delete = devmap_delete,
	.get_next_key = uxdp_array_get_next_key,
	.lookup_copy = devmap_lookup_copy,
	.count = devmap_count,
};

/*
 * DEVMAP_HASH: the hash map of map_hash.c with an 8-byte stored value
 * ({ifindex, program id or 0}) whatever value_size says, so that 4-byte and
 * 8-byte maps share one path.
 */

static int
devmap_hash_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	struct uxdp_map_def hdef = *def;
	int ret = devmap_check_def(def);

	if (ret < 0)
		return ret;
	hdef.map_flags = 0;
	hdef.value_size = 8;
	return uxdp_hash_size(&hdef, data_size);
}

static int
devmap_hash_init(struct uxdp_map *map, uint64_t data_off)
{
	uint32_t value_size = map->def.value_size;
	int ret;

	map->def.value_size = 8;
	ret = uxdp_hash_init(map, data_off);
	map->def.value_size = value_size;
	map->def.map_flags |= BPF_F_RDONLY_PROG;
	return ret;
}

static int
devmap_hash_update(struct uxdp_map *map, const void *key, const void *value,
		   uint64_t flags)
{
	uint32_t val[2] = { 0, 0 };
	int ret;

	if (flags > BPF_EXIST)
		return -EINVAL;
	memcpy(&val[0], value, sizeof(val[0]));
	if (val[0] == 0)
		return -EINVAL;
	if (flags == BPF_NOEXIST && uxdp_hash_lookup(map, key) != NULL)
		return -EEXIST;
	ret = read_value(map, value, &val[0], &val[1]);
	if (ret < 0)
		return ret;
	/* The kernel's devmap hash inserts on BPF_EXIST too. */
	return uxdp_hash_update(map, key, val, BPF_ANY);
}

static int
devmap_hash_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	const void *v = uxdp_hash_lookup(map, key);
	uint32_t val[2];

	if (v == NULL)
		return -ENOENT;
	memcpy(val, v, sizeof(val));
	memcpy(value, val, map->def.value_size);
	return 0;
}

const struct uxdp_map_ops uxdp_map_devmap_hash_ops = {
	.size = devmap_hash_size,
	.init = devmap_hash_init,
	.lookup = uxdp_hash_lookup,
	.update = devmap_hash_update,
	.delete = uxdp_hash_delete,
	.get_next_key = uxdp_hash_get_next_key,
	.lookup_copy = devmap_hash_lookup_copy,
	.count = uxdp_hash_count,
};
