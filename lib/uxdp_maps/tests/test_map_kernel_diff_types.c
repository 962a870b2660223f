/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The kernel as the reference for the map types beyond ARRAY and HASH:
 * create rules, then seeded random operation sequences through the bpf()
 * syscall on a kernel map and through the control-plane API on a uxdp map.
 * Return codes and looked-up values must agree; final contents are
 * compared as sets for hash-like maps and as walks where the kernel's walk
 * order is defined by the keys (LPM_TRIE, DEVMAP).
 *
 * Per-CPU values: the kernel's buffers have one slot per possible CPU,
 * uxdp's RTE_MAX_LCORE; the first slots are compared, uxdp's others must
 * read as zero after syscall-style updates that only set the first ones.
 * LRU maps are compared while far from full: the kernel's per-CPU free
 * caches make its eviction point and order its own (test_map_lru.c checks
 * uxdp's eviction guarantees instead).
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "uxdp_map.h"
#include "map_test.h"

#define POOL 24
#define N_OPS 6000
#define MAX_VAL 16
#define MAX_SLOTS 1024 /* > RTE_MAX_LCORE and any possible-CPU count here */

static unsigned int kernel_cpus;

static int
errno_rc(int ret)
{
	return ret < 0 ? -errno : ret;
}

struct def_case {
	uint32_t type, key_size, value_size, max_entries, flags;
	uint64_t extra;
};

static int
kernel_create(const struct def_case *c)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = c->flags,
		    .map_extra = c->extra);

	return errno_rc(bpf_map_create(c->type, "uxdp_diff", c->key_size,
				       c->value_size, c->max_entries, &opts));
}

static int
uxdp_create(const struct def_case *c, struct uxdp_map **out)
{
	struct uxdp_map_def def = {
		.type = c->type, .key_size = c->key_size,
		.value_size = c->value_size, .max_entries = c->max_entries,
		.map_flags = c->flags, .map_extra = c->extra,
	};

	*out = NULL;
	return uxdp_map_create("uxdp_diff", &def, UXDP_MEM_HEAP, out);
}

static void
skip_without_bpf(void)
{
	struct def_case c = { BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, 0 };
	int fd = kernel_create(&c);

	if (fd == -EPERM || fd == -EACCES || fd == -ENOSYS ||
	    fd == -EOPNOTSUPP) {
		printf("SKIP: bpf(BPF_MAP_CREATE) is not available: %s\n",
		       strerror(-fd));
		exit(77);
	}
	CHECK(fd >= 0);
	close(fd);
}

