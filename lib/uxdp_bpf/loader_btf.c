/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * What the loader needs from an object's BTF: the definitions of the maps
 * of the ".maps" section, and whether a global data section holds any
 * global variable. BTF is parsed by libbpf's BTF API; this file only
 * reads the parsed types.
 *
 * A ".maps" map is a variable whose type is a struct; its members encode
 * the definition in their types, not in values (bpf_helpers.h):
 *   __uint(name, N)    int (*name)[N]   a pointer to an array of N elements
 *   __type(name, T)    T *name          a pointer to the key/value type
 */

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

#include "loader.h"

/* Longest typedef/modifier chain followed: malformed BTF can loop. */
#define BTF_CHAIN_MAX 32

void
ldr_btf_open(struct ldr_ctx *ctx)
{
	const struct ldr_section *sec;

	if (ctx->btf_sec == 0)
		return;
	sec = &ctx->secs[ctx->btf_sec];
	if (sec->data == NULL || sec->size == 0 || sec->size > UINT32_MAX)
		return;
	/* BTF is optional, as for libbpf: without it an object still loads
	 * unless it has BTF-defined maps, and ldr_btf_maps() says why. */
	ctx->btf = btf__new(sec->data, sec->size);
}

static const struct btf_type *
skip_mods(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int i;

	for (i = 0; t != NULL && (btf_is_mod(t) || btf_is_typedef(t)); i++) {
		if (i == BTF_CHAIN_MAX)
			return NULL;
		t = btf__type_by_id(btf, t->type);
	}
	return t;
}

/* The id skip_mods() would land on; 0 for a chain too long or broken. */
static uint32_t
skip_mods_id(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int i;

	for (i = 0; t != NULL && (btf_is_mod(t) || btf_is_typedef(t)); i++) {
		if (i == BTF_CHAIN_MAX)
			return 0;
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	return t != NULL ? id : 0;
}

/* __uint(name, N): a pointer to an array whose element count is N. */
static int
field_uint(struct ldr_ctx *ctx, const char *map, const char *field,
	   const struct btf_member *m, uint32_t *value)
{
	const struct btf_type *t = skip_mods(ctx->btf, m->type);
	const struct btf_type *arr;

	arr = t != NULL && btf_is_ptr(t) ? btf__type_by_id(ctx->btf, t->type)
					   : NULL;
	if (arr == NULL || !btf_is_array(arr))
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': field '%s' is not declared as __uint(%s, N)",
				    ctx->path, map, field, field);
	*value = btf_array(arr)->nelems;
	return 0;
}

/* __type(name, T): a pointer to T, whose size is the key or value size. */
static int
field_type_size(struct ldr_ctx *ctx, const char *map, const char *field,
		const struct btf_member *m, uint32_t *size)
{
	const struct btf_type *t = skip_mods(ctx->btf, m->type);
	long long sz = -1;

	if (t != NULL && btf_is_ptr(t))
		sz = btf__resolve_size(ctx->btf, t->type);
	if (sz <= 0 || sz > UINT32_MAX)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': field '%s' is not declared as __type(%s, T) with a sized type T",
				    ctx->path, map, field, field);
	*size = sz;
	return 0;
}

/* key_size and key (value_size and value) may both be given; they must
 * then agree. */
static int
set_size(struct ldr_ctx *ctx, const char *map, const char *what,
	 uint32_t *dst, uint32_t size)
{
	if (*dst != 0 && *dst != size)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': %s size given twice, as %u and %u",
				    ctx->path, map, what, *dst, size);
	*dst = size;
	return 0;
}

/*
 * __array(values, T): a zero-sized array of pointers, as libbpf reads it.
 * For a prog array T is a function prototype; for a map of maps T is the
 * inner map's definition struct. It must follow 'type', and it makes the
 * value size 4 (an id). Recorded in ctx->values_decl.
 */
