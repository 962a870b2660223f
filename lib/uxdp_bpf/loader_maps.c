/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Creating an object's maps, from the three places a libbpf-style object
 * declares them:
 *  - the legacy "maps" section: one struct bpf_map_def per symbol;
 *  - the BTF-defined ".maps" section (parsed in loader_btf.c);
 *  - global data sections, each of which becomes a one-entry array map
 *    holding the section's bytes.
 * Maps are created in that order, which is libbpf's order (libbpf 1.1
 * dropped legacy maps; older versions put them first): legacy maps in
 * symbol table order, BTF maps in the order of the ".maps" DATASEC, then
 * global data maps in section header order.
 */

#include <errno.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

/* struct bpf_map_def of the legacy "maps" section: five u32 fields. Longer
 * definitions (iproute2 adds pinning and inner-map fields) are accepted,
 * their extra fields ignored: uxdp neither pins nor nests legacy maps. */
#define LEGACY_DEF_MIN_SIZE 20

/* The map of opts->reuse_maps_from this definition may share: a user map
 * ("maps" or ".maps") of the same name and the very same definition, of a
 * type that holds no ids of the old object's programs or maps. */
static struct uxdp_map *
reusable_map(const struct ldr_ctx *ctx, const char *name,
	     const struct uxdp_map_def *def, size_t sec)
{
	const struct uxdp_map_def *old_def;
	struct uxdp_map *old;

	if (ctx->opts->reuse_maps_from == NULL || sec == SHN_UNDEF ||
	    (strcmp(ctx->secs[sec].name, ".maps") != 0 &&
	     strcmp(ctx->secs[sec].name, "maps") != 0))
		return NULL;
	if (def->type == BPF_MAP_TYPE_PROG_ARRAY ||
	    def->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	    def->type == BPF_MAP_TYPE_HASH_OF_MAPS)
		return NULL;
	old = uxdp_obj_map_by_name(ctx->opts->reuse_maps_from, name);
	if (old == NULL)
		return NULL;
	old_def = uxdp_map_get_def(old);
	if (old_def->type != def->type || old_def->key_size != def->key_size ||
	    old_def->value_size != def->value_size ||
	    old_def->max_entries != def->max_entries ||
	    old_def->map_flags != def->map_flags ||
	    old_def->map_extra != def->map_extra ||
	    old_def->has_spin_lock != def->has_spin_lock ||
	    (def->has_spin_lock && old_def->spin_lock_off != def->spin_lock_off))
		return NULL;
	return old;
}

int
ldr_map_add(struct ldr_ctx *ctx, const char *name,
	    const struct uxdp_map_def *def, size_t sec, uint64_t sec_offset,
	    struct ldr_map **out)
{
	struct uxdp_obj *obj = ctx->obj;
	struct uxdp_map_btf_ids *btf_ids;
	struct uxdp_map **maps;
	struct ldr_map *lmaps, *m;
	struct uxdp_map *map;
	bool *borrowed;
	int ret;

