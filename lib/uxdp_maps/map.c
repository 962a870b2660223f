/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * What every map type shares: creation (validation by the type, memory,
 * header), destruction, and dispatch of the public calls to the type's
 * operations. The operations table lives in each process, selected by
 * def.type; the map memory holds no pointer (see uxdp_map_impl.h).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/bpf.h>

#include <rte_errno.h>
#include <rte_memzone.h>

#include "uxdp_map_impl.h"

/* Map types newer than the <linux/bpf.h> this may be built against. */
#define UXDP_MAP_TYPE_CGRP_STORAGE 32
#define UXDP_MAP_TYPE_ARENA 33

/* Names as bpftool prints them; index = BPF_MAP_TYPE_* value. */
static const char *const map_type_names[] = {
	[BPF_MAP_TYPE_UNSPEC] = "unspec",
	[BPF_MAP_TYPE_HASH] = "hash",
	[BPF_MAP_TYPE_ARRAY] = "array",
	[BPF_MAP_TYPE_PROG_ARRAY] = "prog_array",
	[BPF_MAP_TYPE_PERF_EVENT_ARRAY] = "perf_event_array",
	[BPF_MAP_TYPE_PERCPU_HASH] = "percpu_hash",
	[BPF_MAP_TYPE_PERCPU_ARRAY] = "percpu_array",
	[BPF_MAP_TYPE_STACK_TRACE] = "stack_trace",
	[BPF_MAP_TYPE_CGROUP_ARRAY] = "cgroup_array",
	[BPF_MAP_TYPE_LRU_HASH] = "lru_hash",
	[BPF_MAP_TYPE_LRU_PERCPU_HASH] = "lru_percpu_hash",
	[BPF_MAP_TYPE_LPM_TRIE] = "lpm_trie",
	[BPF_MAP_TYPE_ARRAY_OF_MAPS] = "array_of_maps",
	[BPF_MAP_TYPE_HASH_OF_MAPS] = "hash_of_maps",
	[BPF_MAP_TYPE_DEVMAP] = "devmap",
	[BPF_MAP_TYPE_SOCKMAP] = "sockmap",
	[BPF_MAP_TYPE_CPUMAP] = "cpumap",
	[BPF_MAP_TYPE_XSKMAP] = "xskmap",
	[BPF_MAP_TYPE_SOCKHASH] = "sockhash",
	[BPF_MAP_TYPE_CGROUP_STORAGE] = "cgroup_storage",
	[BPF_MAP_TYPE_REUSEPORT_SOCKARRAY] = "reuseport_sockarray",
	[BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE] = "percpu_cgroup_storage",
	[BPF_MAP_TYPE_QUEUE] = "queue",
	[BPF_MAP_TYPE_STACK] = "stack",
	[BPF_MAP_TYPE_SK_STORAGE] = "sk_storage",
	[BPF_MAP_TYPE_DEVMAP_HASH] = "devmap_hash",
	[BPF_MAP_TYPE_STRUCT_OPS] = "struct_ops",
	[BPF_MAP_TYPE_RINGBUF] = "ringbuf",
	[BPF_MAP_TYPE_INODE_STORAGE] = "inode_storage",
	[BPF_MAP_TYPE_TASK_STORAGE] = "task_storage",
	[BPF_MAP_TYPE_BLOOM_FILTER] = "bloom_filter",
	[BPF_MAP_TYPE_USER_RINGBUF] = "user_ringbuf",
	[UXDP_MAP_TYPE_CGRP_STORAGE] = "cgrp_storage",
	[UXDP_MAP_TYPE_ARENA] = "arena",
};

#define N_MAP_TYPES (sizeof(map_type_names) / sizeof(map_type_names[0]))

/* The implemented types. A process-local table: the map memory only
 * records def.type, so every process finds its own functions. */
