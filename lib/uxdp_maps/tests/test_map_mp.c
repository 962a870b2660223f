/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Two DPDK processes, one set of maps: the primary creates and fills
 * HASH, ARRAY, LRU_HASH, LPM_TRIE, QUEUE and RINGBUF maps, then runs this
 * binary again as a secondary, which attaches by name, checks what the
 * primary wrote, changes it and produces ringbuf records; the primary then
 * checks every change the secondary made.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>

#include <rte_eal.h>

#include "uxdp_map.h"
#include "map_test.h"
#include "mp_env.h"

#define N_KEYS 100
#define N_NEW 50
#define N_RB_PRIMARY 20
#define N_RB_SECONDARY 7

struct val16 {
	uint64_t a;
	uint64_t b;
};

static struct val16
pattern(uint32_t key, uint32_t round)
{
	struct val16 v = {
		.a = (uint64_t)key * 0x9e3779b1u + round,
		.b = ~((uint64_t)key << 32 | round),
	};

	return v;
}

struct lpm_key {
	uint32_t prefixlen;
	uint8_t addr[4];
};

/* A record of n bytes: its number, then bytes derived from it. */
static uint32_t
rb_record(uint8_t *buf, uint32_t n, uint32_t seq)
{
	uint32_t size = 4 + (seq * 7) % 60, i;

	memcpy(buf, &seq, 4);
	for (i = 4; i < size && i < n; i++)
		buf[i] = (uint8_t)(seq + i);
	return size;
}

struct rb_check {
	uint32_t next_seq;
	uint32_t bad;
};

static int
rb_check_cb(void *ctx, const void *data, uint32_t size)
{
	struct rb_check *c = ctx;
	uint8_t want[64];

	if (size != rb_record(want, sizeof(want), c->next_seq) ||
	    memcmp(data, want, size) != 0)
		c->bad++;
	c->next_seq++;
	return 0;
}

static struct uxdp_map *
attach(const char *name)
{
	struct uxdp_map *map = NULL;

	CHECK_EQ(uxdp_map_attach(name, &map), 0);
	CHECK(map != NULL);
	CHECK(strcmp(uxdp_map_name(map), name) == 0);
	return map;
}