	if (strlen(name) >= UXDP_MAP_NAME_MAX)
		return uxdp_set_err(ctx->err, ctx->err_len, ENAMETOOLONG,
				    "%s: map name '%.40s...' is longer than %d characters",
				    ctx->path, name, UXDP_MAP_NAME_MAX - 1);
	maps = realloc(obj->maps, (obj->n_maps + 1) * sizeof(*maps));
	if (maps == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	obj->maps = maps;
	btf_ids = realloc(obj->map_btf, (obj->n_maps + 1) * sizeof(*btf_ids));
	if (btf_ids == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	obj->map_btf = btf_ids;
	lmaps = realloc(ctx->maps, (ctx->n_maps + 1) * sizeof(*lmaps));
	if (lmaps == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	ctx->maps = lmaps;
	borrowed = realloc(obj->map_borrowed,
			   (obj->n_maps + 1) * sizeof(*borrowed));
	if (borrowed == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	obj->map_borrowed = borrowed;

	map = reusable_map(ctx, name, def, sec);
	borrowed[obj->n_maps] = map != NULL;
	ret = map != NULL ? 0 : uxdp_map_create(name, def, ctx->opts->map_mem, &map);
	if (ret < 0)
		return uxdp_set_err(ctx->err, ctx->err_len, -ret,
				    "%s: map '%s' (type %u, key %u B, value %u B, %u entries, flags 0x%x): cannot create: %s",
				    ctx->path, name, def->type, def->key_size,
				    def->value_size, def->max_entries,
				    def->map_flags, strerror(-ret));
	/* Type ids are known for BTF-defined maps only; set by the caller. */
	memset(&obj->map_btf[obj->n_maps], 0, sizeof(*btf_ids));
	obj->maps[obj->n_maps++] = map;
	m = &ctx->maps[ctx->n_maps++];
	memset(m, 0, sizeof(*m));
	m->map = map;
	m->sec = sec;
	m->sec_offset = sec_offset;
	if (out != NULL)
		*out = m;
	return 0;
}

static uint32_t
read_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int
legacy_maps(struct ldr_ctx *ctx, size_t idx)
{
	const struct ldr_section *sec = &ctx->secs[idx];
	size_t i, n = 0;
	uint64_t def_size;

	for (i = 0; i < ctx->n_syms; i++)
		if (ctx->syms[i].shndx == idx &&
		    ctx->syms[i].type != STT_SECTION)
			n++;
	if (n == 0)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: section 'maps' has no map symbols",
				    ctx->path);
	/* The definitions have no recorded size: like libbpf, assume they
	 * all have the same one. */
	def_size = sec->size / n;
	if (sec->size % n != 0 || def_size < LEGACY_DEF_MIN_SIZE)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: section 'maps': %llu bytes do not hold %zu map definitions of at least %d bytes",
				    ctx->path, (unsigned long long)sec->size,
				    n, LEGACY_DEF_MIN_SIZE);

	for (i = 0; i < ctx->n_syms; i++) {
		const struct ldr_sym *sym = &ctx->syms[i];
		struct uxdp_map_def def = { 0 };
		const uint8_t *p;
		int ret;

		if (sym->shndx != idx || sym->type == STT_SECTION)
			continue;
		if (sym->value > sec->size || def_size > sec->size - sym->value)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: map '%s': definition at offset %llu lies outside section 'maps'",
					    ctx->path, sym->name,
					    (unsigned long long)sym->value);
		p = sec->data + sym->value;
		def.type = read_u32(p);
		def.key_size = read_u32(p + 4);
		def.value_size = read_u32(p + 8);
		def.max_entries = read_u32(p + 12);
		def.map_flags = read_u32(p + 16);
		ret = ldr_map_add(ctx, sym->name, &def, idx, sym->value, NULL);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static bool
is_data_section(const struct ldr_section *sec, bool *rodata)
{
	*rodata = false;
	if (sec->size == 0)
		return false;
	if (sec->type == SHT_NOBITS)
		return strcmp(sec->name, ".bss") == 0;
	if (sec->type != SHT_PROGBITS || (sec->flags & SHF_EXECINSTR))
		return false;
	*rodata = strcmp(sec->name, ".rodata") == 0 ||
		  strncmp(sec->name, ".rodata.", strlen(".rodata.")) == 0;
	return *rodata || strcmp(sec->name, ".data") == 0 ||
	       strncmp(sec->name, ".data.", strlen(".data.")) == 0;
}

static int
data_map(struct ldr_ctx *ctx, size_t idx, bool rodata)
{
	const struct ldr_section *sec = &ctx->secs[idx];
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_ARRAY,
		.key_size = sizeof(uint32_t),
		.max_entries = 1,
	};
	char name[UXDP_MAP_NAME_MAX];
	const uint32_t zero = 0;
	struct ldr_map *m;
	int ret;

	if (sec->size > UINT32_MAX)
		return uxdp_set_err(ctx->err, ctx->err_len, E2BIG,
				    "%s: section '%s' is too large for a map",
				    ctx->path, sec->name);
	if (ldr_internal_map_name(ctx->path, sec->name, name,
				  sizeof(name)) < 0)
		return uxdp_set_err(ctx->err, ctx->err_len, ENAMETOOLONG,
				    "%s: section name '%.40s...' is too long for a map name",
				    ctx->path, sec->name);
	def.value_size = sec->size;
	/* libbpf 1.1 makes the map mmap()-able only when a global variable
	 * lives there (something a skeleton could expose): follow it so the
	 * flags match bpf_map__map_flags(). */
	if (ldr_btf_datasec_has_global(ctx, sec->name))
		def.map_flags |= BPF_F_MMAPABLE;
	if (rodata)
		def.map_flags |= BPF_F_RDONLY_PROG;

	ret = ldr_map_add(ctx, name, &def, idx, 0, &m);
	if (ret < 0)
		return ret;
	m->is_data = true;
	m->value_size = sec->size;
	/* Keys of data maps have no type, as libbpf tells the kernel. */
	ctx->obj->map_btf[ctx->obj->n_maps - 1].value =
		ldr_btf_data_type(ctx, idx);
	m->value = uxdp_map_lookup(m->map, &zero);
	if (m->value == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EFAULT,
				    "%s: map '%s': no value at key 0",
				    ctx->path, name);
	/* An array map starts zeroed, which is all .bss needs. */
	if (sec->data == NULL)
		return 0;
	ret = uxdp_map_update(m->map, &zero, sec->data, BPF_ANY);
	if (ret < 0)
		return uxdp_set_err(ctx->err, ctx->err_len, -ret,
				    "%s: map '%s': cannot store the initial value: %s",
				    ctx->path, name, strerror(-ret));
	return 0;
}

int
ldr_maps_create(struct ldr_ctx *ctx)
{
	size_t i, legacy = 0, btf = 0;
	bool rodata = false;
	int ret;

	for (i = 1; i < ctx->n_secs; i++) {
		const struct ldr_section *sec = &ctx->secs[i];

		if (sec->type != SHT_PROGBITS || (sec->flags & SHF_EXECINSTR))
			continue;
		if (strcmp(sec->name, "maps") == 0)
			legacy = i;
		else if (strcmp(sec->name, ".maps") == 0)
			btf = i;
	}
	if (legacy != 0) {
		ret = legacy_maps(ctx, legacy);
		if (ret < 0)
			return ret;
	}
	if (btf != 0) {
		ret = ldr_btf_maps(ctx, btf);
		if (ret < 0)
			return ret;
	}
	for (i = 1; i < ctx->n_secs; i++) {
		if (!is_data_section(&ctx->secs[i], &rodata))
			continue;
		ret = data_map(ctx, i, rodata);
		if (ret < 0)
			return ret;
	}
	return 0;
}
