/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The kernel is the reference: the same definitions and the same random
 * operation sequences go to a kernel map (bpf() through libbpf) and to a
 * uxdp map; return codes, looked-up values and final contents must agree.
 * Hash maps are compared as sets, their walk orders differ by design;
 * array walks must be identical.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "uxdp_map.h"
#include "map_test.h"

#define MAX_KEY 32
#define MAX_VALUE 32
#define POOL 40
#define N_OPS 20000

static int
errno_rc(int ret)
{
	return ret < 0 ? -errno : ret;
}

static int
kernel_create(uint32_t type, uint32_t key_size, uint32_t value_size,
	      uint32_t max_entries, uint32_t flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags);

	return errno_rc(bpf_map_create(type, "uxdp_diff", key_size, value_size,
				       max_entries, &opts));
}

static int
uxdp_create(uint32_t type, uint32_t key_size, uint32_t value_size,
	    uint32_t max_entries, uint32_t flags, struct uxdp_map **out)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max_entries, .map_flags = flags,
	};

	return uxdp_map_create("uxdp_diff", &def, UXDP_MEM_HEAP, out);
}

/* Exit 77 (a meson skip) when this process may not use bpf() at all. */
static void
skip_without_bpf(void)
{
	int fd = kernel_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0);

	if (fd == -EPERM || fd == -EACCES || fd == -ENOSYS ||
	    fd == -EOPNOTSUPP) {
		printf("SKIP: bpf(BPF_MAP_CREATE) is not available: %s\n",
		       strerror(-fd));
		exit(77);
	}
	CHECK(fd >= 0);
	close(fd);
}

struct def_case {
	uint32_t type, key_size, value_size, max_entries, flags;
};

/* Definitions around every create rule; uxdp's deliberate differences
 * (BPF_F_NUMA_NODE without a node, unimplemented types) are left out. */
static void
diff_create_rules(void)
{
	const uint32_t kv_limit = (4u << 20) - 48;
	const struct def_case cases[] = {
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0 },
		{ BPF_MAP_TYPE_ARRAY, 0, 4, 4, 0 },
		{ BPF_MAP_TYPE_ARRAY, 3, 4, 4, 0 },
		{ BPF_MAP_TYPE_ARRAY, 8, 4, 4, 0 },
		{ BPF_MAP_TYPE_ARRAY, 4, 0, 4, 0 },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_ARRAY, 4, 0x80000000u, 1, 0 },
		{ BPF_MAP_TYPE_ARRAY, 8, 4, 4, 1u << 20 },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_RDONLY_PROG | BPF_F_MMAPABLE },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_MMAPABLE },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_RDONLY },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_WRONLY },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_WRONLY_PROG },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_INNER_MAP },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_RDONLY | BPF_F_WRONLY },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_NO_PREALLOC },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_ZERO_SEED },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_PRESERVE_ELEMS },
		{ BPF_MAP_TYPE_ARRAY, 4, 4, 4, 1u << 30 },
		{ BPF_MAP_TYPE_HASH, 4, 4, 1, 0 },
		{ BPF_MAP_TYPE_HASH, 0, 4, 4, 0 },
		{ BPF_MAP_TYPE_HASH, 4, 0, 4, 0 },
		{ BPF_MAP_TYPE_HASH, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_HASH, 512, 4, 4, 0 },
		{ BPF_MAP_TYPE_HASH, 513, 4, 4, 0 },
		{ BPF_MAP_TYPE_HASH, 4, kv_limit - 4 - 1, 1, 0 },
		{ BPF_MAP_TYPE_HASH, 4, kv_limit - 4, 1, 0 },
		{ BPF_MAP_TYPE_HASH, kv_limit - 1, 1, 1, 0 },
		{ BPF_MAP_TYPE_HASH, 1, UINT32_MAX, 1, 0 },
		{ BPF_MAP_TYPE_HASH, 0, UINT32_MAX, 1, 0 },
		{ BPF_MAP_TYPE_HASH, 4, 4, (1u << 28) + 1, 0 },
		{ BPF_MAP_TYPE_HASH, 0, 4, 4, 1u << 20 },
		{ BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_NO_PREALLOC },
		{ BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_ZERO_SEED },
		{ BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_RDONLY },
		{ BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_WRONLY_PROG },
		{ BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_RDONLY | BPF_F_WRONLY },
		{ BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG },
		{ BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_MMAPABLE },
		{ BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_NO_COMMON_LRU },
		{ BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_INNER_MAP },
		{ BPF_MAP_TYPE_HASH, 4, 4, 4, 1u << 31 },
		{ BPF_MAP_TYPE_UNSPEC, 4, 4, 4, 0 },
		{ 1000, 4, 4, 4, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct def_case *c = &cases[i];
		struct uxdp_map *map = NULL;
		int k, u;

		k = kernel_create(c->type, c->key_size, c->value_size,
				  c->max_entries, c->flags);
		u = uxdp_create(c->type, c->key_size, c->value_size,
				c->max_entries, c->flags, &map);
		if (k >= 0)
			close(k);
		uxdp_map_destroy(map);
		if ((k >= 0) != (u == 0) || (k < 0 && k != u))
			fprintf(stderr, "create case %zu (type %u key %u "
				"value %u max %u flags %#x): kernel %d uxdp %d\n",
				i, c->type, c->key_size, c->value_size,
				c->max_entries, c->flags, k, u);
		CHECK_EQ(k < 0 ? k : 0, u);
	}
}

