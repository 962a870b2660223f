/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * PERCPU_ARRAY, PERCPU_HASH and LRU_PERCPU_HASH: the syscall view (every
 * slot at round_up(value_size, 8)), the program view (the calling lcore's
 * slot, 0 outside EAL lcores) and the kernel's update rules.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>

#include <rte_lcore.h>

#include "uxdp_map.h"
#include "map_test.h"

static struct uxdp_map *
create(uint32_t type, uint32_t key_size, uint32_t value_size,
       uint32_t max_entries, uint32_t flags)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max_entries, .map_flags = flags,
	};
	struct uxdp_map *map = NULL;

	CHECK_EQ(uxdp_map_create("pcpu", &def, UXDP_MEM_HEAP, &map), 0);
	return map;
}

static int
create_rc(uint32_t type, uint32_t key_size, uint32_t value_size,
	  uint32_t max_entries, uint32_t flags)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max_entries, .map_flags = flags,
	};
	struct uxdp_map *map = NULL;
	int ret = uxdp_map_create("pcpu", &def, UXDP_MEM_HEAP, &map);

	uxdp_map_destroy(map);
	return ret;
}

/* Pretend to be EAL lcore id (the per-lcore variable EAL threads set). */
static void
become_lcore(unsigned int id)
{
	RTE_PER_LCORE(_lcore_id) = id;
}

static void
test_create_rules(void)
{
	CHECK_EQ(uxdp_map_nr_cpus(), RTE_MAX_LCORE);
	CHECK(uxdp_map_type_is_percpu(BPF_MAP_TYPE_PERCPU_ARRAY));
	CHECK(!uxdp_map_type_is_percpu(BPF_MAP_TYPE_ARRAY));
	CHECK_EQ(create_rc(BPF_MAP_TYPE_PERCPU_ARRAY, 8, 4, 4, 0), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 0, 4, 0), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 0, 0), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 4,
			   BPF_F_MMAPABLE), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 32769, 4, 0), -E2BIG);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_PERCPU_HASH, 4, 32769, 4, 0), -E2BIG);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 4,
			   BPF_F_NO_COMMON_LRU), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 4,
			   BPF_F_NO_COMMON_LRU), 0);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 4,
			   BPF_F_NO_PREALLOC), -524);
}

static void
test_array(void)
{
	unsigned int n = uxdp_map_nr_cpus();
	struct uxdp_map *map = create(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 8, 0);
	uint64_t all[RTE_MAX_LCORE];
	uint32_t key = 3, v;
	uint32_t *p;
	unsigned int c;

	/* The syscall's update: slot c gets c * 10, padding ignored. */
	for (c = 0; c < n; c++)
		all[c] = 0xdead00000000ull | c * 10;
	CHECK_EQ(uxdp_map_update(map, &key, all, BPF_ANY), 0);
	CHECK_EQ(uxdp_map_update(map, &key, all, BPF_NOEXIST), -EEXIST);
	memset(all, 0xff, sizeof(all));
	CHECK_EQ(uxdp_map_lookup_copy(map, &key, all), 0);
	for (c = 0; c < n; c++)
		CHECK_EQ(all[c], c * 10); /* padding reads as zero */

	/* The program's view: slot 0 outside an lcore, else the lcore's. */
	p = uxdp_map_lookup(map, &key);
	CHECK(p != NULL && *p == 0);
	become_lcore(5);
	p = uxdp_map_lookup(map, &key);
	CHECK(p != NULL && *p == 50);
	v = 77;
	CHECK_EQ(uxdp_map_update_prog(map, &key, &v, BPF_ANY), 0);
	become_lcore(LCORE_ID_ANY);
	CHECK_EQ(*(uint32_t *)uxdp_map_lookup_percpu(map, &key, 5), 77);
	CHECK_EQ(*(uint32_t *)uxdp_map_lookup_percpu(map, &key, 4), 40);
	CHECK(uxdp_map_lookup_percpu(map, &key, n) == NULL);
	key = 8;
	CHECK(uxdp_map_lookup(map, &key) == NULL);
	CHECK_EQ(uxdp_map_update_prog(map, &key, &v, BPF_ANY), -E2BIG);
	CHECK_EQ(uxdp_map_delete(map, &key), -EINVAL);
	CHECK_EQ(uxdp_map_lookup_copy(map, &key, all), -ENOENT);
	CHECK_EQ(uxdp_map_count(map), 8);
	uxdp_map_destroy(map);
}

static void
test_hash(uint32_t type)
{
	unsigned int n = uxdp_map_nr_cpus();
	struct uxdp_map *map = create(type, 4, 12, 4, 0);
	uint8_t all[RTE_MAX_LCORE * 16];
	uint8_t v[12];
	uint32_t key = 42, next;
	uint8_t *p;
	unsigned int c;

	/* A program's insert: its slot holds the value, the others zero. */
	memset(v, 0xab, sizeof(v));
	become_lcore(2);
	CHECK_EQ(uxdp_map_update_prog(map, &key, v, BPF_NOEXIST), 0);
	CHECK_EQ(uxdp_map_update_prog(map, &key, v, BPF_NOEXIST), -EEXIST);
	p = uxdp_map_lookup(map, &key);
	CHECK(p != NULL && p[0] == 0xab && p[11] == 0xab);
	become_lcore(LCORE_ID_ANY);
	p = uxdp_map_lookup(map, &key);
	CHECK(p != NULL && p[0] == 0);
	CHECK_EQ(uxdp_map_lookup_copy(map, &key, all), 0);
	for (c = 0; c < n; c++)
		CHECK_EQ(all[c * 16], c == 2 ? 0xab : 0);
	CHECK_EQ(all[2 * 16 + 12], 0); /* padding */

	/* A program's update of an existing key leaves other slots alone. */
	memset(v, 0x11, sizeof(v));
	CHECK_EQ(uxdp_map_update_prog(map, &key, v, BPF_EXIST), 0);
	CHECK_EQ(((uint8_t *)uxdp_map_lookup_percpu(map, &key, 2))[0], 0xab);
	CHECK_EQ(((uint8_t *)uxdp_map_lookup_percpu(map, &key, 0))[0], 0x11);

	/* The syscall's update writes every slot. */
	for (c = 0; c < n; c++)
		memset(all + c * 16, c, 16);
	CHECK_EQ(uxdp_map_update(map, &key, all, BPF_ANY), 0);
	CHECK_EQ(((uint8_t *)uxdp_map_lookup_percpu(map, &key, 7))[3], 7);
	CHECK_EQ(uxdp_map_get_next_key(map, NULL, &next), 0);
	CHECK_EQ(next, 42);
	CHECK_EQ(uxdp_map_delete(map, &key), 0);
	CHECK(uxdp_map_lookup(map, &key) == NULL);
	CHECK(uxdp_map_lookup_percpu(map, &key, 0) == NULL);
	CHECK_EQ(uxdp_map_delete(map, &key), -ENOENT);
	uxdp_map_destroy(map);
}

int
main(void)
{
	test_create_rules();
	test_array();
	test_hash(BPF_MAP_TYPE_PERCPU_HASH);
	test_hash(BPF_MAP_TYPE_LRU_PERCPU_HASH);
	return checks_summary();
}
