/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_MAP_H
#define UXDP_MAP_H

/**
 * @file
 * BPF maps with Linux semantics, laid out in one contiguous block of memory
 * that holds no process-local pointers, so that a DPDK memzone can back it
 * and a secondary process can use it at the same address.
 *
 * Map types and flags use the values of <linux/bpf.h> (BPF_MAP_TYPE_*,
 * BPF_ANY/BPF_NOEXIST/BPF_EXIST). Errors are negative errno values, the
 * same ones the bpf() syscall gives for the same operation.
 */

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest map name kept, including the terminating NUL. */
#define UXDP_MAP_NAME_MAX 64

/** What a map is; the fields of the kernel's bpf_attr for BPF_MAP_CREATE. */
struct uxdp_map_def {
	uint32_t type;        /**< BPF_MAP_TYPE_* */
	uint32_t key_size;    /**< bytes */
	uint32_t value_size;  /**< bytes */
	uint32_t max_entries;
	uint32_t map_flags;   /**< BPF_F_* */
};

/** Where the map's memory comes from. */
enum uxdp_mem_kind {
	UXDP_MEM_HEAP = 0,   /**< process-private; no EAL needed (uxdp-run) */
	UXDP_MEM_SHARED = 1, /**< a DPDK memzone; needs rte_eal_init() */
};

/** A map. Opaque; the whole map lives in the memory it was created in. */
struct uxdp_map;

/**
 * Create a map. Returns 0 and sets *out, or:
 * -EINVAL for a bad definition (zero or unsupported sizes, flags),
 * -ENOTSUP for a map type not implemented, -ENOMEM when memory is short.
 */
int uxdp_map_create(const char *name, const struct uxdp_map_def *def,
		    enum uxdp_mem_kind mem, struct uxdp_map **out);

/** Free a map and its memory. NULL is accepted. */
void uxdp_map_destroy(struct uxdp_map *map);

const char *uxdp_map_name(const struct uxdp_map *map);
const struct uxdp_map_def *uxdp_map_get_def(const struct uxdp_map *map);

/** Human name of a BPF_MAP_TYPE_* value ("hash", "array", ...). */
const char *uxdp_map_type_name(uint32_t type);

/**
 * Data-path lookup, the program's bpf_map_lookup_elem(): a pointer to the
 * value inside the map, or NULL. Lock-free.
 */
void *uxdp_map_lookup(struct uxdp_map *map, const void *key);

/** bpf_map_update_elem(): flags BPF_ANY, BPF_NOEXIST or BPF_EXIST. */
int uxdp_map_update(struct uxdp_map *map, const void *key, const void *value,
		    uint64_t flags);

/** bpf_map_delete_elem(): -EINVAL on array maps, as in the kernel. */
int uxdp_map_delete(struct uxdp_map *map, const void *key);

/**
 * BPF_MAP_GET_NEXT_KEY: key NULL (or a key not in the map, for hash maps)
 * gives the first key; -ENOENT after the last one.
 */
int uxdp_map_get_next_key(struct uxdp_map *map, const void *key,
			  void *next_key);

/**
 * Control-path lookup that copies the value out (BPF_MAP_LOOKUP_ELEM from
 * user space). -ENOENT when the key is absent.
 */
int uxdp_map_lookup_copy(struct uxdp_map *map, const void *key, void *value);

/** Number of entries in use (max_entries for arrays). */
uint32_t uxdp_map_count(struct uxdp_map *map);

#ifdef __cplusplus
}
#endif

#endif /* UXDP_MAP_H */
