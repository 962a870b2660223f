/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * LRU_HASH: what uxdp guarantees (doc/maps.md), the kernel's exact
 * eviction order being its own: an insert into a full map succeeds by
 * evicting, an entry looked up since the last eviction pass survives, and
 * entries that are used keep surviving a stream of new keys.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map.h"
#include "map_test.h"

#define MAX 64

static struct uxdp_map *
create(uint32_t flags)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_LRU_HASH, .key_size = 4, .value_size = 8,
		.max_entries = MAX, .map_flags = flags,
	};
	struct uxdp_map *map = NULL;

	CHECK_EQ(uxdp_map_create("lru", &def, UXDP_MEM_HEAP, &map), 0);
	return map;
}

static void
test_full_insert_evicts(uint32_t flags)
{
	struct uxdp_map *map = create(flags);
	uint64_t value;
	uint32_t key;

	for (key = 0; key < MAX; key++) {
		value = key;
		CHECK_EQ(uxdp_map_update(map, &key, &value, BPF_NOEXIST), 0);
	}
	CHECK_EQ(uxdp_map_count(map), MAX);
	/* A plain hash would say -E2BIG here. */
	for (key = MAX; key < 4 * MAX; key++) {
		value = key;
		CHECK_EQ(uxdp_map_update(map, &key, &value, BPF_ANY), 0);
		CHECK(uxdp_map_lookup(map, &key) != NULL);
		CHECK_EQ(uxdp_map_count(map), MAX);
	}
	/* BPF_EXIST still needs the key, and eviction frees nothing twice. */
	key = 100000;
	CHECK_EQ(uxdp_map_update(map, &key, &value, BPF_EXIST), -ENOENT);
	uxdp_map_destroy(map);
}

static void
test_recently_used_survives(void)
{
	struct uxdp_map *map = create(0);
	uint64_t value = 1;
	uint32_t hot[4] = { 0, 17, 33, MAX - 1 };
	uint32_t key;
	unsigned int i;

	for (key = 0; key < MAX; key++)
		CHECK_EQ(uxdp_map_update(map, &key, &value, BPF_ANY), 0);
	/* The hot keys are looked up before each insert of a new key, as
	 * a program's traffic would: however many new keys arrive, they
	 * are never the ones evicted. */
	for (key = MAX; key < 20 * MAX; key++) {
		for (i = 0; i < 4; i++)
			CHECK(uxdp_map_lookup(map, &hot[i]) != NULL);
		CHECK_EQ(uxdp_map_update(map, &key, &value, BPF_ANY), 0);
	}
	for (i = 0; i < 4; i++)
		CHECK(uxdp_map_lookup(map, &hot[i]) != NULL);

	/* One lookup protects an entry through the next eviction. */
	for (key = 0; key < 3 * MAX; key++) {
		uint32_t probe = 20 * MAX + key;
		uint32_t victim_guard;

		CHECK_EQ(uxdp_map_get_next_key(map, NULL, &victim_guard), 0);
		CHECK(uxdp_map_lookup(map, &victim_guard) != NULL);
		CHECK_EQ(uxdp_map_update(map, &probe, &value, BPF_ANY), 0);
		CHECK(uxdp_map_lookup(map, &victim_guard) != NULL);
	}
	uxdp_map_destroy(map);
}

static void
test_replace_in_full_map(void)
{
	struct uxdp_map *map = create(0);
	uint64_t value = 5, out;
	uint32_t key;

	for (key = 0; key < MAX; key++)
		CHECK_EQ(uxdp_map_update(map, &key, &value, BPF_ANY), 0);
	/* Replacing a key evicts nothing in uxdp (doc/maps.md). */
	value = 9;
	key = 3;
	CHECK_EQ(uxdp_map_update(map, &key, &value, BPF_EXIST), 0);
	CHECK_EQ(uxdp_map_count(map), MAX);
	for (key = 0; key < MAX; key++)
		CHECK_EQ(uxdp_map_lookup_copy(map, &key, &out), 0);
	key = 3;
	CHECK_EQ(uxdp_map_lookup_copy(map, &key, &out), 0);
	CHECK_EQ(out, 9);
	CHECK_EQ(uxdp_map_delete(map, &key), 0);
	CHECK_EQ(uxdp_map_count(map), MAX - 1);
	uxdp_map_destroy(map);
}

int
main(void)
{
	test_full_insert_evicts(0);
	test_full_insert_evicts(BPF_F_NO_COMMON_LRU);
	test_recently_used_survives();
	test_replace_in_full_map();
	return checks_summary();
}
