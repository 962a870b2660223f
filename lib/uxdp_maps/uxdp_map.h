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
	/** ARRAY_OF_MAPS / HASH_OF_MAPS: id (uxdp_map_id()) of a map whose
	 * definition every inner map must match, like the kernel's
	 * inner_map_fd; only read at creation (the stored definition says 0). */
	uint32_t inner_map_id;
	/** BLOOM_FILTER: the number of hash functions in bits 0..3 (0: 5),
	 * as the kernel's map_extra; 0 for every other type. */
	uint64_t map_extra;
	/** HASH and ARRAY: the value holds a struct bpf_spin_lock (4 bytes)
	 * at spin_lock_off, as its BTF says. Copies into and out of the map
	 * skip it, and BPF_F_LOCK updates take it, as in the kernel; other
	 * types refuse it (-EOPNOTSUPP). */
	uint8_t has_spin_lock;
	uint32_t spin_lock_off;
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

/*
 * Another process. A DPDK secondary process (same --file-prefix) reaches
 * the UXDP_MEM_SHARED maps of its primary by name while the primary runs:
 * a memzone is mapped at the same address in every process of the group,
 * so the returned handle is the creator's own pointer. In the attaching
 * process, every call of this header works as in the creator (lookup,
 * update, delete, get_next_key, push/pop, ringbuf produce and consume)
 * and is safe against concurrent use from the other process, except:
 *  - maps whose values are ids (PROG_ARRAY, ARRAY_OF_MAPS, HASH_OF_MAPS)
 *    are refused: ids live in the creator's process-local registry;
 *  - uxdp_map_id() gives 0 and uxdp_map_destroy() does nothing: only the
 *    creator frees a map; it must outlive the attached users;
 *  - per-CPU values: a thread uses the slot of its own rte_lcore_id(), and
 *    a thread that is no EAL lcore uses slot 0; give the secondary lcores
 *    that the primary does not use, or its writes share slots;
 *  - a RINGBUF has one consumer at a time, whichever process it is in.
 */

/**
 * Attach to a live shared map by its memzone name (exact) or else by its
 * map name. Returns 0 and sets *out, -ENOENT when no map has that name,
 * -ENOTUNIQ when several maps do (use uxdp_map_memzone_name() of the one
 * meant), -ENOTSUP for a map type holding ids, -EINVAL.
 */
int uxdp_map_attach(const char *name, struct uxdp_map **out);

/** Stop using an attached map (nothing to free today). NULL accepted. */
void uxdp_map_detach(struct uxdp_map *map);

/** The memzone name of a shared map ("uxdp_map_<pid>_<n>"), else NULL. */
const char *uxdp_map_memzone_name(const struct uxdp_map *map);

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
 * BPF_MAP_FREEZE: from now on uxdp_map_update() and uxdp_map_delete()
 * fail with -EPERM, as the syscall's do on a frozen map; programs see no
 * change. The loader freezes .rodata and .kconfig once the `volatile
 * const` settings are in, as libbpf does, so that what the load-time
 * analysis read there stays true.
 */
void uxdp_map_freeze(struct uxdp_map *map);

/** Whether uxdp_map_freeze() was called on map. */
int uxdp_map_is_frozen(const struct uxdp_map *map);

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

/*
 * Ids. Every map and every loaded program gets a u32 id, unique in the
 * process, never reused (as the kernel's map and program ids). Maps that
 * refer to other objects store ids, never pointers, because map memory may
 * be shared with another process: a PROG_ARRAY slot holds a program id, an
 * ARRAY_OF_MAPS / HASH_OF_MAPS value a map id. Values of such maps are 4
 * bytes, read and written as ids through update/lookup_copy, as the bpf()
 * syscall reads fds and returns ids.
 *
 * The registry that resolves ids is process-local for now: a secondary
 * process attaching to the maps would need a registry in shared memory,
 * so uxdp_map_attach() refuses the map types holding ids.
 */

/** What an id refers to. */
enum uxdp_id_kind {
	UXDP_ID_NONE = 0, /**< no such id, or its object is gone */
	UXDP_ID_MAP = 1,
	UXDP_ID_PROG = 2,
};

