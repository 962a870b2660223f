/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/* Maps in DPDK shared memory: the map is its memzone, named in the header,
 * and destroy gives the memzone back. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memzone.h>

#include "uxdp_map.h"
#include "uxdp_map_impl.h"
#include "map_test.h"

static void
check_memzone(const struct uxdp_map *map)
{
	const struct rte_memzone *mz;

	CHECK(strncmp(map->memzone_name, "uxdp_map_", 9) == 0);
	CHECK(strlen(map->memzone_name) < RTE_MEMZONE_NAMESIZE);
	mz = rte_memzone_lookup(map->memzone_name);
	CHECK(mz != NULL);
	/* The map handle is the memzone start: valid in every process that
	 * maps the memzone at the same address. */
	CHECK(mz->addr == (const void *)map);
	CHECK(mz->len >= map->total_size);
	CHECK_EQ((uintptr_t)map % RTE_CACHE_LINE_SIZE, 0);
}

static void
check_freed(const char *mz_name)
{
	CHECK(rte_memzone_lookup(mz_name) == NULL);
}

static void
test_shared_array(void)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 12,
		.max_entries = 100,
	};
	char mz_name[RTE_MEMZONE_NAMESIZE];
	uint8_t val[12], got[12], zero[12] = { 0 };
	struct uxdp_map *map;
	uint32_t idx, n = 0;
	int ret;

	CHECK_EQ(uxdp_map_create("shared_array", &def, UXDP_MEM_SHARED, &map), 0);
	CHECK_EQ(map->mem_kind, UXDP_MEM_SHARED);
	check_memzone(map);
	CHECK(strcmp(uxdp_map_name(map), "shared_array") == 0);

	/* Memzone memory is not necessarily zero: the map must be. */
	for (idx = 0; idx < 100; idx++) {
		CHECK_EQ(uxdp_map_lookup_copy(map, &idx, got), 0);
		CHECK(memcmp(got, zero, sizeof(got)) == 0);
	}
	memset(val, 0x77, sizeof(val));
	idx = 42;
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_ANY), 0);
	CHECK_EQ(uxdp_map_lookup_copy(map, &idx, got), 0);
	CHECK(memcmp(got, val, sizeof(val)) == 0);
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_NOEXIST), -EEXIST);
	idx = 100;
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_ANY), -E2BIG);
	CHECK_EQ(uxdp_map_delete(map, &idx), -EINVAL);
	for (ret = uxdp_map_get_next_key(map, NULL, &idx); ret == 0;
	     ret = uxdp_map_get_next_key(map, &idx, &idx))
		n++;
	CHECK_EQ(n, 100);
	CHECK_EQ(uxdp_map_count(map), 100);

	snprintf(mz_name, sizeof(mz_name), "%s", map->memzone_name);
	uxdp_map_destroy(map);
	check_freed(mz_name);
}

static void
test_shared_hash(void)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 8,
		.max_entries = 64,
	};
	char mz_name[RTE_MEMZONE_NAMESIZE];
	struct uxdp_map *map, *other;
	uint64_t key, val, got;
	uint32_t n = 0;
	int ret;

	CHECK_EQ(uxdp_map_create("shared_hash", &def, UXDP_MEM_SHARED, &map), 0);
	check_memzone(map);
	/* A second map gets its own memzone. */
	CHECK_EQ(uxdp_map_create("other", &def, UXDP_MEM_SHARED, &other), 0);
	check_memzone(other);
	CHECK(strcmp(map->memzone_name, other->memzone_name) != 0);

	for (key = 0; key < 64; key++) {
		val = key * 3;
		CHECK_EQ(uxdp_map_update(map, &key, &val, BPF_NOEXIST), 0);
	}
	CHECK_EQ(uxdp_map_update(map, &key, &val, BPF_ANY), -E2BIG);
	CHECK_EQ(uxdp_map_count(map), 64);
	CHECK_EQ(uxdp_map_count(other), 0);
	key = 10;
	CHECK_EQ(uxdp_map_lookup_copy(map, &key, &got), 0);
	CHECK_EQ(got, 30);
	CHECK_EQ(uxdp_map_delete(map, &key), 0);
	CHECK_EQ(uxdp_map_delete(map, &key), -ENOENT);
	CHECK(uxdp_map_lookup(map, &key) == NULL);
	key = 1000;
	CHECK_EQ(uxdp_map_update(map, &key, &val, BPF_NOEXIST), 0);
	for (ret = uxdp_map_get_next_key(map, NULL, &key); ret == 0;
	     ret = uxdp_map_get_next_key(map, &key, &key))
		n++;
	CHECK_EQ(n, 64);

	snprintf(mz_name, sizeof(mz_name), "%s", map->memzone_name);
	uxdp_map_destroy(map);
	check_freed(mz_name);
	CHECK(rte_memzone_lookup(other->memzone_name) != NULL);
	snprintf(mz_name, sizeof(mz_name), "%s", other->memzone_name);
	uxdp_map_destroy(other);
	check_freed(mz_name);
}

static void
count_map_memzone(const struct rte_memzone *mz, void *arg)
{
	if (strncmp(mz->name, "uxdp_map_", 9) == 0)
		(*(unsigned int *)arg)++;
}

static unsigned int
map_memzones(void)
{
	unsigned int n = 0;

	rte_memzone_walk(count_map_memzone, &n);
	return n;
}

/* Creation errors leave no memzone behind, nor does the whole test. */
static void
test_shared_errors(void)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_HASH, .key_size = 0, .value_size = 8,
		.max_entries = 64,
	};
	struct uxdp_map *map = (struct uxdp_map *)&def;

	CHECK_EQ(map_memzones(), 0);
	CHECK_EQ(uxdp_map_create("bad", &def, UXDP_MEM_SHARED, &map), -EINVAL);
	CHECK(map == NULL);
	def.type = BPF_MAP_TYPE_CPUMAP;
	CHECK_EQ(uxdp_map_create("bad", &def, UXDP_MEM_SHARED, &map), -ENOTSUP);
	/* More than the memory (-m 128) holds. */
	def.type = BPF_MAP_TYPE_ARRAY;
	def.key_size = 4;
	def.value_size = 1u << 20;
	def.max_entries = 1024;
	CHECK_EQ(uxdp_map_create("big", &def, UXDP_MEM_SHARED, &map), -ENOMEM);
	CHECK(map == NULL);
	CHECK_EQ(map_memzones(), 0);
}

int
main(void)
{
	char prefix[64];
	char *argv[] = {
		"test_map_shared", "--no-huge", "-m", "128", "--no-pci",
		prefix, "--log-level=lib.eal:error",
		"--log-level=lib.telemetry:error", NULL,
	};
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;

	snprintf(prefix, sizeof(prefix), "--file-prefix=uxdp_maps_test_%d",
		 (int)getpid());
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	CHECK_EQ(map_memzones(), 0);
	test_shared_array();
	test_shared_hash();
	test_shared_errors();
	rte_eal_cleanup();
	return checks_summary();
}
