/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * CO-RE specs: what a relocation record names, found again in the target
 * types, and the values it yields. The rules are libbpf's (relo_core.c):
 *
 * - An access string "0:1:2:3" walks from the root type: the first number
 *   indexes the root as an array (&p->f is &p[0].f), each next one a
 *   member of a struct/union or an element of an array. Named members and
 *   array indexes are the meaningful steps; anonymous members are only the
 *   way there.
 * - In the target, each named field is searched by name, through nested
 *   anonymous structs and unions, and must have a compatible type; each
 *   index must lie inside the target array (a flexible array at the end
 *   of a struct takes any index).
 * - Compatible field types: any two structs/unions; pointers; floats;
 *   integers whatever their size and sign (not the old bitfield-like
 *   ints); enums (or forward declarations) of the same essential name or
 *   one of them anonymous; arrays of compatible elements.
 * - Type relocations accept a target of the same essential name whose
 *   type is compatible in kind, recursively through pointers, arrays and
 *   function prototypes; enumerator relocations search the enumerator by
 *   essential name.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

#include "loader_core.h"

bool
core_kind_is_field(uint32_t kind)
{
	return kind <= CORE_FIELD_RSHIFT_U64;
}

bool
core_kind_is_type(uint32_t kind)
{
	return kind == CORE_TYPE_ID_LOCAL || kind == CORE_TYPE_ID_TARGET ||
	       kind == CORE_TYPE_EXISTS || kind == CORE_TYPE_SIZE ||
	       kind == CORE_TYPE_MATCHES;
}

bool
core_kind_is_enumval(uint32_t kind)
{
	return kind == CORE_ENUMVAL_EXISTS || kind == CORE_ENUMVAL_VALUE;
}

const char *
core_kind_name(uint32_t kind)
{
	/* libbpf's names, as its messages print them. */
	static const char *const names[CORE_KIND_COUNT] = {
		[CORE_FIELD_BYTE_OFFSET] = "byte_off",
		[CORE_FIELD_BYTE_SIZE] = "byte_sz",
		[CORE_FIELD_EXISTS] = "field_exists",
		[CORE_FIELD_SIGNED] = "signed",
		[CORE_FIELD_LSHIFT_U64] = "lshift_u64",
		[CORE_FIELD_RSHIFT_U64] = "rshift_u64",
		[CORE_TYPE_ID_LOCAL] = "local_type_id",
		[CORE_TYPE_ID_TARGET] = "target_type_id",
		[CORE_TYPE_EXISTS] = "type_exists",
		[CORE_TYPE_SIZE] = "type_size",
		[CORE_ENUMVAL_EXISTS] = "enumval_exists",
		[CORE_ENUMVAL_VALUE] = "enumval_value",
		[CORE_TYPE_MATCHES] = "type_matches",
	};

	return kind < CORE_KIND_COUNT ? names[kind] : "unknown";
}

/* "X___Y" with X and Y not underscores: the flavor starts at "___". */
size_t
core_essential_len(const char *name)
{
	size_t n = strlen(name), i;

	for (i = n >= 5 ? n - 5 + 1 : 0; i-- > 0;) {
		const char *s = name + i;

		if (s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' &&
		    s[4] != '_')
			return i + 1;
	}
	return n;
}

bool
core_names_match(const char *local, const char *targ)
{
	size_t len = core_essential_len(local);

	return len == core_essential_len(targ) &&
	       strncmp(local, targ, len) == 0;
}

