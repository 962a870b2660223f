/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Initial values of prog arrays and maps of maps, the last stage of a
 * load (every map and program exists by then):
 *
 *   struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); ...
 *            __array(values, int (void *)); } jmp SEC(".maps") = {
 *           .values = { [2] = &prog_b },
 *   };
 *
 * clang leaves the pointer slots of the ".maps" data zero and emits one
 * R_BPF_64_ABS64 relocation per initialised slot in ".rel.maps": at
 * <map's offset> + <values member offset> + 8 * index, against the
 * target's symbol, a function (prog array) or another ".maps" variable
 * (map of maps). libbpf stores slot index i under key i with BPF_ANY;
 * uxdp does the same with ids (uxdp_map.h), so prog arrays hold program
 * ids and maps of maps map ids, and every program of the object gets its
 * id here first.
 */

#include <elf.h>
#include <errno.h>
#include <gelf.h>
#include <string.h>

#include "loader.h"

/* The BPF ELF ABI's 64-bit absolute data relocation. */
#define UXDP_R_BPF_64_ABS64 2
/* The slots are pointers in the object: 8 bytes each. */
#define VALUE_PTR_SIZE 8

static int
register_progs(struct ldr_ctx *ctx)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ctx->obj->n_progs; i++) {
		struct uxdp_prog *prog = ctx->obj->progs[i];

		if (prog->id != 0)
			continue;
		ret = uxdp_id_alloc_tagged(UXDP_ID_PROG, prog,
					   prog->attach_type, &prog->id);
		if (ret < 0)
			return uxdp_set_err(ctx->err, ctx->err_len, -ret,
					    "%s: program '%s': no id: %s",
					    ctx->path, prog->name,
					    strerror(-ret));
	}
	return 0;
}

/* The map whose definition holds byte offset off of the maps section:
 * the one starting last at or before it. */
static struct ldr_map *
map_holding(struct ldr_ctx *ctx, size_t maps_sec, uint64_t off)
{
	struct ldr_map *best = NULL;
	size_t i;

	for (i = 0; i < ctx->n_maps; i++) {
		struct ldr_map *m = &ctx->maps[i];

		if (m->sec != maps_sec || m->is_data || m->sec_offset > off)
			continue;
		if (best == NULL || m->sec_offset > best->sec_offset)
			best = m;
	}
	return best;
}

static struct ldr_map *
map_at(struct ldr_ctx *ctx, size_t maps_sec, uint64_t off)
{
	size_t i;

	for (i = 0; i < ctx->n_maps; i++)
		if (ctx->maps[i].sec == maps_sec && !ctx->maps[i].is_data &&
		    ctx->maps[i].sec_offset == off)
			return &ctx->maps[i];
	return NULL;
}

/* The id a slot of map m gets from symbol sym, or -errno and a message. */
static int
target_id(struct ldr_ctx *ctx, size_t maps_sec, struct ldr_map *m,
	  uint32_t index, const struct ldr_sym *sym, uint32_t *id)
{
	const char *name = uxdp_map_name(m->map);
	const char *label = ldr_sym_label(ctx, sym);
	unsigned int i;

	if (uxdp_map_get_def(m->map)->type != BPF_MAP_TYPE_PROG_ARRAY) {
		struct ldr_map *inner = sym->shndx == maps_sec ?
			map_at(ctx, maps_sec, sym->value) : NULL;

		if (inner == NULL)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: map '%s': values[%u] refers to '%s', which is not a map of section '.maps'",
					    ctx->path, name, index, label);
		*id = uxdp_map_id(inner->map);
		return 0;
	}
	for (i = 0; i < ctx->obj->n_progs; i++) {
		const struct uxdp_prog *prog = ctx->obj->progs[i];

		if (sym->shndx < ctx->n_secs &&
		    strcmp(prog->name, sym->name) == 0 &&
		    strcmp(prog->section, ctx->secs[sym->shndx].name) == 0) {
			*id = prog->id;
			return 0;
		}
	}
	if (sym->type == STT_FUNC && sym->shndx != SHN_UNDEF &&
	    sym->shndx < ctx->n_secs)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': values[%u] refers to function '%s' of section '%s', which is not an XDP program of the object (a global function of an XDP section)",
				    ctx->path, name, index, label,
				    ctx->secs[sym->shndx].name);
	if (sym->shndx == SHN_UNDEF)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': values[%u] refers to '%s', a symbol the object does not define",
				    ctx->path, name, index, label);
	return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
			    "%s: map '%s': values[%u] refers to '%s', which is not a program",
			    ctx->path, name, index, label);
}

