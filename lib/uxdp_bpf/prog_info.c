/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * What a loaded program refers to, read back from its relocated code.
 * The loader writes final addresses into ld_imm64 instructions (a struct
 * uxdp_map pointer for a map, an address inside the single value of a
 * global data map for a variable; loader_reloc.c), so decoding them needs
 * no record kept at load time: a 64-bit constant equal to a map's address
 * is a map reference, one inside the value of a one-entry array map is a
 * variable reference. Tools use this to compare the loader's relocations
 * with another loader's (uxdp-run --list).
 */

#include <errno.h>
#include <stdbool.h>
#include <linux/bpf.h>

#include "uxdp_bpf_internal.h"

static bool
is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static uint64_t
imm64(const struct bpf_insn *insn)
{
	return (uint64_t)(uint32_t)insn[0].imm |
	       (uint64_t)(uint32_t)insn[1].imm << 32;
}

/* Decode one relocated ld_imm64; false when it holds a plain constant. */
static bool
decode(const struct uxdp_prog *prog, uint32_t pc, struct uxdp_map_ref *ref)
{
	const struct uxdp_obj *obj = prog->obj;
	uintptr_t addr = (uintptr_t)imm64(&prog->insns[pc]);
	const uint32_t zero = 0;
	unsigned int i;

	if (obj == NULL || prog->insns[pc].src_reg != 0)
		return false;
	/* Exact map addresses first: a map's own address never lies inside
	 * the value of a map. */
	for (i = 0; i < obj->n_maps; i++) {
		if (addr == (uintptr_t)obj->maps[i]) {
			ref->insn = pc;
			ref->map = obj->maps[i];
			ref->off = 0;
			ref->is_value = 0;
			return true;
		}
	}
	for (i = 0; i < obj->n_maps; i++) {
		const struct uxdp_map_def *def = uxdp_map_get_def(obj->maps[i]);
		uintptr_t base;

		if (def->type != BPF_MAP_TYPE_ARRAY || def->max_entries != 1 ||
		    def->key_size != sizeof(zero))
			continue;
		base = (uintptr_t)uxdp_map_lookup(obj->maps[i], &zero);
		/* One past the end is a valid address of a variable too. */
		if (base != 0 && addr >= base && addr - base <= def->value_size) {
			ref->insn = pc;
			ref->map = obj->maps[i];
			ref->off = addr - base;
			ref->is_value = 1;
			return true;
		}
	}
	return false;
}

/* Count the references; with ref != NULL stop at the want-th one and
 * copy it out. Returns the count, or want when it was found. */
static unsigned int
walk(const struct uxdp_prog *prog, unsigned int want, struct uxdp_map_ref *ref,
     bool *found)
{
	struct uxdp_map_ref cur;
	unsigned int n = 0;
	uint32_t pc;

	for (pc = 0; pc + 1 < prog->n_insns; pc++) {
		if (!is_ld_imm64(&prog->insns[pc]))
			continue;
		if (decode(prog, pc, &cur)) {
			if (ref != NULL && n == want) {
				*ref = cur;
				*found = true;
				return n;
			}
			n++;
		}
		pc++; /* the second half */
	}
	return n;
}

unsigned int
uxdp_prog_map_ref_count(const struct uxdp_prog *prog)
{
	bool found = false;

	if (prog == NULL)
		return 0;
	return walk(prog, 0, NULL, &found);
}

int
uxdp_prog_map_ref_at(const struct uxdp_prog *prog, unsigned int i,
		     struct uxdp_map_ref *ref)
{
	bool found = false;

	if (prog == NULL || ref == NULL)
		return -EINVAL;
	walk(prog, i, ref, &found);
	return found ? 0 : -ENOENT;
}
