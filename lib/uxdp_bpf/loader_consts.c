/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * `volatile const` settings (struct uxdp_obj_opts.consts): after the
 * global data maps hold their initial bytes and before any program is
 * linked and checked, write each setting into its variable's place in the
 * .rodata / .rodata.* map. This is what a libbpf skeleton does between
 * open and load; the kernel then freezes .rodata, and the program only
 * ever reads it.
 *
 * A variable is found through BTF: every DATASEC lists its variables with
 * their offset and size in the section, and each VAR names its type.
 */

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

#include "loader.h"

/* Longest typedef/modifier chain followed: malformed BTF can loop. */
#define CONST_CHAIN_MAX 32
/* Room for the list of settable names in an unknown-name message. */
#define NAMES_LIST_MAX 160

/* A variable of a DATASEC, as found by name. */
struct const_var {
	const char *sec;     /* DATASEC (= ELF section) name */
	uint32_t offset;     /* in the section */
	uint32_t size;
	uint32_t type_id;    /* the VAR's type */
};

static bool
is_rodata_name(const char *sec)
{
	return strcmp(sec, ".rodata") == 0 ||
	       strncmp(sec, ".rodata.", strlen(".rodata.")) == 0;
}

static bool
is_writable_name(const char *sec)
{
	return strcmp(sec, ".data") == 0 || strcmp(sec, ".bss") == 0 ||
	       strncmp(sec, ".data.", strlen(".data.")) == 0;
}

static const char *
type_name(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name = t != NULL ?
		btf__name_by_offset(btf, t->name_off) : NULL;

	return name != NULL ? name : "";
}

/* Visit every variable of every DATASEC; stop when fn returns true. */
static bool
for_each_var(const struct btf *btf,
	     bool (*fn)(const char *var, const struct const_var *v, void *arg),
	     void *arg)
{
	uint32_t id, n = btf__type_cnt(btf);

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vsi;
		uint16_t i;

		if (t == NULL || !btf_is_datasec(t))
			continue;
		vsi = btf_var_secinfos(t);
		for (i = 0; i < btf_vlen(t); i++, vsi++) {
			const struct btf_type *var = btf__type_by_id(btf,
								     vsi->type);
			struct const_var v = {
				.sec = type_name(btf, id),
				.offset = vsi->offset,
				.size = vsi->size,
			};

			if (var == NULL || !btf_is_var(var))
				continue;
			v.type_id = var->type;
			if (fn(type_name(btf, vsi->type), &v, arg))
				return true;
		}
	}
	return false;
}

struct find_arg {
	const char *name;
	struct const_var ro;       /* first match in a read-only section */
	unsigned int n_ro;
	struct const_var other;    /* first match anywhere else */
	bool has_other;
};

static bool
find_cb(const char *var, const struct const_var *v, void *arg)
{
	struct find_arg *f = arg;

	if (strcmp(var, f->name) != 0)
		return false;
	if (is_rodata_name(v->sec)) {
		if (f->n_ro++ == 0)
			f->ro = *v;
	} else if (!f->has_other) {
		f->other = *v;
		f->has_other = true;
	}
	return false;
}

struct list_arg {
	char *buf;
	size_t len;
	size_t used;
};

static bool
list_cb(const char *var, const struct const_var *v, void *arg)
{
	struct list_arg *l = arg;
	int n;

	if (!is_rodata_name(v->sec) || l->used >= l->len)
		return false;
	n = snprintf(l->buf + l->used, l->len - l->used, "%s%s",
		     l->used > 0 ? ", " : "", var);
	if (n > 0)
		l->used += (size_t)n;
	return false;
}

/* What the text form needs to know about the variable's type. */
static void
classify_type(const struct btf *btf, uint32_t type_id, uint32_t size,
	      struct uxdp_const_type *ct)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	int i;

	memset(ct, 0, sizeof(*ct));
	ct->size = size;
	for (i = 0; t != NULL && (btf_is_mod(t) || btf_is_typedef(t)); i++) {
		if (i == CONST_CHAIN_MAX)
			return;
		t = btf__type_by_id(btf, t->type);
	}
	if (t == NULL)
		return;
	if (btf_is_int(t) && t->size == size) {
		uint8_t enc = btf_int_encoding(t);

		ct->is_integer = 1;
		ct->is_signed = (enc & BTF_INT_SIGNED) != 0;
		ct->is_bool = (enc & BTF_INT_BOOL) != 0;
	} else if ((btf_is_enum(t) || btf_is_enum64(t)) && t->size == size) {
		/* The kind flag marks an enum with signed values. */
		ct->is_integer = 1;
		ct->is_signed = btf_kflag(t);
	}
}

