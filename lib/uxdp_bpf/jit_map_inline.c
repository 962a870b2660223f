/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Inline map lookups. When bpf_map_lookup_elem's map is a constant of
 * the program (the loader relocated an ld_imm64 into the map's address),
 * its type decides:
 *
 * - BPF_MAP_TYPE_ARRAY: "index < max_entries ? values + index * stride :
 *   NULL" with every number known at compile time; a constant key then
 *   folds to an address. The JIT learns where the values are through the
 *   maps library's public lookup and checks that the slots are evenly
 *   spaced before relying on it. PERCPU_ARRAY the same, in the array of
 *   the thread's slot (a call of uxdp_map_this_cpu()).
 * - the hash types: a call of the maps library's own lookup compiled to
 *   bitcode (jit_bitcode.c), with the map's address, a copy of its layout
 *   and its key size as constants, which the optimiser inlines and
 *   specialises: the hash of a 4-byte key is a few multiplies, the key
 *   compare one load. The copy is only of fields the map never changes
 *   after creation (map_hash_core.h); that is why this file, unlike the
 *   rest of the JIT, sees the maps library's private layout.
 *
 * - maps of maps: the slot's id resolved to the inner map through the
 *   id registry (map_registry_core.h), whose table is at a constant
 *   address.
 *
 * A lookup whose map is not a constant (an inner map, or a pointer the
 * program picked at run time) goes through uxdp_bc_map_lookup_dynamic():
 * arrays and the hash family inline, with a switch on the map's type;
 * other types call the maps library.
 *
 * The values stay in the map's own (shared) memory. Any other map keeps
 * the helper call.
 */

#include "jit_emit.h"
#include "uxdp_map_impl.h"
#include "map_registry_core.h"

/* The definition of map when it is a map of this program's object (never
 * dereference an arbitrary constant), otherwise NULL. */
static const struct uxdp_map_def *
own_map_def(struct jit_emit *e, struct uxdp_map *map)
{
	unsigned int i;

	for (i = 0; e->prog->obj != NULL && i < e->prog->obj->n_maps; i++)
		if (e->prog->obj->maps[i] == map)
			return uxdp_map_get_def(map);
	return NULL;
}

static LLVMValueRef
const_ptr(struct jit_emit *e, const void *p)
{
	return LLVMConstIntToPtr(jit_const64(e, (uint64_t)(uintptr_t)p), e->ptr);
}

static LLVMValueRef
inline_array(struct jit_emit *e, struct uxdp_map *map,
	     const struct uxdp_map_def *def, LLVMValueRef key)
{
	uint32_t idx0 = 0, idx1 = 1;
	uint8_t *base, *next;
	uint64_t stride;
	LLVMValueRef index, load, in_range, addr;

	if (def->key_size != sizeof(uint32_t) || def->max_entries == 0)
		return NULL;
	base = uxdp_map_lookup(map, &idx0);
	if (base == NULL)
		return NULL;
	stride = (def->value_size + 7u) & ~7ull;
	if (def->max_entries > 1) {
		next = uxdp_map_lookup(map, &idx1);
		if (next == NULL || (uint64_t)(next - base) != stride)
			return NULL;
	}

	load = LLVMBuildLoad2(e->b, e->i32,
			      LLVMBuildIntToPtr(e->b, key, e->ptr, ""), "key");
	LLVMSetAlignment(load, 1);
	index = LLVMBuildZExt(e->b, load, e->i64, "");
	in_range = LLVMBuildICmp(e->b, LLVMIntULT, index,
				 jit_const64(e, def->max_entries), "");
	addr = LLVMBuildAdd(e->b, jit_const64(e, (uint64_t)(uintptr_t)base),
			    LLVMBuildMul(e->b, index, jit_const64(e, stride), ""),
			    "");
	return LLVMBuildSelect(e->b, in_range, addr, jit_const64(e, 0), "");
}

/* PERCPU_ARRAY: as ARRAY, in the array of the running thread's slot,
 * which the maps library's uxdp_map_this_cpu() gives (a call: the EAL
 * keeps the lcore id in its own thread-local storage). Each slot's array
 * follows the previous one's (map_percpu_array.c), which the JIT checks
 * on the map, as for ARRAY, before relying on it. */
static LLVMValueRef
inline_percpu_array(struct jit_emit *e, struct uxdp_map *map,
		    const struct uxdp_map_def *def, LLVMValueRef key)
{
	uint32_t idx0 = 0, idx1 = 1;
	uint8_t *base, *next;
	uint64_t stride, slot_stride;
	LLVMTypeRef cpu_fn_type;
	LLVMValueRef cpu, index, load, in_range, addr;

	if (def->key_size != sizeof(uint32_t) || def->max_entries == 0)
		return NULL;
	stride = (def->value_size + 7u) & ~7ull;
	slot_stride = stride * def->max_entries;
	base = uxdp_map_lookup_percpu(map, &idx0, 0);
	if (base == NULL)
		return NULL;
	if (def->max_entries > 1) {
		next = uxdp_map_lookup_percpu(map, &idx1, 0);
		if (next == NULL || (uint64_t)(next - base) != stride)
			return NULL;
	}
	if (uxdp_map_nr_cpus() > 1) {
		next = uxdp_map_lookup_percpu(map, &idx0, 1);
		if (next == NULL || (uint64_t)(next - base) != slot_stride)
			return NULL;
	}

	cpu_fn_type = LLVMFunctionType(e->i32, NULL, 0, 0);
	cpu = LLVMBuildCall2(e->b, cpu_fn_type,
			     const_ptr(e, (const void *)uxdp_map_this_cpu),
			     NULL, 0, "cpu");
	load = LLVMBuildLoad2(e->b, e->i32,
			      LLVMBuildIntToPtr(e->b, key, e->ptr, ""), "key");
	LLVMSetAlignment(load, 1);
	index = LLVMBuildZExt(e->b, load, e->i64, "");
	in_range = LLVMBuildICmp(e->b, LLVMIntULT, index,
				 jit_const64(e, def->max_entries), "");
	addr = LLVMBuildAdd(e->b,
			    LLVMBuildMul(e->b, LLVMBuildZExt(e->b, cpu, e->i64, ""),
					 jit_const64(e, slot_stride), ""),
			    LLVMBuildMul(e->b, index, jit_const64(e, stride), ""),
			    "");
	addr = LLVMBuildAdd(e->b, jit_const64(e, (uint64_t)(uintptr_t)base),
			    addr, "");
	return LLVMBuildSelect(e->b, in_range, addr, jit_const64(e, 0), "");
}

/* A constant global holding the bytes of map's hash layout: loads from
 * it fold into constants. */
static LLVMValueRef
layout_constant(struct jit_emit *e, const struct uxdp_hash_layout *h)
{
	LLVMValueRef init = LLVMConstStringInContext(e->ctx, (const char *)h,
						     sizeof(*h), 1);
	LLVMValueRef g = LLVMAddGlobal(e->mod, LLVMTypeOf(init),
				       "uxdp_hash_layout");

	LLVMSetInitializer(g, init);
	LLVMSetGlobalConstant(g, 1);
	LLVMSetLinkage(g, LLVMPrivateLinkage);
	LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
	LLVMSetAlignment(g, _Alignof(struct uxdp_hash_layout));
	return g;
}

static LLVMValueRef
inline_hash(struct jit_emit *e, struct uxdp_map *map,
	    const struct uxdp_map_def *def, LLVMValueRef key)
{
	LLVMValueRef fn = jit_bitcode_function(e, "uxdp_bc_hash_lookup");
	LLVMValueRef args[5], ret;

	if (fn == NULL)
		return NULL;
	args[0] = layout_constant(e, &map->u.hash);
	args[1] = const_ptr(e, map);
	args[2] = LLVMBuildIntToPtr(e->b, key, e->ptr, "");
	args[3] = LLVMConstInt(e->i32, def->key_size, 0);
	args[4] = const_ptr(e, (const void *)uxdp_map_this_cpu);
	ret = LLVMBuildCall2(e->b, LLVMGlobalGetValueType(fn), fn, args, 5, "");
	return LLVMBuildPtrToInt(e->b, ret, e->i64, "");
}

/* Maps of maps: the outer lookup resolves the slot's id to the inner map
 * through the process's id registry, whose table address is constant. */
static LLVMValueRef
inline_map_of_maps(struct jit_emit *e, struct uxdp_map *map,
		   const struct uxdp_map_def *def, LLVMValueRef key)
{
	bool array = def->type == BPF_MAP_TYPE_ARRAY_OF_MAPS;
	LLVMValueRef fn = jit_bitcode_function(e, array ?
					       "uxdp_bc_array_of_maps_lookup" :
					       "uxdp_bc_hash_of_maps_lookup");
	LLVMValueRef args[5], ret;
	unsigned int n = 0;

	if (fn == NULL)
		return NULL;
	if (!array)
		args[n++] = layout_constant(e, &map->u.hash);
	args[n++] = const_ptr(e, map);
	args[n++] = LLVMBuildIntToPtr(e->b, key, e->ptr, "");
	if (!array)
		args[n++] = LLVMConstInt(e->i32, def->key_size, 0);
	args[n++] = const_ptr(e, uxdp_id_table());
	ret = LLVMBuildCall2(e->b, LLVMGlobalGetValueType(fn), fn, args, n, "");
	return LLVMBuildPtrToInt(e->b, ret, e->i64, "");
}

LLVMValueRef
jit_inline_map_lookup_dynamic(struct jit_emit *e, LLVMValueRef map,
			      LLVMValueRef key)
{
	LLVMValueRef fn = jit_bitcode_function(e, "uxdp_bc_map_lookup_dynamic");
	LLVMValueRef args[4], ret;

	if (fn == NULL)
		return NULL;
	args[0] = LLVMBuildIntToPtr(e->b, map, e->ptr, "");
	args[1] = LLVMBuildIntToPtr(e->b, key, e->ptr, "");
	args[2] = const_ptr(e, (const void *)uxdp_map_this_cpu);
	args[3] = const_ptr(e, (const void *)uxdp_map_lookup);
	ret = LLVMBuildCall2(e->b, LLVMGlobalGetValueType(fn), fn, args, 4, "");
	return LLVMBuildPtrToInt(e->b, ret, e->i64, "");
}

LLVMValueRef
jit_inline_map_lookup(struct jit_emit *e, uint64_t map_addr, LLVMValueRef key)
{
	struct uxdp_map *map = (struct uxdp_map *)(uintptr_t)map_addr;
	const struct uxdp_map_def *def = own_map_def(e, map);

	if (def == NULL)
		return NULL;
	switch (def->type) {
	case BPF_MAP_TYPE_ARRAY:
		return inline_array(e, map, def, key);
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return inline_percpu_array(e, map, def, key);
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return inline_hash(e, map, def, key);
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return inline_map_of_maps(e, map, def, key);
	default:
		return NULL;
	}
}