/* The secondary: everything it does, the primary checks afterwards. */
static int
run_secondary(int argc, char **argv)
{
	struct uxdp_map *hash, *array, *lru, *lpm, *queue, *rb, *again;
	struct rb_check rc = { .next_seq = 0 };
	struct val16 v, want;
	struct lpm_key lk;
	uint32_t k, idx, n;
	uint64_t u;
	uint8_t rec[64];

	if (mp_env_eal_init(argc, argv, "2@0") < 0)
		return 1;
	CHECK_EQ(rte_eal_process_type(), RTE_PROC_SECONDARY);

	hash = attach("mp_hash");
	array = attach("mp_array");
	lru = attach("mp_lru");
	lpm = attach("mp_lpm");
	queue = attach("mp_queue");
	rb = attach("mp_rb");
	/* The memzone name is the exact handle, the same pointer. */
	CHECK(uxdp_map_memzone_name(hash) != NULL);
	CHECK_EQ(uxdp_map_attach(uxdp_map_memzone_name(hash), &again), 0);
	CHECK(again == hash);
	CHECK_EQ(uxdp_map_attach("mp_none", &again), -ENOENT);
	CHECK(again == NULL);
	CHECK_EQ(uxdp_map_attach("mp_dup", &again), -ENOTUNIQ);
	CHECK_EQ(uxdp_map_attach("mp_progs", &again), -ENOTSUP);
	CHECK_EQ(uxdp_map_id(hash), 0);

	/* HASH: read all, delete the even keys, rewrite the odd ones, add
	 * new ones. */
	CHECK_EQ(uxdp_map_count(hash), N_KEYS);
	for (k = 0; k < N_KEYS; k++) {
		want = pattern(k, 0);
		CHECK_EQ(uxdp_map_lookup_copy(hash, &k, &v), 0);
		CHECK(memcmp(&v, &want, sizeof(v)) == 0);
		CHECK(uxdp_map_lookup(hash, &k) != NULL);
		if (k % 2 == 0) {
			CHECK_EQ(uxdp_map_delete(hash, &k), 0);
		} else {
			v = pattern(k, 1);
			CHECK_EQ(uxdp_map_update(hash, &k, &v, BPF_EXIST), 0);
		}
	}
	for (k = 1000; k < 1000 + N_NEW; k++) {
		v = pattern(k, 2);
		CHECK_EQ(uxdp_map_update(hash, &k, &v, BPF_NOEXIST), 0);
	}

	/* ARRAY: values are the index times 3; add 1000. */
	for (idx = 0; idx < N_KEYS; idx++) {
		CHECK_EQ(uxdp_map_lookup_copy(array, &idx, &u), 0);
		CHECK_EQ(u, idx * 3);
		u += 1000;
		CHECK_EQ(uxdp_map_update(array, &idx, &u, BPF_ANY), 0);
	}

	/* LRU_HASH (full, 10 entries): read 0..4 so they stay, insert 5
	 * new keys that must evict exactly the unread ones. */
	CHECK_EQ(uxdp_map_count(lru), 10);
	for (k = 0; k < 5; k++)
		CHECK(uxdp_map_lookup(lru, &k) != NULL);
	for (k = 100; k < 105; k++) {
		u = k;
		CHECK_EQ(uxdp_map_update(lru, &k, &u, BPF_ANY), 0);
	}

	/* LPM_TRIE: longest match through the primary's prefixes, then
	 * one more prefix. */
	lk = (struct lpm_key){ 32, { 10, 1, 2, 3 } };
	CHECK_EQ(uxdp_map_lookup_copy(lpm, &lk, &u), 0);
	CHECK_EQ(u, 16);
	lk = (struct lpm_key){ 32, { 10, 9, 9, 9 } };
	CHECK_EQ(uxdp_map_lookup_copy(lpm, &lk, &u), 0);
	CHECK_EQ(u, 8);
	lk = (struct lpm_key){ 24, { 10, 1, 2, 0 } };
	u = 24;
	CHECK_EQ(uxdp_map_update(lpm, &lk, &u, BPF_ANY), 0);

	/* QUEUE: pop the primary's first two, push one. */
	CHECK_EQ(uxdp_map_pop(queue, &u), 0);
	CHECK_EQ(u, 1);
	CHECK_EQ(uxdp_map_pop(queue, &u), 0);
	CHECK_EQ(u, 2);
	u = 99;
	CHECK_EQ(uxdp_map_push(queue, &u, BPF_ANY), 0);

	/* RINGBUF: consume the primary's records, produce our own. */
	CHECK_EQ(uxdp_ringbuf_consume(rb, rb_check_cb, &rc), N_RB_PRIMARY);
	CHECK_EQ(rc.bad, 0);
	CHECK_EQ(uxdp_ringbuf_query(rb, BPF_RB_AVAIL_DATA), 0);
	for (n = 0; n < N_RB_SECONDARY; n++) {
		uint32_t size = rb_record(rec, sizeof(rec), 1000 + n);
		uint8_t *p = uxdp_ringbuf_reserve(rb, size, 0);

		CHECK(p != NULL);
		memcpy(p, rec, size);
		uxdp_ringbuf_submit(p, 0);
	}

	/* Only the creator frees: this must leave the map alone. */
	uxdp_map_destroy(array);
	uxdp_map_detach(array);
	uxdp_map_detach(hash);
	rte_eal_cleanup();
	printf("secondary: ");
	return checks_summary();
}

static void
create(const char *name, uint32_t type, uint32_t key_size,
       uint32_t value_size, uint32_t max, uint32_t flags,
       struct uxdp_map **out)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max, .map_flags = flags,
	};

	CHECK_EQ(uxdp_map_create(name, &def, UXDP_MEM_SHARED, out), 0);
}

