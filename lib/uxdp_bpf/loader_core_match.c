/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The "types match" relation of CO-RE's TYPE_MATCHES relocation
 * (bpf_core_type_matches()), libbpf's rules: stricter than the
 * compatibility of the other type relocations. Modifiers and typedefs are
 * skipped; names must match without their ___flavor suffix; then
 *  - integers: same size and signedness;
 *  - pointers and arrays (same element count): their targets match;
 *  - structs and unions: every local member has a member of the same name
 *    whose type matches; behind a pointer only the kind counts, and a
 *    forward declaration of the same kind matches too;
 *  - enums (enum and enum64 alike): same size, and every local enumerator
 *    name exists in the target;
 *  - function prototypes: same arguments and return type, each matching.
 */

#include <errno.h>
#include <bpf/btf.h>

#include "loader_core.h"

static int types_match(const struct btf *lbtf, uint32_t lid,
		       const struct btf *tbtf, uint32_t tid, bool behind_ptr,
		       int level);

/* An anonymous target matches only an anonymous local one. */
static bool
names_match(const struct btf *lbtf, uint32_t loff, const struct btf *tbtf,
	    uint32_t toff)
{
	const char *l = btf__name_by_offset(lbtf, loff);
	const char *t = btf__name_by_offset(tbtf, toff);

	if (l == NULL || t == NULL)
		return false;
	if (t[0] == '\0')
		return l[0] == '\0';
	return core_names_match(l, t);
}

static uint32_t
enumerator_name(const struct btf_type *t, uint16_t i)
{
	return btf_is_enum(t) ? btf_enum(t)[i].name_off :
				btf_enum64(t)[i].name_off;
}

static int
enums_match(const struct btf *lbtf, const struct btf_type *lt,
	    const struct btf *tbtf, const struct btf_type *tt)
{
	uint16_t i, j, ln = btf_vlen(lt), tn = btf_vlen(tt);

	if (lt->size != tt->size || ln > tn)
		return 0;
	for (i = 0; i < ln; i++) {
		bool found = false;

		for (j = 0; j < tn && !found; j++)
			found = names_match(lbtf, enumerator_name(lt, i), tbtf,
					    enumerator_name(tt, j));
		if (!found)
			return 0;
	}
	return 1;
}

static int
composites_match(const struct btf *lbtf, const struct btf_type *lt,
		 const struct btf *tbtf, const struct btf_type *tt,
		 bool behind_ptr, int level)
{
	const struct btf_member *lm = btf_members(lt);
	uint16_t i, j, ln = btf_vlen(lt), tn = btf_vlen(tt);
	int ret;

	if (ln > tn)
		return 0;
	for (i = 0; i < ln; i++, lm++) {
		const struct btf_member *tm = btf_members(tt);
		bool found = false;

		for (j = 0; j < tn && !found; j++, tm++) {
			if (!names_match(lbtf, lm->name_off, tbtf, tm->name_off))
				continue;
			ret = types_match(lbtf, lm->type, tbtf, tm->type,
					  behind_ptr, level - 1);
			if (ret < 0)
				return ret;
			found = ret > 0;
		}
		if (!found)
			return 0;
	}
	return 1;
}

static int
protos_match(const struct btf *lbtf, const struct btf_type *lt,
	     const struct btf *tbtf, const struct btf_type *tt,
	     bool behind_ptr, int level)
{
	const struct btf_param *lp = btf_params(lt);
	const struct btf_param *tp = btf_params(tt);
	uint16_t i, n = btf_vlen(lt);
	int ret;

	if (n != btf_vlen(tt))
		return 0;
	for (i = 0; i < n; i++, lp++, tp++) {
		ret = types_match(lbtf, lp->type, tbtf, tp->type, behind_ptr,
				  level - 1);
		if (ret <= 0)
			return ret;
	}
	return 1;
}

static int
types_match(const struct btf *lbtf, uint32_t lid, const struct btf *tbtf,
	    uint32_t tid, bool behind_ptr, int level)
{
	const struct btf_type *lt, *tt;
	uint16_t lk, tk;
	int depth, ret;

	if (level <= 0)
		return -EINVAL;
	for (depth = 0; depth < CORE_DEPTH_MAX; depth++) {
		lt = core_skip_mods(lbtf, lid, &lid);
		tt = core_skip_mods(tbtf, tid, &tid);
		if (lt == NULL || tt == NULL)
			return -EINVAL;
		if (!names_match(lbtf, lt->name_off, tbtf, tt->name_off))
			return 0;
		lk = btf_kind(lt);
		tk = btf_kind(tt);
		switch (lk) {
		case BTF_KIND_UNKN:
			return lk == tk;
		case BTF_KIND_FWD:
			/* the kind flag tells a union (1) from a struct (0) */
			if (tk == lk)
				return btf_kflag(lt) == btf_kflag(tt);
			if (!behind_ptr)
				return 0;
			return (tk == BTF_KIND_STRUCT && !btf_kflag(lt)) ||
			       (tk == BTF_KIND_UNION && btf_kflag(lt));
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			return btf_is_any_enum(tt) &&
			       enums_match(lbtf, lt, tbtf, tt);
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (!behind_ptr)
				return lk == tk &&
				       composites_match(lbtf, lt, tbtf, tt,
							behind_ptr, level);
			if (lk == tk)
				return 1;
			return tk == BTF_KIND_FWD &&
			       (lk == BTF_KIND_UNION) == btf_kflag(tt);
		case BTF_KIND_INT:
			return lk == tk && lt->size == tt->size &&
			       (btf_int_encoding(lt) & BTF_INT_SIGNED) ==
			       (btf_int_encoding(tt) & BTF_INT_SIGNED);
		case BTF_KIND_PTR:
			if (lk != tk)
				return 0;
			behind_ptr = true;
			lid = lt->type;
			tid = tt->type;
			continue;
		case BTF_KIND_ARRAY:
			if (lk != tk ||
			    btf_array(lt)->nelems != btf_array(tt)->nelems)
				return 0;
			lid = btf_array(lt)->type;
			tid = btf_array(tt)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			if (lk != tk)
				return 0;
			ret = protos_match(lbtf, lt, tbtf, tt, behind_ptr,
					   level);
			if (ret <= 0)
				return ret;
			lid = lt->type;
			tid = tt->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

int
core_types_match(const struct btf *lbtf, uint32_t lid, const struct btf *tbtf,
		 uint32_t tid)
{
	return types_match(lbtf, lid, tbtf, tid, false, CORE_DEPTH_MAX);
}