static int
init_slot(struct ldr_ctx *ctx, size_t maps_sec, const GElf_Rel *rel)
{
	uint32_t sym_idx = GELF_R_SYM(rel->r_info);
	const struct ldr_sym *sym;
	const struct uxdp_map_def *def;
	struct ldr_map *m;
	uint64_t rel_off;
	uint32_t index, id;
	int ret;

	m = map_holding(ctx, maps_sec, rel->r_offset);
	if (m == NULL || !m->has_values ||
	    rel->r_offset < m->sec_offset + m->values_off)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: section '.rel.maps': relocation at offset %llu is not in the 'values' of a map",
				    ctx->path, (unsigned long long)rel->r_offset);
	def = uxdp_map_get_def(m->map);
	rel_off = rel->r_offset - m->sec_offset - m->values_off;
	if (GELF_R_TYPE(rel->r_info) != UXDP_R_BPF_64_ABS64 ||
	    rel_off % VALUE_PTR_SIZE != 0)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': relocation type %llu at offset %llu of its values is not a 64-bit pointer slot",
				    ctx->path, uxdp_map_name(m->map),
				    (unsigned long long)GELF_R_TYPE(rel->r_info),
				    (unsigned long long)rel_off);
	if (rel_off / VALUE_PTR_SIZE >= def->max_entries)
		return uxdp_set_err(ctx->err, ctx->err_len, E2BIG,
				    "%s: map '%s': values[%llu] lies beyond max_entries %u",
				    ctx->path, uxdp_map_name(m->map),
				    (unsigned long long)(rel_off / VALUE_PTR_SIZE),
				    def->max_entries);
	index = rel_off / VALUE_PTR_SIZE;
	if (def->key_size != sizeof(index))
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': initial values need 4-byte keys (the slot index), the map has %u",
				    ctx->path, uxdp_map_name(m->map),
				    def->key_size);
	if (sym_idx == 0 || sym_idx >= ctx->n_syms)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': values[%u]: bad symbol index %u",
				    ctx->path, uxdp_map_name(m->map), index,
				    sym_idx);
	sym = &ctx->syms[sym_idx];
	ret = target_id(ctx, maps_sec, m, index, sym, &id);
	if (ret < 0)
		return ret;
	ret = uxdp_map_update(m->map, &index, &id, BPF_ANY);
	if (ret == -EINVAL && def->type != BPF_MAP_TYPE_PROG_ARRAY)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': values[%u]: map '%s' does not match the inner map definition (type, key/value size, flags, max_entries)",
				    ctx->path, uxdp_map_name(m->map), index,
				    ldr_sym_label(ctx, sym));
	if (ret < 0)
		return uxdp_set_err(ctx->err, ctx->err_len, -ret,
				    "%s: map '%s': values[%u] = '%s': %s",
				    ctx->path, uxdp_map_name(m->map), index,
				    ldr_sym_label(ctx, sym), strerror(-ret));
	return 0;
}

/* Walk the SHT_REL section that applies to section maps_sec. */
static int
init_from_relocations(struct ldr_ctx *ctx, size_t maps_sec)
{
	Elf *elf = ctx->elf;
	size_t i;
	int ret;

	for (i = 1; i < ctx->n_secs; i++) {
		Elf_Scn *scn = elf_getscn(elf, i);
		Elf_Data *data;
		GElf_Shdr sh;
		size_t j, n;

		if (ctx->secs[i].type != SHT_REL || scn == NULL ||
		    gelf_getshdr(scn, &sh) == NULL || sh.sh_info != maps_sec)
			continue;
		if (sh.sh_entsize != sizeof(Elf64_Rel) ||
		    sh.sh_size % sizeof(Elf64_Rel) != 0)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: relocation section '%s': bad entry size",
					    ctx->path, ctx->secs[i].name);
		n = sh.sh_size / sizeof(Elf64_Rel);
		data = n != 0 ? elf_getdata(scn, NULL) : NULL;
		if (n != 0 && (data == NULL || data->d_size != sh.sh_size))
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: relocation section '%s': unreadable",
					    ctx->path, ctx->secs[i].name);
		for (j = 0; j < n; j++) {
			GElf_Rel rel;

			if (gelf_getrel(data, j, &rel) == NULL)
				return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
						    "%s: relocation section '%s': entry %zu unreadable",
						    ctx->path, ctx->secs[i].name, j);
			ret = init_slot(ctx, maps_sec, &rel);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

int
ldr_map_init_values(struct ldr_ctx *ctx)
{
	size_t i;
	int ret;

	ret = register_progs(ctx);
	if (ret < 0)
		return ret;
	for (i = 0; i < ctx->n_maps; i++)
		if (ctx->maps[i].has_values)
			return init_from_relocations(ctx, ctx->maps[i].sec);
	return 0;
}