static void
diff_create_rules(void)
{
	const uint32_t nopre = BPF_F_NO_PREALLOC;
	const struct def_case cases[] = {
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 8, 8, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 0, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 0, 0, 0 },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, BPF_F_MMAPABLE, 0 },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 32768, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 32769, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, BPF_F_RDONLY_PROG, 0 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 4, 32768, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 4, 32769, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 4, nopre, 0 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 4, BPF_F_NO_COMMON_LRU, 0 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 0, 8, 4, 0, 0 },
		{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, 0, 0 },
		{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, nopre, 0 },
		{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 64, BPF_F_NO_COMMON_LRU, 0 },
		{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, BPF_F_ZERO_SEED, 0 },
		{ BPF_MAP_TYPE_LRU_HASH, 4, 0, 4, 0, 0 },
		{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, BPF_F_MMAPABLE, 0 },
		{ BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 4, 0, 0 },
		{ BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 64, BPF_F_NO_COMMON_LRU, 0 },
		{ BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 4, nopre, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4, nopre, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 4, 4, 4, nopre, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 5, 4, 4, nopre, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 260, 4, 4, nopre, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 261, 4, 4, nopre, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 0, 4, nopre, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 0, nopre, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4, nopre | BPF_F_ZERO_SEED, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4, nopre | BPF_F_RDONLY, 0 },
		{ BPF_MAP_TYPE_QUEUE, 0, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_QUEUE, 4, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_QUEUE, 0, 0, 4, 0, 0 },
		{ BPF_MAP_TYPE_QUEUE, 0, 4, 0, 0, 0 },
		{ BPF_MAP_TYPE_QUEUE, 0, 4, 4, nopre, 0 },
		{ BPF_MAP_TYPE_QUEUE, 0, 4, 4, BPF_F_WRONLY_PROG, 0 },
		{ BPF_MAP_TYPE_STACK, 0, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_STACK, 4, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_STACK, 0, 4, 4, BPF_F_ZERO_SEED, 0 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 100, 0, 0 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 100, 0, 3 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 100, 0, 15 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 100, 0, 16 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 4, 8, 100, 0, 0 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 0, 100, 0, 0 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 0, 0, 0 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 100, BPF_F_ZERO_SEED, 0 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 100, nopre, 0 },
		{ BPF_MAP_TYPE_DEVMAP, 4, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_DEVMAP, 4, 8, 4, 0, 0 },
		{ BPF_MAP_TYPE_DEVMAP, 4, 6, 4, 0, 0 },
		{ BPF_MAP_TYPE_DEVMAP, 8, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_DEVMAP, 4, 4, 0, 0, 0 },
		{ BPF_MAP_TYPE_DEVMAP, 4, 4, 4, BPF_F_RDONLY, 0 },
		{ BPF_MAP_TYPE_DEVMAP, 4, 4, 4, BPF_F_RDONLY_PROG, 0 },
		{ BPF_MAP_TYPE_DEVMAP_HASH, 4, 8, 4, 0, 0 },
		{ BPF_MAP_TYPE_DEVMAP_HASH, 4, 12, 4, 0, 0 },
		{ BPF_MAP_TYPE_DEVMAP_HASH, 4, 4, 4, nopre, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 1u << 20, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 4, 0, 4096, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 4, 4096, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 2048, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 3 * 4096, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 0, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, BPF_F_RDONLY, 0 },
		{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 8, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 8, 4, 4, 0, 0 },
		{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, BPF_F_RDONLY_PROG, 0 },
	};
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct def_case *c = &cases[i];
		struct uxdp_map *map;
		int k, u;

		k = kernel_create(c);
		u = uxdp_create(c, &map);
		if (k >= 0)
			close(k);
		uxdp_map_destroy(map);
		if ((k < 0 ? k : 0) != u) {
			fprintf(stderr, "create case %zu (%s key %u value %u "
				"max %u flags %#x extra %llu): kernel %d uxdp %d\n",
				i, uxdp_map_type_name(c->type), c->key_size,
				c->value_size, c->max_entries, c->flags,
				(unsigned long long)c->extra, k, u);
			bad++;
		}
		CHECK(1);
	}
	CHECK_EQ(bad, 0);
}

/* One map in both worlds. */
struct pair {
	struct def_case def;
	int fd;
	struct uxdp_map *map;
	uint32_t stride;    /* round_up(value_size, 8) */
	int percpu;
};

static void
pair_open(struct pair *p, const struct def_case *c)
{
	memset(p, 0, sizeof(*p));
	p->def = *c;
	p->fd = kernel_create(c);
	CHECK(p->fd >= 0);
	CHECK_EQ(uxdp_create(c, &p->map), 0);
	p->stride = (c->value_size + 7) / 8 * 8;
	p->percpu = uxdp_map_type_is_percpu(c->type);
}

static void
pair_close(struct pair *p)
{
	close(p->fd);
	uxdp_map_destroy(p->map);
}

/* Bytes of a syscall value buffer on each side. */
static size_t
kernel_value_len(const struct pair *p)
{
	return p->percpu ? (size_t)p->stride * kernel_cpus : p->def.value_size;
}

static size_t
uxdp_value_len(const struct pair *p)
{
	return p->percpu ? (size_t)p->stride * uxdp_map_nr_cpus() :
			   p->def.value_size;
}

/* A value for an update: random bytes in the first kernel_cpus slots
 * (padding zero), zero elsewhere, laid out for both sides. */
static void
random_value(const struct pair *p, uint64_t *rng, uint8_t *kv, uint8_t *uv)
{
	size_t i, n = kernel_value_len(p);

	memset(kv, 0, n);
	memset(uv, 0, uxdp_value_len(p));
	for (i = 0; i < n; i++) {
		if (p->percpu && i % p->stride >= p->def.value_size)
			continue;
		kv[i] = (uint8_t)test_rand(rng);
	}
	memcpy(uv, kv, n);
}

