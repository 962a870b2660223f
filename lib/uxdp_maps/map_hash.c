/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BPF_MAP_TYPE_HASH with the kernel's semantics for a preallocated hash
 * map: max_entries elements reserved at creation and nothing allocated
 * afterwards, BPF_ANY/BPF_NOEXIST/BPF_EXIST, -E2BIG when a new key finds
 * no free element (replacing an existing key always works), and
 * get_next_key walking buckets in order and restarting from the first key
 * when the given key is absent.
 *
 * Concurrency: lookups never lock. Updates and deletes are serialised by a
 * spinlock inside the map. A new element is filled in, then published with
 * a release store of the link that leads to it; readers follow links with
 * acquire loads.
 *
 * A deleted element goes to a free list and may be reused by the very next
 * insert, while a reader may still hold its value pointer or be walking
 * through it. The kernel's preallocated hash map reuses elements the same
 * way, and uxdp keeps its two safety rules:
 *  - a deleted element keeps its chain link, so a reader standing on it
 *    still reaches the end of a chain; the free list uses another field;
 *  - every chain ends in a marker naming its bucket (the kernel's "nulls"
 *    lists): a reader whose element moved to another bucket ends on a
 *    foreign marker and starts its bucket again, so it never misses a key
 *    that stayed in place.
 * A reader holding a value pointer across a delete may thus see another
 * key's value, as in the kernel.
 *
 * Readers in another process (a DPDK secondary attached to the map) are
 * no different from readers on another lcore: nothing is ever unmapped or
 * given back while the map lives, every element stays an element of this
 * map, and the lock and links are in the shared block. So uxdp needs no
 * deferred reclamation (an rte_rcu_qsbr grace period before reuse would
 * make every datapath thread of every process report quiescent states,
 * for no gain in memory safety); what immediate reuse can do to a reader
 * is show it a value being rewritten. Programs accept that, as in the
 * kernel. The control plane's copy (uxdp_map_lookup_copy(), what a
 * secondary or the telemetry reads) does not: each element carries a
 * sequence count, odd while a writer changes its key or value, and the
 * copy is retried until it saw one even count before and after, so it
 * returns a value that the key really had, never a torn one.
 */

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <linux/bpf.h>

#include <rte_pause.h>

#include "map_hash_core.h"

/* Accepted flags. The access flags are stored, as for arrays.
 * BPF_F_NO_PREALLOC asks the kernel to allocate elements on demand; uxdp
 * always preallocates, which changes no visible result (the kernel keeps
 * the same max_entries limit either way). BPF_F_ZERO_SEED fixes the seed
 * at 0, for reproducible bucket order. BPF_F_NUMA_NODE is refused: the
 * definition has no node to check it against. */
#define HASH_FLAGS_OK (BPF_F_NO_PREALLOC | BPF_F_ZERO_SEED | BPF_F_RDONLY | \
		       BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG | \
		       BPF_F_NO_COMMON_LRU)

/* The kernel's ENOTSUPP (not ENOTSUP): LRU maps must be preallocated. */
#define HASH_ENOTSUPP 524

/* The kernel bounds a per-CPU value by PCPU_MIN_UNIT_SIZE (32 KiB). */
#define HASH_PERCPU_VALUE_MAX (32u << 10)

/* The kernel's bucket count is max_entries rounded up to a power of two,
 * refused past 2^28 (its bucket array must stay below 4 GiB). */
#define HASH_MAX_ENTRIES (1u << 28)

/* The kernel refuses elements it could not kmalloc: key_size + value_size
 * >= KMALLOC_MAX_SIZE - its element header, 4 MiB - 48 bytes on x86_64
 * (measured on Linux 6.18; it has no separate key_size limit any more). */
#define HASH_KEY_VALUE_SIZE_LIMIT ((4ull << 20) - 48)

/* Layout, hash function and lock-free lookup: map_hash_core.h, shared
 * with the JIT's inlined lookup. */
