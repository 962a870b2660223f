/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The regions of a sandboxed run beyond its stack and packet, which the
 * engines test inline: the ctx, the maps a run can reach, ring buffer
 * records it reserved. Only reached when the inline tests failed, so
 * this may take a few loads more; it allocates nothing and takes no lock.
 *
 * Maps a run can reach are those of its program's object (global data
 * included) and the inner maps stored in its maps of maps, found by
 * reading the slots. The last inner map found is remembered per thread
 * with its id and taken again while the id registry still maps that id
 * to it: a live map, whose memory is valid, even if the control plane has
 * since taken it out of the outer map (a run may still hold the pointer,
 * as in the kernel under RCU).
 */

#include <stddef.h>
#include <linux/bpf.h>

#include "uxdp_bpf_internal.h"
#include "run_state.h"
#include "sandbox.h"

/*
 * The run state is used by name, never through a pointer: GCC's UBSan
 * takes the address of an initial-exec TLS variable of another file for
 * a null pointer and would flag every access (a false positive).
 */

/* Longest key of a HASH_OF_MAPS whose inner maps are searched. */
#define SB_MAX_OUTER_KEY 64

/* The xdp_md view of the ctx: after the rewrite (check_ctx.c) programs
 * read the buff's pointer and u32 fields up to egress_ifindex. */
#define SB_CTX_SIZE (offsetof(struct uxdp_xdp_buff, egress_ifindex) + \
		     sizeof(uint32_t))

static bool
inner_map_of(struct uxdp_map *outer, uint64_t map)
{
	const struct uxdp_map_def *def = uxdp_map_get_def(outer);
	uint8_t key[SB_MAX_OUTER_KEY], next[SB_MAX_OUTER_KEY];
	uint32_t i;

	if (def->type == BPF_MAP_TYPE_ARRAY_OF_MAPS) {
		for (i = 0; i < def->max_entries; i++) {
			uint32_t id = uxdp_map_slot_id(outer, i);

			if (id != 0 && (uintptr_t)uxdp_map_by_id(id) == map)
				return true;
		}
		return false;
	}
	if (def->type != BPF_MAP_TYPE_HASH_OF_MAPS ||
	    def->key_size > SB_MAX_OUTER_KEY)
		return false;
	if (uxdp_map_get_next_key(outer, NULL, next) != 0)
		return false;
	do {
		if ((uintptr_t)uxdp_map_lookup(outer, next) == map)
			return true;
		__builtin_memcpy(key, next, def->key_size);
	} while (uxdp_map_get_next_key(outer, key, next) == 0);
	return false;
}

/* The remembered inner map, if its id still names it. */
static struct uxdp_map *
cached_inner_map(void)
{

	uintptr_t map = uxdp_run_state.sb_inner_map;

	if (map == 0 ||
	    (uintptr_t)uxdp_map_by_id(uxdp_run_state.sb_inner_id) != map)
		return NULL;
	return (struct uxdp_map *)map;
}

static void
cache_inner_map(struct uxdp_map *map)
{
	uxdp_run_state.sb_inner_map = (uintptr_t)map;
	uxdp_run_state.sb_inner_id = uxdp_map_id(map);
}

bool
uxdp_sandbox_map_ok(const struct uxdp_prog *prog, uint64_t map)
{
	const struct uxdp_obj *obj = prog->obj;
	unsigned int i;

	if (map == 0 || obj == NULL)
		return false;
	for (i = 0; i < obj->n_maps; i++)
		if ((uintptr_t)obj->maps[i] == map)
			return true;
	if ((uintptr_t)cached_inner_map() == map)
		return true;
	for (i = 0; i < obj->n_maps; i++) {
		if (inner_map_of(obj->maps[i], map)) {
			cache_inner_map((struct uxdp_map *)(uintptr_t)map);
			return true;
		}
	}
	return false;
}

/* The map of prog's run holding the access, if it is allowed there. */
static bool
map_mem_ok(const struct uxdp_prog *prog, uint64_t addr, uint64_t size,
	   int write)
{
	const struct uxdp_obj *obj = prog->obj;
	unsigned int i;

	if (obj == NULL)
		return false;
	for (i = 0; i < obj->n_maps; i++)
		if (uxdp_map_mem_access_ok(obj->maps[i],
					   (const void *)(uintptr_t)addr,
					   size, write))
			return true;
	return false;
}