static const struct uxdp_map_ops *const map_ops_by_type[N_MAP_TYPES] = {
	[BPF_MAP_TYPE_HASH] = &uxdp_map_hash_ops,
	[BPF_MAP_TYPE_ARRAY] = &uxdp_map_array_ops,
	[BPF_MAP_TYPE_PROG_ARRAY] = &uxdp_map_prog_array_ops,
	[BPF_MAP_TYPE_ARRAY_OF_MAPS] = &uxdp_map_array_of_maps_ops,
	[BPF_MAP_TYPE_HASH_OF_MAPS] = &uxdp_map_hash_of_maps_ops,
	[BPF_MAP_TYPE_PERCPU_ARRAY] = &uxdp_map_percpu_array_ops,
	[BPF_MAP_TYPE_PERCPU_HASH] = &uxdp_map_percpu_hash_ops,
	[BPF_MAP_TYPE_LRU_HASH] = &uxdp_map_hash_ops,
	[BPF_MAP_TYPE_LRU_PERCPU_HASH] = &uxdp_map_percpu_hash_ops,
	[BPF_MAP_TYPE_LPM_TRIE] = &uxdp_map_lpm_trie_ops,
	[BPF_MAP_TYPE_QUEUE] = &uxdp_map_queue_ops,
	[BPF_MAP_TYPE_STACK] = &uxdp_map_stack_ops,
	[BPF_MAP_TYPE_BLOOM_FILTER] = &uxdp_map_bloom_filter_ops,
	[BPF_MAP_TYPE_DEVMAP] = &uxdp_map_devmap_ops,
	[BPF_MAP_TYPE_DEVMAP_HASH] = &uxdp_map_devmap_hash_ops,
	[BPF_MAP_TYPE_RINGBUF] = &uxdp_map_ringbuf_ops,
	[BPF_MAP_TYPE_PERF_EVENT_ARRAY] = &uxdp_map_perf_event_array_ops,
};

/* Makes memzone names unique within the process; the pid makes them
 * unique between the processes sharing one DPDK memory. */
static uint32_t memzone_seq;

static const struct uxdp_map_ops *
ops_of(const struct uxdp_map *map)
{
	uint32_t type = map->def.type;

	return type < N_MAP_TYPES ? map_ops_by_type[type] : NULL;
}

const char *
uxdp_map_type_name(uint32_t type)
{
	if (type >= N_MAP_TYPES || map_type_names[type] == NULL)
		return "unknown";
	return map_type_names[type];
}

static void *
heap_alloc(uint64_t size)
{
	void *mem;

	/* Anonymous pages: private, page aligned, already zero, and only
	 * backed by memory once touched. */
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return mem == MAP_FAILED ? NULL : mem;
}

static void *
shared_alloc(uint64_t size, char *mz_name)
{
	const struct rte_memzone *mz;
	unsigned int attempt;

	/* A name may be taken by a map of an earlier process with the same
	 * pid that outlived it in a shared memory: try a few sequence numbers. */
	for (attempt = 0; attempt < 16; attempt++) {
		uint32_t seq = __atomic_fetch_add(&memzone_seq, 1,
						  __ATOMIC_RELAXED);

		snprintf(mz_name, RTE_MEMZONE_NAMESIZE, "uxdp_map_%d_%u",
			 (int)getpid(), seq);
		mz = rte_memzone_reserve_aligned(mz_name, size, SOCKET_ID_ANY,
						 0, UXDP_MAP_DATA_ALIGN);
		if (mz != NULL) {
			/* Memzone contents are not guaranteed to be zero. */
			memset(mz->addr, 0, size);
			return mz->addr;
		}
		if (rte_errno != EEXIST)
			return NULL;
	}
	return NULL;
}

static void
map_mem_free(struct uxdp_map *map)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];

	map->magic = 0;
	/* Before the memory goes: ids of this map resolve to nothing. */
	uxdp_id_release(map->id);
	if (map->mem_kind == UXDP_MEM_SHARED) {
		/* The name lives in the memory being freed: copy it first. */
		memcpy(mz_name, map->memzone_name, sizeof(mz_name));
		mz_name[sizeof(mz_name) - 1] = '\0';
		rte_memzone_free(rte_memzone_lookup(mz_name));
	} else {
		munmap(map, map->total_size);
	}
}

int
uxdp_map_create(const char *name, const struct uxdp_map_def *def,
		enum uxdp_mem_kind mem, struct uxdp_map **out)
{
	char mz_name[RTE_MEMZONE_NAMESIZE] = "";
	const struct uxdp_map_ops *ops;
	struct uxdp_map *map;
	uint64_t data_size;
	uint64_t total;
	int ret;