/* One map in both worlds, and the keys the sequence draws from. */
struct pair {
	uint32_t type, key_size, value_size, max;
	int fd;
	struct uxdp_map *map;
	uint8_t pool[POOL][MAX_KEY];
};

static void
pick_key(struct pair *p, uint64_t *rng, uint8_t *key)
{
	if (p->type == BPF_MAP_TYPE_ARRAY) {
		/* Mostly valid indexes, some just past the end, a few wild. */
		uint32_t idx = test_rand(rng) % (p->max + 3);

		if (test_rand(rng) % 50 == 0)
			idx = (uint32_t)test_rand(rng);
		memcpy(key, &idx, sizeof(idx));
	} else {
		memcpy(key, p->pool[test_rand(rng) % POOL], p->key_size);
	}
}

static uint64_t
pick_flags(uint64_t *rng)
{
	static const uint64_t bad[] = {
		BPF_F_LOCK, BPF_EXIST + 1, BPF_F_LOCK | BPF_EXIST, 1ull << 32,
	};
	uint32_t r = test_rand(rng) % 10;

	if (r < 3)
		return BPF_ANY;
	if (r < 6)
		return BPF_NOEXIST;
	if (r < 9)
		return BPF_EXIST;
	return bad[test_rand(rng) % 4];
}

/* An entry as one record, key then value, to compare contents as sets. */
static int
record_cmp(const void *a, const void *b)
{
	return memcmp(a, b, MAX_KEY + MAX_VALUE);
}

static uint32_t
kernel_contents(struct pair *p, uint8_t (*rec)[MAX_KEY + MAX_VALUE])
{
	uint8_t key[MAX_KEY], next[MAX_KEY];
	uint32_t n = 0;
	int ret;

	for (ret = errno_rc(bpf_map_get_next_key(p->fd, NULL, next)); ret == 0;
	     ret = errno_rc(bpf_map_get_next_key(p->fd, key, next))) {
		CHECK(n < 4096);
		memset(rec[n], 0, MAX_KEY + MAX_VALUE);
		memcpy(rec[n], next, p->key_size);
		CHECK_EQ(errno_rc(bpf_map_lookup_elem(p->fd, next,
						       rec[n] + MAX_KEY)), 0);
		memcpy(key, next, p->key_size);
		n++;
	}
	CHECK_EQ(ret, -ENOENT);
	return n;
}

static uint32_t
uxdp_contents(struct pair *p, uint8_t (*rec)[MAX_KEY + MAX_VALUE])
{
	uint8_t key[MAX_KEY], next[MAX_KEY];
	uint32_t n = 0;
	int ret;

	for (ret = uxdp_map_get_next_key(p->map, NULL, next); ret == 0;
	     ret = uxdp_map_get_next_key(p->map, key, next)) {
		CHECK(n < 4096);
		memset(rec[n], 0, MAX_KEY + MAX_VALUE);
		memcpy(rec[n], next, p->key_size);
		CHECK_EQ(uxdp_map_lookup_copy(p->map, next, rec[n] + MAX_KEY), 0);
		memcpy(key, next, p->key_size);
		n++;
	}
	CHECK_EQ(ret, -ENOENT);
	return n;
}

/* Same entries; for arrays also the same walk order. */
static void
compare_contents(struct pair *p)
{
	static uint8_t krec[4096][MAX_KEY + MAX_VALUE];
	static uint8_t urec[4096][MAX_KEY + MAX_VALUE];
	uint32_t kn = kernel_contents(p, krec);
	uint32_t un = uxdp_contents(p, urec);

	CHECK_EQ(un, kn);
	CHECK_EQ(uxdp_map_count(p->map), kn);
	if (p->type != BPF_MAP_TYPE_ARRAY) {
		qsort(krec, kn, sizeof(krec[0]), record_cmp);
		qsort(urec, un, sizeof(urec[0]), record_cmp);
	}
	CHECK(memcmp(krec, urec, (size_t)kn * sizeof(krec[0])) == 0);
}

/* get_next_key: arrays must agree exactly; hash maps must agree on the
 * return code when the start is NULL or missing (both restart at their
 * first key), and every key they return must be in the map. */