/* Looked-up values agree: the shared slots equal, uxdp's others zero. */
static int
values_agree(const struct pair *p, const uint8_t *kv, const uint8_t *uv)
{
	size_t n = kernel_value_len(p), i;

	if (memcmp(kv, uv, n) != 0)
		return 0;
	for (i = n; i < uxdp_value_len(p); i++) {
		if (uv[i] != 0)
			return 0;
	}
	return 1;
}

static void
pick_key(const struct pair *p, uint64_t *rng, uint8_t *key)
{
	uint32_t k;

	if (p->def.type == BPF_MAP_TYPE_LPM_TRIE) {
		/* Few addresses and prefix lengths, so prefixes nest. */
		uint32_t plen = test_rand(rng) % 36;
		uint8_t a = (uint8_t)(test_rand(rng) % 4 * 64);
		uint8_t b = (uint8_t)(test_rand(rng) % 3);

		memcpy(key, &plen, 4);
		key[4] = 10 | a;
		key[5] = b;
		key[6] = (uint8_t)(test_rand(rng) % 2);
		key[7] = (uint8_t)(test_rand(rng) % 3);
		return;
	}
	if (p->def.type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	    p->def.type == BPF_MAP_TYPE_DEVMAP)
		k = test_rand(rng) % (p->def.max_entries + 2);
	else
		k = test_rand(rng) % POOL * 7919;
	memset(key, 0, p->def.key_size);
	memcpy(key, &k, 4);
}

static uint64_t
pick_flags(uint64_t *rng)
{
	uint32_t r = test_rand(rng) % 10;

	if (r < 4)
		return BPF_ANY;
	if (r < 6)
		return BPF_NOEXIST;
	if (r < 9)
		return BPF_EXIST;
	return BPF_F_LOCK;
}

/* Devmap values: ifindex 1 (lo, which exists) or 0, fd none. */
static void
devmap_value(const struct pair *p, uint64_t *rng, uint8_t *kv, uint8_t *uv)
{
	uint32_t v[2] = { test_rand(rng) % 4 != 0, 0 };

	if (test_rand(rng) % 2)
		v[1] = (uint32_t)-1;
	memcpy(kv, v, p->def.value_size);
	memcpy(uv, v, p->def.value_size);
}

static void
compare_walks(struct pair *p, int ordered)
{
	uint8_t kkeys[256][64], ukeys[256][64];
	uint8_t kv[MAX_VAL * MAX_SLOTS], uv[MAX_VAL * MAX_SLOTS];
	unsigned int nk = 0, nu = 0, i, j;
	uint32_t ks = p->def.key_size;

	while (nk < 256 && errno_rc(bpf_map_get_next_key(p->fd,
			nk ? kkeys[nk - 1] : NULL, kkeys[nk])) == 0)
		nk++;
	while (nu < 256 && uxdp_map_get_next_key(p->map,
			nu ? ukeys[nu - 1] : NULL, ukeys[nu]) == 0)
		nu++;
	if (nk != nu)
		fprintf(stderr, "%s: kernel walks %u keys, uxdp %u\n",
			uxdp_map_type_name(p->def.type), nk, nu);
	CHECK_EQ(nk, nu);
	for (i = 0; i < nk; i++) {
		int kr, ur;

		if (ordered) {
			CHECK(memcmp(kkeys[i], ukeys[i], ks) == 0);
			j = i;
		} else {
			for (j = 0; j < nu; j++)
				if (memcmp(kkeys[i], ukeys[j], ks) == 0)
					break;
			CHECK(j < nu);
		}
		/* LPM lookups are longest-match, so read by exact walk key
		 * only where that is the same entry: both sides alike. */
		kr = errno_rc(bpf_map_lookup_elem(p->fd, kkeys[i], kv));
		ur = uxdp_map_lookup_copy(p->map, ukeys[j], uv);
		CHECK_EQ(kr, ur);
		if (kr == 0)
			CHECK(values_agree(p, kv, uv));
	}
}