const struct btf_type *
core_skip_mods(const struct btf *btf, uint32_t id, uint32_t *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int i;

	for (i = 0; t != NULL && (btf_is_mod(t) || btf_is_typedef(t)); i++) {
		if (i == CORE_DEPTH_MAX)
			return NULL;
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (res_id != NULL)
		*res_id = id;
	return t;
}

bool
core_kinds_compat(const struct btf_type *a, const struct btf_type *b)
{
	return btf_kind(a) == btf_kind(b) ||
	       (btf_is_any_enum(a) && btf_is_any_enum(b));
}

static const char *
name_of(const struct btf *btf, uint32_t off)
{
	const char *s = btf__name_by_offset(btf, off);

	return s != NULL ? s : "";
}

/* A zero-length array that ends its struct takes any index. prev is the
 * step that led to the array: it must be a named member. */
static bool
is_flex_array(const struct btf *btf, const struct core_acc *prev,
	      const struct btf_array *arr)
{
	const struct btf_type *t;

	if (prev->name == NULL || arr->nelems > 0)
		return false;
	t = btf__type_by_id(btf, prev->type_id);
	return t != NULL && prev->idx + 1 == btf_vlen(t);
}

/* "0:12:3" into numbers; only digits and single colons. */
static int
parse_access(const char *s, struct core_spec *spec)
{
	if (*s == '\0')
		return -EINVAL;
	while (*s != '\0') {
		uint64_t v = 0;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (uint64_t)(*s++ - '0');
			if (v > INT_MAX)
				return -ERANGE;
		}
		if (*s == ':' && *++s == '\0')
			return -EINVAL;
		if (*s != '\0' && (*s < '0' || *s > '9'))
			return -EINVAL;
		if (spec->raw_len == CORE_SPEC_MAX)
			return -E2BIG;
		spec->raw[spec->raw_len++] = v;
	}
	return 0;
}

static int
add_bits(struct core_spec *spec, uint64_t idx, long long elem_size)
{
	if (elem_size < 0)
		return -EINVAL;
	spec->bit_off += idx * (uint64_t)elem_size * 8;
	/* The values must fit instructions: far below this. */
	return spec->bit_off > UINT32_MAX ? -ERANGE : 0;
}

int
core_spec_parse(const struct btf *btf, uint32_t type_id, const char *access,
		uint32_t kind, struct core_spec *spec, const char **why)
{
	const struct btf_type *t;
	struct core_acc *acc;
	uint32_t id;
	int i, ret;

	memset(spec, 0, sizeof(*spec));
	spec->btf = btf;
	spec->root_id = type_id;
	spec->kind = kind;
	*why = "malformed access string";

	if (core_kind_is_type(kind))
		return strcmp(access, "0") == 0 ? 0 : -EINVAL;
	ret = parse_access(access, spec);
	if (ret < 0)
		return ret;

	t = core_skip_mods(btf, type_id, &id);
	if (t == NULL) {
		*why = "bad type id or type chain";
		return -EINVAL;
	}
	acc = &spec->acc[0];
	acc->type_id = id;
	acc->idx = spec->raw[0];
	spec->len = 1;

	if (core_kind_is_enumval(kind)) {
		if (!btf_is_any_enum(t) || spec->raw_len > 1 ||
		    acc->idx >= btf_vlen(t)) {
			*why = "not an enumerator of an enum";
			return -EINVAL;
		}
		acc->name = name_of(btf, btf_is_enum(t) ?
				    btf_enum(t)[acc->idx].name_off :
				    btf_enum64(t)[acc->idx].name_off);
		return 0;
	}
	if (!core_kind_is_field(kind)) {
		*why = "unknown relocation kind";
		return -EINVAL;
	}

	*why = "the access string does not fit the type";
	ret = add_bits(spec, acc->idx, btf__resolve_size(btf, id));
	if (ret < 0)
		return ret;
	for (i = 1; i < spec->raw_len; i++) {
		uint32_t idx = spec->raw[i];

		t = core_skip_mods(btf, id, &id);
		if (t == NULL)
			return -EINVAL;
		acc = &spec->acc[spec->len];
		if (btf_is_composite(t)) {
			const struct btf_member *m;

			if (idx >= btf_vlen(t))
				return -EINVAL;
			spec->bit_off += btf_member_bit_offset(t, idx);
			m = btf_members(t) + idx;
			if (m->name_off != 0) {
				acc->name = name_of(btf, m->name_off);
				if (acc->name[0] == '\0')
					return -EINVAL;
				acc->type_id = id;
				acc->idx = idx;
				spec->len++;
			}
			id = m->type;
		} else if (btf_is_array(t)) {
			const struct btf_array *a = btf_array(t);

			if (core_skip_mods(btf, a->type, &id) == NULL)
				return -EINVAL;
			if (!is_flex_array(btf, acc - 1, a) && idx >= a->nelems)
				return -EINVAL;
			acc->type_id = id;
			acc->idx = idx;
			acc->name = NULL;
			spec->len++;
			ret = add_bits(spec, idx, btf__resolve_size(btf, id));
			if (ret < 0)
				return ret;
		} else {
			*why = "the access string steps into a type that is neither a struct, a union nor an array";
			return -EINVAL;
		}
	}
	return 0;
}