static inline struct hash_elem *
elem_at_index(const struct uxdp_map *map, uint32_t index)
{
	return hash_elem_at(&map->u.hash, map, index);
}

static inline struct hash_elem *
elem_of_link(const struct uxdp_map *map, uint32_t link)
{
	return elem_at_index(map, link >> 1);
}

static inline uint32_t *
bucket_head(const struct uxdp_map *map, uint32_t bucket)
{
	return hash_bucket_head(&map->u.hash, map, bucket);
}

static inline void *
elem_value(const struct uxdp_map *map, struct hash_elem *e)
{
	return hash_elem_slot(&map->u.hash, e, 0);
}

static uint64_t
new_seed(void)
{
	struct timespec ts;
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		return seed;
	/* No entropy yet (early boot): the clock and pid still vary. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)ts.tv_sec ^
	       ((uint64_t)getpid() << 16);
}

/* max_entries rounded up to a power of two, as the kernel: on average at
 * most one element per bucket, and a mask picks the bucket. */
static uint32_t
bucket_count(uint32_t max_entries)
{
	uint32_t n = 1;

	while (n < max_entries)
		n <<= 1;
	return n;
}

static int
type_is_lru(uint32_t type)
{
	return type == BPF_MAP_TYPE_LRU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static int
hash_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	int percpu = uxdp_map_type_is_percpu(def->type);
	int lru = type_is_lru(def->type);
	uint64_t n_buckets;
	uint64_t elem_size;

	/* The kernel's order of checks (htab_map_alloc_check). */
	if ((def->map_flags & ~HASH_FLAGS_OK) != 0 ||
	    !uxdp_map_access_flags_ok(def->map_flags))
		return -EINVAL;
	if (!lru && (def->map_flags & BPF_F_NO_COMMON_LRU))
		return -EINVAL;
	if (lru && (def->map_flags & BPF_F_NO_PREALLOC))
		return -HASH_ENOTSUPP;
	if (def->max_entries == 0 || def->key_size == 0 || def->value_size == 0)
		return -EINVAL;
	if ((uint64_t)def->key_size + def->value_size >=
	    HASH_KEY_VALUE_SIZE_LIMIT)
		return -E2BIG;
	if (percpu && uxdp_round_up(def->value_size, 8) > HASH_PERCPU_VALUE_MAX)
		return -E2BIG;
	if (def->max_entries > HASH_MAX_ENTRIES)
		return -E2BIG;

	n_buckets = bucket_count(def->max_entries);
	elem_size = sizeof(struct hash_elem) + uxdp_round_up(def->key_size, 8) +
		    uxdp_round_up(def->value_size, 8) *
		    (percpu ? UXDP_MAP_NR_CPUS : 1);
	/* Both terms stay far below 2^64 (2^28 elements of < 2^23 bytes). */
	*data_size = uxdp_round_up(n_buckets * sizeof(uint32_t), 8) +
		     (uint64_t)def->max_entries * elem_size;
	return 0;
}

static int
hash_init(struct uxdp_map *map, uint64_t data_off)
{
	struct uxdp_hash_layout *h = &map->u.hash;
	uint32_t max = map->def.max_entries;
	uint32_t i;

	h->n_buckets = bucket_count(max);
	h->buckets_off = data_off;
	h->elems_off = data_off + uxdp_round_up(h->n_buckets * sizeof(uint32_t), 8);
	h->value_off = sizeof(struct hash_elem) +
		       uxdp_round_up(map->def.key_size, 8);
	h->value_stride = uxdp_round_up(map->def.value_size, 8);
	h->n_slots = uxdp_map_type_is_percpu(map->def.type) ?
		     UXDP_MAP_NR_CPUS : 1;
	h->lru = type_is_lru(map->def.type);
	h->lru_hand = 0;
	h->elem_size = h->value_off + h->value_stride * h->n_slots;
	h->seed = (map->def.map_flags & BPF_F_ZERO_SEED) ? 0 : new_seed();
	h->count = 0;
	rte_spinlock_init(&h->lock);

	for (i = 0; i < h->n_buckets; i++)
		*bucket_head(map, i) = end_of_bucket(i);
	/* Free list in index order: 0 first. */
	for (i = 0; i < max; i++)
		elem_at_index(map, i)->free_next = i + 2 <= max ? i + 2 : 0;
	h->free_head = 1;
	return 0;
}

static inline struct hash_elem *
find_elem(const struct uxdp_map *map, const void *key, uint32_t hash)
{
	return hash_find(&map->u.hash, map, key, map->def.key_size, hash);
}

/* Slot cpu of an element's value (0 for maps that are not per-CPU). */
static inline void *
elem_slot(const struct uxdp_map *map, struct hash_elem *e, uint32_t cpu)
{
	return hash_elem_slot(&map->u.hash, e, cpu);
}

static struct hash_elem *
lookup_elem(struct uxdp_map *map, const void *key)
{
	return hash_lookup_elem_sized(&map->u.hash, map, key,
				      map->def.key_size);
}

static void *
hash_lookup(struct uxdp_map *map, const void *key)
{
	struct hash_elem *e = lookup_elem(map, key);

	if (e == NULL)
		return NULL;
	/* A program sees its own lcore's slot of a per-CPU value. */
	return elem_slot(map, e, map->u.hash.n_slots > 1 ?
			 uxdp_map_this_cpu() : 0);
}

static void *
hash_lookup_percpu(struct uxdp_map *map, const void *key, uint32_t cpu)
{
	struct hash_elem *e = lookup_elem(map, key);

	return e != NULL ? elem_slot(map, e, cpu) : NULL;
}

/* Writer side of an element's sequence count (under the map lock): the
 * odd count is visible before any byte of the new key or value. */
static inline uint32_t
elem_write_begin(struct hash_elem *e)
{
	uint32_t seq = e->seq;

	__atomic_store_n(&e->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return seq + 2;
}

static inline void
elem_write_end(struct hash_elem *e, uint32_t seq)
{
	__atomic_store_n(&e->seq, seq, __ATOMIC_RELEASE);
}

/* Copy every slot, each at the round_up(value_size, 8) stride (padding
 * bytes zero, as the kernel's copy). */
static void
copy_value_out(const struct uxdp_map *map, struct hash_elem *e, void *value)
{
	const struct uxdp_hash_layout *h = &map->u.hash;
	uint32_t cpu;

	if (h->n_slots == 1) {
		uxdp_map_value_load(value, elem_value(map, e),
				    map->def.value_size);
		return;
	}
	for (cpu = 0; cpu < h->n_slots; cpu++) {
		char *dst = (char *)value + (uint64_t)cpu * h->value_stride;

		memset(dst, 0, h->value_stride);
		uxdp_map_value_load(dst, elem_slot(map, e, cpu),
				    map->def.value_size);
	}
}

/* The syscall's copy, consistent against concurrent writers in any
 * process: see the sequence counts at the top of this file. */
static int
hash_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	const struct uxdp_hash_layout *h = &map->u.hash;
	uint32_t hash = hash_key(key, map->def.key_size, h->seed);
	struct hash_elem *e;
	uint32_t seq;

	for (;;) {
		/* The control plane's reads do not count as use (kernel). */
		e = find_elem(map, key, hash);
		if (e == NULL)
			return -ENOENT;
		seq = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
		if (seq & 1) {
			rte_pause(); /* a writer holds the lock briefly */
			continue;
		}
		/* The element may have been reused for another key between
		 * find_elem() and the count: check the key under the count. */
		if (memcmp(e->key, key, map->def.key_size) == 0) {
			copy_value_out(map, e, value);
			uxdp_map_value_hide_lock(map, value);
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&e->seq, __ATOMIC_RELAXED) == seq &&
		    memcmp(e->key, key, map->def.key_size) == 0)
			return 0;
	}
}

