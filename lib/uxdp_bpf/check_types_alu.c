/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Arithmetic of the pointer and range analysis. Scalars keep unsigned and
 * signed 64-bit ranges; constants are computed exactly with the ISA's
 * rules (RFC 9669: division by zero, masked shifts, 32-bit results
 * zero-extended). Pointers move by add and sub of a scalar: their offset
 * range follows; a packet pointer plus a variable gets a fresh id, as in
 * the kernel, because the proof of a data_end comparison holds for one
 * base only. Anything else done to a pointer gives a number: the kernel
 * refuses such programs, and a number is never dereferenced unchecked.
 */

#include <string.h>

#include "check_types.h"

#define U32_MAX_V 0xffffffffull

/* The exact result of a constant operation. */
static uint64_t
eval_const(uint8_t op, uint64_t a, uint64_t b, bool is64, bool sdiv)
{
	unsigned int mask = is64 ? 63 : 31;

	if (!is64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (op) {
	case BPF_ADD: return a + b;
	case BPF_SUB: return a - b;
	case BPF_MUL: return a * b;
	case BPF_OR: return a | b;
	case BPF_AND: return a & b;
	case BPF_XOR: return a ^ b;
	case BPF_LSH: return a << (b & mask);
	case BPF_RSH: return a >> (b & mask);
	case BPF_ARSH:
		return is64 ? (uint64_t)((int64_t)a >> (b & mask)) :
			(uint32_t)((int32_t)a >> (b & mask));
	case BPF_DIV:
		if (b == 0)
			return 0;
		if (!sdiv)
			return a / b;
		if (is64)
			return (int64_t)b == -1 ? -a :
				(uint64_t)((int64_t)a / (int64_t)b);
		return (int32_t)b == -1 ? (uint32_t)-(uint32_t)a :
			(uint32_t)((int32_t)a / (int32_t)b);
	case BPF_MOD:
		if (b == 0)
			return a;
		if (!sdiv)
			return a % b;
		if (is64)
			return (int64_t)b == -1 ? 0 :
				(uint64_t)((int64_t)a % (int64_t)b);
		return (int32_t)b == -1 ? 0 :
			(uint32_t)((int32_t)a % (int32_t)b);
	default:
		return 0;
	}
}

/* Smallest all-ones mask covering x. */
static uint64_t
cover_mask(uint64_t x)
{
	x |= x >> 1;
	x |= x >> 2;
	x |= x >> 4;
	x |= x >> 8;
	x |= x >> 16;
	x |= x >> 32;
	return x;
}

/* A scalar's low 32 bits as a range. */
static struct ty_val
low32(const struct ty_val *v)
{
	if (v->kind == TY_SCALAR && v->umax <= U32_MAX_V)
		return *v;
	if (v->kind == TY_SCALAR && v->umin == v->umax)
		return ty_const((uint32_t)v->umin);
	return ty_scalar_range(0, U32_MAX_V);
}

/* Unsigned range of a op b on scalars (64-bit arithmetic). */
static struct ty_val
scalar_op(uint8_t op, const struct ty_val *a, const struct ty_val *b,
	  bool is64, bool sdiv)
{
	struct ty_val r = ty_scalar();
	uint64_t lo, hi;

	if (ty_is_const(a) && ty_is_const(b)) {
		uint64_t c = eval_const(op, a->umin, b->umin, is64, sdiv);

		return ty_const(is64 ? c : (uint32_t)c);
	}
	switch (op) {
	case BPF_ADD:
		if (!__builtin_add_overflow(a->umin, b->umin, &lo) &&
		    !__builtin_add_overflow(a->umax, b->umax, &hi))
			r = ty_scalar_range(lo, hi);
		if (!__builtin_add_overflow(a->smin, b->smin, &r.smin) &&
		    !__builtin_add_overflow(a->smax, b->smax, &r.smax)) {
			ty_sync(&r);
		} else {
			r.smin = INT64_MIN;
			r.smax = INT64_MAX;
		}
		break;
	case BPF_SUB:
		if (a->umin >= b->umax)
			r = ty_scalar_range(a->umin - b->umax, a->umax - b->umin);
		if (!__builtin_sub_overflow(a->smin, b->smax, &r.smin) &&
		    !__builtin_sub_overflow(a->smax, b->smin, &r.smax)) {
			ty_sync(&r);
		} else {
			r.smin = INT64_MIN;
			r.smax = INT64_MAX;
		}
		break;
	case BPF_MUL:
		if (!__builtin_mul_overflow(a->umax, b->umax, &hi))
			r = ty_scalar_range(a->umin * b->umin, hi);
		break;
	case BPF_AND:
		r = ty_scalar_range(0, a->umax < b->umax ? a->umax : b->umax);
		break;
	case BPF_OR:
		r = ty_scalar_range(a->umin > b->umin ? a->umin : b->umin,
				    cover_mask(a->umax | b->umax));
		break;
	case BPF_XOR:
		r = ty_scalar_range(0, cover_mask(a->umax | b->umax));
		break;
	case BPF_DIV:
		if (!sdiv)
			r = ty_scalar_range(0, a->umax);
		break;
	case BPF_MOD:
		if (!sdiv)
			r = ty_scalar_range(0, b->umin > 0 && b->umax - 1 < a->umax ?
					    b->umax - 1 : a->umax);
		break;
	case BPF_LSH:
		if (ty_is_const(b) && b->umin < (is64 ? 64u : 32u) &&
		    (a->umax << b->umin) >> b->umin == a->umax)
			r = ty_scalar_range(a->umin << b->umin,
					    a->umax << b->umin);
		break;
	case BPF_RSH:
		if (ty_is_const(b) && b->umin < (is64 ? 64u : 32u))
			r = ty_scalar_range(a->umin >> b->umin,
					    a->umax >> b->umin);
		else
			r = ty_scalar_range(0, a->umax);
		break;
	case BPF_ARSH:
		if (is64 && ty_is_const(b) && b->umin < 64) {
			r.smin = a->smin >> b->umin;
			r.smax = a->smax >> b->umin;
			ty_sync(&r);
		}
		break;
	default:
		break;
	}
	if (!is64 && r.umax > U32_MAX_V)
		r = ty_scalar_range(0, U32_MAX_V);
	return r;
}

/* ISA v4 movsx: sign-extend the low bits bits of v. */
static struct ty_val
sign_extend(const struct ty_val *v, int bits, bool is64)
{
	uint64_t half = 1ull << (bits - 1);
	struct ty_val r = ty_scalar();

	if (v->kind == TY_SCALAR && v->umax < half) {
		r = *v;
	} else if (ty_is_const(v)) {
		int64_t c = (int64_t)(v->umin << (64 - bits)) >> (64 - bits);

		r = ty_const(is64 ? (uint64_t)c : (uint32_t)c);
	} else if (is64) {
		r.smin = -(int64_t)half;
		r.smax = (int64_t)half - 1;
		ty_sync(&r);
	} else {
		r = ty_scalar_range(0, U32_MAX_V);
	}
	return r;
}

/* pkt + k (sign: +1 add, -1 sub) for a scalar k. */
static struct ty_val
pkt_move(struct ty_state *s, struct ty_val ptr, const struct ty_val *k,
	 int sign, uint32_t pc)
{
	int64_t off;

	if (ty_is_const(k)) {
		if (__builtin_mul_overflow((int64_t)k->umin, sign, &off) ||
		    __builtin_add_overflow(ptr.smin, off, &off) ||
		    off < -TY_MAX_PKT_VAR || off > TY_MAX_PKT_VAR) {
			ptr.flags |= TY_F_PKT_WILD;
			return ptr;
		}
		ptr.smin = off;
		ptr.smax = off;
		return ptr;
	}
	if (sign < 0 || k->kind != TY_SCALAR || k->smin < 0 ||
	    k->umax > TY_MAX_PKT_VAR ||
	    ptr.umax + k->umax > TY_MAX_PKT_VAR) {
		ptr.flags |= TY_F_PKT_WILD;
		ptr.id = TY_ID_LOST;
		return ptr;
	}
	/* The new base is the old one plus k - umin(k), at most
	 * umax(k) - umin(k) further: the fixed offset takes umin(k), and
	 * what was proven beyond the old base holds less that spread. */
	ty_retire_id(s, pc + 1);
	ptr.id = pc + 1;
	ptr.smin += (int64_t)k->umin;
	ptr.smax = ptr.smin;
	ptr.umax += k->umax - k->umin;
	ptr.range = ptr.range > (int64_t)(k->umax - k->umin) ?
		ptr.range - (int32_t)(k->umax - k->umin) : 0;
	ptr.may_range = 0;
	return ptr;
}

/* ptr + k or ptr - k, k a scalar (or UNKNOWN, taken as any number). */
static struct ty_val
ptr_move(struct ty_state *s, struct ty_val ptr, const struct ty_val *k,
	 int sign, uint32_t pc)
{
	struct ty_val num = k->kind == TY_SCALAR ? *k : ty_scalar();
	int64_t lo, hi;

	switch (ptr.kind) {
	case TY_PKT:
		return pkt_move(s, ptr, &num, sign, pc);
	case TY_CTX:
	case TY_PKT_META:
	case TY_STACK:
	case TY_MAP_VALUE:
	case TY_RECORD:
		break;
	default:
		/* NULL-able values, maps and data_end: the kernel refuses
		 * arithmetic on them. */
		return ty_unknown();
	}
	if (sign > 0) {
		if (__builtin_add_overflow(ptr.smin, num.smin, &lo) ||
		    __builtin_add_overflow(ptr.smax, num.smax, &hi))
			lo = INT64_MIN, hi = INT64_MAX;
	} else {
		if (__builtin_sub_overflow(ptr.smin, num.smax, &lo) ||
		    __builtin_sub_overflow(ptr.smax, num.smin, &hi))
			lo = INT64_MIN, hi = INT64_MAX;
	}
	if (lo < -TY_OFF_MAX || lo > TY_OFF_MAX)
		lo = -TY_OFF_MAX;
	if (hi > TY_OFF_MAX || hi < -TY_OFF_MAX)
		hi = TY_OFF_MAX;
	if (lo != hi && ptr.kind == TY_PKT_META)
		ptr.flags |= TY_F_PKT_WILD;
	ptr.smin = lo;
	ptr.smax = hi;
	return ptr;
}

static bool
is_pkt_family(uint8_t kind)
{
	return kind == TY_PKT || kind == TY_PKT_END || kind == TY_PKT_META;
}

static struct ty_val
alu64_add_sub(struct ty_state *s, uint8_t op, const struct ty_val *d,
	      const struct ty_val *v, uint32_t pc)
{
	if (d->kind == TY_SCALAR && v->kind == TY_SCALAR)
		return scalar_op(op, d, v, true, false);
	if (ty_is_ptr(d) && !ty_is_ptr(v))
		return ptr_move(s, *d, v, op == BPF_ADD ? 1 : -1, pc);
	if (op == BPF_ADD && ty_is_ptr(v) && !ty_is_ptr(d))
		return ptr_move(s, *v, d, 1, pc);
	if (op == BPF_SUB && ty_is_ptr(d) && ty_is_ptr(v) &&
	    (d->kind == v->kind ||
	     (is_pkt_family(d->kind) && is_pkt_family(v->kind))))
		return ty_scalar(); /* a distance */
	return ty_unknown();
}

void
ty_alu(struct ty_pass *p, struct ty_state *s, uint32_t pc)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	bool is64 = BPF_CLASS(insn->code) == BPF_ALU64;
	uint8_t op = BPF_OP(insn->code);
	struct ty_val *d = &s->reg[insn->dst_reg];
	struct ty_val v, a, b;

	if (BPF_SRC(insn->code) == BPF_X && op != BPF_END)
		v = s->reg[insn->src_reg];
	else
		v = ty_const(is64 ? (uint64_t)(int64_t)insn->imm :
			     (uint32_t)insn->imm);
	switch (op) {
	case BPF_MOV:
		if (insn->off != 0) /* movsx */
			*d = sign_extend(&v, insn->off, is64);
		else if (is64 && BPF_SRC(insn->code) == BPF_X) {
			*d = v;
			ty_name_copy(s, &s->reg[insn->src_reg], d, pc);
		} else if (is64)
			*d = v;
		else
			*d = low32(&v);
		return;
	case BPF_NEG:
		if (ty_is_const(d))
			*d = ty_const(is64 ? -d->umin : (uint32_t)-d->umin);
		else
			*d = is64 ? ty_scalar() : ty_scalar_range(0, U32_MAX_V);
		return;
	case BPF_END:
		/* to_le on a little-endian host only truncates; to_be and
		 * the v4 bswap (ALU64) reorder the bytes. */
		if (!is64 && BPF_SRC(insn->code) == BPF_TO_LE &&
		    insn->imm < 64) {
			uint64_t lim = (1ull << insn->imm) - 1;

			*d = d->kind == TY_SCALAR && d->umax <= lim ? *d :
				ty_scalar_range(0, lim);
		} else {
			*d = insn->imm == 64 ? ty_scalar() :
				ty_scalar_range(0, (1ull << insn->imm) - 1);
		}
		return;
	default:
		break;
	}
	if (is64 && (op == BPF_ADD || op == BPF_SUB)) {
		*d = alu64_add_sub(s, op, d, &v, pc);
		return;
	}
	/* Everything else computes a number, whatever the operands were. */
	if (is64) {
		a = d->kind == TY_SCALAR ? *d : ty_scalar();
		b = v.kind == TY_SCALAR ? v : ty_scalar();
	} else {
		a = low32(d);
		b = low32(&v);
	}
	*d = scalar_op(op, &a, &b, is64, insn->off == 1);
}
