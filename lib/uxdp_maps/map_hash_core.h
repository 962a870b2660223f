/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_MAP_HASH_CORE_H
#define UXDP_MAP_HASH_CORE_H

/*
 * The hash map's element layout, hash function and lock-free lookup, in
 * one place for the two users that must agree on every bit of them:
 * map_hash.c, and the JIT's helper bitcode (lib/uxdp_bpf/jit_bitcode/),
 * which is compiled from this header and inlined into programs.
 *
 * Every function takes the layout h and the map's block base apart:
 * map_hash.c passes &map->u.hash and the map; the JIT passes a copy of
 * the layout made at compile time, so that LLVM folds its numbers into
 * the program. That is only sound because the lookup reads nothing but
 * fields hash_init() sets once (offsets, sizes, seed, variant); anything
 * that changes afterwards (count, free list, lock) is read through base.
 *
 * Memory orders are the contract with the writers in map_hash.c: links
 * are loaded with acquire (a writer publishes a filled element with a
 * release store of the link leading to it), an element's hash with a
 * relaxed load (writers store it atomically, the key compare that follows
 * decides).
 */

#include <stdint.h>
#include <string.h>

#include "uxdp_map_impl.h"

/* Element: links and hash, then the key, then the value (8-aligned). */
struct hash_elem {
	uint32_t next;      /* chain link; kept intact when the element is freed */
	uint32_t free_next; /* free list: index + 1 of the next free element */
	uint32_t hash;
	uint32_t lru_ref;   /* LRU: set by lookups, cleared by the clock hand */
	uint32_t seq;       /* odd while a writer changes key or value
			     * (map_hash.c; only control-plane copies read it) */
	uint32_t reserved;  /* keeps the key 8-byte aligned */
	uint8_t key[];
};

/*
 * Links: an element is (index << 1), the end of bucket b is (b << 1 | 1).
 */
static inline int
link_is_end(uint32_t link)
{
	return link & 1;
}

static inline uint32_t
end_of_bucket(uint32_t bucket)
{
	return bucket << 1 | 1;
}

static inline uint32_t
elem_link(uint32_t index)
{
	return index << 1;
}

static inline struct hash_elem *
hash_elem_at(const struct uxdp_hash_layout *h, const void *base,
	     uint32_t index)
{
	return (struct hash_elem *)(uintptr_t)((const char *)base +
		h->elems_off + (uint64_t)index * h->elem_size);
}

static inline uint32_t *
hash_bucket_head(const struct uxdp_hash_layout *h, const void *base,
		 uint32_t bucket)
{
	return (uint32_t *)(uintptr_t)((const char *)base + h->buckets_off) +
	       bucket;
}

static inline uint32_t
load_link(const uint32_t *link)
{
	return __atomic_load_n(link, __ATOMIC_ACQUIRE);
}

/* Slot cpu of an element's value (0 for maps that are not per-CPU). */
static inline void *
hash_elem_slot(const struct uxdp_hash_layout *h, struct hash_elem *e,
	       uint32_t cpu)
{
	return (char *)e + h->value_off + (uint64_t)cpu * h->value_stride;
}

/* The last len (1..7) bytes of a key as the low bytes of a word, upper
 * bytes zero: what memcpy() into a zeroed word gives on a little-endian
 * host, without that memcpy's byte loop and the stalled 8-byte reload of
 * bytes just stored one at a time. */
static inline uint64_t
load_tail(const uint8_t *p, uint32_t len)
{
	uint64_t word = 0;
	unsigned int shift = 0;
	uint32_t w4;
	uint16_t w2;

	if (len & 4) {
		memcpy(&w4, p, sizeof(w4));
		word = w4;
		p += 4;
		shift = 32;
	}
	if (len & 2) {
		memcpy(&w2, p, sizeof(w2));
		word |= (uint64_t)w2 << shift;
		p += 2;
		shift += 16;
	}
	if (len & 1)
		word |= (uint64_t)*p << shift;
	return word;
}

/*
 * The hash: the key in 8-byte words, each multiplied and folded into a
 * 64-bit state, then a final avalanche so that every key bit reaches the
 * low bits that pick the bucket. Multipliers are odd 64-bit constants with
 * well-mixed bits (the golden ratio and two finalizer constants).
 */
static inline uint64_t
mix_word(uint64_t state, uint64_t word)
{
	word *= 0x9e3779b97f4a7c15ull;
	word ^= word >> 32;
	state ^= word;
	state *= 0xbf58476d1ce4e5b9ull;
	return state ^ (state >> 29);
}

static inline __attribute__((always_inline)) uint32_t
hash_key(const void *key, uint32_t len, uint64_t seed)
{
	const uint8_t *p = key;
	uint64_t state = seed ^ ((uint64_t)len << 32 | len);
	uint64_t word;

	for (; len >= sizeof(word); len -= sizeof(word), p += sizeof(word)) {
		memcpy(&word, p, sizeof(word));
		state = mix_word(state, word);
	}
	if (len > 0)
		state = mix_word(state, load_tail(p, len));
	state ^= state >> 31;
	state *= 0x94d049bb133111ebull;
	state ^= state >> 33;
	return (uint32_t)state;
}

/*
 * Find key in its bucket without a lock. An element can move to another
 * bucket while we stand on it (delete, then reuse): we then end on the
 * marker of that other bucket and walk ours again.
 */
static inline __attribute__((always_inline)) struct hash_elem *
hash_find(const struct uxdp_hash_layout *h, const void *base,
	  const void *key, uint32_t key_size, uint32_t hash)
{
	uint32_t bucket = hash & (h->n_buckets - 1);
	struct hash_elem *e;
	uint32_t link;

again:
	for (link = load_link(hash_bucket_head(h, base, bucket));
	     !link_is_end(link); link = load_link(&e->next)) {
		e = hash_elem_at(h, base, link >> 1);
		if (__atomic_load_n(&e->hash, __ATOMIC_RELAXED) == hash &&
		    memcmp(e->key, key, key_size) == 0)
			return e;
	}
	if (link != end_of_bucket(bucket))
		goto again;
	return NULL;
}

/* The lookup of every variant: finds the element and, on LRU maps, marks
 * it recently used. The mark is only written when clear, so that hot
 * entries do not bounce their cache line between lcores. */
static inline __attribute__((always_inline)) struct hash_elem *
hash_lookup_elem(const struct uxdp_hash_layout *h, const void *base,
		 const void *key, uint32_t key_size)
{
	struct hash_elem *e;

	e = hash_find(h, base, key, key_size, hash_key(key, key_size, h->seed));
	if (e != NULL && h->lru &&
	    __atomic_load_n(&e->lru_ref, __ATOMIC_RELAXED) == 0)
		__atomic_store_n(&e->lru_ref, 1, __ATOMIC_RELAXED);
	return e;
}

/* hash_lookup_elem() for a key size known only at run time, with copies
 * specialised for the common 4- and 8-byte keys: a constant size turns
 * the hash and the compare into a few instructions, where the general
 * case loops over bytes. */
static inline struct hash_elem *
hash_lookup_elem_sized(const struct uxdp_hash_layout *h, const void *base,
		       const void *key, uint32_t key_size)
{
	if (key_size == 4)
		return hash_lookup_elem(h, base, key, 4);
	if (key_size == 8)
		return hash_lookup_elem(h, base, key, 8);
	return hash_lookup_elem(h, base, key, key_size);
}

#endif /* UXDP_MAP_HASH_CORE_H */