/** Register object under a new id. 0 or -ENOSPC, -EINVAL. */
int uxdp_id_alloc(enum uxdp_id_kind kind, void *object, uint32_t *id);
/**
 * As uxdp_id_alloc(), with a tag the registry keeps beside the object and
 * that never changes: a program's tag is its expected attach type (enum
 * bpf_attach_type: BPF_XDP, BPF_XDP_DEVMAP), which lets a DEVMAP accept
 * only devmap programs without knowing what a program is.
 */
int uxdp_id_alloc_tagged(enum uxdp_id_kind kind, void *object, uint32_t tag,
			 uint32_t *id);
/** The tag of a live id, 0 otherwise (and for untagged ids). */
uint32_t uxdp_id_tag(uint32_t id);
/** Forget an id (its object is being freed). 0 is accepted. */
void uxdp_id_release(uint32_t id);
/** The object of an id of that kind, or NULL. Lock-free. */
void *uxdp_id_lookup(uint32_t id, enum uxdp_id_kind kind);
/** The kind of a live id, UXDP_ID_NONE otherwise. */
enum uxdp_id_kind uxdp_id_kind_of(uint32_t id);

/** The id of a map (never 0 for a live map). */
uint32_t uxdp_map_id(const struct uxdp_map *map);
/** The live map with this id, or NULL. */
struct uxdp_map *uxdp_map_by_id(uint32_t id);

/**
 * PROG_ARRAY / ARRAY_OF_MAPS: the id in slot index, 0 when the slot is
 * empty or index >= max_entries. Lock-free (bpf_tail_call's read).
 */
uint32_t uxdp_map_slot_id(struct uxdp_map *map, uint32_t index);

/*
 * Note on uxdp_map_lookup() for ARRAY_OF_MAPS and HASH_OF_MAPS: as the
 * program's bpf_map_lookup_elem() in the kernel, it returns the inner map
 * itself (a struct uxdp_map *, usable as a map by the helpers), not a
 * pointer to the stored id. On PROG_ARRAY it returns NULL: programs only
 * reach prog arrays through bpf_tail_call().
 */


/*
 * Per-CPU maps (PERCPU_ARRAY, PERCPU_HASH, LRU_PERCPU_HASH). Every value
 * has uxdp_map_nr_cpus() slots of round_up(value_size, 8) bytes, the
 * kernel's per-CPU layout. A program uses the slot of the lcore it runs
 * on: rte_lcore_id() in an EAL thread, slot 0 in any other thread (so two
 * non-EAL threads share slot 0, as two tasks migrating on one CPU would).
 * uxdp_map_update() and uxdp_map_lookup_copy() take and give every slot,
 * as the bpf() syscall does; uxdp_map_lookup() and uxdp_map_update_prog()
 * are the program's view: the current slot only.
 */

/** Slots of a per-CPU value: RTE_MAX_LCORE. */
unsigned int uxdp_map_nr_cpus(void);

/** The per-CPU slot of the calling thread (see above). */
unsigned int uxdp_map_this_cpu(void);

/** Whether values of this map type are per-CPU. */
int uxdp_map_type_is_percpu(uint32_t type);

/**
 * The program's bpf_map_update_elem(): as uxdp_map_update() except on
 * per-CPU maps, where value is value_size bytes for the calling thread's
 * slot (a new element starts with the other slots zero, as in the kernel).
 */
int uxdp_map_update_prog(struct uxdp_map *map, const void *key,
			 const void *value, uint64_t flags);

/** bpf_map_lookup_percpu_elem(): slot cpu of a per-CPU map, or NULL
 * (absent key, cpu >= uxdp_map_nr_cpus(), a map that is not per-CPU). */
void *uxdp_map_lookup_percpu(struct uxdp_map *map, const void *key,
			     uint32_t cpu);

/*
 * QUEUE, STACK and BLOOM_FILTER have no key (key_size 0): the program's
 * bpf_map_push_elem/pop_elem/peek_elem. uxdp_map_update() with a NULL key
 * pushes and uxdp_map_lookup_copy() with a NULL key peeks, as the bpf()
 * syscall does; for a bloom filter, peek reads value as the element to
 * test (0: maybe present, -ENOENT: absent). -ENOTSUP on other types.
 */
