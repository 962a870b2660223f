/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loads, stores and atomics of the pointer and range analysis: for each,
 * the run-time check it needs (prog->mem_guard) and, when the access is
 * wrong on every path that reaches it, a refusal naming the instruction.
 *
 * The frame: a spill of a whole 8-byte register at an 8-byte aligned
 * offset keeps the register's value, so a pointer clang spills and fills
 * keeps its type; other writes leave numbers. One bit per byte says the
 * byte may have been written; a load whose bytes are all unwritten on
 * every path reads uninitialised stack and is refused.
 *
 * A store the analysis cannot place (a frame pointer whose offset may
 * leave the frame, or any store checked against every region at run
 * time, which the frames are part of) may land in this frame or a
 * caller's: the frame's spilled pointers are forgotten, and the function
 * is marked as writing outside its frame so that callers forget theirs.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "uxdp_map.h"
#include "check_types.h"

static int __attribute__((format(printf, 3, 4)))
refuse(struct ty_pass *p, uint32_t pc, const char *fmt, ...)
{
	char msg[UXDP_ERR_MAX];
	va_list ap;

	if (!p->final)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return uxdp_check_refuse(p->err, p->err_len, pc, "%s", msg);
}

static void
set_guard(struct ty_pass *p, uint32_t pc, enum uxdp_mem_guard g)
{
	if (!p->final)
		return;
	p->guard[pc] = (uint8_t)g;
	p->n_mem++;
	if (g == UXDP_GUARD_NONE)
		p->n_proven++;
}

static bool
byte_init(const struct ty_state *s, int64_t at)
{
	uint32_t b = (uint32_t)(at + UXDP_STACK_SIZE);

	return (s->init[b / 64] >> (b % 64)) & 1;
}

static void
mark_init(struct ty_state *s, int64_t lo, int64_t hi)
{
	if (lo < -UXDP_STACK_SIZE)
		lo = -UXDP_STACK_SIZE;
	if (hi > 0)
		hi = 0;
	for (; lo < hi; lo++) {
		uint32_t b = (uint32_t)(lo + UXDP_STACK_SIZE);

		s->init[b / 64] |= 1ull << (b % 64);
	}
}

void
ty_stack_clobber(struct ty_state *s, int64_t lo, int64_t hi)
{
	struct ty_val num = ty_scalar();
	int64_t k;

	if (lo < -UXDP_STACK_SIZE)
		lo = -UXDP_STACK_SIZE;
	if (hi > 0)
		hi = 0;
	if (lo >= hi)
		return;
	mark_init(s, lo, hi);
	for (k = (lo + UXDP_STACK_SIZE) / 8;
	     k < (hi + UXDP_STACK_SIZE + 7) / 8 && k < TY_N_SLOTS; k++)
		s->slot[k] = ty_join(&s->slot[k], &num, false);
}

/* Offsets add saturating: a base range reaching INT64_MAX plus an
 * instruction offset must stay "huge", never wrap into the frame (a wrap
 * would prove an access the sandbox then leaves unchecked). */
