/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Inline map lookups. When bpf_map_lookup_elem's map is a constant of
 * the program (the loader relocated an ld_imm64 into the map's address)
 * and the map is a plain BPF_MAP_TYPE_ARRAY, the lookup is
 * "index < max_entries ? values + index * stride : NULL" with every
 * number known at compile time; a constant key then folds to an address.
 * The values stay in the map's own (shared) memory: the JIT only learns
 * where they are, through the maps library's public lookup, and checks
 * that the slots are evenly spaced before relying on it. Any other map
 * keeps the helper call.
 */

#include "jit_emit.h"

LLVMValueRef
jit_inline_map_lookup(struct jit_emit *e, uint64_t map_addr, LLVMValueRef key)
{
	struct uxdp_map *map = (struct uxdp_map *)(uintptr_t)map_addr;
	const struct uxdp_map_def *def = NULL;
	uint32_t idx0 = 0, idx1 = 1;
	uint8_t *base, *next;
	uint64_t stride;
	LLVMValueRef index, load, in_range, addr;
	unsigned int i;

	/* Only a map of this program's object: never dereference an
	 * arbitrary constant. */
	for (i = 0; e->prog->obj != NULL && i < e->prog->obj->n_maps; i++)
		if (e->prog->obj->maps[i] == map)
			def = uxdp_map_get_def(map);
	if (def == NULL || def->type != BPF_MAP_TYPE_ARRAY ||
	    def->key_size != sizeof(uint32_t) || def->max_entries == 0)
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
