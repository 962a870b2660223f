/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * What a conditional jump teaches on each of its edges:
 *  - scalar ranges narrow (r1 < 16 on the taken edge of "if r1 < 16"),
 *    and an edge the ranges rule out is not followed;
 *  - "if p == 0" on a map value (ringbuf record) that may be NULL makes
 *    p and every copy of it (same id) NULL on one edge and a valid
 *    pointer on the other;
 *  - comparing a packet pointer with data_end, in any of the four
 *    orientations (p > end, p >= end, end < p, end <= p and their
 *    negations on the other edge), proves that the bytes below p are in
 *    the packet for every pointer with p's id, as the kernel's
 *    find_good_pkt_pointers(); likewise data_meta + n against data.
 */

#include "check_types.h"

enum rel { R_EQ, R_NE, R_ULT, R_ULE, R_UGT, R_UGE, R_SLT, R_SLE, R_SGT,
	   R_SGE, R_SET, R_NSET };

static enum rel
rel_of(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return R_EQ;
	case BPF_JNE: return R_NE;
	case BPF_JLT: return R_ULT;
	case BPF_JLE: return R_ULE;
	case BPF_JGT: return R_UGT;
	case BPF_JGE: return R_UGE;
	case BPF_JSLT: return R_SLT;
	case BPF_JSLE: return R_SLE;
	case BPF_JSGT: return R_SGT;
	case BPF_JSGE: return R_SGE;
	default: return R_SET;
	}
}

static enum rel
rel_not(enum rel r)
{
	static const enum rel neg[] = {
		[R_EQ] = R_NE, [R_NE] = R_EQ, [R_ULT] = R_UGE, [R_ULE] = R_UGT,
		[R_UGT] = R_ULE, [R_UGE] = R_ULT, [R_SLT] = R_SGE,
		[R_SLE] = R_SGT, [R_SGT] = R_SLE, [R_SGE] = R_SLT,
		[R_SET] = R_NSET, [R_NSET] = R_SET,
	};

	return neg[r];
}

/* a REL b read as b REL' a. */
static enum rel
rel_swap(enum rel r)
{
	static const enum rel sw[] = {
		[R_EQ] = R_EQ, [R_NE] = R_NE, [R_ULT] = R_UGT, [R_ULE] = R_UGE,
		[R_UGT] = R_ULT, [R_UGE] = R_ULE, [R_SLT] = R_SGT,
		[R_SLE] = R_SGE, [R_SGT] = R_SLT, [R_SGE] = R_SLE,
		[R_SET] = R_SET, [R_NSET] = R_NSET,
	};

	return sw[r];
}