/* An inner map's memory: found through the outer maps' slots. */
static bool
inner_map_mem_ok(const struct uxdp_prog *prog, uint64_t addr, uint64_t size,
		 int write)
{
	const struct uxdp_obj *obj = prog->obj;
	struct uxdp_map *cached = cached_inner_map();
	unsigned int i;
	uint32_t k;

	if (cached != NULL &&
	    uxdp_map_mem_access_ok(cached, (const void *)(uintptr_t)addr,
				   size, write))
		return true;
	for (i = 0; obj != NULL && i < obj->n_maps; i++) {
		struct uxdp_map *outer = obj->maps[i];
		const struct uxdp_map_def *def = uxdp_map_get_def(outer);
		uint8_t key[SB_MAX_OUTER_KEY], next[SB_MAX_OUTER_KEY];

		if (def->type == BPF_MAP_TYPE_ARRAY_OF_MAPS) {
			for (k = 0; k < def->max_entries; k++) {
				uint32_t id = uxdp_map_slot_id(outer, k);

				struct uxdp_map *in = id != 0 ?
					uxdp_map_by_id(id) : NULL;

				if (in != NULL && uxdp_map_mem_access_ok(in,
					(const void *)(uintptr_t)addr, size,
					write)) {
					cache_inner_map(in);
					return true;
				}
			}
			continue;
		}
		if (def->type != BPF_MAP_TYPE_HASH_OF_MAPS ||
		    def->key_size > SB_MAX_OUTER_KEY ||
		    uxdp_map_get_next_key(outer, NULL, next) != 0)
			continue;
		do {
			struct uxdp_map *in = uxdp_map_lookup(outer, next);

			if (uxdp_map_mem_access_ok(in,
						   (const void *)(uintptr_t)addr,
						   size, write)) {
				cache_inner_map(in);
				return true;
			}
			__builtin_memcpy(key, next, def->key_size);
		} while (uxdp_map_get_next_key(outer, key, next) == 0);
	}
	return false;
}

static bool
record_ok(uint64_t addr, uint64_t size)
{
	uint32_t n = uxdp_run_state.sb_n_records, i;

	for (i = 0; i < n && i < UXDP_SB_MAX_RECORDS; i++) {
		uintptr_t data = uxdp_run_state.sb_records[i].data;

		if (uxdp_sandbox_span_in(addr, size, data,
					 data + uxdp_run_state.sb_records[i].len))
			return true;
	}
	return false;
}

uint64_t
uxdp_sandbox_mem_ok(const struct uxdp_prog *prog, uint64_t addr,
		    uint64_t size, uint64_t write, uint64_t stack_lo,
		    uint64_t stack_hi)
{
	const struct uxdp_xdp_buff *buff = uxdp_run_state.buff;

	if (uxdp_sandbox_span_in(addr, size, stack_lo, stack_hi))
		return 1;
	if (buff != NULL) {
		if (uxdp_sandbox_span_in(addr, size,
					 (uintptr_t)buff->data_meta,
					 (uintptr_t)buff->data_end))
			return 1;
		if (!write && uxdp_sandbox_span_in(addr, size, (uintptr_t)buff,
						   (uintptr_t)buff +
						   SB_CTX_SIZE))
			return 1;
	}
	if (map_mem_ok(prog, addr, size, (int)write))
		return 1;
	if (record_ok(addr, size))
		return 1;
	if (!write && uxdp_run_state.sb_cb_key != 0 &&
	    uxdp_sandbox_span_in(addr, size, uxdp_run_state.sb_cb_key,
				 uxdp_run_state.sb_cb_key + sizeof(uint32_t)))
		return 1;
	return inner_map_mem_ok(prog, addr, size, (int)write);
}

void
uxdp_sandbox_fault(const struct uxdp_prog *prog)
{
	__atomic_fetch_add((uint64_t *)(uintptr_t)&prog->sandbox_faults, 1,
			   __ATOMIC_RELAXED);
}

uint64_t
uxdp_prog_sandbox_faults(const struct uxdp_prog *prog)
{
	return prog != NULL ?
		__atomic_load_n(&prog->sandbox_faults, __ATOMIC_RELAXED) : 0;
}

void
uxdp_sandbox_record_add(void *data, uint64_t len)
{
	uint32_t n = uxdp_run_state.sb_n_records;

	if (n < UXDP_SB_MAX_RECORDS) {
		uxdp_run_state.sb_records[n].data = (uintptr_t)data;
		uxdp_run_state.sb_records[n].len = len;
		uxdp_run_state.sb_n_records = n + 1;
	}
}

void
uxdp_sandbox_record_drop(void *data)
{
	uint32_t n = uxdp_run_state.sb_n_records, i;

	for (i = 0; i < n; i++) {
		if (uxdp_run_state.sb_records[i].data != (uintptr_t)data)
			continue;
		/* The last record takes the dropped one's place. */
		uxdp_run_state.sb_records[i] =
			uxdp_run_state.sb_records[n - 1];
		uxdp_run_state.sb_n_records = n - 1;
		return;
	}
}

bool
uxdp_sandbox_record_held(uint64_t data)
{
	uint32_t i;

	for (i = 0; i < uxdp_run_state.sb_n_records; i++)
		if (uxdp_run_state.sb_records[i].data == data)
			return true;
	return false;
}