/* Random update/lookup/delete/walk steps on keyed maps. */
static void
diff_keyed(const struct def_case *c, uint64_t seed)
{
	uint8_t kv[MAX_VAL * MAX_SLOTS], uv[MAX_VAL * MAX_SLOTS];
	uint8_t key[64], knext[64], unext[64];
	uint64_t rng = seed;
	struct pair p;
	int devmap;
	unsigned int i;

	pair_open(&p, c);
	devmap = c->type == BPF_MAP_TYPE_DEVMAP ||
		 c->type == BPF_MAP_TYPE_DEVMAP_HASH;
	for (i = 0; i < N_OPS; i++) {
		uint32_t op = test_rand(&rng) % 10;
		int kr, ur;

		pick_key(&p, &rng, key);
		if (op < 4) {
			uint64_t flags = pick_flags(&rng);

			if (devmap)
				devmap_value(&p, &rng, kv, uv);
			else
				random_value(&p, &rng, kv, uv);
			kr = errno_rc(bpf_map_update_elem(p.fd, key, kv, flags));
			ur = uxdp_map_update(p.map, key, uv, flags);
			if (kr != ur)
				fprintf(stderr, "%s op %u: update flags %llu: "
					"kernel %d uxdp %d\n",
					uxdp_map_type_name(c->type), i,
					(unsigned long long)flags, kr, ur);
			CHECK_EQ(kr, ur);
		} else if (op < 7) {
			memset(kv, 0xee, sizeof(kv));
			memset(uv, 0xee, sizeof(uv));
			kr = errno_rc(bpf_map_lookup_elem(p.fd, key, kv));
			ur = uxdp_map_lookup_copy(p.map, key, uv);
			if (kr != ur)
				fprintf(stderr, "%s op %u: lookup: kernel %d "
					"uxdp %d\n",
					uxdp_map_type_name(c->type), i, kr, ur);
			CHECK_EQ(kr, ur);
			if (kr == 0)
				CHECK(values_agree(&p, kv, uv));
		} else if (op < 9) {
			kr = errno_rc(bpf_map_delete_elem(p.fd, key));
			ur = uxdp_map_delete(p.map, key);
			if (kr != ur)
				fprintf(stderr, "%s op %u: delete: kernel %d "
					"uxdp %d\n",
					uxdp_map_type_name(c->type), i, kr, ur);
			CHECK_EQ(kr, ur);
		} else if (c->type == BPF_MAP_TYPE_LPM_TRIE ||
			   c->type == BPF_MAP_TYPE_DEVMAP ||
			   c->type == BPF_MAP_TYPE_PERCPU_ARRAY) {
			/* Walk orders defined by the keys: the same next. */
			kr = errno_rc(bpf_map_get_next_key(p.fd, key, knext));
			ur = uxdp_map_get_next_key(p.map, key, unext);
			CHECK_EQ(kr, ur);
			if (kr == 0)
				CHECK(memcmp(knext, unext, c->key_size) == 0);
		}
	}
	compare_walks(&p, c->type == BPF_MAP_TYPE_LPM_TRIE ||
			  c->type == BPF_MAP_TYPE_DEVMAP ||
			  c->type == BPF_MAP_TYPE_PERCPU_ARRAY);
	pair_close(&p);
}

/* QUEUE and STACK: push (update), pop (lookup_and_delete), peek
 * (lookup), and the element commands that do not apply. */
static void
diff_queue(uint32_t type, uint64_t seed)
{
	const struct def_case c = { type, 0, 8, 5, 0, 0 };
	uint64_t rng = seed, kval, uval;
	uint32_t key = 0;
	struct pair p;
	unsigned int i;

	pair_open(&p, &c);
	for (i = 0; i < N_OPS; i++) {
		uint32_t op = test_rand(&rng) % 3;
		uint64_t v = test_rand(&rng);
		int kr, ur;

		if (op == 0) {
			uint64_t flags = pick_flags(&rng);

			kr = errno_rc(bpf_map_update_elem(p.fd, NULL, &v, flags));
			ur = uxdp_map_update(p.map, NULL, &v, flags);
		} else if (op == 1) {
			kval = uval = 0;
			kr = errno_rc(bpf_map_lookup_and_delete_elem(p.fd, NULL,
								     &kval));
			ur = uxdp_map_pop(p.map, &uval);
			if (kr == 0)
				CHECK_EQ(kval, uval);
		} else {
			kval = uval = 0;
			kr = errno_rc(bpf_map_lookup_elem(p.fd, NULL, &kval));
			ur = uxdp_map_lookup_copy(p.map, NULL, &uval);
			if (kr == 0)
				CHECK_EQ(kval, uval);
		}
		if (kr != ur)
			fprintf(stderr, "%s op %u (%u): kernel %d uxdp %d\n",
				uxdp_map_type_name(type), i, op, kr, ur);
		CHECK_EQ(kr, ur);
	}
	CHECK_EQ(errno_rc(bpf_map_delete_elem(p.fd, &key)),
		 uxdp_map_delete(p.map, &key));
	CHECK_EQ(errno_rc(bpf_map_get_next_key(p.fd, NULL, &key)),
		 uxdp_map_get_next_key(p.map, NULL, &key));
	pair_close(&p);
}

