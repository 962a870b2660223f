/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_MAP_IMPL_H
#define UXDP_MAP_IMPL_H

/*
 * Private to lib/uxdp_maps (and its tests): the layout of a map in memory
 * and the per-type operations table.
 *
 * A map is ONE contiguous block: a struct uxdp_map header followed by the
 * type's data. The block may be a DPDK memzone that a secondary process
 * maps at the same virtual address, so the block must hold no pointer of
 * any kind: every position inside it is an offset from the start of the
 * block, and the operations of a type are found through a table that each
 * process owns (uxdp_map_ops_of(def.type)), never through the block.
 */

#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>

#include <rte_memzone.h>
#include <rte_pause.h>
#include <rte_spinlock.h>
#include <rte_lcore.h>

#include "uxdp_map.h"

/* Stored in every live map; cleared by destroy to catch use after free. */
#define UXDP_MAP_MAGIC 0x757864706d617031ull /* "uxdp\x06map1" */

/* Data region alignment: values handed to programs must allow 8-byte
 * atomics; cache-line alignment also keeps the header apart from data. */
#define UXDP_MAP_DATA_ALIGN 64

static inline uint64_t
uxdp_round_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) / align * align;
}

/* Reading and writing under one access flag pair is a contradiction the
 * kernel refuses with -EINVAL, for every map type. */
static inline int
uxdp_map_access_flags_ok(uint32_t flags)
{
	const uint32_t rw = BPF_F_RDONLY | BPF_F_WRONLY;
	const uint32_t rw_prog = BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG;

	return (flags & rw) != rw && (flags & rw_prog) != rw_prog;
}

/* BPF_MAP_TYPE_ARRAY: max_entries values at a fixed stride. */
struct uxdp_array_layout {
	uint64_t values_off;   /* from the map start */
	uint32_t value_stride; /* round_up(value_size, 8), as the kernel */
	uint32_t reserved;
};

/*
 * BPF_MAP_TYPE_HASH: n_buckets heads of singly linked lists of preallocated
 * elements, plus a free list. Links are 32-bit values (see map_hash.c):
 * even = element index << 1, odd = "end of bucket b" marker (b << 1 | 1).
 */
struct uxdp_hash_layout {
	uint64_t buckets_off;  /* uint32_t heads[n_buckets], from the map start */
	uint64_t elems_off;    /* element 0, from the map start */
	uint64_t seed;         /* hash seed; 0 with BPF_F_ZERO_SEED */
	uint32_t n_buckets;    /* power of two >= max_entries */
	uint32_t elem_size;    /* bytes per element, multiple of 8 */
	uint32_t value_off;    /* value position inside an element */
	uint32_t count;        /* elements in use; written under lock */
	uint32_t free_head;    /* index + 1 of the first free element, 0: none */
	uint32_t reserved;
	rte_spinlock_t lock;   /* serialises update and delete, never lookup */
	/* Variants (map_hash.c): per-CPU values, LRU eviction. */
	uint32_t value_stride; /* round_up(value_size, 8) */
	uint32_t n_slots;      /* 1, or uxdp_map_nr_cpus() for per-CPU */
	uint32_t lru;          /* evict instead of -E2BIG when full */
	uint32_t lru_hand;     /* next element index the eviction looks at */
};

/* LPM_TRIE (map_lpm.c): preallocated entries and two sorted index
 * arrays, one published, one the writer rebuilds (a seqlock word). */
struct uxdp_lpm_layout {
	uint64_t entries_off;  /* from the map start */
	uint64_t index_off[2]; /* uint32_t entry numbers, sorted */
	uint64_t published;    /* generation << 33 | buffer << 32 | count */
	uint32_t entry_size;
	uint32_t value_off;    /* inside an entry */
	uint32_t free_head;    /* entry + 1, 0: none */
	uint32_t data_size;    /* key_size - 4 */
	rte_spinlock_t lock;
};