/* Write a new or replaced value. all_slots: value holds every slot (the
 * syscall); otherwise value is one value for the calling thread's slot,
 * and a new element's other slots are zeroed (the kernel does the same). */
static void
store_value(struct uxdp_map *map, struct hash_elem *e, const void *value,
	    int all_slots, int is_new, int with_lock)
{
	const struct uxdp_hash_layout *h = &map->u.hash;
	uint32_t this_cpu;
	uint32_t cpu;

	if (h->n_slots == 1) {
		/* A new element's lock starts free; a replaced value keeps
		 * its lock word (bpf_spin_lock maps, plain HASH only). */
		if (is_new && map->def.has_spin_lock)
			uxdp_map_value_unlock(elem_value(map, e),
					      map->def.spin_lock_off);
		uxdp_map_value_update(map, elem_value(map, e), value,
				      with_lock);
		return;
	}
	this_cpu = uxdp_map_this_cpu();
	for (cpu = 0; cpu < h->n_slots; cpu++) {
		if (all_slots)
			uxdp_map_value_store(elem_slot(map, e, cpu),
				(const char *)value +
				(uint64_t)cpu * h->value_stride,
				map->def.value_size);
		else if (cpu == this_cpu)
			uxdp_map_value_store(elem_slot(map, e, cpu), value,
					     map->def.value_size);
		else if (is_new)
			memset(elem_slot(map, e, cpu), 0, h->value_stride);
	}
}

