/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Abstract values of the pointer and range analysis: what a register or a
 * spilled stack slot holds, and how two paths' values merge. A merge of
 * different kinds is UNKNOWN, which proves nothing and refuses nothing:
 * refusals only ever come from facts that hold on every path.
 */

#include <string.h>

#include "check_types.h"

struct ty_val
ty_unknown(void)
{
	struct ty_val v;

	memset(&v, 0, sizeof(v));
	v.kind = TY_UNKNOWN;
	v.umax = UINT64_MAX;
	v.smin = INT64_MIN;
	v.smax = INT64_MAX;
	return v;
}

struct ty_val
ty_scalar(void)
{
	struct ty_val v = ty_unknown();

	v.kind = TY_SCALAR;
	return v;
}

struct ty_val
ty_scalar_range(uint64_t umin, uint64_t umax)
{
	struct ty_val v = ty_scalar();

	v.umin = umin;
	v.umax = umax;
	ty_sync(&v);
	return v;
}

struct ty_val
ty_const(uint64_t c)
{
	return ty_scalar_range(c, c);
}

/* A pointer of kind at the known offset off. */
struct ty_val
ty_ptr(enum ty_kind kind, int64_t off)
{
	struct ty_val v;

	memset(&v, 0, sizeof(v));
	v.kind = kind;
	v.smin = off;
	v.smax = off;
	return v;
}

bool
ty_is_const(const struct ty_val *v)
{
	return v->kind == TY_SCALAR && v->umin == v->umax;
}

bool
ty_is_ptr(const struct ty_val *v)
{
	return v->kind != TY_UNKNOWN && v->kind != TY_SCALAR;
}