/* QUEUE / STACK (map_queue_stack.c): a ring of max_entries + 1 slots. */
struct uxdp_qs_layout {
	uint64_t slots_off;
	uint32_t slot_size;
	uint32_t n_slots;
	uint32_t head;         /* next slot to write */
	uint32_t tail;         /* oldest element */
	rte_spinlock_t lock;
};

/* BLOOM_FILTER (map_bloom.c): a bit array of a power-of-two size. */
struct uxdp_bloom_layout {
	uint64_t bits_off;
	uint64_t seed;
	uint32_t bit_mask;
	uint32_t nr_hash_funcs;
};

/* RINGBUF (map_ringbuf.c): positions grow forever, masked into data. */
struct uxdp_ringbuf_layout {
	uint64_t data_off;
	uint64_t mask;         /* max_entries - 1 */
	uint64_t consumer_pos;
	uint64_t producer_pos;
	rte_spinlock_t lock;   /* serialises reserve, as the kernel's */
};

struct uxdp_map {
	uint64_t magic;
	char name[UXDP_MAP_NAME_MAX];
	struct uxdp_map_def def;
	uint32_t mem_kind;        /* enum uxdp_mem_kind */
	uint64_t total_size;      /* bytes of the whole block, header included */
	char memzone_name[RTE_MEMZONE_NAMESIZE]; /* UXDP_MEM_SHARED only */
	union {
		struct uxdp_array_layout array;
		struct uxdp_hash_layout hash;
		struct uxdp_lpm_layout lpm;
		struct uxdp_qs_layout qs;
		struct uxdp_bloom_layout bloom;
		struct uxdp_ringbuf_layout ringbuf;
	} u;
	uint32_t id;              /* uxdp_map_id(); process registry */
	/* ARRAY_OF_MAPS / HASH_OF_MAPS: the definition inner maps must
	 * match, copied from the template map at creation. */
	struct uxdp_map_def inner_def;
	/* The process that created the map: the only one whose id registry
	 * knows `id` and that may free the memory (map_attach.c). */
	int32_t owner_pid;
	/* uxdp_map_freeze(): the control plane may no longer write. */
	uint32_t frozen;
} __attribute__((aligned(UXDP_MAP_DATA_ALIGN)));

/* Whether the calling process created map (0: it attached to it). */
int uxdp_map_is_owner(const struct uxdp_map *map);

/* Where the type-specific data begins, from the map start. */
#define UXDP_MAP_DATA_OFF uxdp_round_up(sizeof(struct uxdp_map), UXDP_MAP_DATA_ALIGN)

static inline void *
uxdp_map_at(const struct uxdp_map *map, uint64_t off)
{
	return (char *)(uintptr_t)map + off;
}

/*
 * What a map type implements. Arguments are validated by map.c (map, key,
 * value and next_key non-NULL where required) before the call.
 */
struct uxdp_map_ops {
	/* Validate def as the kernel's map_alloc_check would and set
	 * *data_size to the bytes the type needs after the header. */
	int (*size)(const struct uxdp_map_def *def, uint64_t *data_size);
	/* Lay out zero-filled memory; map->def and map->total_size are set. */
	int (*init)(struct uxdp_map *map, uint64_t data_off);
	void *(*lookup)(struct uxdp_map *map, const void *key);
	int (*update)(struct uxdp_map *map, const void *key, const void *value,
		      uint64_t flags);
	int (*delete)(struct uxdp_map *map, const void *key);
	/* key may be NULL: the first key. */
	int (*get_next_key)(struct uxdp_map *map, const void *key,
			    void *next_key);
	int (*lookup_copy)(struct uxdp_map *map, const void *key, void *value);
	uint32_t (*count)(struct uxdp_map *map);
	/* Optional (NULL: update). The program's update where it differs:
	 * per-CPU maps write the calling thread's slot only. */
	int (*update_prog)(struct uxdp_map *map, const void *key,
			   const void *value, uint64_t flags);
	/* Optional: slot cpu of a per-CPU value. */
	void *(*lookup_percpu)(struct uxdp_map *map, const void *key,
			       uint32_t cpu);
	/* Optional: keyless maps (QUEUE, STACK, BLOOM_FILTER). */
	int (*push)(struct uxdp_map *map, const void *value, uint64_t flags);
	int (*pop)(struct uxdp_map *map, void *value);
	int (*peek)(struct uxdp_map *map, void *value);
};

