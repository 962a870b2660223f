/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BPF_MAP_TYPE_BLOOM_FILTER with the kernel's semantics: no key, push adds
 * a value, peek says "maybe present" (0) or "certainly absent" (-ENOENT):
 * never a false negative, false positives at the rate the size gives.
 * map_extra bits 0..3 hold the number of hash functions (0 means 5).
 *
 * The bit array is sized as the kernel's (max_entries * hashes / ln 2,
 * rounded up to a power of two, at least 64 bits); the hash functions are
 * uxdp's own, so which values collide differs from the kernel's.
 * Pushes set bits with atomic ORs and peeks read without a lock.
 */

#include <errno.h>
#include <string.h>
#include <linux/bpf.h>
#include <sys/random.h>

#include "uxdp_map_impl.h"

#define BLOOM_FLAGS_OK (BPF_F_ZERO_SEED | BPF_F_RDONLY | BPF_F_WRONLY | \
			BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)
#define BLOOM_DEFAULT_HASHES 5
#define BLOOM_MAX_BITS (1ull << 31)
#define BLOOM_VALUE_SIZE_MAX (4u << 20)

static uint32_t
nr_hashes(const struct uxdp_map_def *def)
{
	uint32_t n = def->map_extra & 0xf;

	return n != 0 ? n : BLOOM_DEFAULT_HASHES;
}

static uint64_t
bit_count(const struct uxdp_map_def *def)
{
	/* 7/5 approximates 1 / ln 2, as the kernel computes it. */
	uint64_t bits = (uint64_t)def->max_entries * nr_hashes(def) / 5 * 7;
	uint64_t n = 64;

	if (bits > BLOOM_MAX_BITS)
		return BLOOM_MAX_BITS;
	while (n < bits)
		n <<= 1;
	return n;
}

static int
bloom_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	if (def->key_size != 0 || def->value_size == 0 ||
	    def->max_entries == 0 || (def->map_flags & ~BLOOM_FLAGS_OK) != 0 ||
	    !uxdp_map_access_flags_ok(def->map_flags) ||
	    (def->map_extra & ~0xfull) != 0)
		return -EINVAL;
	if (def->value_size > BLOOM_VALUE_SIZE_MAX)
		return -E2BIG;
	*data_size = bit_count(def) / 8;
	return 0;
}

static int
bloom_init(struct uxdp_map *map, uint64_t data_off)
{
	struct uxdp_bloom_layout *b = &map->u.bloom;
	uint64_t seed = 0;

	b->bits_off = data_off;
	b->bit_mask = (uint32_t)(bit_count(&map->def) - 1);
	b->nr_hash_funcs = nr_hashes(&map->def);
	if (!(map->def.map_flags & BPF_F_ZERO_SEED) &&
	    getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)(uintptr_t)map ^ 0x5bd1e995ull;
	b->seed = seed;
	return 0;
}

/* Hash function i of a value: 8-byte words folded with odd multipliers,
 * then an avalanche; i enters through the seed. */
static uint32_t
bloom_hash(const void *value, uint32_t len, uint64_t seed, uint32_t i)
{
	const uint8_t *p = value;
	uint64_t h = seed ^ (0x9e3779b97f4a7c15ull * (i + 1)) ^ len;
	uint64_t w;

	for (; len > 0; ) {
		uint32_t n = len < 8 ? len : 8;

		w = 0;
		memcpy(&w, p, n);
		h ^= w * 0xff51afd7ed558ccdull;
		h = (h << 27 | h >> 37) * 0xc4ceb9fe1a85ec53ull;
		p += n;
		len -= n;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (uint32_t)h;
}

static inline uint64_t *
word_of(struct uxdp_map *map, uint32_t bit)
{
	return (uint64_t *)uxdp_map_at(map, map->u.bloom.bits_off) + bit / 64;
}

static int
bloom_push(struct uxdp_map *map, const void *value, uint64_t flags)
{
	struct uxdp_bloom_layout *b = &map->u.bloom;
	uint32_t i;

	if (flags != BPF_ANY)
		return -EINVAL;
	for (i = 0; i < b->nr_hash_funcs; i++) {
		uint32_t bit = bloom_hash(value, map->def.value_size, b->seed,
					  i) & b->bit_mask;

		__atomic_fetch_or(word_of(map, bit), 1ull << (bit % 64),
				  __ATOMIC_RELEASE);
	}
	return 0;
}

static int
bloom_peek(struct uxdp_map *map, void *value)
{
	struct uxdp_bloom_layout *b = &map->u.bloom;
	uint32_t i;

	for (i = 0; i < b->nr_hash_funcs; i++) {
		uint32_t bit = bloom_hash(value, map->def.value_size, b->seed,
					  i) & b->bit_mask;

		if (!(__atomic_load_n(word_of(map, bit), __ATOMIC_ACQUIRE) &
		      (1ull << (bit % 64))))
			return -ENOENT;
	}
	return 0;
}

/* Elements cannot be taken out of a bloom filter. */
static int
bloom_pop(struct uxdp_map *map, void *value)
{
	return -EOPNOTSUPP;
}

static void *
bloom_lookup(struct uxdp_map *map, const void *key)
{
	return NULL;
}

static int
bloom_update(struct uxdp_map *map, const void *key, const void *value,
	     uint64_t flags)
{
	return bloom_push(map, value, flags);
}

static int
bloom_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	return bloom_peek(map, value);
}

static int
bloom_delete(struct uxdp_map *map, const void *key)
{
	return -EOPNOTSUPP;
}

static int
bloom_get_next_key(struct uxdp_map *map, const void *key, void *next_key)
{
	return -EOPNOTSUPP;
}

static uint32_t
bloom_count(struct uxdp_map *map)
{
	return 0; /* a bloom filter does not know what it holds */
}

const struct uxdp_map_ops uxdp_map_bloom_filter_ops = {
	.size = bloom_size,
	.init = bloom_init,
	.lookup = bloom_lookup,
	.update = bloom_update,
	.delete = bloom_delete,
	.get_next_key = bloom_get_next_key,
	.lookup_copy = bloom_lookup_copy,
	.count = bloom_count,
	.push = bloom_push,
	.pop = bloom_pop,
	.peek = bloom_peek,
};
