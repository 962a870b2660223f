/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * "No process-local pointer in a map": every new map type is filled, its
 * block copied byte for byte to another address, and the copy must answer
 * every query as the original does. A pointer stored inside the block
 * would still lead to the original, and the two would disagree once the
 * copy changes (a secondary process has its own process-local tables;
 * copying the block elsewhere is the stronger test).
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"
#include "map_test.h"

static struct uxdp_map *
create(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max,
       uint32_t flags)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max, .map_flags = flags,
	};
	struct uxdp_map *map = NULL;

	CHECK_EQ(uxdp_map_create("reloc", &def, UXDP_MEM_HEAP, &map), 0);
	return map;
}

/* A copy of the whole block at another address. */
static struct uxdp_map *
relocated(const struct uxdp_map *map)
{
	void *mem = mmap(NULL, map->total_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(mem != MAP_FAILED);
	memcpy(mem, map, map->total_size);
	return mem;
}

static void
drop_copy(struct uxdp_map *copy)
{
	munmap(copy, copy->total_size);
}

static int
ignore(void *ctx, const void *data, uint32_t size)
{
	uint64_t *sum = ctx;

	*sum += size + *(const uint8_t *)data;
	return 0;
}

int
main(void)
{
	static const uint32_t keyed[][5] = {
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 16, 0 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 16, 0 },
		{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 16, 0 },
		{ BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 16, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 8, 16, BPF_F_NO_PREALLOC },
		{ BPF_MAP_TYPE_DEVMAP, 4, 8, 16, 0 },
		{ BPF_MAP_TYPE_DEVMAP_HASH, 4, 8, 16, 0 },
	};
	uint8_t a[RTE_MAX_LCORE * 8], b[RTE_MAX_LCORE * 8];
	struct uxdp_map *map, *copy;
	uint64_t sum1 = 0, sum2 = 0;
	uint8_t key[8], next1[8], next2[8];
	uint32_t i, k;
	int r1, r2;

	for (i = 0; i < sizeof(keyed) / sizeof(keyed[0]); i++) {
		map = create(keyed[i][0], keyed[i][1], keyed[i][2], keyed[i][3],
			     keyed[i][4]);
		for (k = 0; k < 12; k++) {
			uint32_t plen = 8 + k;

			memset(a, (int)k + 1, sizeof(a));
			if (keyed[i][0] == BPF_MAP_TYPE_DEVMAP ||
			    keyed[i][0] == BPF_MAP_TYPE_DEVMAP_HASH)
				memset(a + 4, 0, 4); /* no program fd */
			memset(key, 0, sizeof(key));
			if (keyed[i][0] == BPF_MAP_TYPE_LPM_TRIE) {
				memcpy(key, &plen, 4);
				key[4] = 10;
				key[5] = (uint8_t)(k * 16);
			} else {
				memcpy(key, &k, 4);
			}
			CHECK_EQ(uxdp_map_update(map, key, a, BPF_ANY), 0);
		}
		copy = relocated(map);
		CHECK_EQ(uxdp_map_count(copy), uxdp_map_count(map));
		for (k = 0; k < 16; k++) {
			uint32_t plen = 32;

			memset(key, 0, sizeof(key));
			if (keyed[i][0] == BPF_MAP_TYPE_LPM_TRIE) {
				memcpy(key, &plen, 4);
				key[4] = 10;
				key[5] = (uint8_t)(k * 16);
			} else {
				memcpy(key, &k, 4);
			}
			memset(a, 0, sizeof(a));
			memset(b, 0, sizeof(b));
			r1 = uxdp_map_lookup_copy(map, key, a);
			r2 = uxdp_map_lookup_copy(copy, key, b);
			CHECK_EQ(r1, r2);
			CHECK(memcmp(a, b, sizeof(a)) == 0);
			CHECK((uxdp_map_lookup(map, key) == NULL) ==
			      (uxdp_map_lookup(copy, key) == NULL));
		}
		/* Walks agree key by key. */
		r1 = uxdp_map_get_next_key(map, NULL, next1);
		r2 = uxdp_map_get_next_key(copy, NULL, next2);
		while (r1 == 0 && r2 == 0) {
			CHECK(memcmp(next1, next2, keyed[i][1]) == 0);
			memcpy(key, next1, keyed[i][1]);
			r1 = uxdp_map_get_next_key(map, key, next1);
			r2 = uxdp_map_get_next_key(copy, key, next2);
		}
		CHECK_EQ(r1, r2);
		/* The copy stays fully usable. */
		k = 3;
		if (keyed[i][0] != BPF_MAP_TYPE_LPM_TRIE) {
			if (keyed[i][0] == BPF_MAP_TYPE_PERCPU_ARRAY ||
			    keyed[i][0] == BPF_MAP_TYPE_DEVMAP)
				CHECK_EQ(uxdp_map_delete(copy, &k),
					 keyed[i][0] == BPF_MAP_TYPE_DEVMAP ? 0 : -EINVAL);
			else
				CHECK_EQ(uxdp_map_delete(copy, &k), 0);
		}
		drop_copy(copy);
		uxdp_map_destroy(map);
	}

	/* Queues and ring buffers. */
	map = create(BPF_MAP_TYPE_QUEUE, 0, 4, 8, 0);
	for (k = 0; k < 5; k++)
		CHECK_EQ(uxdp_map_push(map, &k, BPF_ANY), 0);
	copy = relocated(map);
	for (k = 0; k < 5; k++) {
		uint32_t v = 99;

		CHECK_EQ(uxdp_map_pop(copy, &v), 0);
		CHECK_EQ(v, k);
	}
	drop_copy(copy);
	uxdp_map_destroy(map);

	map = create(BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	for (k = 0; k < 5; k++) {
		a[0] = (uint8_t)k;
		CHECK_EQ(uxdp_ringbuf_output(map, a, 4 + k, 0), 0);
	}
	/* A record reserved in the copy is submitted by its pointer. */
	copy = relocated(map);
	{
		uint8_t *rec = uxdp_ringbuf_reserve(copy, 3, 0);

		CHECK(rec != NULL);
		rec[0] = 7;
		uxdp_ringbuf_submit(rec, 0);
	}
	CHECK_EQ(uxdp_ringbuf_consume(map, ignore, &sum1), 5);
	CHECK_EQ(uxdp_ringbuf_consume(copy, ignore, &sum2), 6);
	CHECK_EQ(sum2, sum1 + 3 + 7);
	drop_copy(copy);
	uxdp_map_destroy(map);
	return checks_summary();
}