bool
ty_eq(const struct ty_val *a, const struct ty_val *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Make the unsigned and signed ranges of a scalar agree. */
void
ty_sync(struct ty_val *v)
{
	if (v->kind != TY_SCALAR)
		return;
	if (v->smin >= 0) {
		if ((uint64_t)v->smin > v->umin)
			v->umin = (uint64_t)v->smin;
		if ((uint64_t)v->smax < v->umax)
			v->umax = (uint64_t)v->smax;
	}
	if (v->umax <= (uint64_t)INT64_MAX) {
		if ((int64_t)v->umin > v->smin)
			v->smin = (int64_t)v->umin;
		if ((int64_t)v->umax < v->smax)
			v->smax = (int64_t)v->umax;
	} else if (v->umin > (uint64_t)INT64_MAX) {
		/* Every value is negative as signed. */
		if ((int64_t)v->umin > v->smin)
			v->smin = (int64_t)v->umin;
		if ((int64_t)v->umax < v->smax)
			v->smax = (int64_t)v->umax;
	}
	if (v->smin == v->smax) {
		v->umin = (uint64_t)v->smin;
		v->umax = (uint64_t)v->smin;
	}
}

static struct ty_val
join_scalar(const struct ty_val *a, const struct ty_val *b, bool widen)
{
	struct ty_val v = *a;

	if (b->umin < v.umin)
		v.umin = widen ? 0 : b->umin;
	if (b->umax > v.umax)
		v.umax = widen ? UINT64_MAX : b->umax;
	if (b->smin < v.smin)
		v.smin = widen ? INT64_MIN : b->smin;
	if (b->smax > v.smax)
		v.smax = widen ? INT64_MAX : b->smax;
	return v;
}

/* Two packet pointers: same base and offset keep their proof; otherwise
 * the offsets become a variable part (base lost). */
static struct ty_val
join_pkt(const struct ty_val *a, const struct ty_val *b, bool widen)
{
	struct ty_val v = *a;
	int64_t lo, hi, ra, rb;

	v.flags |= b->flags;
	if (a->id == b->id && a->smin == b->smin) {
		if (b->umax > v.umax) {
			v.umax = b->umax;
			if (widen)
				v.flags |= TY_F_PKT_WILD;
		}
		v.range = a->range < b->range ? a->range : b->range;
		if (b->may_range > v.may_range)
			v.may_range = widen ? INT32_MAX : b->may_range;
		return v;
	}
	lo = a->smin < b->smin ? a->smin : b->smin;
	hi = a->smin + (int64_t)a->umax;
	if (b->smin + (int64_t)b->umax > hi)
		hi = b->smin + (int64_t)b->umax;
	v.id = TY_ID_LOST;
	v.smin = lo;
	v.smax = lo;
	v.umax = (uint64_t)(hi - lo);
	/* The new base is the old one plus off - lo on each path: what was
	 * proven beyond it still is, less that distance. */
	ra = a->range - (a->smin - lo);
	rb = b->range - (b->smin - lo);
	v.range = (int32_t)(ra < rb ? (ra > 0 ? ra : 0) : (rb > 0 ? rb : 0));
	v.may_range = INT32_MAX;
	if (widen || v.umax > TY_MAX_PKT_VAR) {
		v.flags |= TY_F_PKT_WILD;
		v.range = 0;
	}
	return v;
}

struct ty_val
ty_join(const struct ty_val *a, const struct ty_val *b, bool widen)
{
	struct ty_val v;

	if (ty_eq(a, b))
		return *a;
	if (a->kind != b->kind || a->kind == TY_UNKNOWN)
		return ty_unknown();
	switch (a->kind) {
	case TY_SCALAR:
		return join_scalar(a, b, widen);
	case TY_PKT:
		return join_pkt(a, b, widen);
	case TY_MAP_PTR:
		v = *a;
		if (a->map != b->map) {
			v.map = 0;
			v.size = 0;
		}
		return v;
	case TY_MAP_VALUE:
	case TY_MAP_VALUE_OR_NULL:
	case TY_RECORD:
	case TY_RECORD_OR_NULL:
		if (a->map != b->map || a->size != b->size ||
		    (a->flags & TY_F_RDONLY) != (b->flags & TY_F_RDONLY))
			return ty_unknown();
		break;
	default:
		break;
	}
	/* A pointer with an offset range. */
	v = *a;
	v.flags |= b->flags;
	if (a->id != b->id)
		v.id = TY_ID_LOST;
	if (b->smin < v.smin)
		v.smin = widen ? -TY_OFF_MAX : b->smin;
	if (b->smax > v.smax)
		v.smax = widen ? TY_OFF_MAX : b->smax;
	if (a->smin != b->smin || a->smax != b->smax)
		v.flags |= (a->kind == TY_PKT_META ? TY_F_PKT_WILD : 0);
	v.range = a->range < b->range ? a->range : b->range;
	if (b->may_range > v.may_range)
		v.may_range = widen ? INT32_MAX : b->may_range;
	return v;
}

/* Forget the holders of a pointer id before an instruction reuses it
 * (the next loop iteration): they keep their kind but alias nothing. */
void
ty_retire_id(struct ty_state *s, uint32_t id)
{
	int i;

	for (i = 0; i < TY_N_REGS; i++)
		if (ty_is_ptr(&s->reg[i]) && s->reg[i].id == id)
			s->reg[i].id = TY_ID_LOST;
	for (i = 0; i < TY_N_SLOTS; i++)
		if (ty_is_ptr(&s->slot[i]) && s->slot[i].id == id)
			s->slot[i].id = TY_ID_LOST;
}

/* A packet pointer whose base has no name (paths with different
 * offsets met) is copied: the copy and the original get one, the
 * instruction's, so that a data_end check of one proves the other. */
void
ty_name_copy(struct ty_state *s, struct ty_val *orig, struct ty_val *copy,
	     uint32_t pc)
{
	if (orig->kind != TY_PKT || orig->id != TY_ID_LOST ||
	    (orig->flags & TY_F_PKT_WILD))
		return;
	ty_retire_id(s, pc + 1);
	orig->id = pc + 1;
	copy->id = pc + 1;
}

const char *
ty_kind_name(uint8_t kind)
{
	static const char *const names[] = {
		[TY_UNKNOWN] = "unknown",
		[TY_SCALAR] = "scalar",
		[TY_CTX] = "ctx",
		[TY_PKT] = "pkt",
		[TY_PKT_END] = "pkt_end",
		[TY_PKT_META] = "pkt_meta",
		[TY_STACK] = "fp",
		[TY_MAP_PTR] = "map_ptr",
		[TY_MAP_VALUE] = "map_value",
		[TY_MAP_VALUE_OR_NULL] = "map_value_or_null",
		[TY_RECORD] = "ringbuf_mem",
		[TY_RECORD_OR_NULL] = "ringbuf_mem_or_null",
	};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}
