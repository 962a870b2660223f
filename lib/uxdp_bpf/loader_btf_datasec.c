/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The BTF type of a global data map's value: the section's DATASEC. clang
 * leaves a DATASEC's size and its variables' offsets at 0 in the object,
 * for the loader to fill from the ELF section and symbols, as libbpf does
 * before it hands BTF to the kernel; without that, the type cannot format
 * a dump (uxdp_btf_json.h). The symbol table stays the loader's authority
 * for offsets (loader_consts.c); this only makes BTF agree with it.
 */

#include <string.h>
#include <elf.h>

#include <bpf/btf.h>

#include "loader.h"

static const struct ldr_sym *
section_symbol(const struct ldr_ctx *ctx, size_t sec_idx, const char *name)
{
	size_t i;

	for (i = 0; i < ctx->n_syms; i++)
		if (ctx->syms[i].shndx == sec_idx &&
		    ctx->syms[i].type != STT_SECTION &&
		    strcmp(ctx->syms[i].name, name) == 0)
			return &ctx->syms[i];
	return NULL;
}

/* The offset of each variable, or false when one cannot be placed. */
static bool
var_offsets(const struct ldr_ctx *ctx, size_t sec_idx,
	    const struct btf_type *t, uint64_t sec_size, uint32_t *offs)
{
	const struct btf_var_secinfo *vsi = btf_var_secinfos(t);
	uint16_t i;

	for (i = 0; i < btf_vlen(t); i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(ctx->btf,
							     vsi->type);
		const struct ldr_sym *sym;
		const char *name;

		if (var == NULL || !btf_is_var(var))
			return false;
		name = btf__name_by_offset(ctx->btf, var->name_off);
		sym = name != NULL ? section_symbol(ctx, sec_idx, name) : NULL;
		if (sym == NULL || sym->value + vsi->size > sec_size)
			return false;
		offs[i] = (uint32_t)sym->value;
	}
	return true;
}

uint32_t
ldr_btf_data_type(struct ldr_ctx *ctx, size_t sec_idx)
{
	const struct ldr_section *sec = &ctx->secs[sec_idx];
	struct btf_var_secinfo *vsi;
	struct btf_type *t;
	uint32_t offs[256];
	uint16_t i;
	int id;

	if (ctx->btf == NULL)
		return 0;
	id = btf__find_by_name_kind(ctx->btf, sec->name, BTF_KIND_DATASEC);
	if (id <= 0)
		return 0;
	/* libbpf's own fix-up writes through the same pointers: the types
	 * live in memory the btf object owns. */
	t = (struct btf_type *)btf__type_by_id(ctx->btf, id);
	if ((t->size != 0 && t->size != sec->size) ||
	    btf_vlen(t) > sizeof(offs) / sizeof(offs[0]) ||
	    !var_offsets(ctx, sec_idx, t, sec->size, offs))
		return 0;
	vsi = btf_var_secinfos(t);
	for (i = 0; i < btf_vlen(t); i++)
		vsi[i].offset = offs[i];
	t->size = (uint32_t)sec->size;
	return (uint32_t)id;
}