static int
field_values(struct ldr_ctx *ctx, const char *map, const struct btf_type *def_t,
	     uint16_t idx, struct uxdp_map_def *def)
{
	const struct btf_member *m = btf_members(def_t) + idx;
	bool of_maps = def->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		       def->type == BPF_MAP_TYPE_HASH_OF_MAPS;
	const struct btf_type *t = btf__type_by_id(ctx->btf, m->type);
	uint32_t target;

	if (!of_maps && def->type != BPF_MAP_TYPE_PROG_ARRAY)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOTSUP,
				    "%s: map '%s': 'values' needs a prog_array or map-in-map type declared before it (type is %u)",
				    ctx->path, map, def->type);
	if (ctx->values_decl.present)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': 'values' in an inner map definition (only one level of map-in-map exists)",
				    ctx->path, map);
	if (t == NULL || !btf_is_array(t) || btf_array(t)->nelems != 0)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': 'values' is not a zero-sized array (declare it with __array(values, T))",
				    ctx->path, map);
	target = btf_array(t)->type;
	t = skip_mods(ctx->btf, target);
	if (t == NULL || !btf_is_ptr(t))
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': 'values' is not an array of pointers",
				    ctx->path, map);
	target = skip_mods_id(ctx->btf, t->type);
	t = target != 0 ? btf__type_by_id(ctx->btf, target) : NULL;
	if (t == NULL || (of_maps ? !btf_is_struct(t) : !btf_is_func_proto(t)))
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': 'values' must point to %s",
				    ctx->path, map,
				    of_maps ? "the inner map's definition struct" :
				    "a function prototype (programs)");
	ctx->values_decl.present = true;
	ctx->values_decl.member_off = btf_member_bit_offset(def_t, idx) / 8;
	ctx->values_decl.target = target;
	return set_size(ctx, map, "value", &def->value_size, sizeof(uint32_t));
}

/* The type a __type() member points to, kept for BTF-aware dumps. */
static uint32_t
pointee_id(struct ldr_ctx *ctx, const struct btf_member *m)
{
	const struct btf_type *t = skip_mods(ctx->btf, m->type);

	return t != NULL && btf_is_ptr(t) ? t->type : 0;
}

static int
parse_def(struct ldr_ctx *ctx, const char *map, const struct btf_type *def_t,
	  struct uxdp_map_def *def)
{
	const struct btf_member *m = btf_members(def_t);
	uint16_t i, n = btf_vlen(def_t);
	bool has_type = false;
	uint32_t v, unused;
	int ret = 0;

	memset(def, 0, sizeof(*def));
	for (i = 0; i < n && ret == 0; i++, m++) {
		const char *field = btf__name_by_offset(ctx->btf, m->name_off);

		if (field == NULL || field[0] == '\0')
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: map '%s': definition member %u has no name",
					    ctx->path, map, i);
		if (strcmp(field, "type") == 0) {
			ret = field_uint(ctx, map, field, m, &def->type);
			has_type = true;
		} else if (strcmp(field, "max_entries") == 0) {
			ret = field_uint(ctx, map, field, m, &def->max_entries);
		} else if (strcmp(field, "map_flags") == 0) {
			ret = field_uint(ctx, map, field, m, &def->map_flags);
		} else if (strcmp(field, "map_extra") == 0) {
			/* __uint() encodes 32 bits, all bloom filters use */
			ret = field_uint(ctx, map, field, m, &v);
			def->map_extra = v;
		} else if (strcmp(field, "key_size") == 0) {
			ret = field_uint(ctx, map, field, m, &v);
			if (ret == 0)
				ret = set_size(ctx, map, "key", &def->key_size, v);
		} else if (strcmp(field, "value_size") == 0) {
			ret = field_uint(ctx, map, field, m, &v);
			if (ret == 0)
				ret = set_size(ctx, map, "value",
					       &def->value_size, v);
		} else if (strcmp(field, "key") == 0) {
			ret = field_type_size(ctx, map, field, m, &v);
			ctx->btf_key_id = pointee_id(ctx, m);
			if (ret == 0)
				ret = set_size(ctx, map, "key", &def->key_size, v);
		} else if (strcmp(field, "value") == 0) {
			ret = field_type_size(ctx, map, field, m, &v);
			ctx->btf_value_id = pointee_id(ctx, m);
			if (ret == 0)
				ret = set_size(ctx, map, "value",
					       &def->value_size, v);
		} else if (strcmp(field, "numa_node") == 0 ||
			   strcmp(field, "pinning") == 0) {
			/* Checked for form, then ignored: a uxdp map lives in
			 * the memory the application chose (struct
			 * uxdp_obj_opts), and is never pinned in a bpffs. */
			ret = field_uint(ctx, map, field, m, &unused);
		} else if (strcmp(field, "values") == 0) {
			/* Initial contents of prog-array and map-in-map maps:
			 * declared here, filled by loader_map_init.c. */
			ret = field_values(ctx, map, def_t, i, def);
		} else {
			return uxdp_set_err(ctx->err, ctx->err_len, ENOTSUP,
					    "%s: map '%s': unknown field '%s' in its definition",
					    ctx->path, map, field);
		}
	}
	if (ret == 0 && !has_type)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': definition has no 'type'",
				    ctx->path, map);
	return ret;
}