/* Under the lock: take a free element, or NULL when all are in use. */
static struct hash_elem *
pop_free(struct uxdp_map *map)
{
	struct uxdp_hash_layout *h = &map->u.hash;
	struct hash_elem *e;

	if (h->free_head == 0)
		return NULL;
	e = elem_at_index(map, h->free_head - 1);
	h->free_head = e->free_next;
	return e;
}

static uint32_t
index_of(const struct uxdp_map *map, const struct hash_elem *e)
{
	return ((const char *)e - (const char *)uxdp_map_at(map,
			map->u.hash.elems_off)) / map->u.hash.elem_size;
}

/* Under the lock: take e out of its bucket and onto the free list. Its
 * own link stays valid for readers standing on it. */
static void
unlink_elem(struct uxdp_map *map, struct hash_elem *e)
{
	struct uxdp_hash_layout *h = &map->u.hash;
	uint32_t *prev = bucket_head(map, e->hash & (h->n_buckets - 1));
	uint32_t target = elem_link(index_of(map, e));

	while (*prev != target)
		prev = &elem_of_link(map, *prev)->next;
	__atomic_store_n(prev, e->next, __ATOMIC_RELEASE);
	e->free_next = h->free_head;
	h->free_head = index_of(map, e) + 1;
	__atomic_store_n(&h->count, h->count - 1, __ATOMIC_RELAXED);
}

/*
 * Under the lock, on a full LRU map: evict one element and free it. A
 * CLOCK (second chance) sweep over the elements in index order: an element
 * looked up since the hand last passed has its mark cleared and is kept,
 * the first unmarked one goes. A full map is all in use, so the sweep ends
 * within two rounds. The kernel's LRU lists (active/inactive, per-CPU
 * caches) approximate the same policy; see doc/maps.md.
 */
static void
lru_evict(struct uxdp_map *map)
{
	struct uxdp_hash_layout *h = &map->u.hash;
	uint32_t max = map->def.max_entries;
	struct hash_elem *e;
	uint32_t tries;

	for (tries = 0; tries < 2 * max; tries++) {
		e = elem_at_index(map, h->lru_hand);
		h->lru_hand = h->lru_hand + 1 < max ? h->lru_hand + 1 : 0;
		if (__atomic_load_n(&e->lru_ref, __ATOMIC_RELAXED) != 0) {
			__atomic_store_n(&e->lru_ref, 0, __ATOMIC_RELAXED);
			continue;
		}
		unlink_elem(map, e);
		return;
	}
}