static inline int64_t
sat_add(int64_t x, int64_t y)
{
	int64_t r;

	if (__builtin_add_overflow(x, y, &r))
		return y > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* The value a load of size bytes gives from memory holding numbers. */
static struct ty_val
loaded_number(const struct bpf_insn *insn, unsigned int size)
{
	struct ty_val v;

	if (size == 8)
		return ty_scalar();
	if (BPF_MODE(insn->code) == BPF_MEMSX) {
		v = ty_scalar();
		v.smin = -(1ll << (size * 8 - 1));
		v.smax = (1ll << (size * 8 - 1)) - 1;
		ty_sync(&v);
		return v;
	}
	return ty_scalar_range(0, (1ull << (size * 8)) - 1);
}

/* Region [lo, hi) against [0, size): in bounds on every path? */
static bool
in_bounds(int64_t lo, int64_t hi, int64_t size)
{
	return lo >= 0 && hi <= size;
}

struct access {
	uint32_t pc;
	uint8_t reg;        /* base register */
	struct ty_val base;
	int64_t lo, hi;     /* byte range relative to the base's region */
	unsigned int size;
	bool write;
};

/* Refusals common to every access; 1 when the base is not a pointer the
 * access can use (guard ANY). */
static int
check_base(struct ty_pass *p, const struct access *a)
{
	const char *what = a->write ? "store" : "load";

	switch (a->base.kind) {
	case TY_SCALAR:
		return refuse(p, a->pc, "%s through r%u, which holds a scalar, not a pointer (invalid mem access 'scalar')",
			      what, a->reg) ?: 1;
	case TY_PKT_END:
		return refuse(p, a->pc, "%s through r%u, which holds data_end: the end of the packet cannot be dereferenced (invalid mem access 'pkt_end')",
			      what, a->reg) ?: 1;
	case TY_MAP_VALUE_OR_NULL:
	case TY_RECORD_OR_NULL:
		if (a->base.id == TY_ID_LOST || (a->base.flags & TY_F_MAYBE_NONNULL))
			return 1;
		return refuse(p, a->pc, "%s through r%u, which may be NULL: the %s result was not checked against NULL (invalid mem access '%s')",
			      what, a->reg,
			      a->base.kind == TY_RECORD_OR_NULL ?
			      "bpf_ringbuf_reserve" : "map lookup",
			      ty_kind_name(a->base.kind)) ?: 1;
	default:
		return 0;
	}
}

static enum uxdp_mem_guard
pkt_guard(struct ty_pass *p, const struct access *a, int *ret)
{
	const struct ty_val *b = &a->base;
	int64_t lo = sat_add(b->smin, a->lo), hi = sat_add(lo, a->size);

	*ret = 0;
	if (b->flags & TY_F_PKT_WILD)
		return UXDP_GUARD_PACKET;
	if (in_bounds(lo, hi, b->range))
		return UXDP_GUARD_NONE;
	if ((b->id == TY_ID_NONE || b->kind == TY_PKT_META) &&
	    b->smin == b->smax && !in_bounds(lo, hi, b->may_range))
		*ret = refuse(p, a->pc, "%s access through r%u at offset %lld (%u bytes) with no bounds check proving it below %s (invalid access to packet)",
			      b->kind == TY_PKT_META ? "metadata" : "packet",
			      a->reg, (long long)lo, a->size,
			      b->kind == TY_PKT_META ? "data" : "data_end");
	return UXDP_GUARD_PACKET;
}

/* A frame access: refusals and whether it is proven in the frame. */
static enum uxdp_mem_guard
stack_guard(struct ty_pass *p, struct ty_state *s, const struct access *a,
	    int *ret)
{
	int64_t lo = sat_add(a->base.smin, a->lo);
	int64_t hi = sat_add(sat_add(a->base.smax, a->lo), a->size);
	int64_t at;
	bool any_init = false;

	*ret = 0;
	if (lo < -UXDP_STACK_SIZE || hi > 0) {
		if (a->base.smin == a->base.smax)
			*ret = refuse(p, a->pc, "stack access r10%+lld (%u bytes) through r%u is outside the %d-byte frame (invalid stack access)",
				      (long long)lo, a->size, a->reg,
				      UXDP_STACK_SIZE);
		return UXDP_GUARD_STACK;
	}
	if (!a->write && a->base.smin == a->base.smax) {
		for (at = lo; at < hi; at++)
			any_init |= byte_init(s, at);
		if (!any_init)
			*ret = refuse(p, a->pc, "read of uninitialised stack r10%+lld (%u bytes): nothing was written there on any path (invalid read from stack)",
				      (long long)lo, a->size);
	}
	return UXDP_GUARD_NONE;
}

/* The value an 8-byte (or narrower) load from the frame gives. */
static struct ty_val
stack_load(const struct ty_state *s, const struct access *a,
	   const struct bpf_insn *insn)
{
	int64_t lo = sat_add(a->base.smin, a->lo);
	int64_t hi = sat_add(sat_add(a->base.smax, a->lo), a->size);
	struct ty_val v;
	int64_t k;

	if (a->size == 8 && lo == hi - 8 && lo % 8 == 0 &&
	    BPF_MODE(insn->code) == BPF_MEM)
		return s->slot[(lo + UXDP_STACK_SIZE) / 8];
	v = loaded_number(insn, a->size);
	if (a->size < 8)
		return v;
	/* A read that may overlap a spilled pointer. */
	for (k = (lo + UXDP_STACK_SIZE) / 8;
	     k < (hi + UXDP_STACK_SIZE + 7) / 8 && k < TY_N_SLOTS; k++)
		if (s->slot[k].kind != TY_SCALAR)
			return ty_unknown();
	return v;
}

static void
stack_store(struct ty_pass *p, struct ty_state *s, const struct access *a,
	    const struct ty_val *v)
{
	int64_t lo = sat_add(a->base.smin, a->lo);
	int64_t hi = sat_add(sat_add(a->base.smax, a->lo), a->size);
	struct ty_val any = v->kind == TY_SCALAR ? ty_scalar() : ty_unknown();
	int64_t k;

	if (lo < -UXDP_STACK_SIZE || hi > 0) {
		/* May leave the frame: into a caller's, for all we know. */
		p->fn[p->cur_func].writes_outer = true;
		ty_stack_clobber(s, -UXDP_STACK_SIZE, 0);
		return;
	}
	if (a->size == 8 && lo == hi - 8 && lo % 8 == 0) {
		k = (lo + UXDP_STACK_SIZE) / 8;
		s->slot[k] = *v;
		if (BPF_CLASS(p->cfg->insns[a->pc].code) == BPF_STX &&
		    BPF_MODE(p->cfg->insns[a->pc].code) == BPF_MEM)
			ty_name_copy(s, &s->reg[p->cfg->insns[a->pc].src_reg],
				     &s->slot[k], a->pc);
		mark_init(s, lo, hi);
		return;
	}
	mark_init(s, lo, hi);
	for (k = (lo + UXDP_STACK_SIZE) / 8; k < (hi + UXDP_STACK_SIZE + 7) / 8;
	     k++) {
		if (a->base.smin == a->base.smax)
			s->slot[k] = ty_scalar(); /* partly overwritten */
		else
			s->slot[k] = ty_join(&s->slot[k], &any, false);
	}
}

/* What the access needs at run time; refuses what is wrong on every
 * path. Returns the guard, or -EINVAL (err set) in the final pass. */
static int
access_guard(struct ty_pass *p, struct ty_state *s, const struct access *a)
{
	const struct ty_val *b = &a->base;
	enum uxdp_mem_guard g = UXDP_GUARD_ANY;
	int ret;

	ret = check_base(p, a);
	if (ret < 0)
		return ret;
	if (ret > 0)
		return UXDP_GUARD_ANY;
	switch (b->kind) {
	case TY_CTX:
		/* check_ctx.c refuses these first; the analysis again, so
		 * that a reanalysis never proves a write to data/data_end. */
		if (a->write) {
			ret = refuse(p, a->pc, "store through r%u into the ctx (struct xdp_md is read-only)",
				     a->reg);
			break;
		}
		/* Offsets were checked and rewritten by check_ctx.c. */
		if (b->smin == b->smax &&
		    in_bounds(sat_add(b->smin, a->lo),
			      sat_add(sat_add(b->smin, a->lo), a->size),
			      sizeof(struct uxdp_xdp_buff)))
			g = UXDP_GUARD_NONE;
		break;
	case TY_PKT:
	case TY_PKT_META:
		g = pkt_guard(p, a, &ret);
		break;
	case TY_STACK:
		g = stack_guard(p, s, a, &ret);
		break;
	case TY_MAP_VALUE:
	case TY_RECORD:
		if (a->write && (b->flags & TY_F_RDONLY)) {
			ret = refuse(p, a->pc, "store through r%u into a read-only map value (.rodata, .kconfig or a BPF_F_RDONLY_PROG map): write into map forbidden",
				     a->reg);
			break;
		}
		if (in_bounds(sat_add(b->smin, a->lo),
			      sat_add(sat_add(b->smax, a->lo), a->size),
			      b->size))
			g = UXDP_GUARD_NONE;
		else if (b->smin == b->smax)
			ret = refuse(p, a->pc, "%s access through r%u at offset %lld (%u bytes) is outside its %u bytes (invalid access to map value)",
				     b->kind == TY_RECORD ? "ringbuf record" :
				     "map value", a->reg,
				     (long long)sat_add(b->smin, a->lo), a->size,
				     b->size);
		break;
	default:
		break;
	}
	return ret < 0 ? ret : (int)g;
}

/*
 * A load from read-only global data (.rodata, `volatile const` settings
 * applied) at a known offset reads a number known now, as the kernel
 * verifier reads a frozen map: branches on it are then decided, and code
 * only a different setting would reach is not judged (and keeps
 * UXDP_GUARD_ANY). Sound because the loader froze the map before the
 * checks: nothing can change the bytes afterwards. Other loads give any
 * number of their size.
 */
static struct ty_val
rodata_number(const struct ty_pass *p, const struct bpf_insn *insn,
	      const struct access *a, int g)
{
	int64_t at = sat_add(a->base.smin, a->lo);
	const struct ty_map *m;
	uint64_t val = 0;
	const uint8_t *src;

	if (g != UXDP_GUARD_NONE || a->base.kind != TY_MAP_VALUE ||
	    !(a->base.flags & TY_F_RDONLY) || a->base.smin != a->base.smax)
		return loaded_number(insn, a->size);
	m = ty_map_of(p, a->base.map);
	/* Only a frozen map is constant (.rodata, .kconfig: the loader
	 * freezes them); a BPF_F_RDONLY_PROG array the control plane may
	 * still update is not, as in the kernel's bpf_map_is_rdonly(). */
	if (m == NULL || m->value_base == 0 ||
	    !uxdp_map_is_frozen((const struct uxdp_map *)m->map))
		return loaded_number(insn, a->size);
	src = (const uint8_t *)m->value_base + at;
	memcpy(&val, src, a->size); /* little-endian hosts, as the JIT */
	if (BPF_MODE(insn->code) == BPF_MEMSX && a->size < 8 &&
	    (val >> (a->size * 8 - 1)) & 1)
		val |= ~0ull << (a->size * 8);
	return ty_const(val);
}

int
ty_load(struct ty_pass *p, struct ty_state *s, uint32_t pc)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	struct access a = {
		.pc = pc, .reg = insn->src_reg, .base = s->reg[insn->src_reg],
		.lo = insn->off, .size = uxdp_insn_mem_size(insn->code),
	};
	struct ty_val v;
	int64_t at;
	int g;

	g = access_guard(p, s, &a);
	if (g < 0)
		return g;
	set_guard(p, pc, g);
	switch (a.base.kind) {
	case TY_STACK:
		v = g == UXDP_GUARD_NONE ? stack_load(s, &a, insn) :
			a.size == 8 ? ty_unknown() : loaded_number(insn, a.size);
		at = sat_add(a.base.smin, a.lo);
		if (v.kind == TY_PKT && a.base.smin == a.base.smax &&
		    a.size == 8 && at % 8 == 0 && g == UXDP_GUARD_NONE) {
			struct ty_val *slot =
				&s->slot[(at + UXDP_STACK_SIZE) / 8];

			ty_name_copy(s, slot, &v, pc);
		}
		break;
	case TY_CTX:
		at = sat_add(a.base.smin, a.lo);
		if (a.size == 8 && a.base.smin == a.base.smax &&
		    at == offsetof(struct uxdp_xdp_buff, data))
			v = ty_ptr(TY_PKT, 0);
		else if (a.size == 8 && a.base.smin == a.base.smax &&
			 at == offsetof(struct uxdp_xdp_buff, data_end))
			v = ty_ptr(TY_PKT_END, 0);
		else if (a.size == 8 && a.base.smin == a.base.smax &&
			 at == offsetof(struct uxdp_xdp_buff, data_meta))
			v = ty_ptr(TY_PKT_META, 0);
		else
			v = a.size == 8 ? ty_unknown() :
				loaded_number(insn, a.size);
		break;
	case TY_MAP_VALUE:
		v = rodata_number(p, insn, &a, g);
		break;
	case TY_PKT:
	case TY_PKT_META:
	case TY_RECORD:
		/* The kernel treats whatever these hold as numbers. */
		v = loaded_number(insn, a.size);
		break;
	default:
		v = a.size == 8 ? ty_unknown() : loaded_number(insn, a.size);
		break;
	}
	s->reg[insn->dst_reg] = v;
	return 0;
}

