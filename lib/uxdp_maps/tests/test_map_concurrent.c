/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The new map types under concurrent use, as lcores would use them:
 * - RINGBUF: two producers and a consumer; every record arrives once, in
 *   each producer's order;
 * - LPM_TRIE: lookups that never lock see the stable prefixes' values
 *   while a writer inserts and deletes other prefixes;
 * - per-CPU arrays: lcores add to their own slot without atomics and no
 *   increment is lost;
 * - LRU_HASH: inserts from several threads never exceed max_entries.
 */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>

#include <rte_lcore.h>

#include "uxdp_map.h"
#include "map_test.h"

#define RECORDS 200000

static struct uxdp_map *
create(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max,
       uint32_t flags)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max, .map_flags = flags,
	};
	struct uxdp_map *map = NULL;

	CHECK_EQ(uxdp_map_create("conc", &def, UXDP_MEM_HEAP, &map), 0);
	return map;
}

/* --- ring buffer --- */

struct rb_ctx {
	struct uxdp_map *map;
	uint32_t id;
};

static void *
rb_producer(void *arg)
{
	struct rb_ctx *c = arg;
	uint64_t rec[2];
	uint32_t i;

	for (i = 0; i < RECORDS; i++) {
		rec[0] = c->id;
		rec[1] = i;
		/* A full ring: wait for the consumer. */
		while (uxdp_ringbuf_output(c->map, rec, sizeof(rec) - (i % 2) * 4,
					   0) == -EAGAIN)
			sched_yield();
	}
	return NULL;
}

struct rb_seen {
	uint64_t next[2];
	uint64_t total;
	int bad;
};

static int
rb_check(void *ctx, const void *data, uint32_t size)
{
	struct rb_seen *s = ctx;
	uint64_t rec[2] = { 0, 0 };

	memcpy(rec, data, size);
	if (rec[0] > 1 || (size == 12 ? rec[1] & 0xffffffff : rec[1]) !=
	    (s->next[rec[0]] & (size == 12 ? 0xffffffff : UINT64_MAX)))
		s->bad++;
	s->next[rec[0] & 1]++;
	s->total++;
	return 0;
}

static void
test_ringbuf(void)
{
	struct uxdp_map *map = create(BPF_MAP_TYPE_RINGBUF, 0, 0, 1 << 14, 0);
	struct rb_ctx ctx[2] = { { map, 0 }, { map, 1 } };
	struct rb_seen seen = { { 0, 0 }, 0, 0 };
	pthread_t t[2];
	int i;

	for (i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, rb_producer, &ctx[i]), 0);
	while (seen.total < 2 * RECORDS) {
		if (uxdp_ringbuf_consume(map, rb_check, &seen) == 0)
			sched_yield();
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(seen.bad, 0);
	CHECK_EQ(seen.total, 2 * RECORDS);
	CHECK_EQ(uxdp_ringbuf_query(map, BPF_RB_AVAIL_DATA), 0);
	uxdp_map_destroy(map);
}

/* --- LPM --- */

struct v4_key {
	uint32_t prefixlen;
	uint8_t addr[4];
};

static volatile int lpm_stop;

static void *
lpm_writer(void *arg)
{
	struct uxdp_map *map = arg;
	uint32_t v = 999, i = 0;

	while (!lpm_stop) {
		/* 20.x.y.0/24 and 20.x/16: never cover 10.0.0.0/8. */
		struct v4_key k = { 16 + (i % 2) * 8,
				    { 20, (uint8_t)(i / 2 % 50), 1, 0 } };

		if (uxdp_map_update(map, &k, &v, BPF_NOEXIST) != 0)
			uxdp_map_delete(map, &k);
		i++;
	}
	return NULL;
}

static void
test_lpm(void)
{
	struct uxdp_map *map = create(BPF_MAP_TYPE_LPM_TRIE, 8, 4, 256,
				      BPF_F_NO_PREALLOC);
	struct v4_key stable = { 8, { 10, 0, 0, 0 } };
	struct v4_key deep = { 24, { 10, 1, 2, 0 } };
	uint32_t v8 = 8, v24 = 24;
	pthread_t t;
	int i, bad = 0;

	CHECK_EQ(uxdp_map_update(map, &stable, &v8, BPF_ANY), 0);
	CHECK_EQ(uxdp_map_update(map, &deep, &v24, BPF_ANY), 0);
	CHECK_EQ(pthread_create(&t, NULL, lpm_writer, map), 0);
	for (i = 0; i < 300000; i++) {
		struct v4_key a = { 32, { 10, (uint8_t)(i % 3), 2, 7 } };
		uint32_t *v = uxdp_map_lookup(map, &a);
		uint32_t want = a.addr[1] == 1 ? 24 : 8;

		if (v == NULL || *v != want)
			bad++;
	}
	lpm_stop = 1;
	pthread_join(t, NULL);
	CHECK_EQ(bad, 0);
	uxdp_map_destroy(map);
}

/* --- per-CPU --- */

struct pc_ctx {
	struct uxdp_map *map;
	unsigned int lcore;
};

static void *
pc_worker(void *arg)
{
	struct pc_ctx *c = arg;
	uint32_t key = 1;
	int i;

	RTE_PER_LCORE(_lcore_id) = c->lcore;
	for (i = 0; i < 1000000; i++) {
		uint64_t *p = uxdp_map_lookup(c->map, &key);

		*p += 1; /* no atomics: the slot is this lcore's alone */
	}
	return NULL;
}

static void
test_percpu(void)
{
	struct uxdp_map *map = create(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 2, 0);
	struct pc_ctx ctx[3] = { { map, 1 }, { map, 2 }, { map, 3 } };
	uint64_t all[RTE_MAX_LCORE];
	uint64_t sum = 0;
	uint32_t key = 1;
	pthread_t t[3];
	unsigned int i;

	for (i = 0; i < 3; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, pc_worker, &ctx[i]), 0);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(uxdp_map_lookup_copy(map, &key, all), 0);
	for (i = 0; i < RTE_MAX_LCORE; i++)
		sum += all[i];
	CHECK_EQ(all[2], 1000000);
	CHECK_EQ(sum, 3000000);
	uxdp_map_destroy(map);
}

/* --- LRU --- */

static void *
lru_worker(void *arg)
{
	struct uxdp_map *map = arg;
	uint64_t v = 1;
	uint32_t k;

	for (k = 0; k < 200000; k++) {
		uint32_t key = k * 2654435761u;

		CHECK_EQ(uxdp_map_update(map, &key, &v, BPF_ANY), 0);
		uxdp_map_lookup(map, &key);
		CHECK(uxdp_map_count(map) <= 128);
	}
	return NULL;
}

static void
test_lru(void)
{
	struct uxdp_map *map = create(BPF_MAP_TYPE_LRU_HASH, 4, 8, 128, 0);
	uint32_t key, next, n = 0;
	pthread_t t[3];
	int i;

	for (i = 0; i < 3; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, lru_worker, map), 0);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(uxdp_map_count(map), 128);
	for (key = 0; uxdp_map_get_next_key(map, n ? &key : NULL, &next) == 0;
	     key = next)
		n++;
	CHECK_EQ(n, 128);
	uxdp_map_destroy(map);
}

int
main(void)
{
	test_ringbuf();
	test_lpm();
	test_percpu();
	test_lru();
	return checks_summary();
}