/* The ELF symbol of a ".maps" variable gives the offset that relocations
 * use to refer to it. */
static const struct ldr_sym *
map_symbol(const struct ldr_ctx *ctx, size_t maps_sec, const char *name)
{
	size_t i;

	for (i = 0; i < ctx->n_syms; i++)
		if (ctx->syms[i].shndx == maps_sec &&
		    ctx->syms[i].type != STT_SECTION &&
		    strcmp(ctx->syms[i].name, name) == 0)
			return &ctx->syms[i];
	return NULL;
}

/*
 * A map of maps is created from a template map holding its inner
 * definition, as libbpf creates "<outer>.inner" for the kernel's
 * inner_map_fd; the template is not one of the object's maps and goes
 * once the outer map exists. Maps with 'values' remember where their
 * initial values sit for loader_map_init.c.
 */
static int
add_map_with_values(struct ldr_ctx *ctx, const char *name,
		    struct uxdp_map_def *def, size_t maps_sec, uint64_t off)
{
	struct ldr_values_decl decl = ctx->values_decl;
	bool of_maps = def->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		       def->type == BPF_MAP_TYPE_HASH_OF_MAPS;
	char inner_name[UXDP_MAP_NAME_MAX];
	struct uxdp_map *tmpl = NULL;
	struct uxdp_map_def inner;
	struct ldr_map *m;
	int ret;

	if (of_maps && !decl.present)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: map '%s': a map of maps needs its inner map's definition: declare it with __array(values, struct inner_def)",
				    ctx->path, name);
	if (of_maps) {
		snprintf(inner_name, sizeof(inner_name), "%s.inner", name);
		ret = parse_def(ctx, inner_name,
				btf__type_by_id(ctx->btf, decl.target), &inner);
		if (ret < 0)
			return ret;
		ret = uxdp_map_create(inner_name, &inner, UXDP_MEM_HEAP, &tmpl);
		if (ret < 0)
			return uxdp_set_err(ctx->err, ctx->err_len, -ret,
					    "%s: map '%s': inner map definition (type %u, key %u B, value %u B, %u entries, flags 0x%x): %s",
					    ctx->path, name, inner.type,
					    inner.key_size, inner.value_size,
					    inner.max_entries, inner.map_flags,
					    strerror(-ret));
		def->inner_map_id = uxdp_map_id(tmpl);
	}
	ret = ldr_map_add(ctx, name, def, maps_sec, off, &m);
	uxdp_map_destroy(tmpl);
	if (ret < 0)
		return ret;
	m->has_values = decl.present;
	m->values_off = decl.member_off;
	return 0;
}

/* A struct bpf_spin_lock member of the value struct, where the kernel
 * looks for one (top level): its offset goes into the definition. */
static int
find_spin_lock(struct ldr_ctx *ctx, const char *map, uint32_t value_id,
	       struct uxdp_map_def *def)
{
	const struct btf_type *t = value_id != 0 ?
		skip_mods(ctx->btf, value_id) : NULL;
	const struct btf_member *m;
	uint16_t i;