static struct ldr_map *
data_map_of(const struct ldr_ctx *ctx, const char *sec)
{
	size_t i;

	for (i = 0; i < ctx->n_maps; i++)
		if (ctx->maps[i].is_data &&
		    strcmp(ctx->secs[ctx->maps[i].sec].name, sec) == 0)
			return &ctx->maps[i];
	return NULL;
}

/*
 * clang leaves the offset of global variables at 0 in a DATASEC of an
 * object file (the linker would fill it in; libbpf does so from the
 * symbol table before loading): the ELF symbol of the variable in its
 * section is the authority, BTF's offset the fallback.
 */
static int
fix_offset(const struct ldr_ctx *ctx, const char *name, struct const_var *v)
{
	size_t i;

	for (i = 0; i < ctx->n_syms; i++) {
		const struct ldr_sym *sym = &ctx->syms[i];

		if (sym->type != STT_OBJECT || sym->shndx >= ctx->n_secs ||
		    strcmp(sym->name, name) != 0 ||
		    strcmp(ctx->secs[sym->shndx].name, v->sec) != 0)
			continue;
		if (sym->value > UINT32_MAX)
			return -EINVAL;
		v->offset = (uint32_t)sym->value;
		return 0;
	}
	return 0;
}

static int
unknown_name(struct ldr_ctx *ctx, const char *name)
{
	char names[NAMES_LIST_MAX] = "";
	struct list_arg l = { .buf = names, .len = sizeof(names) };

	for_each_var(ctx->btf, list_cb, &l);
	return uxdp_set_err(ctx->err, ctx->err_len, ENOENT,
			    "%s: no .rodata variable named '%s'; have: %s",
			    ctx->path, name, names[0] != '\0' ? names : "none");
}

static int
apply_one(struct ldr_ctx *ctx, const struct uxdp_const_set *set)
{
	struct find_arg f = { .name = set->name };
	char why[UXDP_ERR_MAX];
	struct uxdp_const_type ct;
	struct ldr_map *m;
	int ret;

	if (set->name == NULL || set->name[0] == '\0')
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: a const setting has no variable name",
				    ctx->path);
	for_each_var(ctx->btf, find_cb, &f);
	if (f.n_ro == 0 && f.has_other)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: '%s' is in section '%s', not in .rodata: only volatile const variables can be set before load%s",
				    ctx->path, set->name, f.other.sec,
				    is_writable_name(f.other.sec) ?
				    " (programs write .data/.bss at run time; use a map update for those)" :
				    "");
	if (f.n_ro == 0)
		return unknown_name(ctx, set->name);
	if (f.n_ro > 1)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: %u .rodata variables are named '%s' (static variables of different files?): cannot tell which to set",
				    ctx->path, f.n_ro, set->name);

	m = data_map_of(ctx, f.ro.sec);
	if (fix_offset(ctx, set->name, &f.ro) < 0)
		m = NULL;
	if (m == NULL || f.ro.size == 0 || f.ro.offset > m->value_size ||
	    f.ro.size > m->value_size - f.ro.offset)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: '%s': BTF places it at %u bytes from %u in section '%s', which %s",
				    ctx->path, set->name, f.ro.size, f.ro.offset,
				    f.ro.sec, m == NULL ? "has no global data map" :
				    "is smaller");
	classify_type(ctx->btf, f.ro.type_id, f.ro.size, &ct);
	why[0] = '\0';
	ret = uxdp_const_encode(set, &ct, m->value + f.ro.offset, why,
				sizeof(why));
	if (ret < 0)
		return uxdp_set_err(ctx->err, ctx->err_len, -ret,
				    "%s: section '%s': %s", ctx->path, f.ro.sec,
				    why);
	return 0;
}

int
ldr_consts_apply(struct ldr_ctx *ctx)
{
	const struct uxdp_obj_opts *o = ctx->opts;
	unsigned int i;
	int ret;

	if (o->n_consts == 0)
		return 0;
	if (o->consts == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: %u const settings but no list of them",
				    ctx->path, o->n_consts);
	if (ctx->btf == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: cannot set '%s': the object has %s BTF, which names the .rodata variables (compile with clang -g)",
				    ctx->path, o->consts[0].name != NULL ?
				    o->consts[0].name : "",
				    ctx->btf_sec == 0 ? "no" : "unreadable");
	for (i = 0; i < o->n_consts; i++) {
		ret = apply_one(ctx, &o->consts[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}