static void
diff_next_key(struct pair *p, const uint8_t *key)
{
	uint8_t kn[MAX_KEY] = { 0 }, un[MAX_KEY] = { 0 };
	uint8_t value[MAX_VALUE];
	int k = errno_rc(bpf_map_get_next_key(p->fd, key, kn));
	int u = uxdp_map_get_next_key(p->map, key, un);

	if (p->type == BPF_MAP_TYPE_ARRAY) {
		CHECK_EQ(u, k);
		CHECK(memcmp(kn, un, p->key_size) == 0);
		return;
	}
	if (key == NULL || uxdp_map_lookup(p->map, key) == NULL)
		CHECK_EQ(u, k);
	CHECK(u == 0 || u == -ENOENT);
	CHECK(k == 0 || k == -ENOENT);
	if (k == 0)
		CHECK_EQ(errno_rc(bpf_map_lookup_elem(p->fd, kn, value)), 0);
	if (u == 0)
		CHECK(uxdp_map_lookup(p->map, un) != NULL);
}

static void
run_sequence(struct pair *p, uint64_t seed)
{
	uint8_t key[MAX_KEY], val[MAX_VALUE], kval[MAX_VALUE], uval[MAX_VALUE];
	uint64_t rng = seed;
	uint32_t op, b;
	uint32_t n_update = 0, n_ok = 0, n_e2big = 0, n_eexist = 0;
	uint32_t n_enoent = 0;

	for (op = 0; op < N_OPS; op++) {
		uint32_t what = test_rand(&rng) % 20;
		int k, u;

		pick_key(p, &rng, key);
		if (what < 8) {
			uint64_t flags = pick_flags(&rng);

			for (b = 0; b < p->value_size; b++)
				val[b] = (uint8_t)test_rand(&rng);
			k = errno_rc(bpf_map_update_elem(p->fd, key, val, flags));
			u = uxdp_map_update(p->map, key, val, flags);
			n_update++;
			n_ok += u == 0;
			n_e2big += u == -E2BIG;
			n_eexist += u == -EEXIST;
			n_enoent += u == -ENOENT;
		} else if (what < 12) {
			k = errno_rc(bpf_map_delete_elem(p->fd, key));
			u = uxdp_map_delete(p->map, key);
		} else if (what < 17) {
			memset(kval, 0, sizeof(kval));
			memset(uval, 0, sizeof(uval));
			k = errno_rc(bpf_map_lookup_elem(p->fd, key, kval));
			u = uxdp_map_lookup_copy(p->map, key, uval);
			CHECK(memcmp(kval, uval, p->value_size) == 0);
			CHECK_EQ(uxdp_map_lookup(p->map, key) != NULL, u == 0);
		} else {
			diff_next_key(p, what == 17 ? NULL : key);
			continue;
		}
		if (k != u)
			fprintf(stderr, "op %u (kind %u): kernel %d uxdp %d\n",
				op, what, k, u);
		CHECK_EQ(u, k);
		if (op % 2000 == 0)
			compare_contents(p);
	}
	compare_contents(p);
	/* The sequence must have reached the interesting outcomes. */
	CHECK(n_ok > 0 && n_ok < n_update);
	CHECK(n_eexist > 0);
	if (p->type != BPF_MAP_TYPE_ARRAY) {
		CHECK(n_e2big > 0);
		CHECK(n_enoent > 0);
	}
}

static void
diff_map(uint32_t type, uint32_t key_size, uint32_t value_size,
	 uint32_t max, uint32_t flags, uint64_t seed)
{
	struct pair p = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max = max,
	};
	uint64_t rng = seed ^ 0xabcdef;
	uint32_t i, b;

	p.fd = kernel_create(type, key_size, value_size, max, flags);
	CHECK(p.fd >= 0);
	CHECK_EQ(uxdp_create(type, key_size, value_size, max, flags, &p.map), 0);
	for (i = 0; i < POOL; i++)
		for (b = 0; b < key_size; b++)
			p.pool[i][b] = (uint8_t)test_rand(&rng);
	run_sequence(&p, seed);
	printf("%s key %u value %u max %u flags %#x: %u ops agree\n",
	       uxdp_map_type_name(type), key_size, value_size, max, flags,
	       N_OPS);
	close(p.fd);
	uxdp_map_destroy(p.map);
}

int
main(void)
{
	static const uint32_t key_sizes[] = { 4, 8, 13 };
	static const uint32_t value_sizes[] = { 1, 8, 24 };
	uint64_t seed = 1;
	size_t k, v;

	skip_without_bpf();
	diff_create_rules();
	for (v = 0; v < sizeof(value_sizes) / sizeof(value_sizes[0]); v++)
		diff_map(BPF_MAP_TYPE_ARRAY, 4, value_sizes[v], 16, 0, seed++);
	diff_map(BPF_MAP_TYPE_ARRAY, 4, 13, 5, BPF_F_MMAPABLE, seed++);
	for (k = 0; k < sizeof(key_sizes) / sizeof(key_sizes[0]); k++)
		for (v = 0; v < sizeof(value_sizes) / sizeof(value_sizes[0]); v++)
			diff_map(BPF_MAP_TYPE_HASH, key_sizes[k],
				 value_sizes[v], 16, 0, seed++);
	diff_map(BPF_MAP_TYPE_HASH, 8, 8, 16, BPF_F_NO_PREALLOC, seed++);
	diff_map(BPF_MAP_TYPE_HASH, 4, 4, 1, 0, seed++);
	return checks_summary();
}