	if (t == NULL || !btf_is_struct(t))
		return 0;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		const struct btf_type *mt = skip_mods(ctx->btf, m->type);
		const char *name = mt != NULL ?
			btf__name_by_offset(ctx->btf, mt->name_off) : NULL;

		if (mt == NULL || !btf_is_struct(mt) || name == NULL ||
		    strcmp(name, "bpf_spin_lock") != 0)
			continue;
		if (def->has_spin_lock)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: map '%s': more than one bpf_spin_lock in the value",
					    ctx->path, map);
		def->has_spin_lock = 1;
		def->spin_lock_off = btf_member_bit_offset(t, i) / 8;
	}
	return 0;
}

int
ldr_btf_maps(struct ldr_ctx *ctx, size_t maps_sec)
{
	const struct btf_var_secinfo *vsi;
	const struct btf_type *sec_t;
	uint32_t key_id, value_id;
	uint16_t i, n;
	int id, ret;

	if (ctx->btf == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: section '.maps' needs BTF, but section '.BTF' is %s",
				    ctx->path,
				    ctx->btf_sec == 0 ? "missing" : "invalid");
	id = btf__find_by_name_kind(ctx->btf, ".maps", BTF_KIND_DATASEC);
	sec_t = id > 0 ? btf__type_by_id(ctx->btf, id) : NULL;
	if (sec_t == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: BTF has no DATASEC '.maps' for section '.maps'",
				    ctx->path);

	vsi = btf_var_secinfos(sec_t);
	n = btf_vlen(sec_t);
	for (i = 0; i < n; i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(ctx->btf,
							     vsi->type);
		const struct btf_type *def_t;
		const struct ldr_sym *sym;
		struct uxdp_map_def def;
		const char *name;

		name = var != NULL && btf_is_var(var) ?
			btf__name_by_offset(ctx->btf, var->name_off) : NULL;
		if (name == NULL || name[0] == '\0')
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: DATASEC '.maps': entry %u is not a named variable",
					    ctx->path, i);
		def_t = skip_mods(ctx->btf, var->type);
		if (def_t == NULL || !btf_is_struct(def_t))
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: map '%s': definition is not a struct",
					    ctx->path, name);
		memset(&ctx->values_decl, 0, sizeof(ctx->values_decl));
		ctx->btf_key_id = 0;
		ctx->btf_value_id = 0;
		ret = parse_def(ctx, name, def_t, &def);
		if (ret < 0)
			return ret;
		/* An inner definition (maps of maps) parses next: keep ours. */
		key_id = ctx->btf_key_id;
		value_id = ctx->btf_value_id;
		ret = find_spin_lock(ctx, name, value_id, &def);
		if (ret < 0)
			return ret;
		sym = map_symbol(ctx, maps_sec, name);
		if (sym == NULL)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: map '%s': no symbol in section '.maps'",
					    ctx->path, name);
		ret = add_map_with_values(ctx, name, &def, maps_sec, sym->value);
		if (ret < 0)
			return ret;
		ctx->obj->map_btf[ctx->obj->n_maps - 1].key = key_id;
		ctx->obj->map_btf[ctx->obj->n_maps - 1].value = value_id;
	}
	return 0;
}

bool
ldr_btf_datasec_has_global(const struct ldr_ctx *ctx, const char *name)
{
	const struct btf_var_secinfo *vsi;
	const struct btf_type *t;
	uint16_t i, n;
	int id;

	if (ctx->btf == NULL)
		return false;
	id = btf__find_by_name_kind(ctx->btf, name, BTF_KIND_DATASEC);
	t = id > 0 ? btf__type_by_id(ctx->btf, id) : NULL;
	if (t == NULL)
		return false;
	vsi = btf_var_secinfos(t);
	n = btf_vlen(t);
	for (i = 0; i < n; i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(ctx->btf,
							     vsi->type);

		if (var != NULL && btf_is_var(var) &&
		    btf_var(var)->linkage != BTF_VAR_STATIC)
			return true;
	}
	return false;
}