extern const struct uxdp_map_ops uxdp_map_array_ops;
extern const struct uxdp_map_ops uxdp_map_hash_ops;
extern const struct uxdp_map_ops uxdp_map_prog_array_ops;
extern const struct uxdp_map_ops uxdp_map_array_of_maps_ops;
extern const struct uxdp_map_ops uxdp_map_hash_of_maps_ops;
extern const struct uxdp_map_ops uxdp_map_percpu_array_ops;
extern const struct uxdp_map_ops uxdp_map_percpu_hash_ops;
extern const struct uxdp_map_ops uxdp_map_lpm_trie_ops;
extern const struct uxdp_map_ops uxdp_map_queue_ops;
extern const struct uxdp_map_ops uxdp_map_stack_ops;
extern const struct uxdp_map_ops uxdp_map_bloom_filter_ops;
extern const struct uxdp_map_ops uxdp_map_devmap_ops;
extern const struct uxdp_map_ops uxdp_map_devmap_hash_ops;
extern const struct uxdp_map_ops uxdp_map_ringbuf_ops;
extern const struct uxdp_map_ops uxdp_map_perf_event_array_ops;

/* Per-CPU slots: RTE_MAX_LCORE, the lcore id picks one (uxdp_map.h). */
#define UXDP_MAP_NR_CPUS RTE_MAX_LCORE

/* map_hash.c, shared with DEVMAP_HASH (map_devmap.c). */
int uxdp_hash_size(const struct uxdp_map_def *def, uint64_t *data_size);
int uxdp_hash_init(struct uxdp_map *map, uint64_t data_off);
void *uxdp_hash_lookup(struct uxdp_map *map, const void *key);
int uxdp_hash_update(struct uxdp_map *map, const void *key,
		     const void *value, uint64_t flags);
int uxdp_hash_delete(struct uxdp_map *map, const void *key);
int uxdp_hash_get_next_key(struct uxdp_map *map, const void *key,
			   void *next_key);
uint32_t uxdp_hash_count(struct uxdp_map *map);

/*
 * map_fd_array.c: the array of u32 ids behind PROG_ARRAY and
 * ARRAY_OF_MAPS (the kernel's "fd arrays"); the types differ only in what
 * an id must refer to, which check_id decides (0 or -errno).
 */
/*
 * Array-like maps (array, per-CPU array, prog array, map-in-map array,
 * devmap, perf event array): a u32 index key, every index exists whether
 * its slot is empty or not.
 */
static inline uint32_t
uxdp_array_key_index(const void *key)
{
	uint32_t index;

	memcpy(&index, key, sizeof(index)); /* the key may be unaligned */
	return index;
}

/* Slot index of an array-shaped map (ARRAY, and the id arrays of
 * PROG_ARRAY and ARRAY_OF_MAPS): values_off + index * value_stride. */
static inline void *
uxdp_array_slot(const struct uxdp_map *map, uint32_t index)
{
	const struct uxdp_array_layout *a = &map->u.array;

	return uxdp_map_at(map, a->values_off +
			   (uint64_t)index * a->value_stride);
}

/* BPF_MAP_TYPE_ARRAY's lookup, also inlined by the JIT's bitcode. */
static inline void *
uxdp_array_lookup_value(const struct uxdp_map *map, const void *key)
{
	uint32_t index = uxdp_array_key_index(key);

	return index < map->def.max_entries ? uxdp_array_slot(map, index) :
					       NULL;
}

/* The kernel's array get_next_key: 0..max_entries-1; a NULL key or an
 * index past the end restarts at 0 (map_array.c). */
int uxdp_array_get_next_key(struct uxdp_map *map, const void *key,
			    void *next_key);