	if (def == NULL || out == NULL ||
	    (mem != UXDP_MEM_HEAP && mem != UXDP_MEM_SHARED))
		return -EINVAL;
	*out = NULL;
	/* The kernel refuses types it does not know with -EINVAL; a known
	 * type that uxdp does not implement is -ENOTSUP. */
	if (def->type == BPF_MAP_TYPE_UNSPEC || def->type >= N_MAP_TYPES)
		return -EINVAL;
	ops = map_ops_by_type[def->type];
	if (ops == NULL)
		return -ENOTSUP;
	/* As the kernel's map_create(): map_extra means something to bloom
	 * filters only. */
	if (def->map_extra != 0 && def->type != BPF_MAP_TYPE_BLOOM_FILTER)
		return -EINVAL;
	/* The kernel's map_check_btf(): a bpf_spin_lock lives in HASH and
	 * ARRAY values only (of the types uxdp has), whole and aligned. */
	if (def->has_spin_lock) {
		if (def->type != BPF_MAP_TYPE_HASH &&
		    def->type != BPF_MAP_TYPE_ARRAY)
			return -EOPNOTSUPP;
		if (def->spin_lock_off % UXDP_SPIN_LOCK_SIZE != 0 ||
		    def->spin_lock_off > def->value_size ||
		    def->value_size - def->spin_lock_off < UXDP_SPIN_LOCK_SIZE)
			return -EINVAL;
	}

	ret = ops->size(def, &data_size);
	if (ret < 0)
		return ret;
	if (data_size > SIZE_MAX - UXDP_MAP_DATA_OFF)
		return -ENOMEM;
	total = UXDP_MAP_DATA_OFF + data_size;

	if (mem == UXDP_MEM_SHARED)
		map = shared_alloc(total, mz_name);
	else
		map = heap_alloc(total);
	if (map == NULL)
		return -ENOMEM;

	if (name != NULL)
		snprintf(map->name, sizeof(map->name), "%s", name);
	map->def = *def;
	map->mem_kind = mem;
	map->total_size = total;
	map->owner_pid = (int32_t)getpid();
	memcpy(map->memzone_name, mz_name, sizeof(map->memzone_name));

	ret = ops->init(map, UXDP_MAP_DATA_OFF);
	if (ret == 0)
		ret = uxdp_id_alloc(UXDP_ID_MAP, map, &map->id);
	if (ret < 0) {
		map_mem_free(map);
		return ret;
	}
	/* Last: another process attaching by name (map_attach.c) takes
	 * the magic to mean "laid out and ready". */
	__atomic_store_n(&map->magic, UXDP_MAP_MAGIC, __ATOMIC_RELEASE);
	*out = map;
	return 0;
}

void
uxdp_map_destroy(struct uxdp_map *map)
{
	/* A cleared magic means destroyed already: while the memory is
	 * still mapped (DPDK's heap usually keeps a freed memzone's pages),
	 * a second destroy frees nothing. */
	if (map == NULL || map->magic != UXDP_MAP_MAGIC)
		return;
	/* A process that attached to the map (uxdp_map_attach()) does not
	 * own it: freeing would pull the memory from under the creator, and
	 * releasing map->id would drop an unrelated id of this process. */
	if (!uxdp_map_is_owner(map))
		return;
	map_mem_free(map);
}

const char *
uxdp_map_name(const struct uxdp_map *map)
{
	return map != NULL ? map->name : NULL;
}

const struct uxdp_map_def *
uxdp_map_get_def(const struct uxdp_map *map)
{
	return map != NULL ? &map->def : NULL;
}

void *
uxdp_map_lookup(struct uxdp_map *map, const void *key)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL || key == NULL)
		return NULL;
	ops = ops_of(map);
	return ops != NULL ? ops->lookup(map, key) : NULL;
}