static int
hash_update_locked(struct uxdp_map *map, const void *key, const void *value,
		   uint64_t flags, int all_slots)
{
	struct uxdp_hash_layout *h = &map->u.hash;
	uint32_t hash = hash_key(key, map->def.key_size, h->seed);
	uint32_t *head = bucket_head(map, hash & (h->n_buckets - 1));
	struct hash_elem *e;
	uint32_t seq;

	e = find_elem(map, key, hash);
	if (e != NULL && (flags & ~(uint64_t)BPF_F_LOCK) == BPF_NOEXIST)
		return -EEXIST;
	if (e == NULL && (flags & ~(uint64_t)BPF_F_LOCK) == BPF_EXIST)
		return -ENOENT;
	if (e != NULL) {
		/* In place, so that a full map can still change values. */
		seq = elem_write_begin(e);
		store_value(map, e, value, all_slots, 0,
			    (flags & BPF_F_LOCK) != 0);
		elem_write_end(e, seq);
		return 0;
	}

	e = pop_free(map);
	if (e == NULL && h->lru) {
		lru_evict(map);
		e = pop_free(map);
	}
	if (e == NULL)
		return -E2BIG;
	/* Readers may still stand on a reused element: every field they
	 * read is written atomically or compared as a whole key afterwards,
	 * and control-plane copies see the odd count. */
	seq = elem_write_begin(e);
	memcpy(e->key, key, map->def.key_size);
	__atomic_store_n(&e->hash, hash, __ATOMIC_RELAXED);
	__atomic_store_n(&e->lru_ref, 0, __ATOMIC_RELAXED);
	store_value(map, e, value, all_slots, 1, 0);
	elem_write_end(e, seq);
	__atomic_store_n(&e->next, *head, __ATOMIC_RELAXED);
	/* Publish: a reader that sees the new head sees the filled element. */
	__atomic_store_n(head, elem_link(index_of(map, e)), __ATOMIC_RELEASE);
	__atomic_store_n(&h->count, h->count + 1, __ATOMIC_RELAXED);
	return 0;
}

static int
hash_update_any(struct uxdp_map *map, const void *key, const void *value,
		uint64_t flags, int all_slots)
{
	struct uxdp_hash_layout *h = &map->u.hash;
	int ret;

	/* BPF_F_LOCK needs a bpf_spin_lock in the value (BTF). */
	if ((flags & ~(uint64_t)BPF_F_LOCK) > BPF_EXIST ||
	    ((flags & BPF_F_LOCK) && !map->def.has_spin_lock))
		return -EINVAL;
	rte_spinlock_lock(&h->lock);
	ret = hash_update_locked(map, key, value, flags, all_slots);
	rte_spinlock_unlock(&h->lock);
	return ret;
}

static int
hash_update(struct uxdp_map *map, const void *key, const void *value,
	    uint64_t flags)
{
	return hash_update_any(map, key, value, flags, 1);
}

static int
hash_update_prog(struct uxdp_map *map, const void *key, const void *value,
		 uint64_t flags)
{
	return hash_update_any(map, key, value, flags, 0);
}

static int
hash_delete(struct uxdp_map *map, const void *key)
{
	struct uxdp_hash_layout *h = &map->u.hash;
	uint32_t hash = hash_key(key, map->def.key_size, h->seed);
	struct hash_elem *e = NULL;
	uint32_t *prev;
	uint32_t link;
	int ret = -ENOENT;

	rte_spinlock_lock(&h->lock);
	prev = bucket_head(map, hash & (h->n_buckets - 1));
	for (link = *prev; !link_is_end(link); link = *prev) {
		e = elem_of_link(map, link);
		if (e->hash == hash &&
		    memcmp(e->key, key, map->def.key_size) == 0)
			break;
		prev = &e->next;
	}
	if (!link_is_end(link)) {
		/* Unlink; e->next stays valid for readers standing on e. */
		__atomic_store_n(prev, e->next, __ATOMIC_RELEASE);
		e->free_next = h->free_head;
		h->free_head = index_of(map, e) + 1;
		__atomic_store_n(&h->count, h->count - 1, __ATOMIC_RELAXED);
		ret = 0;
	}
	rte_spinlock_unlock(&h->lock);
	return ret;
}