/* BLOOM_FILTER: what was pushed is found on both sides; flags agree. */
static void
diff_bloom(void)
{
	const struct def_case c = { BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 500, 0, 0 };
	unsigned int k_absent = 0, u_absent = 0;
	struct pair p;
	uint64_t v;

	pair_open(&p, &c);
	for (v = 0; v < 500; v++) {
		uint64_t x = v * 0x9e3779b97f4a7c15ull;

		CHECK_EQ(errno_rc(bpf_map_update_elem(p.fd, NULL, &x, BPF_ANY)),
			 uxdp_map_update(p.map, NULL, &x, BPF_ANY));
	}
	v = 1;
	CHECK_EQ(errno_rc(bpf_map_update_elem(p.fd, NULL, &v, BPF_EXIST)),
		 uxdp_map_update(p.map, NULL, &v, BPF_EXIST));
	for (v = 0; v < 500; v++) {
		uint64_t x = v * 0x9e3779b97f4a7c15ull;

		CHECK_EQ(errno_rc(bpf_map_lookup_elem(p.fd, NULL, &x)), 0);
		CHECK_EQ(uxdp_map_lookup_copy(p.map, NULL, &x), 0);
	}
	for (v = 1; v <= 2000; v++) {
		uint64_t x = v * 0xc2b2ae3d27d4eb4full + 7;

		k_absent += errno_rc(bpf_map_lookup_elem(p.fd, NULL, &x)) ==
			    -ENOENT;
		u_absent += uxdp_map_lookup_copy(p.map, NULL, &x) == -ENOENT;
	}
	/* Both filters are sized alike: similar false positive rates. */
	printf("bloom: absent values reported absent: kernel %u, uxdp %u "
	       "of 2000\n", k_absent, u_absent);
	CHECK(k_absent > 1700 && u_absent > 1700);
	pair_close(&p);
}

/* RINGBUF: the syscall's element commands fail alike. */
static void
diff_ringbuf(void)
{
	const struct def_case c = { BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, 0 };
	uint8_t v[8] = { 0 };
	struct pair p;

	pair_open(&p, &c);
	CHECK_EQ(errno_rc(bpf_map_update_elem(p.fd, NULL, v, BPF_ANY)),
		 uxdp_map_update(p.map, NULL, v, BPF_ANY));
	CHECK_EQ(errno_rc(bpf_map_lookup_elem(p.fd, NULL, v)),
		 uxdp_map_lookup_copy(p.map, NULL, v));
	pair_close(&p);
}

int
main(void)
{
	const struct def_case keyed[] = {
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 12, 6, 0, 0 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 4, 12, 16, 0, 0 },
		{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 1024, 0, 0 },
		{ BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 1024, 0, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 40, BPF_F_NO_PREALLOC, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 4, 6, BPF_F_NO_PREALLOC, 0 },
		{ BPF_MAP_TYPE_DEVMAP, 4, 4, 6, 0, 0 },
		{ BPF_MAP_TYPE_DEVMAP, 4, 8, 6, 0, 0 },
		{ BPF_MAP_TYPE_DEVMAP_HASH, 4, 4, 8, 0, 0 },
		{ BPF_MAP_TYPE_DEVMAP_HASH, 4, 8, 30, 0, 0 },
	};
	int n;
	size_t i;

	skip_without_bpf();
	n = libbpf_num_possible_cpus();
	CHECK(n > 0 && n <= (int)uxdp_map_nr_cpus());
	kernel_cpus = (unsigned int)n;
	diff_create_rules();
	for (i = 0; i < sizeof(keyed) / sizeof(keyed[0]); i++) {
		diff_keyed(&keyed[i], 0x1234 + i);
		diff_keyed(&keyed[i], 0xbeef0 + i);
	}
	diff_queue(BPF_MAP_TYPE_QUEUE, 1);
	diff_queue(BPF_MAP_TYPE_STACK, 2);
	diff_bloom();
	diff_ringbuf();
	return checks_summary();
}