/* The old value an atomic fetch returns. */
static struct ty_val
atomic_old(const struct ty_state *s, const struct access *a,
	   const struct bpf_insn *insn, int g)
{
	if (a->base.kind == TY_STACK && g == UXDP_GUARD_NONE)
		return stack_load(s, a, insn);
	if (a->base.kind == TY_MAP_VALUE || a->base.kind == TY_PKT ||
	    a->base.kind == TY_RECORD)
		return loaded_number(insn, a->size);
	return a->size == 8 ? ty_unknown() : loaded_number(insn, a->size);
}

int
ty_store(struct ty_pass *p, struct ty_state *s, uint32_t pc)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	bool is_stx = BPF_CLASS(insn->code) == BPF_STX;
	bool atomic = is_stx && BPF_MODE(insn->code) == BPF_ATOMIC;
	struct access a = {
		.pc = pc, .reg = insn->dst_reg, .base = s->reg[insn->dst_reg],
		.lo = insn->off, .size = uxdp_insn_mem_size(insn->code),
		.write = true,
	};
	struct ty_val v, old;
	int g;

	v = is_stx ? s->reg[insn->src_reg] :
		ty_const((uint64_t)(int64_t)insn->imm);
	if (a.size < 8 && v.kind != TY_SCALAR)
		v = ty_scalar();
	g = access_guard(p, s, &a);
	if (g < 0)
		return g;
	set_guard(p, pc, g);
	if (atomic) {
		old = atomic_old(s, &a, insn, g);
		if (insn->imm == BPF_XCHG)
			;
		else if (insn->imm == BPF_CMPXCHG)
			v = ty_join(&old, &v, false);
		else
			v = ty_scalar();
		if (insn->imm == BPF_CMPXCHG)
			s->reg[0] = old;
		else if (insn->imm & BPF_FETCH)
			s->reg[insn->src_reg] = old;
	}
	if (a.base.kind == TY_STACK) {
		stack_store(p, s, &a, &v);
	} else if (g == UXDP_GUARD_ANY) {
		/* Checked against every region at run time, the frames
		 * included: this one's spills and the callers' are lost. */
		p->fn[p->cur_func].writes_outer = true;
		ty_stack_clobber(s, -UXDP_STACK_SIZE, 0);
	}
	return 0;
}

/* The objects' maps and global data: ld_imm64 holds their addresses. */
void
ty_ld_imm64(struct ty_pass *p, struct ty_state *s, uint32_t pc)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	uint64_t imm = (uint32_t)insn[0].imm |
		((uint64_t)(uint32_t)insn[1].imm << 32);
	struct ty_val v = ty_const(imm);
	uint32_t i;

	if (insn->src_reg == BPF_PSEUDO_FUNC) {
		s->reg[insn->dst_reg] = ty_unknown();
		return;
	}
	for (i = 0; i < p->n_maps; i++) {
		const struct ty_map *m = &p->maps[i];

		if (imm == m->map) {
			v = ty_ptr(TY_MAP_PTR, 0);
			v.map = m->map;
			break;
		}
		if (m->value_base != 0 && imm >= m->value_base &&
		    imm <= m->value_base + m->value_size) {
			v = ty_ptr(TY_MAP_VALUE, (int64_t)(imm - m->value_base));
			v.map = m->map;
			v.size = m->value_size;
			v.flags = m->rdonly ? TY_F_RDONLY : 0;
			break;
		}
	}
	s->reg[insn->dst_reg] = v;
}
