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
#include <rte_spinlock.h>

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
	} u;
} __attribute__((aligned(UXDP_MAP_DATA_ALIGN)));

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
};

extern const struct uxdp_map_ops uxdp_map_array_ops;
extern const struct uxdp_map_ops uxdp_map_hash_ops;

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
