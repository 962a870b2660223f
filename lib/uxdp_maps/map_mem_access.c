/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Which bytes of a map a sandboxed program may touch through a pointer
 * (lib/uxdp_bpf/sandbox.c asks). Only this library knows the layouts,
 * so the answer lives here.
 *
 * Reads: anywhere in the map's block. Every byte of it is mapped memory
 * that the map owns; reading a link or a key cannot crash anything, and
 * callbacks of bpf_for_each_map_elem legitimately read hash keys in place.
 *
 * Writes: only the value bytes of one element (any per-CPU slot of it),
 * never a key, a link, a header, a ring buffer or the bpf_spin_lock word
 * of a value: those are what the lock-free lookups and the control plane
 * trust, and a program that scribbled over them could make a later lookup
 * follow a wild link in the host. Maps programs may not write
 * (BPF_F_RDONLY_PROG: .rodata, .kconfig, devmaps) take no writes at all;
 * map types whose lookups hand programs no writable value take none.
 */

#include "uxdp_map_impl.h"

/* [off, off + size) inside [lo, hi), all offsets from the map start. */
static int
span_in(uint64_t off, uint64_t size, uint64_t lo, uint64_t hi)
{
	return off >= lo && off <= hi && size <= hi - off;
}

/* The access does not touch the value's bpf_spin_lock word, value_off
 * being where the value holding it starts (from the map start). */
static int
misses_lock(const struct uxdp_map *map, uint64_t off, uint64_t size,
	    uint64_t value_off)
{
	uint64_t lock = value_off + map->def.spin_lock_off;

	if (!map->def.has_spin_lock)
		return 1;
	return off + size <= lock || off >= lock + UXDP_SPIN_LOCK_SIZE;
}

/* Value bytes of an array of elements: element k starts at base +
 * k * stride, its writable bytes are [value_off, value_off + value_len)
 * inside it. */
static int
element_value_span(const struct uxdp_map *map, uint64_t off, uint64_t size,
		   uint64_t base, uint64_t stride, uint64_t n,
		   uint64_t value_off, uint64_t value_len)
{
	uint64_t k, in;

	if (stride == 0 || !span_in(off, size, base, base + n * stride))
		return 0;
	k = (off - base) / stride;
	in = off - base - k * stride;
	if (!span_in(in, size, value_off, value_off + value_len))
		return 0;
	return misses_lock(map, off, size, base + k * stride + value_off);
}

static int
write_ok(const struct uxdp_map *map, uint64_t off, uint64_t size)
{
	const struct uxdp_map_def *def = &map->def;

	if (def->map_flags & BPF_F_RDONLY_PROG)
		return 0;
	switch (def->type) {
	case BPF_MAP_TYPE_ARRAY:
		/* Values at a fixed stride; the padding between them is the
		 * slot's own (uxdp_map_value_store() writes it). */
		return element_value_span(map, off, size,
					  map->u.array.values_off,
					  map->u.array.value_stride,
					  def->max_entries, 0,
					  map->u.array.value_stride);
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return span_in(off, size, map->u.array.values_off,
			       map->u.array.values_off +
			       (uint64_t)def->max_entries * UXDP_MAP_NR_CPUS *
			       map->u.array.value_stride);
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return element_value_span(map, off, size,
					  map->u.hash.elems_off,
					  map->u.hash.elem_size,
					  def->max_entries,
					  map->u.hash.value_off,
					  (uint64_t)map->u.hash.value_stride *
					  map->u.hash.n_slots);
	case BPF_MAP_TYPE_LPM_TRIE:
		return element_value_span(map, off, size,
					  map->u.lpm.entries_off,
					  map->u.lpm.entry_size,
					  def->max_entries,
					  map->u.lpm.value_off,
					  def->value_size);
	default:
		return 0;
	}
}

/* The bpf_spin_lock word of one value of a map that has one, exactly. */
static int
lock_word_ok(const struct uxdp_map *map, uint64_t off)
{
	uint64_t base, stride, value_off, k;

	if (!map->def.has_spin_lock)
		return 0;
	if (map->def.type == BPF_MAP_TYPE_ARRAY) {
		base = map->u.array.values_off;
		stride = map->u.array.value_stride;
		value_off = 0;
	} else if (map->def.type == BPF_MAP_TYPE_HASH) {
		base = map->u.hash.elems_off;
		stride = map->u.hash.elem_size;
		value_off = map->u.hash.value_off;
	} else {
		return 0;
	}
	if (stride == 0 || off < base ||
	    !span_in(off, UXDP_SPIN_LOCK_SIZE, base,
		     base + (uint64_t)map->def.max_entries * stride))
		return 0;
	k = (off - base) / stride;
	return off == base + k * stride + value_off + map->def.spin_lock_off;
}

int
uxdp_map_mem_layout(const struct uxdp_map *map,
		    struct uxdp_map_mem_layout *l)
{
	const struct uxdp_map_def *def = &map->def;
	uintptr_t base = (uintptr_t)map;

	memset(l, 0, sizeof(*l));
	l->read_lo = base;
	l->read_hi = base + map->total_size;
	if ((def->map_flags & BPF_F_RDONLY_PROG) || def->has_spin_lock)
		return 0;
	switch (def->type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		/* Values at a fixed stride and nothing else: an access over
		 * two neighbours touches values only, so one range. */
		l->elems = base + map->u.array.values_off;
		l->n = (uint64_t)def->max_entries *
			(def->type == BPF_MAP_TYPE_PERCPU_ARRAY ?
			 UXDP_MAP_NR_CPUS : 1);
		l->stride = map->u.array.value_stride;
		l->value_len = l->stride;
		l->contiguous = 1;
		return 0;
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		l->elems = base + map->u.hash.elems_off;
		l->n = def->max_entries;
		l->stride = map->u.hash.elem_size;
		l->value_off = map->u.hash.value_off;
		l->value_len = (uint64_t)map->u.hash.value_stride *
			map->u.hash.n_slots;
		return 0;
	case BPF_MAP_TYPE_LPM_TRIE:
		l->elems = base + map->u.lpm.entries_off;
		l->n = def->max_entries;
		l->stride = map->u.lpm.entry_size;
		l->value_off = map->u.lpm.value_off;
		l->value_len = def->value_size;
		return 0;
	default:
		return 0;
	}
}

int
uxdp_map_mem_access_ok(const struct uxdp_map *map, const void *addr,
		       size_t size, int write)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)map;
	uint64_t off;

	if (map == NULL || a < base)
		return 0;
	off = a - base;
	if (!span_in(off, size, 0, map->total_size))
		return 0;
	if (write == UXDP_MAP_ACCESS_LOCK)
		return lock_word_ok(map, off);
	return !write || write_ok(map, off, size);
}
