/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BPF_MAP_TYPE_LPM_TRIE with the kernel's semantics: keys are struct
 * bpf_lpm_trie_key (u32 prefixlen, then data_size = key_size - 4 bytes of
 * address in network order), lookups give the value of the longest stored
 * prefix that covers the key's first prefixlen bits, and get_next_key walks
 * the kernel's order (its trie in post-order: a longer prefix before the
 * shorter one that covers it, a 0 bit before a 1 bit where two differ).
 *
 * uxdp keeps no trie: max_entries entries are preallocated and an array of
 * entry numbers is kept sorted in that walk order. A lookup is a few
 * binary searches of that array (see longest_match()): O(k log n) where
 * the kernel is O(prefix length), k being at most the key's prefix length
 * and in practice a handful.
 *
 * Concurrency: updates and deletes take a lock and build the next sorted
 * array in the second of two buffers, then publish it with one word that
 * also counts generations. Lookups do not lock: they scan the published
 * array and retry when the word changed meanwhile (a seqlock), so they
 * never match against a half-written key.
 */

#include <errno.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"

#define LPM_FLAGS_OK (BPF_F_NO_PREALLOC | BPF_F_RDONLY | BPF_F_WRONLY | \
		      BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)
#define LPM_DATA_SIZE_MIN 1
#define LPM_DATA_SIZE_MAX 256
#define LPM_KEY_HDR 4 /* the u32 prefixlen */
/* The kernel's bound: a node (about 24 bytes + data + value) must fit a
 * kmalloc (4 MiB). */
#define LPM_VALUE_SIZE_MAX ((4u << 20) - LPM_DATA_SIZE_MAX - 24)

struct lpm_entry {
	uint32_t free_next; /* entry + 1 of the next free entry, 0: none */
	uint32_t prefixlen;
	uint8_t data[];     /* data_size bytes, then the value at value_off */
};

/* The published word: generation << 33 | buffer << 32 | count. */
static inline uint32_t
pub_count(uint64_t w)
{
	return (uint32_t)w;
}

static inline uint32_t
pub_buffer(uint64_t w)
{
	return (uint32_t)(w >> 32) & 1;
}

static inline struct lpm_entry *
entry_at(const struct uxdp_map *map, uint32_t n)
{
	const struct uxdp_lpm_layout *l = &map->u.lpm;

	return uxdp_map_at(map, l->entries_off + (uint64_t)n * l->entry_size);
}

static inline uint32_t *
index_buf(const struct uxdp_map *map, uint32_t buffer)
{
	return uxdp_map_at(map, map->u.lpm.index_off[buffer]);
}

static inline void *
entry_value(const struct uxdp_map *map, struct lpm_entry *e)
{
	return (char *)e + map->u.lpm.value_off;
}

static int
lpm_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	uint64_t entry;
	uint64_t index;

	/* The kernel asks for BPF_F_NO_PREALLOC: its trie allocates nodes
	 * on demand. uxdp preallocates anyway (no allocation on the data
	 * path), with the same max_entries limit. */
	if (def->max_entries == 0 || !(def->map_flags & BPF_F_NO_PREALLOC) ||
	    (def->map_flags & ~LPM_FLAGS_OK) != 0 ||
	    !uxdp_map_access_flags_ok(def->map_flags) ||
	    def->key_size < LPM_KEY_HDR + LPM_DATA_SIZE_MIN ||
	    def->key_size > LPM_KEY_HDR + LPM_DATA_SIZE_MAX ||
	    def->value_size == 0 || def->value_size > LPM_VALUE_SIZE_MAX)
		return -EINVAL;
	entry = uxdp_round_up(sizeof(struct lpm_entry) + def->key_size -
			      LPM_KEY_HDR, 8) +
		uxdp_round_up(def->value_size, 8);
	index = uxdp_round_up((uint64_t)def->max_entries * sizeof(uint32_t), 8);
	*data_size = 2 * index + (uint64_t)def->max_entries * entry;
	return 0;
}