int
main(int argc, char **argv)
{
	struct uxdp_map *hash, *array, *lru, *lpm, *queue, *rb, *dup1, *dup2;
	struct uxdp_map *progs;
	struct rb_check rc = { .next_seq = 1000 };
	struct lpm_key lk;
	struct val16 v, want;
	uint32_t k, idx, n;
	pid_t pid;
	uint64_t u;
	uint8_t rec[64];
	int ret;

	if (mp_env_is_secondary(argc, argv))
		return run_secondary(argc, argv);
	ret = mp_env_setup("mp");
	if (ret != 0)
		return ret;
	if (mp_env_eal_init(argc, argv, "0") < 0)
		return 1;

	create("mp_hash", BPF_MAP_TYPE_HASH, 4, sizeof(v), 256, 0, &hash);
	create("mp_array", BPF_MAP_TYPE_ARRAY, 4, 8, N_KEYS, 0, &array);
	create("mp_lru", BPF_MAP_TYPE_LRU_HASH, 4, 8, 10, 0, &lru);
	create("mp_lpm", BPF_MAP_TYPE_LPM_TRIE, 8, 8, 16, BPF_F_NO_PREALLOC,
	       &lpm);
	create("mp_queue", BPF_MAP_TYPE_QUEUE, 0, 8, 8, 0, &queue);
	create("mp_rb", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, &rb);
	create("mp_dup", BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, &dup1);
	create("mp_dup", BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, &dup2);
	create("mp_progs", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, &progs);

	for (k = 0; k < N_KEYS; k++) {
		v = pattern(k, 0);
		CHECK_EQ(uxdp_map_update(hash, &k, &v, BPF_NOEXIST), 0);
	}
	for (idx = 0; idx < N_KEYS; idx++) {
		u = idx * 3;
		CHECK_EQ(uxdp_map_update(array, &idx, &u, BPF_ANY), 0);
	}
	for (k = 0; k < 10; k++) {
		u = k;
		CHECK_EQ(uxdp_map_update(lru, &k, &u, BPF_NOEXIST), 0);
	}
	lk = (struct lpm_key){ 8, { 10, 0, 0, 0 } };
	u = 8;
	CHECK_EQ(uxdp_map_update(lpm, &lk, &u, BPF_ANY), 0);
	lk = (struct lpm_key){ 16, { 10, 1, 0, 0 } };
	u = 16;
	CHECK_EQ(uxdp_map_update(lpm, &lk, &u, BPF_ANY), 0);
	for (u = 1; u <= 3; u++)
		CHECK_EQ(uxdp_map_push(queue, &u, BPF_ANY), 0);
	for (n = 0; n < N_RB_PRIMARY; n++) {
		uint32_t size = rb_record(rec, sizeof(rec), n);

		CHECK_EQ(uxdp_ringbuf_output(rb, rec, size, 0), 0);
	}

	pid = mp_env_spawn_secondary();
	CHECK(pid > 0);
	CHECK_EQ(mp_env_wait(pid, 20), 0);

	/* HASH: odd keys rewritten, even ones gone, new ones there. */
	CHECK_EQ(uxdp_map_count(hash), N_KEYS / 2 + N_NEW);
	for (k = 0; k < N_KEYS; k++) {
		ret = uxdp_map_lookup_copy(hash, &k, &v);
		if (k % 2 == 0) {
			CHECK_EQ(ret, -ENOENT);
			continue;
		}
		want = pattern(k, 1);
		CHECK_EQ(ret, 0);
		CHECK(memcmp(&v, &want, sizeof(v)) == 0);
	}
	for (k = 1000; k < 1000 + N_NEW; k++) {
		want = pattern(k, 2);
		CHECK_EQ(uxdp_map_lookup_copy(hash, &k, &v), 0);
		CHECK(memcmp(&v, &want, sizeof(v)) == 0);
	}
	/* ARRAY: the secondary's destroy left it alive. */
	for (idx = 0; idx < N_KEYS; idx++) {
		CHECK_EQ(uxdp_map_lookup_copy(array, &idx, &u), 0);
		CHECK_EQ(u, idx * 3 + 1000);
	}
	/* LRU: 0..4 were used, so 5..9 went. */
	CHECK_EQ(uxdp_map_count(lru), 10);
	for (k = 0; k < 10; k++)
		CHECK_EQ(uxdp_map_lookup_copy(lru, &k, &u), k < 5 ? 0 : -ENOENT);
	for (k = 100; k < 105; k++) {
		CHECK_EQ(uxdp_map_lookup_copy(lru, &k, &u), 0);
		CHECK_EQ(u, k);
	}
	lk = (struct lpm_key){ 32, { 10, 1, 2, 3 } };
	CHECK_EQ(uxdp_map_lookup_copy(lpm, &lk, &u), 0);
	CHECK_EQ(u, 24);
	CHECK_EQ(uxdp_map_pop(queue, &u), 0);
	CHECK_EQ(u, 3);
	CHECK_EQ(uxdp_map_pop(queue, &u), 0);
	CHECK_EQ(u, 99);
	CHECK_EQ(uxdp_map_pop(queue, &u), -ENOENT);
	CHECK_EQ(uxdp_ringbuf_consume(rb, rb_check_cb, &rc), N_RB_SECONDARY);
	CHECK_EQ(rc.bad, 0);
	CHECK_EQ(uxdp_ringbuf_query(rb, BPF_RB_CONS_POS),
		 uxdp_ringbuf_query(rb, BPF_RB_PROD_POS));

	uxdp_map_destroy(hash);
	uxdp_map_destroy(array);
	uxdp_map_destroy(lru);
	uxdp_map_destroy(lpm);
	uxdp_map_destroy(queue);
	uxdp_map_destroy(rb);
	uxdp_map_destroy(dup1);
	uxdp_map_destroy(dup2);
	uxdp_map_destroy(progs);
	rte_eal_cleanup();
	printf("primary: ");
	return checks_summary();
}