int uxdp_fd_array_size(const struct uxdp_map_def *def, uint64_t *data_size);
int uxdp_fd_array_init(struct uxdp_map *map, uint64_t data_off);
uint32_t uxdp_fd_array_get(struct uxdp_map *map, uint32_t index);
int uxdp_fd_array_update(struct uxdp_map *map, const void *key,
			 const void *value, uint64_t flags,
			 int (*check_id)(struct uxdp_map *map, uint32_t id));
int uxdp_fd_array_delete(struct uxdp_map *map, const void *key);
int uxdp_fd_array_lookup_copy(struct uxdp_map *map, const void *key,
			      void *value, enum uxdp_id_kind kind);
uint32_t uxdp_fd_array_count(struct uxdp_map *map);

/*
 * Copy a value into map memory. Values of 8 bytes or fewer become a single
 * 8-byte atomic store, so a concurrent reader never sees half of an old and
 * half of a new value (the slot is 8-byte aligned and padded to 8 bytes, so
 * the bytes past value_size belong to it and are written back unchanged).
 */
static inline void
uxdp_map_value_store(void *dst, const void *src, uint32_t value_size)
{
	uint64_t word;

	if (value_size > sizeof(word)) {
		memcpy(dst, src, value_size);
		return;
	}
	word = __atomic_load_n((uint64_t *)dst, __ATOMIC_RELAXED);
	memcpy(&word, src, value_size);
	__atomic_store_n((uint64_t *)dst, word, __ATOMIC_RELEASE);
}

/*
 * Values holding a struct bpf_spin_lock (def.has_spin_lock). As the
 * kernel's copy_map_value(): an update writes every byte but the lock
 * word, so it never takes or drops a lock a program holds; with
 * BPF_F_LOCK it holds the value's lock while it copies. The lock is the
 * same 4-byte word bpf_spin_lock() takes (helpers_lock.c).
 */
#define UXDP_SPIN_LOCK_SIZE 4

static inline void
uxdp_map_value_lock(void *value, uint32_t off)
{
	uint32_t *lock = (uint32_t *)((char *)value + off);

	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE) != 0)
		while (__atomic_load_n(lock, __ATOMIC_RELAXED) != 0)
			rte_pause();
}

static inline void
uxdp_map_value_unlock(void *value, uint32_t off)
{
	__atomic_store_n((uint32_t *)((char *)value + off), 0,
			 __ATOMIC_RELEASE);
}

/* An update's store: the whole value, or around the lock word (taking
 * the lock when with_lock, for BPF_F_LOCK). */
static inline void
uxdp_map_value_update(const struct uxdp_map *map, void *dst, const void *src,
		      int with_lock)
{
	uint32_t off = map->def.spin_lock_off;
	uint32_t end = off + UXDP_SPIN_LOCK_SIZE;

	if (!map->def.has_spin_lock) {
		uxdp_map_value_store(dst, src, map->def.value_size);
		return;
	}
	if (with_lock)
		uxdp_map_value_lock(dst, off);
	memcpy(dst, src, off);
	memcpy((char *)dst + end, (const char *)src + end,
	       map->def.value_size - end);
	if (with_lock)
		uxdp_map_value_unlock(dst, off);
}

/* A copied-out value shows its lock word as 0, as the kernel's lookups
 * do (check_and_init_map_value()). */
static inline void
uxdp_map_value_hide_lock(const struct uxdp_map *map, void *value)
{
	if (map->def.has_spin_lock)
		memset((char *)value + map->def.spin_lock_off, 0,
		       UXDP_SPIN_LOCK_SIZE);
}

/* The reading side of uxdp_map_value_store(). */
static inline void
uxdp_map_value_load(void *dst, const void *src, uint32_t value_size)
{
	uint64_t word;

	if (value_size > sizeof(word)) {
		memcpy(dst, src, value_size);
		return;
	}
	word = __atomic_load_n((const uint64_t *)src, __ATOMIC_ACQUIRE);
	memcpy(dst, &word, value_size);
}

#endif /* UXDP_MAP_IMPL_H */
