/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Data relocations: an ld_imm64 whose R_BPF_64_64 relocation names a map
 * or a global variable. uxdp runs programs in the address space of the
 * maps, so the loader writes final addresses where the kernel would use
 * map fds (BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_VALUE):
 *  - a map (".maps" or legacy "maps" symbol): the struct uxdp_map pointer,
 *    which the map helpers receive as their map argument;
 *  - a global variable: the address inside the section's map value. The
 *    offset is the symbol's value plus the instruction's imm: clang
 *    relocates globals against their own symbol (imm 0) and statics
 *    against the section symbol (imm = offset in the section), and libbpf
 *    adds both the same way.
 * The 64-bit immediate is split as the ISA splits it: low 32 bits in the
 * first instruction's imm, high 32 bits in the second's; src_reg becomes
 * 0, a plain constant.
 * Extern variables (an undefined symbol) are .kconfig externs, an address
 * in the .kconfig map (ldr_reloc_extern()); other externs are refused.
 */

#include <errno.h>
#include <stdint.h>

#include "loader.h"

static void
set_imm64(struct bpf_insn *insn, uint64_t value)
{
	insn[0].src_reg = 0;
	insn[0].imm = (int32_t)(uint32_t)value;
	insn[1].imm = (int32_t)(uint32_t)(value >> 32);
}

int
ldr_reloc_ld_imm64(struct ldr_ctx *ctx, const struct ldr_section *sec,
		   uint64_t insn_idx, const struct ldr_sym *sym,
		   struct bpf_insn *insn)
{
	const char *label = ldr_sym_label(ctx, sym);
	int64_t off = (int64_t)sym->value + insn[0].imm;
	bool maps_section = false;
	size_t i;

	for (i = 0; i < ctx->n_maps; i++) {
		const struct ldr_map *m = &ctx->maps[i];

		if (m->sec != sym->shndx)
			continue;
		if (m->is_data) {
			if (off < 0 || (uint64_t)off > m->value_size)
				return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
						    "%s: section '%s' insn %llu: offset %lld of '%s' lies outside its %llu bytes",
						    ctx->path, sec->name,
						    (unsigned long long)insn_idx,
						    (long long)off, label,
						    (unsigned long long)m->value_size);
			set_imm64(insn, (uintptr_t)(m->value + off));
			return 0;
		}
		maps_section = true;
		if (off >= 0 && (uint64_t)off == m->sec_offset) {
			set_imm64(insn, (uintptr_t)m->map);
			return 0;
		}
	}
	if (maps_section)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: section '%s' insn %llu: no map defined at offset %lld of section '%s' ('%s')",
				    ctx->path, sec->name,
				    (unsigned long long)insn_idx, (long long)off,
				    ctx->secs[sym->shndx].name, label);
	return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
			    "%s: section '%s' insn %llu: reference to '%s' in section '%s', which holds neither maps nor global data",
			    ctx->path, sec->name, (unsigned long long)insn_idx,
			    label, ctx->secs[sym->shndx].name);
}

/* An extern variable: .kconfig ones live in the .kconfig map
 * (loader_kconfig.c). As in libbpf, the address is the extern's place in
 * the map's value; clang never adds an offset to an extern's symbol. */
int
ldr_reloc_extern(struct ldr_ctx *ctx, const struct ldr_section *sec,
		 uint64_t insn_idx, const struct ldr_sym *sym,
		 struct bpf_insn *insn)
{
	const struct ldr_extern *ext = ldr_kconfig_extern(ctx,
							  sym - ctx->syms);

	if (ext == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: section '%s' insn %llu: undefined symbol '%s' (an extern that is not a __kconfig variable, which uxdp cannot resolve)",
				    ctx->path, sec->name,
				    (unsigned long long)insn_idx,
				    ldr_sym_label(ctx, sym));
	set_imm64(insn, (uintptr_t)(ctx->maps[ctx->kconfig_map].value +
				    ext->offset));
	return 0;
}