/* The first key in bucket order from bucket `from`, or -ENOENT. */
static int
first_key_from(struct uxdp_map *map, uint32_t from, void *next_key)
{
	uint32_t bucket;
	uint32_t link;

	for (bucket = from; bucket < map->u.hash.n_buckets; bucket++) {
		link = load_link(bucket_head(map, bucket));
		if (!link_is_end(link)) {
			memcpy(next_key, elem_of_link(map, link)->key,
			       map->def.key_size);
			return 0;
		}
	}
	return -ENOENT;
}

static int
hash_get_next_key(struct uxdp_map *map, const void *key, void *next_key)
{
	struct hash_elem *e;
	uint32_t hash;
	uint32_t link;

	if (key == NULL)
		return first_key_from(map, 0, next_key);
	hash = hash_key(key, map->def.key_size, map->u.hash.seed);
	e = find_elem(map, key, hash);
	if (e == NULL)
		return first_key_from(map, 0, next_key); /* as the kernel */
	link = load_link(&e->next);
	if (!link_is_end(link)) {
		memcpy(next_key, elem_of_link(map, link)->key,
		       map->def.key_size);
		return 0;
	}
	return first_key_from(map, (hash & (map->u.hash.n_buckets - 1)) + 1,
			      next_key);
}

static uint32_t
hash_count(struct uxdp_map *map)
{
	return __atomic_load_n(&map->u.hash.count, __ATOMIC_RELAXED);
}

const struct uxdp_map_ops uxdp_map_hash_ops = {
	.size = hash_size,
	.init = hash_init,
	.lookup = hash_lookup,
	.update = hash_update,
	.delete = hash_delete,
	.get_next_key = hash_get_next_key,
	.lookup_copy = hash_lookup_copy,
	.count = hash_count,
};

/* The per-CPU variants (PERCPU_HASH, LRU_PERCPU_HASH): the same table with
 * the per-CPU entry points. LRU_HASH shares uxdp_map_hash_ops: the variant
 * itself is recorded in the layout at init, from the map's type. */
const struct uxdp_map_ops uxdp_map_percpu_hash_ops = {
	.size = hash_size,
	.init = hash_init,
	.lookup = hash_lookup,
	.update = hash_update,
	.delete = hash_delete,
	.get_next_key = hash_get_next_key,
	.lookup_copy = hash_lookup_copy,
	.count = hash_count,
	.update_prog = hash_update_prog,
	.lookup_percpu = hash_lookup_percpu,
};

/* For map types built on a hash (DEVMAP_HASH). */
int
uxdp_hash_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	return hash_size(def, data_size);
}

int
uxdp_hash_init(struct uxdp_map *map, uint64_t data_off)
{
	return hash_init(map, data_off);
}

void *
uxdp_hash_lookup(struct uxdp_map *map, const void *key)
{
	return hash_lookup(map, key);
}

int
uxdp_hash_update(struct uxdp_map *map, const void *key, const void *value,
		 uint64_t flags)
{
	return hash_update(map, key, value, flags);
}

int
uxdp_hash_delete(struct uxdp_map *map, const void *key)
{
	return hash_delete(map, key);
}

int
uxdp_hash_get_next_key(struct uxdp_map *map, const void *key, void *next_key)
{
	return hash_get_next_key(map, key, next_key);
}

uint32_t
uxdp_hash_count(struct uxdp_map *map)
{
	return hash_count(map);
}