static uint64_t umax_u(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t umin_u(uint64_t a, uint64_t b) { return a < b ? a : b; }
static int64_t smax_s(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t smin_s(int64_t a, int64_t b) { return a < b ? a : b; }

static bool
empty(const struct ty_val *v)
{
	return v->umin > v->umax || v->smin > v->smax;
}

/* Narrow scalars a and b so that a REL b holds; false if it cannot. */
static bool
refine_scalars(struct ty_val *a, struct ty_val *b, enum rel r)
{
	switch (r) {
	case R_EQ:
		a->umin = b->umin = umax_u(a->umin, b->umin);
		a->umax = b->umax = umin_u(a->umax, b->umax);
		a->smin = b->smin = smax_s(a->smin, b->smin);
		a->smax = b->smax = smin_s(a->smax, b->smax);
		break;
	case R_NE:
		if (ty_is_const(a) && ty_is_const(b))
			return a->umin != b->umin;
		if (ty_is_const(b)) {
			if (a->umin == b->umin)
				a->umin++;
			else if (a->umax == b->umin)
				a->umax--;
		} else if (ty_is_const(a)) {
			return refine_scalars(b, a, R_NE);
		}
		break;
	case R_ULT:
		if (b->umax == 0 || a->umin == UINT64_MAX)
			return false;
		a->umax = umin_u(a->umax, b->umax - 1);
		b->umin = umax_u(b->umin, a->umin + 1);
		break;
	case R_ULE:
		a->umax = umin_u(a->umax, b->umax);
		b->umin = umax_u(b->umin, a->umin);
		break;
	case R_UGT:
	case R_UGE:
	case R_SGT:
	case R_SGE:
		return refine_scalars(b, a, rel_swap(r));
	case R_SLT:
		if (b->smax == INT64_MIN || a->smin == INT64_MAX)
			return false;
		a->smax = smin_s(a->smax, b->smax - 1);
		b->smin = smax_s(b->smin, a->smin + 1);
		break;
	case R_SLE:
		a->smax = smin_s(a->smax, b->smax);
		b->smin = smax_s(b->smin, a->smin);
		break;
	case R_SET:
		if (ty_is_const(a) && ty_is_const(b))
			return (a->umin & b->umin) != 0;
		if (a->umax == 0 || b->umax == 0)
			return false;
		break;
	case R_NSET:
		if (ty_is_const(a) && ty_is_const(b))
			return (a->umin & b->umin) == 0;
		break;
	}
	ty_sync(a);
	ty_sync(b);
	return !empty(a) && !empty(b);
}

/* Apply f to every register and slot of s holding a pointer with id. */
static void
set_by_id(struct ty_state *s, struct ty_val *self, uint8_t kind, uint32_t id,
	  const struct ty_val *to)
{
	int i;

	if (id == TY_ID_LOST || id == TY_ID_NONE) {
		*self = *to;
		return;
	}
	for (i = 0; i < TY_N_REGS; i++)
		if (s->reg[i].kind == kind && s->reg[i].id == id)
			s->reg[i] = *to;
	for (i = 0; i < TY_N_SLOTS; i++)
		if (s->slot[i].kind == kind && s->slot[i].id == id)
			s->slot[i] = *to;
}

/* p REL 0 for a pointer that may be NULL. */
static bool
null_check(struct ty_state *s, struct ty_val *p, enum rel r)
{
	struct ty_val to;
	uint32_t id = p->id;
	uint8_t kind = p->kind;

	if (r == R_EQ) {
		to = ty_const(0);
	} else if (r == R_NE || r == R_UGT) {
		to = *p;
		to.kind = kind == TY_MAP_VALUE_OR_NULL ? TY_MAP_VALUE :
			TY_RECORD;
		to.id = TY_ID_NONE;
	} else {
		return true;
	}
	set_by_id(s, p, kind, id, &to);
	return true;
}

/* A check of data + var + n, var up to umax, proves up to umax + n bytes
 * beyond data on some path (the kernel, walking paths one by one, may
 * know var there): data's pointers must not be refused below that. */
static void
widen_may_range(struct ty_state *s, int64_t upto)
{
	int i;

	if (upto > INT32_MAX)
		upto = INT32_MAX;
	for (i = 0; i < TY_N_REGS + TY_N_SLOTS; i++) {
		struct ty_val *v = i < TY_N_REGS ? &s->reg[i] :
			&s->slot[i - TY_N_REGS];

		if (v->kind == TY_PKT && v->id == TY_ID_NONE &&
		    v->may_range < upto)
			v->may_range = (int32_t)upto;
	}
}

/* Every pointer with p's id (or p alone) has range bytes proven. */
static void
prove_range(struct ty_state *s, struct ty_val *p, int64_t range)
{
	uint8_t kind = p->kind;
	uint32_t id = p->id;
	int i;

	if (range <= 0 || range > TY_MAX_PKT_VAR)
		return;
	if (kind == TY_PKT && id != TY_ID_NONE)
		widen_may_range(s, (int64_t)p->umax + range);
	if (id == TY_ID_LOST || kind == TY_PKT_META) {
		if (p->range < range)
			p->range = (int32_t)range;
		if (p->may_range < range)
			p->may_range = (int32_t)range;
		if (kind == TY_PKT_META)
			id = TY_ID_NONE;
		else
			return;
	}
	for (i = 0; i < TY_N_REGS + TY_N_SLOTS; i++) {
		struct ty_val *v = i < TY_N_REGS ? &s->reg[i] :
			&s->slot[i - TY_N_REGS];

		if (v->kind != kind || v->id != id)
			continue;
		if (v->range < range)
			v->range = (int32_t)range;
		if (v->may_range < range)
			v->may_range = (int32_t)range;
	}
}

/* p REL limit, p a packet (meta) pointer, limit data_end (data). */
static void
pkt_check(struct ty_state *s, struct ty_val *p, enum rel r)
{
	if ((p->flags & TY_F_PKT_WILD) || p->smin != p->smax || p->smin < 0)
		return;
	if (r == R_ULE)
		prove_range(s, p, p->smin);
	else if (r == R_ULT)
		prove_range(s, p, p->smin + 1);
}

static bool
is_data(const struct ty_val *v)
{
	return v->kind == TY_PKT && v->id == TY_ID_NONE && v->smin == 0 &&
		!(v->flags & TY_F_PKT_WILD);
}

static bool
pointer_branch(struct ty_state *s, struct ty_val *a, struct ty_val *b,
	       enum rel r)
{
	if ((a->kind == TY_MAP_VALUE_OR_NULL || a->kind == TY_RECORD_OR_NULL) &&
	    ty_is_const(b) && b->umin == 0)
		return null_check(s, a, r);
	if ((b->kind == TY_MAP_VALUE_OR_NULL || b->kind == TY_RECORD_OR_NULL) &&
	    ty_is_const(a) && a->umin == 0)
		return null_check(s, b, rel_swap(r));
	if (a->kind == TY_PKT && b->kind == TY_PKT_END)
		pkt_check(s, a, r);
	else if (b->kind == TY_PKT && a->kind == TY_PKT_END)
		pkt_check(s, b, rel_swap(r));
	else if (a->kind == TY_PKT_META && is_data(b))
		pkt_check(s, a, r);
	else if (b->kind == TY_PKT_META && is_data(a))
		pkt_check(s, b, rel_swap(r));
	return true;
}

bool
ty_branch(struct ty_state *s, const struct bpf_insn *insn, bool taken)
{
	bool is32 = BPF_CLASS(insn->code) == BPF_JMP32;
	enum rel r = rel_of(BPF_OP(insn->code));
	struct ty_val *a = &s->reg[insn->dst_reg];
	struct ty_val bimm, *b;
	struct ty_val a2, b2;
	bool ok;

	if (BPF_SRC(insn->code) == BPF_X) {
		b = &s->reg[insn->src_reg];
	} else {
		bimm = ty_const(is32 ? (uint32_t)insn->imm :
				(uint64_t)(int64_t)insn->imm);
		b = &bimm;
	}
	if (!taken)
		r = rel_not(r);
	if (!is32 && (ty_is_ptr(a) || ty_is_ptr(b)))
		return pointer_branch(s, a, b, r);
	if (a->kind != TY_SCALAR || b->kind != TY_SCALAR)
		return true;
	if (is32) {
		/* 32-bit compares are 64-bit ones when both values fit
		 * (signed ones when both fit in 31 bits). */
		if (a->umax > UINT32_MAX || b->umax > UINT32_MAX)
			return true;
		if (r >= R_SLT && r <= R_SGE &&
		    (a->umax > INT32_MAX || b->umax > INT32_MAX))
			return true;
	}
	a2 = *a;
	b2 = *b;
	ok = refine_scalars(&a2, &b2, r);
	if (!ok)
		return false;
	*a = a2;
	if (b != &bimm)
		*b = b2;
	return true;
}