int
uxdp_map_update(struct uxdp_map *map, const void *key, const void *value,
		uint64_t flags)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL || value == NULL)
		return -EINVAL;
	/* Keyless maps (key_size 0) take no key, as the syscall's push. */
	if (key == NULL && map->def.key_size != 0)
		return -EINVAL;
	/* The syscall refuses BPF_F_LOCK before any map type looks at the
	 * update, whatever else is wrong with it. */
	if ((flags & BPF_F_LOCK) && !map->def.has_spin_lock)
		return -EINVAL;
	if (__atomic_load_n(&map->frozen, __ATOMIC_ACQUIRE))
		return -EPERM;
	ops = ops_of(map);
	return ops != NULL ? ops->update(map, key, value, flags) : -EINVAL;
}

int
uxdp_map_delete(struct uxdp_map *map, const void *key)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL || key == NULL)
		return -EINVAL;
	if (__atomic_load_n(&map->frozen, __ATOMIC_ACQUIRE))
		return -EPERM;
	ops = ops_of(map);
	return ops != NULL ? ops->delete(map, key) : -EINVAL;
}

void
uxdp_map_freeze(struct uxdp_map *map)
{
	if (map != NULL)
		__atomic_store_n(&map->frozen, 1, __ATOMIC_RELEASE);
}

int
uxdp_map_is_frozen(const struct uxdp_map *map)
{
	return map != NULL && __atomic_load_n(&map->frozen, __ATOMIC_ACQUIRE);
}

int
uxdp_map_get_next_key(struct uxdp_map *map, const void *key, void *next_key)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL || next_key == NULL)
		return -EINVAL;
	ops = ops_of(map);
	return ops != NULL ? ops->get_next_key(map, key, next_key) : -EINVAL;
}

int
uxdp_map_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL || value == NULL)
		return -EINVAL;
	/* Keyless maps (key_size 0): the syscall's lookup is a peek. */
	if (key == NULL && map->def.key_size != 0)
		return -EINVAL;
	ops = ops_of(map);
	return ops != NULL ? ops->lookup_copy(map, key, value) : -EINVAL;
}

uint32_t
uxdp_map_count(struct uxdp_map *map)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL)
		return 0;
	ops = ops_of(map);
	return ops != NULL ? ops->count(map) : 0;
}

unsigned int
uxdp_map_nr_cpus(void)
{
	return UXDP_MAP_NR_CPUS;
}

unsigned int
uxdp_map_this_cpu(void)
{
	unsigned int lcore = rte_lcore_id();

	/* Threads that are not EAL lcores share slot 0. */
	return lcore < UXDP_MAP_NR_CPUS ? lcore : 0;
}

int
uxdp_map_type_is_percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

int
uxdp_map_update_prog(struct uxdp_map *map, const void *key,
		     const void *value, uint64_t flags)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL || value == NULL)
		return -EINVAL;
	if (key == NULL && map->def.key_size != 0)
		return -EINVAL;
	ops = ops_of(map);
	if (ops == NULL)
		return -EINVAL;
	if (ops->update_prog != NULL)
		return ops->update_prog(map, key, value, flags);
	return ops->update(map, key, value, flags);
}

void *
uxdp_map_lookup_percpu(struct uxdp_map *map, const void *key, uint32_t cpu)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL || key == NULL || cpu >= UXDP_MAP_NR_CPUS)
		return NULL;
	ops = ops_of(map);
	if (ops == NULL || ops->lookup_percpu == NULL)
		return NULL;
	return ops->lookup_percpu(map, key, cpu);
}

int
uxdp_map_push(struct uxdp_map *map, const void *value, uint64_t flags)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL || value == NULL)
		return -EINVAL;
	ops = ops_of(map);
	if (ops == NULL || ops->push == NULL)
		return -ENOTSUP;
	return ops->push(map, value, flags);
}

int
uxdp_map_pop(struct uxdp_map *map, void *value)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL || value == NULL)
		return -EINVAL;
	ops = ops_of(map);
	if (ops == NULL || ops->pop == NULL)
		return -ENOTSUP;
	return ops->pop(map, value);
}

int
uxdp_map_peek(struct uxdp_map *map, void *value)
{
	const struct uxdp_map_ops *ops;

	if (map == NULL || value == NULL)
		return -EINVAL;
	ops = ops_of(map);
	if (ops == NULL || ops->peek == NULL)
		return -ENOTSUP;
	return ops->peek(map, value);
}