int uxdp_map_push(struct uxdp_map *map, const void *value, uint64_t flags);
int uxdp_map_pop(struct uxdp_map *map, void *value);
int uxdp_map_peek(struct uxdp_map *map, void *value);

/*
 * RINGBUF: the program side (bpf_ringbuf_*) and a consumer for the control
 * plane. Records carry the kernel's 8-byte header; see doc/maps.md.
 */

/** bpf_ringbuf_reserve(): size bytes of record payload, or NULL. */
void *uxdp_ringbuf_reserve(struct uxdp_map *map, uint64_t size,
			   uint64_t flags);
/** bpf_ringbuf_submit()/bpf_ringbuf_discard() of a reserved record. */
void uxdp_ringbuf_submit(void *sample, uint64_t flags);
void uxdp_ringbuf_discard(void *sample, uint64_t flags);
/** bpf_ringbuf_output(): copy size bytes as one record; 0 or -errno. */
int uxdp_ringbuf_output(struct uxdp_map *map, const void *data,
			uint64_t size, uint64_t flags);
/** bpf_ringbuf_query(): BPF_RB_AVAIL_DATA, _RING_SIZE, _CONS_POS,
 * _PROD_POS; 0 for anything else. */
uint64_t uxdp_ringbuf_query(struct uxdp_map *map, uint64_t flags);

/** Called per submitted record; a non-zero return stops the consumer
 * (that record is consumed). */
typedef int (*uxdp_ringbuf_cb)(void *ctx, const void *data, uint32_t size);

/**
 * Consume the submitted records in order, stopping at the first record
 * still reserved. Returns the number of records given to cb (discarded
 * records are skipped silently), or -EINVAL when map is not a RINGBUF.
 * One consumer at a time.
 */
int uxdp_ringbuf_consume(struct uxdp_map *map, uxdp_ringbuf_cb cb,
			 void *ctx);

/**
 * PERF_EVENT_ARRAY: bpf_perf_event_output()'s checks. uxdp has no perf
 * events: every slot is empty, so a valid index gives -ENOENT as a kernel
 * map with no event in that slot does.
 */
int uxdp_perf_event_output(struct uxdp_map *map, uint64_t flags,
			   const void *data, uint64_t size);

/**
 * Whether a program run under the sandbox may access [addr, addr + size)
 * of map through a pointer (lib/uxdp_bpf's run-time containment): reads
 * anywhere in the map's memory block, writes only inside the value bytes
 * of one element (not the bpf_spin_lock word) of a map programs may
 * write. 1 when allowed, 0 otherwise (map_mem_access.c). write ==
 * UXDP_MAP_ACCESS_LOCK asks instead whether addr is exactly the
 * bpf_spin_lock word of a value (what bpf_spin_lock() may take).
 */
#define UXDP_MAP_ACCESS_LOCK 2

/**
 * uxdp_map_mem_access_ok() as numbers, for checks a JIT compiles against
 * constants (fields that never change after creation): reads are allowed
 * in [read_lo, read_hi), the map's whole block; writes inside one
 * element's value bytes: element k (k < n) starts at elems + k * stride
 * and its value bytes are [value_off, value_off + value_len) in it, or,
 * when contiguous, anywhere in [elems, elems + n * stride). n is 0 when
 * no write can be described so (read-only maps, maps with a
 * bpf_spin_lock, types without writable values). Always 0.
 */
struct uxdp_map_mem_layout {
	uintptr_t read_lo;
	uintptr_t read_hi;
	uintptr_t elems;
	uint64_t n;
	uint64_t stride;
	uint64_t value_off;
	uint64_t value_len;
	int contiguous;
};

int uxdp_map_mem_layout(const struct uxdp_map *map,
			struct uxdp_map_mem_layout *layout);
int uxdp_map_mem_access_ok(const struct uxdp_map *map, const void *addr,
			   size_t size, int write);

#ifdef __cplusplus
}
#endif

#endif /* UXDP_MAP_H */