static int
lpm_init(struct uxdp_map *map, uint64_t data_off)
{
	struct uxdp_lpm_layout *l = &map->u.lpm;
	uint32_t max = map->def.max_entries;
	uint64_t index = uxdp_round_up((uint64_t)max * sizeof(uint32_t), 8);
	uint32_t i;

	l->data_size = map->def.key_size - LPM_KEY_HDR;
	l->value_off = uxdp_round_up(sizeof(struct lpm_entry) + l->data_size, 8);
	l->entry_size = l->value_off + uxdp_round_up(map->def.value_size, 8);
	l->index_off[0] = data_off;
	l->index_off[1] = data_off + index;
	l->entries_off = data_off + 2 * index;
	l->published = 0;
	rte_spinlock_init(&l->lock);
	for (i = 0; i < max; i++)
		entry_at(map, i)->free_next = i + 2 <= max ? i + 2 : 0;
	l->free_head = 1;
	return 0;
}

/* Whether the first len bits of a and b are equal. */
static int
prefix_equal(const uint8_t *a, const uint8_t *b, uint32_t len)
{
	uint32_t bytes = len / 8;
	uint32_t rest = len % 8;
	uint8_t mask;

	if (memcmp(a, b, bytes) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((a[bytes] ^ b[bytes]) & mask) == 0;
}

/* The kernel's walk order: < 0 when (alen, a) comes before (blen, b).
 * Bits go most significant first, so where two prefixes first differ,
 * the smaller byte holds the 0 bit: bytes compare as numbers. */
static int
walk_order(uint32_t alen, const uint8_t *a, uint32_t blen, const uint8_t *b)
{
	uint32_t n = alen < blen ? alen : blen;
	uint32_t bytes = n / 8;
	uint32_t i;

	for (i = 0; i < bytes; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	if (n % 8 != 0) {
		uint8_t mask = (uint8_t)(0xff << (8 - n % 8));
		uint8_t x = a[bytes] & mask, y = b[bytes] & mask;

		if (x != y)
			return x < y ? -1 : 1;
	}
	if (alen == blen)
		return 0;
	return alen > blen ? -1 : 1; /* the covered (longer) prefix first */
}

/* How many leading bits of a and b are equal, at most n. */
static uint32_t
common_bits(const uint8_t *a, const uint8_t *b, uint32_t n)
{
	uint32_t i, c;

	for (i = 0; i * 8 < n; i++) {
		if (a[i] == b[i])
			continue;
		c = i * 8 + (uint32_t)__builtin_clz((uint32_t)(a[i] ^ b[i])) - 24;
		return c < n ? c : n;
	}
	return n;
}

static inline void
key_parts(const void *key, uint32_t *prefixlen, const uint8_t **data)
{
	memcpy(prefixlen, key, sizeof(*prefixlen));
	*data = (const uint8_t *)key + LPM_KEY_HDR;
}

/* Under the lock or with a stable published word: the position of the
 * stored prefix equal to (plen, data), or the position it would take;
 * *found says which. */
static uint32_t
find_pos(const struct uxdp_map *map, const uint32_t *idx, uint32_t count,
	 uint32_t plen, const uint8_t *data, int *found)
{
	uint32_t lo = 0, hi = count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		struct lpm_entry *e = entry_at(map, idx[mid]);
		int c = walk_order(e->prefixlen, e->data, plen, data);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

/*
 * The longest stored prefix covering the first bound bits of data, in the
 * sorted array idx. Every stored prefix covering the query (bound, data)
 * sorts after it (equal on its bits, and shorter), so the first entry X
 * at the query's position is the answer if it covers the query (of the
 * covering prefixes, longer ones sort first). If it does not, X and the
 * query first differ at some bit c (X has the 1): a covering prefix
 * longer than c would have the 0 there and sort between the query and X,
 * where nothing is. So the answer is at most c bits long: search again
 * with bound c. bound falls every round; a handful of rounds is typical.
 *
 * Without the lock, entries may change under us; the caller then retries
 * (seqlock), and this only has to end and stay inside the map.
 */
static struct lpm_entry *
longest_match(const struct uxdp_map *map, const uint32_t *idx,
	      uint32_t count, uint32_t bound, const uint8_t *data)
{
	uint32_t max_bits = map->u.lpm.data_size * 8;
	struct lpm_entry *x;
	uint32_t pos, xlen, c;
	int found;

	for (;;) {
		pos = find_pos(map, idx, count, bound, data, &found);
		if (found)
			return entry_at(map, idx[pos]);
		if (pos >= count)
			return NULL;
		x = entry_at(map, idx[pos]);
		xlen = x->prefixlen;
		if (xlen > max_bits)
			return NULL; /* torn: the caller retries */
		if (xlen <= bound && prefix_equal(x->data, data, xlen))
			return x;
		c = common_bits(x->data, data, xlen < bound ? xlen : bound);
		if (c >= bound)
			return NULL; /* only when torn, as above */
		bound = c;
	}
}

static void *
lpm_lookup(struct uxdp_map *map, const void *key)
{
	struct uxdp_lpm_layout *l = &map->u.lpm;
	struct lpm_entry *best;
	const uint8_t *data;
	const uint32_t *idx;
	uint32_t plen;
	uint64_t w;

	key_parts(key, &plen, &data);
	/* The kernel matches nothing for a key longer than the map's. */
	if (plen > l->data_size * 8)
		return NULL;
	do {
		w = __atomic_load_n(&l->published, __ATOMIC_ACQUIRE);
		idx = index_buf(map, pub_buffer(w));
		best = longest_match(map, idx, pub_count(w), plen, data);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (__atomic_load_n(&l->published, __ATOMIC_RELAXED) != w);
	return best != NULL ? entry_value(map, best) : NULL;
}

static int
lpm_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	void *v = lpm_lookup(map, key);

	if (v == NULL)
		return -ENOENT;
	uxdp_map_value_load(value, v, map->def.value_size);
	return 0;
}

/* Under the lock: publish the next sorted array, already built in the
 * other buffer. */
static void
publish(struct uxdp_map *map, uint64_t w, uint32_t count)
{
	uint64_t gen = (w >> 33) + 1;
	uint64_t next = gen << 33 | (uint64_t)(pub_buffer(w) ^ 1) << 32 | count;

	__atomic_store_n(&map->u.lpm.published, next, __ATOMIC_RELEASE);
}

static int
lpm_update_locked(struct uxdp_map *map, const void *key, const void *value,
		  uint64_t flags)
{
	struct uxdp_lpm_layout *l = &map->u.lpm;
	uint64_t w = l->published;
	const uint32_t *cur = index_buf(map, pub_buffer(w));
	uint32_t *next = index_buf(map, pub_buffer(w) ^ 1);
	uint32_t count = pub_count(w);
	const uint8_t *data;
	struct lpm_entry *e;
	uint32_t plen;
	uint32_t pos;
	uint32_t n;
	int found;

	key_parts(key, &plen, &data);
	pos = find_pos(map, cur, count, plen, data, &found);
	if (found) {
		if (flags == BPF_NOEXIST)
			return -EEXIST;
		/* The kernel's replacing node takes the new key's bytes;
		 * bits past the prefix do not change any match. */
		e = entry_at(map, cur[pos]);
		memcpy(e->data, data, l->data_size);
		uxdp_map_value_store(entry_value(map, e), value,
				     map->def.value_size);
		return 0;
	}
	if (flags == BPF_EXIST)
		return -ENOENT;
	if (l->free_head == 0)
		return -ENOSPC;
	n = l->free_head - 1;
	e = entry_at(map, n);
	l->free_head = e->free_next;
	e->prefixlen = plen;
	memcpy(e->data, data, l->data_size);
	uxdp_map_value_store(entry_value(map, e), value, map->def.value_size);

	memcpy(next, cur, pos * sizeof(*next));
	next[pos] = n;
	memcpy(next + pos + 1, cur + pos, (count - pos) * sizeof(*next));
	publish(map, w, count + 1);
	return 0;
}

static int
lpm_update(struct uxdp_map *map, const void *key, const void *value,
	   uint64_t flags)
{
	uint32_t plen;
	int ret;

	memcpy(&plen, key, sizeof(plen));
	if (flags > BPF_EXIST || plen > map->u.lpm.data_size * 8)
		return -EINVAL;
	rte_spinlock_lock(&map->u.lpm.lock);
	ret = lpm_update_locked(map, key, value, flags);
	rte_spinlock_unlock(&map->u.lpm.lock);
	return ret;
}

static int
lpm_delete(struct uxdp_map *map, const void *key)
{
	struct uxdp_lpm_layout *l = &map->u.lpm;
	const uint8_t *data;
	const uint32_t *cur;
	uint32_t *next;
	uint32_t count;
	uint32_t plen;
	uint32_t pos;
	uint64_t w;
	int found;

	key_parts(key, &plen, &data);
	if (plen > l->data_size * 8)
		return -EINVAL;
	rte_spinlock_lock(&l->lock);
	w = l->published;
	cur = index_buf(map, pub_buffer(w));
	next = index_buf(map, pub_buffer(w) ^ 1);
	count = pub_count(w);
	pos = find_pos(map, cur, count, plen, data, &found);
	if (!found) {
		rte_spinlock_unlock(&l->lock);
		return -ENOENT;
	}
	entry_at(map, cur[pos])->free_next = l->free_head;
	l->free_head = cur[pos] + 1;
	memcpy(next, cur, pos * sizeof(*next));
	memcpy(next + pos, cur + pos + 1, (count - pos - 1) * sizeof(*next));
	publish(map, w, count - 1);
	rte_spinlock_unlock(&l->lock);
	return 0;
}

static void
copy_key(const struct uxdp_map *map, struct lpm_entry *e, void *out)
{
	memcpy(out, &e->prefixlen, LPM_KEY_HDR);
	memcpy((uint8_t *)out + LPM_KEY_HDR, e->data, map->u.lpm.data_size);
}

/* Control path: under the lock, so the walk sees one stable array. */
static int
lpm_get_next_key(struct uxdp_map *map, const void *key, void *next_key)
{
	struct uxdp_lpm_layout *l = &map->u.lpm;
	const uint32_t *cur;
	const uint8_t *data;
	uint32_t count;
	uint32_t plen;
	uint32_t pos = 0;
	int found = 0;
	int ret = 0;

	rte_spinlock_lock(&l->lock);
	cur = index_buf(map, pub_buffer(l->published));
	count = pub_count(l->published);
	if (key != NULL) {
		key_parts(key, &plen, &data);
		/* A key not in the map (or invalid) restarts the walk. */
		if (plen <= l->data_size * 8)
			pos = find_pos(map, cur, count, plen, data, &found);
		pos = found ? pos + 1 : 0;
	}
	if (pos >= count)
		ret = -ENOENT;
	else
		copy_key(map, entry_at(map, cur[pos]), next_key);
	rte_spinlock_unlock(&l->lock);
	return ret;
}

static uint32_t
lpm_count(struct uxdp_map *map)
{
	return pub_count(__atomic_load_n(&map->u.lpm.published,
					 __ATOMIC_RELAXED));
}

const struct uxdp_map_ops uxdp_map_lpm_trie_ops = {
	.size = lpm_size,
	.init = lpm_init,
	.lookup = lpm_lookup,
	.update = lpm_update,
	.delete = lpm_delete,
	.get_next_key = lpm_get_next_key,
	.lookup_copy = lpm_lookup_copy,
	.count = lpm_count,
};
