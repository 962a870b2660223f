/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * LPM_TRIE longest match at scale: thousands of nested prefixes (IPv4 and
 * IPv6-sized keys), inserted and partly deleted, and every lookup compared
 * with a plain scan for the longest covering prefix. The lookup's binary
 * searches (map_lpm.c) must agree with the definition on every key.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map.h"
#include "map_test.h"

#define MAX_DATA 16
#define N_PREFIXES 3000
#define N_LOOKUPS 50000

struct key {
	uint32_t prefixlen;
	uint8_t data[MAX_DATA];
};

struct stored {
	struct key k;
	uint32_t value;
	int live;
};

static struct stored table[N_PREFIXES];

static int
covers(const struct key *p, const struct key *q)
{
	uint32_t bytes = p->prefixlen / 8, rest = p->prefixlen % 8;
	uint8_t mask;

	if (p->prefixlen > q->prefixlen || memcmp(p->data, q->data, bytes))
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((p->data[bytes] ^ q->data[bytes]) & mask) == 0;
}

/* The definition: the longest live stored prefix covering q. */
static int
scan(const struct key *q, uint32_t *value)
{
	int best = -1;
	unsigned int i;

	for (i = 0; i < N_PREFIXES; i++)
		if (table[i].live && covers(&table[i].k, q) &&
		    (best < 0 || table[i].k.prefixlen >
				 table[best].k.prefixlen))
			best = (int)i;
	if (best < 0)
		return -ENOENT;
	*value = table[best].value;
	return 0;
}

/* Addresses from a few bytes per position, so that prefixes nest and
 * share long runs of bits. */
static void
random_key(uint64_t *rng, uint32_t data_size, struct key *k)
{
	uint32_t i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < data_size; i++)
		k->data[i] = (uint8_t)(test_rand(rng) % 4 * 0x45);
	if (test_rand(rng) % 2)
		k->data[test_rand(rng) % data_size] = (uint8_t)test_rand(rng);
	k->prefixlen = test_rand(rng) % (data_size * 8 + 1);
}

static void
run(uint32_t data_size, uint64_t seed)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_LPM_TRIE, .key_size = 4 + data_size,
		.value_size = 4, .max_entries = N_PREFIXES,
		.map_flags = BPF_F_NO_PREALLOC,
	};
	uint64_t rng = seed;
	struct uxdp_map *map;
	uint32_t want, got;
	struct key q;
	unsigned int i, j;
	int ret;

	memset(table, 0, sizeof(table));
	CHECK_EQ(uxdp_map_create("lpm_match", &def, UXDP_MEM_HEAP, &map), 0);
	for (i = 0; i < N_PREFIXES; i++) {
		random_key(&rng, data_size, &table[i].k);
		table[i].value = i;
		ret = uxdp_map_update(map, &table[i].k, &i, BPF_NOEXIST);
		/* Duplicates of an earlier prefix stay out of the table. */
		CHECK(ret == 0 || ret == -EEXIST);
		table[i].live = ret == 0;
	}
	for (i = 0; i < N_PREFIXES; i += 3)
		if (table[i].live) {
			CHECK_EQ(uxdp_map_delete(map, &table[i].k), 0);
			table[i].live = 0;
		}
	for (j = 0; j < N_LOOKUPS; j++) {
		random_key(&rng, data_size, &q);
		if (j % 2)
			q.prefixlen = data_size * 8;
		ret = scan(&q, &want);
		CHECK_EQ(uxdp_map_lookup_copy(map, &q, &got), ret);
		if (ret == 0)
			CHECK_EQ(got, want);
	}
	uxdp_map_destroy(map);
}

int
main(void)
{
	run(4, 0x1234);
	run(16, 0x5678);
	run(1, 0x9abc);
	return checks_summary();
}