/* Field types that may relocate to each other (see the top comment). */
static int
fields_compat(const struct btf *lbtf, uint32_t lid, const struct btf *tbtf,
	      uint32_t tid)
{
	const struct btf_type *lt, *tt;
	int depth;

	for (depth = 0; depth < CORE_DEPTH_MAX; depth++) {
		lt = core_skip_mods(lbtf, lid, &lid);
		tt = core_skip_mods(tbtf, tid, &tid);
		if (lt == NULL || tt == NULL)
			return -EINVAL;
		if (btf_is_composite(lt) && btf_is_composite(tt))
			return 1;
		if (!core_kinds_compat(lt, tt))
			return 0;
		switch (btf_kind(lt)) {
		case BTF_KIND_PTR:
		case BTF_KIND_FLOAT:
			return 1;
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64: {
			const char *ln = name_of(lbtf, lt->name_off);
			const char *tn = name_of(tbtf, tt->name_off);

			return ln[0] == '\0' || tn[0] == '\0' ||
			       core_names_match(ln, tn);
		}
		case BTF_KIND_INT:
			return btf_int_offset(lt) == 0 && btf_int_offset(tt) == 0;
		case BTF_KIND_ARRAY:
			lid = btf_array(lt)->type;
			tid = btf_array(tt)->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/* Find the local named field of acc in target type tid, searching nested
 * anonymous members; extends targ's steps and bit offset on success. */
static int
match_member(const struct core_spec *local, const struct core_acc *acc,
	     const struct btf *tbtf, uint32_t tid, struct core_spec *targ,
	     uint32_t *next_id)
{
	const struct btf_type *lt, *tt = core_skip_mods(tbtf, tid, &tid);
	const struct btf_member *lm, *m;
	uint16_t i, n;
	int found;

	if (tt == NULL)
		return -EINVAL;
	if (!btf_is_composite(tt))
		return 0;
	lt = btf__type_by_id(local->btf, acc->type_id);
	lm = btf_members(lt) + acc->idx;

	n = btf_vlen(tt);
	m = btf_members(tt);
	for (i = 0; i < n; i++, m++) {
		uint32_t bit_off = btf_member_bit_offset(tt, i);
		const char *name = name_of(tbtf, m->name_off);

		if (targ->raw_len == CORE_SPEC_MAX)
			return -E2BIG;
		targ->bit_off += bit_off;
		targ->raw[targ->raw_len++] = i;
		if (name[0] == '\0') {
			found = match_member(local, acc, tbtf, m->type, targ,
					     next_id);
			if (found != 0)
				return found;
		} else if (strcmp(name, acc->name) == 0) {
			struct core_acc *ta = &targ->acc[targ->len++];

			ta->type_id = tid;
			ta->idx = i;
			ta->name = name;
			*next_id = m->type;
			found = fields_compat(local->btf, lm->type, tbtf,
					      m->type);
			if (found == 0)
				targ->len--;
			return found;
		}
		targ->bit_off -= bit_off;
		targ->raw_len--;
	}
	return 0;
}

/* Type relocations: compatible kinds, recursively through pointers,
 * arrays and function prototypes (names were matched by the caller). */
static int
types_compat(const struct btf *lbtf, uint32_t lid, const struct btf *tbtf,
	     uint32_t tid, int level)
{
	const struct btf_type *lt = btf__type_by_id(lbtf, lid);
	const struct btf_type *tt = btf__type_by_id(tbtf, tid);
	int depth;

	if (lt == NULL || tt == NULL)
		return -EINVAL;
	if (!core_kinds_compat(lt, tt))
		return 0;
	for (depth = 0; depth < CORE_DEPTH_MAX; depth++) {
		lt = core_skip_mods(lbtf, lid, &lid);
		tt = core_skip_mods(tbtf, tid, &tid);
		if (lt == NULL || tt == NULL)
			return -EINVAL;
		if (!core_kinds_compat(lt, tt))
			return 0;
		switch (btf_kind(lt)) {
		case BTF_KIND_UNKN:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM64:
			return 1;
		case BTF_KIND_INT:
			return btf_int_offset(lt) == 0 && btf_int_offset(tt) == 0;
		case BTF_KIND_PTR:
			lid = lt->type;
			tid = tt->type;
			continue;
		case BTF_KIND_ARRAY:
			lid = btf_array(lt)->type;
			tid = btf_array(tt)->type;
			continue;
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *lp = btf_params(lt);
			const struct btf_param *tp = btf_params(tt);
			uint16_t i, n = btf_vlen(lt);
			int ret;

			if (n != btf_vlen(tt))
				return 0;
			for (i = 0; i < n; i++, lp++, tp++) {
				uint32_t l, t;

				if (level <= 0)
					return -EINVAL;
				if (core_skip_mods(lbtf, lp->type, &l) == NULL ||
				    core_skip_mods(tbtf, tp->type, &t) == NULL)
					return -EINVAL;
				ret = types_compat(lbtf, l, tbtf, t, level - 1);
				if (ret <= 0)
					return ret;
			}
			lid = lt->type;
			tid = tt->type;
			continue;
		}
		default:
			return 0;
		}
	}
	return -EINVAL;
}

static int
match_enumval(const struct core_spec *local, const struct btf *tbtf,
	      uint32_t tid, struct core_spec *targ)
{
	const struct btf_type *tt = core_skip_mods(tbtf, tid, &tid);
	const char *want = local->acc[0].name;
	uint16_t i;

	if (tt == NULL || !btf_is_any_enum(tt))
		return 0;
	for (i = 0; i < btf_vlen(tt); i++) {
		const char *name = name_of(tbtf, btf_is_enum(tt) ?
					   btf_enum(tt)[i].name_off :
					   btf_enum64(tt)[i].name_off);

		if (core_names_match(want, name)) {
			targ->acc[0].type_id = tid;
			targ->acc[0].idx = i;
			targ->acc[0].name = name;
			targ->len = 1;
			targ->raw[0] = i;
			targ->raw_len = 1;
			return 1;
		}
	}
	return 0;
}

int
core_spec_match(const struct core_spec *local, const struct btf *tbtf,
		uint32_t tid, struct core_spec *targ)
{
	const struct core_acc *la = local->acc;
	struct core_acc *ta = targ->acc;
	int i, ret;

	memset(targ, 0, sizeof(*targ));
	targ->btf = tbtf;
	targ->root_id = tid;
	targ->kind = local->kind;

	if (core_kind_is_type(local->kind)) {
		if (local->kind == CORE_TYPE_MATCHES)
			return core_types_match(local->btf, local->root_id,
						tbtf, tid);
		return types_compat(local->btf, local->root_id, tbtf, tid,
				    CORE_DEPTH_MAX);
	}
	if (core_kind_is_enumval(local->kind))
		return match_enumval(local, tbtf, tid, targ);

	for (i = 0; i < local->len; i++, la++, ta++) {
		const struct btf_type *tt = core_skip_mods(tbtf, tid, &tid);

		if (tt == NULL)
			return -EINVAL;
		if (la->name != NULL) {
			ret = match_member(local, la, tbtf, tid, targ, &tid);
			if (ret <= 0)
				return ret;
			continue;
		}
		/* The first index applies to the root itself; later ones
		 * need an array. */
		if (i > 0) {
			const struct btf_array *a;

			if (!btf_is_array(tt))
				return 0;
			a = btf_array(tt);
			if (!is_flex_array(tbtf, ta - 1, a) &&
			    la->idx >= a->nelems)
				return 0;
			if (core_skip_mods(tbtf, a->type, &tid) == NULL)
				return -EINVAL;
		}
		if (targ->raw_len == CORE_SPEC_MAX)
			return -E2BIG;
		ta->type_id = tid;
		ta->idx = la->idx;
		ta->name = NULL;
		targ->len++;
		targ->raw[targ->raw_len++] = la->idx;
		ret = add_bits(targ, la->idx, btf__resolve_size(tbtf, tid));
		if (ret < 0)
			return ret;
	}
	return 1;
}

/* Field relocations, for one side. */
static int
calc_field(const struct core_spec *spec, uint64_t *val, uint32_t *size,
	   uint32_t *type_id, bool *validate, const char **why)
{
	const struct core_acc *acc;
	const struct btf_type *t, *mt;
	const struct btf_member *m;
	uint32_t byte_off, byte_sz, bit_sz, field_id;
	uint64_t bit_off;
	long long sz;
	bool bitfield;

	*size = 0;
	if (spec->kind == CORE_FIELD_EXISTS) {
		*val = 1;
		return 0;
	}
	acc = &spec->acc[spec->len - 1];
	if (acc->name == NULL) {
		/* the whole element of an array */
		sz = btf__resolve_size(spec->btf, acc->type_id);
		if (sz < 0 || sz > UINT32_MAX)
			return -EINVAL;
		if (spec->kind == CORE_FIELD_BYTE_OFFSET) {
			*val = spec->bit_off / 8;
			*size = sz;
			*type_id = acc->type_id;
		} else if (spec->kind == CORE_FIELD_BYTE_SIZE) {
			*val = sz;
		} else {
			*why = "this relocation does not apply to an array element";
			return -EINVAL;
		}
		if (validate != NULL)
			*validate = true;
		return 0;
	}

	t = btf__type_by_id(spec->btf, acc->type_id);
	m = btf_members(t) + acc->idx;
	mt = core_skip_mods(spec->btf, m->type, &field_id);
	if (mt == NULL)
		return -EINVAL;
	bit_off = spec->bit_off;
	bit_sz = btf_member_bitfield_size(t, acc->idx);
	bitfield = bit_sz > 0;
	if (bitfield) {
		/* The smallest naturally aligned load holding the bits. */
		byte_sz = mt->size;
		if (byte_sz == 0 || byte_sz > 8) {
			*why = "bitfield of a type without a usable size";
			return -EINVAL;
		}
		byte_off = bit_off / 8 / byte_sz * byte_sz;
		while (bit_off + bit_sz - byte_off * 8 > byte_sz * 8) {
			if (byte_sz >= 8) {
				*why = "bitfield that no 64-bit load holds";
				return -E2BIG;
			}
			byte_sz *= 2;
			byte_off = bit_off / 8 / byte_sz * byte_sz;
		}
	} else {
		sz = btf__resolve_size(spec->btf, field_id);
		if (sz < 0 || sz > UINT32_MAX / 8)
			return -EINVAL;
		byte_sz = sz;
		byte_off = bit_off / 8;
		bit_sz = byte_sz * 8;
	}
	/* The compiler and libbpf may place bitfield loads differently:
	 * check only what cannot be ambiguous. */
	if (validate != NULL)
		*validate = !bitfield;

	switch (spec->kind) {
	case CORE_FIELD_BYTE_OFFSET:
		*val = byte_off;
		if (!bitfield) {
			*size = byte_sz;
			*type_id = field_id;
		}
		break;
	case CORE_FIELD_BYTE_SIZE:
		*val = byte_sz;
		break;
	case CORE_FIELD_SIGNED:
		*val = (btf_is_any_enum(mt) && btf_kflag(mt)) ||
		       (btf_is_int(mt) &&
			(btf_int_encoding(mt) & BTF_INT_SIGNED));
		if (validate != NULL)
			*validate = true;
		break;
	case CORE_FIELD_LSHIFT_U64:
		/* little endian, like every host uxdp runs on */
		*val = 64 - (bit_off + bit_sz - byte_off * 8);
		break;
	case CORE_FIELD_RSHIFT_U64:
		*val = 64 - bit_sz;
		if (validate != NULL)
			*validate = true;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int
calc_type(const struct core_spec *spec, uint64_t *val, bool *validate)
{
	long long sz;

	switch (spec->kind) {
	case CORE_TYPE_ID_TARGET:
		*val = spec->root_id;
		/* type ids change when objects are linked: never checked */
		if (validate != NULL)
			*validate = false;
		return 0;
	case CORE_TYPE_EXISTS:
	case CORE_TYPE_MATCHES:
		*val = 1;
		return 0;
	case CORE_TYPE_SIZE:
		sz = btf__resolve_size(spec->btf, spec->root_id);
		if (sz < 0)
			return -EINVAL;
		*val = sz;
		return 0;
	default:
		return -EINVAL;
	}
}

static void
calc_enumval(const struct core_spec *spec, uint64_t *val)
{
	const struct btf_type *t;

	if (spec->kind == CORE_ENUMVAL_EXISTS) {
		*val = 1;
		return;
	}
	t = btf__type_by_id(spec->btf, spec->acc[0].type_id);
	if (btf_is_enum(t))
		/* btf_enum.val is signed: libbpf sign-extends it too */
		*val = (uint64_t)(int64_t)btf_enum(t)[spec->acc[0].idx].val;
	else
		*val = btf_enum64_value(btf_enum64(t) + spec->acc[0].idx);
}

/* A load or store may change size only when the value keeps its meaning:
 * pointers, or unsigned integers (zero extension). */
static bool
resize_ok(const struct core_spec *local, const struct core_spec *targ,
	  const struct core_res *res)
{
	const struct btf_type *o = res->orig_type != 0 ?
		btf__type_by_id(local->btf, res->orig_type) : NULL;
	const struct btf_type *n = res->new_type != 0 ?
		btf__type_by_id(targ->btf, res->new_type) : NULL;

	if (o == NULL || n == NULL)
		return false;
	if (btf_is_ptr(o) && btf_is_ptr(n))
		return true;
	return btf_is_int(o) && btf_is_int(n) &&
	       btf_int_encoding(o) != BTF_INT_SIGNED &&
	       btf_int_encoding(n) != BTF_INT_SIGNED;
}

int
core_calc(const struct core_spec *local, const struct core_spec *targ,
	  struct core_res *res, const char **why)
{
	uint32_t kind = local->kind;
	int ret;

	memset(res, 0, sizeof(*res));
	res->validate = true;
	*why = "malformed BTF";

	if (core_kind_is_field(kind)) {
		ret = calc_field(local, &res->orig_val, &res->orig_sz,
				 &res->orig_type, &res->validate, why);
		if (ret < 0)
			return ret;
		if (targ == NULL) {
			res->new_val = 0;
			res->missing = kind != CORE_FIELD_EXISTS;
			return 0;
		}
		ret = calc_field(targ, &res->new_val, &res->new_sz,
				 &res->new_type, NULL, why);
		if (ret < 0)
			return ret;
		if (res->orig_sz != res->new_sz)
			res->bad_resize = !resize_ok(local, targ, res);
		return 0;
	}
	if (core_kind_is_type(kind)) {
		/* Type relocations give 0 when the type is missing, as in
		 * libbpf: that is what TYPE_EXISTS and TYPE_MATCHES ask. */
		ret = calc_type(local, &res->orig_val, &res->validate);
		if (ret == 0 && targ != NULL)
			ret = calc_type(targ, &res->new_val, NULL);
		return ret;
	}
	if (core_kind_is_enumval(kind)) {
		calc_enumval(local, &res->orig_val);
		if (targ != NULL)
			calc_enumval(targ, &res->new_val);
		else
			res->missing = kind == CORE_ENUMVAL_VALUE;
		return 0;
	}
	*why = "unknown relocation kind";
	return -EINVAL;
}

void
core_spec_format(const struct core_spec *spec, char *buf, size_t len)
{
	const struct btf_type *t = btf__type_by_id(spec->btf, spec->root_id);
	const char *name = t != NULL ? name_of(spec->btf, t->name_off) : "";
	size_t n;
	int i;

	snprintf(buf, len, "%s %s", t == NULL ? "type" :
		 btf_is_struct(t) ? "struct" : btf_is_union(t) ? "union" :
		 btf_is_any_enum(t) ? "enum" : btf_is_typedef(t) ? "typedef" :
		 "type", name[0] != '\0' ? name : "(anon)");
	if (core_kind_is_enumval(spec->kind) && spec->len > 0) {
		n = strlen(buf);
		snprintf(buf + n, len - n, "::%s", spec->acc[0].name);
		return;
	}
	for (i = 0; i < spec->len && core_kind_is_field(spec->kind); i++) {
		n = strlen(buf);
		if (spec->acc[i].name != NULL)
			snprintf(buf + n, len - n, ".%s", spec->acc[i].name);
		else if (i > 0 || spec->acc[i].idx > 0)
			snprintf(buf + n, len - n, "[%u]", spec->acc[i].idx);
	}
}
