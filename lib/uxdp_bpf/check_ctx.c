/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The ctx rewrite. A program reads struct xdp_md through its ctx pointer,
 * but r1 really points at struct uxdp_xdp_buff. Like the kernel, uxdp
 * rewrites every load from the ctx: the 4-byte loads of data, data_end and
 * data_meta become 8-byte loads of the buff's pointers, the u32 fields
 * become loads at their buff offsets. Helpers given the ctx receive the
 * buff itself and need nothing.
 *
 * Which loads read the ctx is found by a forward dataflow analysis over
 * each function's control-flow graph. Every register and every 8-byte
 * stack slot holds one abstract value:
 *   SCALAR  not a pointer uxdp tracks (a constant when off_known)
 *   STACK   a pointer into the function's own frame: r10 + off, or when
 *           the offset is unknown, somewhere at or above r10 + off
 *   CTX     the ctx pointer plus off
 *   MIXED   the ctx on some paths, something else on others
 * r1 is CTX at program entry; moves, constant arithmetic and 8-byte
 * spills/fills through the frame carry values; helper calls clobber
 * r0-r5. A bpf-to-bpf callee is analysed with the join of r1-r5 over all
 * its call sites, and its callers see the join of r0 over its exits; the
 * functions are iterated until nothing changes. A callback counts as
 * called at its bpf_loop / bpf_for_each_map_elem call, with the caller's
 * r3 (callback_ctx) as its r2 / r4 and scalars for the rest. A load through a MIXED
 * register is refused, as is any store to the ctx (xdp_md is read-only).
 *
 * A frame pointer with an unknown offset (an array indexed by a variable,
 * a local handed to a callee) is taken to reach only the slots at and
 * above the address it was formed from: C objects lie above their
 * address, and clang places spill slots below the function's locals, so
 * writes through it cannot destroy a spilled ctx.
 *
 * Memory other than the function's own frame is not tracked. As long as
 * the ctx is never written there, a load from it cannot yield the ctx.
 * Once it may have been, such 8-byte loads count as MIXED, so using their
 * result as a pointer is refused rather than silently left unrewritten:
 * everywhere after a ctx is stored through an untracked pointer, and in
 * the callees (and their callees) of a function that passes a pointer to
 * its frame while a slot in reach holds the ctx. Likewise a callee may
 * overwrite the slots in reach of a frame pointer it is given, so a ctx
 * spilled there is MIXED after the call. In these rare shapes uxdp
 * refuses programs that the kernel verifier, which tracks every frame
 * precisely, accepts; it never leaves a ctx load unrewritten.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uxdp_bpf_internal.h"
#include "check.h"

#define N_REGS 11
#define N_SLOTS (UXDP_STACK_SIZE / 8)

enum val_kind {
	VK_UNSET = 0, /* nothing known yet (fixpoint not reached) */
	VK_SCALAR,
	VK_STACK,
	VK_CTX,
	VK_MIXED,
};

struct val {
	uint8_t kind;
	uint8_t off_known;
	uint16_t pad; /* always zero: states compare with memcmp */
	int32_t off;
};

struct state {
	struct val reg[N_REGS];
	struct val slot[N_SLOTS]; /* slot k covers r10 - 512 + 8k */
};

struct func_summary {
	bool called;
	bool outer_ctx;     /* a caller's frame it can reach may hold the ctx */
	struct val args[5]; /* r1..r5, joined over call sites */
	struct val ret;     /* r0, joined over exits */
};

struct ctx_pass {
	const struct uxdp_cfg *cfg;
	struct func_summary *fs;
	uint8_t *is_leader;   /* starts a block: entry, jump target, fall-through */
	uint32_t *leader_idx; /* instruction -> index into states */
	struct state *states; /* state at each block start */
	uint8_t *has_state;
	uint8_t *queued;
	uint32_t *work;
	uint32_t n_work;
	bool ctx_escaped;     /* a ctx was stored through an untracked pointer */
	uint32_t cur_func;    /* function being analysed */
	bool summary_changed;
	char *err;
	size_t err_len;
};

/* Where each xdp_md field lives in struct uxdp_xdp_buff. */
static const struct {
	uint32_t md_off;
	uint32_t buff_off;
	bool is_ptr;
} ctx_fields[] = {
	{ offsetof(struct xdp_md, data),
	  offsetof(struct uxdp_xdp_buff, data), true },
	{ offsetof(struct xdp_md, data_end),
	  offsetof(struct uxdp_xdp_buff, data_end), true },
	{ offsetof(struct xdp_md, data_meta),
	  offsetof(struct uxdp_xdp_buff, data_meta), true },
	{ offsetof(struct xdp_md, ingress_ifindex),
	  offsetof(struct uxdp_xdp_buff, ingress_ifindex), false },
	{ offsetof(struct xdp_md, rx_queue_index),
	  offsetof(struct uxdp_xdp_buff, rx_queue_index), false },
	{ offsetof(struct xdp_md, egress_ifindex),
	  offsetof(struct uxdp_xdp_buff, egress_ifindex), false },
};

static struct val
mkval(uint8_t kind, bool off_known, int64_t off)
{
	struct val v = { .kind = kind };

	if (off_known && off >= INT32_MIN && off <= INT32_MAX) {
		v.off_known = 1;
		v.off = (int32_t)off;
	}
	return v;
}

/* A frame pointer somewhere at or above r10 + lo. */
static struct val
stack_from(int64_t lo)
{
	struct val v = { .kind = VK_STACK };

	v.off = lo < -UXDP_STACK_SIZE ? -UXDP_STACK_SIZE : lo > 0 ? 0 : lo;
	return v;
}

/* Lowest frame offset a STACK value may point at. */
static int64_t
stack_lo(struct val v)
{
	return v.off;
}

static struct val
scalar(void)
{
	return mkval(VK_SCALAR, false, 0);
}

static struct val
mixed(void)
{
	return mkval(VK_MIXED, false, 0);
}

static bool
val_eq(struct val a, struct val b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static struct val
val_join(struct val a, struct val b)
{
	if (a.kind == VK_UNSET)
		return b;
	if (b.kind == VK_UNSET)
		return a;
	if (a.kind == VK_MIXED || b.kind == VK_MIXED ||
	    (a.kind == VK_CTX) != (b.kind == VK_CTX))
		return mixed();
	if (val_eq(a, b))
		return a;
	if (a.kind == VK_STACK && b.kind == VK_STACK)
		return stack_from(stack_lo(a) < stack_lo(b) ?
				  stack_lo(a) : stack_lo(b));
	if (a.kind == b.kind)
		return mkval(a.kind, false, 0);
	/* A scalar on one path, a frame pointer on the other. */
	return stack_from(-UXDP_STACK_SIZE);
}

/* What an 8-byte load from memory uxdp does not track may produce. */
static struct val
untracked_load(const struct ctx_pass *p)
{
	return p->ctx_escaped || p->fs[p->cur_func].outer_ctx ?
		mixed() : scalar();
}

static void
mark_escaped(struct ctx_pass *p)
{
	if (!p->ctx_escaped) {
		p->ctx_escaped = true;
		p->summary_changed = true;
	}
}

static bool
holds_ctx(struct val v)
{
	return v.kind == VK_CTX || v.kind == VK_MIXED;
}

/* The slot an aligned 8-byte access at frame offset at uses, or -1. */
static int
slot_of(int64_t at, unsigned int size)
{
	if (size != 8 || at < -UXDP_STACK_SIZE || at >= 0 || at % 8 != 0)
		return -1;
	return (int)((at + UXDP_STACK_SIZE) / 8);
}

/* First slot at or above frame offset lo (N_SLOTS when none). */
static int
first_slot(int64_t lo)
{
	if (lo < -UXDP_STACK_SIZE)
		return 0;
	if (lo >= 0)
		return N_SLOTS;
	return (int)((lo + UXDP_STACK_SIZE) / 8);
}

/* An 8-byte value v (or anything, for narrower stores) written at
 * base + off, where base is a STACK value. */
static void
stack_write(struct state *s, struct val base, int16_t off, unsigned int size,
	    struct val v)
{
	int64_t at, lo, hi;
	int k;

	if (size != 8)
		v = scalar();
	if (!base.off_known) {
		for (k = first_slot(stack_lo(base) + off); k < N_SLOTS; k++)
			s->slot[k] = val_join(s->slot[k], v);
		return;
	}
	at = (int64_t)base.off + off;
	k = slot_of(at, size);
	if (k >= 0) {
		s->slot[k] = v;
		return;
	}
	/* Partly overwritten slots no longer hold a whole pointer. */
	lo = at < -UXDP_STACK_SIZE ? -UXDP_STACK_SIZE : at;
	hi = at + size > 0 ? 0 : at + size;
	for (; lo < hi; lo += 8 - ((lo + UXDP_STACK_SIZE) % 8))
		s->slot[(lo + UXDP_STACK_SIZE) / 8] = scalar();
}

static struct val
stack_read(const struct ctx_pass *p, const struct state *s, struct val base,
	   int16_t off, unsigned int size)
{
	struct val v;
	int k;

	if (size != 8)
		return scalar();
	if (!base.off_known) {
		/* A slot in reach, or memory outside the frame. */
		v = untracked_load(p);
		for (k = first_slot(stack_lo(base) + off); k < N_SLOTS; k++)
			v = val_join(v, s->slot[k]);
		return v;
	}
	k = slot_of((int64_t)base.off + off, size);
	return k >= 0 ? s->slot[k] : scalar();
}

static struct val
add_values(struct val d, struct val s)
{
	if (d.kind == VK_MIXED || s.kind == VK_MIXED)
		return mixed();
	if (d.kind == VK_UNSET || s.kind == VK_UNSET)
		return mkval(VK_UNSET, false, 0);
	if (d.kind == VK_SCALAR && s.kind == VK_SCALAR)
		return mkval(VK_SCALAR, d.off_known && s.off_known,
			     (int64_t)d.off + s.off);
	if (d.kind == VK_CTX && s.kind == VK_CTX)
		return scalar();
	if (d.kind == VK_SCALAR) {
		struct val t = d;

		d = s;
		s = t;
	}
	if (s.kind == VK_SCALAR && d.kind == VK_CTX)
		return mkval(VK_CTX, d.off_known && s.off_known,
			     (int64_t)d.off + s.off);
	if (s.kind == VK_SCALAR && d.kind == VK_STACK) {
		if (d.off_known && s.off_known)
			return mkval(VK_STACK, true, (int64_t)d.off + s.off);
		/* An unknown index moves up from the base. */
		return stack_from(stack_lo(d) + (s.off_known ? s.off : 0));
	}
	if (d.kind == VK_CTX || s.kind == VK_CTX)
		return mkval(VK_CTX, false, 0);
	return stack_from(-UXDP_STACK_SIZE);
}

static struct val
sub_values(struct val d, struct val s)
{
	if (d.kind == VK_MIXED || s.kind == VK_MIXED)
		return mixed();
	if (d.kind == VK_UNSET || s.kind == VK_UNSET)
		return mkval(VK_UNSET, false, 0);
	if (s.kind == VK_SCALAR && d.kind == VK_CTX)
		return mkval(VK_CTX, d.off_known && s.off_known,
			     (int64_t)d.off - s.off);
	if (s.kind == VK_SCALAR && d.kind == VK_STACK) {
		if (d.off_known && s.off_known)
			return mkval(VK_STACK, true, (int64_t)d.off - s.off);
		return stack_from(s.off_known ? stack_lo(d) - s.off :
				  -UXDP_STACK_SIZE);
	}
	if (d.kind == VK_SCALAR && s.kind == VK_SCALAR)
		return mkval(VK_SCALAR, d.off_known && s.off_known,
			     (int64_t)d.off - s.off);
	/* Pointer differences and stranger mixes. */
	return d.kind == VK_STACK && s.kind != VK_STACK ?
		stack_from(-UXDP_STACK_SIZE) : scalar();
}

static void
alu_transfer(struct state *s, const struct bpf_insn *insn)
{
	struct val *dst = &s->reg[insn->dst_reg];
	bool reg_src = BPF_SRC(insn->code) == BPF_X;
	uint8_t op = BPF_OP(insn->code);
	struct val src;

	if (BPF_CLASS(insn->code) != BPF_ALU64 || op == BPF_END ||
	    op == BPF_NEG) {
		/* 32-bit results and byte swaps are plain numbers. */
		*dst = scalar();
		return;
	}
	src = reg_src ? s->reg[insn->src_reg] :
		mkval(VK_SCALAR, true, insn->imm);
	switch (op) {
	case BPF_MOV:
		*dst = insn->off == 0 ? src : scalar();
		break;
	case BPF_ADD:
		*dst = add_values(*dst, src);
		break;
	case BPF_SUB:
		*dst = sub_values(*dst, src);
		break;
	default:
		*dst = scalar();
		break;
	}
}

static int
refuse_ambiguous(struct ctx_pass *p, uint32_t pc, uint8_t reg)
{
	return uxdp_check_refuse(p->err, p->err_len, pc,
				 "ctx pointer ambiguous (r%u is the ctx on some paths only)",
				 reg);
}

static int
rewrite_ctx_load(struct ctx_pass *p, uint32_t pc, struct val base)
{
	struct bpf_insn *insn = &p->cfg->insns[pc];
	unsigned int size = uxdp_insn_mem_size(insn->code);
	int64_t at, new_off;
	unsigned int i;

	if (!base.off_known)
		return uxdp_check_refuse(p->err, p->err_len, pc,
					 "ctx access with a variable offset");
	at = (int64_t)base.off + insn->off;
	if (at < 0 || at >= (int64_t)sizeof(struct xdp_md))
		return uxdp_check_refuse(p->err, p->err_len, pc,
					 "ctx access at offset %lld is outside struct xdp_md (%zu bytes)",
					 (long long)at, sizeof(struct xdp_md));
	if (BPF_MODE(insn->code) == BPF_MEMSX)
		return uxdp_check_refuse(p->err, p->err_len, pc,
					 "sign-extending load from ctx");
	/* The kernel accepts only whole, aligned u32 loads of xdp_md. */
	if (size != 4 || at % 4 != 0)
		return uxdp_check_refuse(p->err, p->err_len, pc,
					 "ctx load of %u bytes at offset %lld: xdp_md fields are read whole (4 bytes, aligned)",
					 size, (long long)at);
	/* As the kernel's xdp_is_valid_access(): the device a frame leaves
	 * by is known only to programs run from a devmap entry. */
	if (at == offsetof(struct xdp_md, egress_ifindex) &&
	    p->cfg->attach_type != BPF_XDP_DEVMAP)
		return uxdp_check_refuse(p->err, p->err_len, pc,
					 "invalid bpf_context access: egress_ifindex is readable only in devmap programs (SEC(\"xdp/devmap\"))");
	for (i = 0; i < sizeof(ctx_fields) / sizeof(ctx_fields[0]); i++)
		if (ctx_fields[i].md_off == at)
			break;
	/* The register holds buff + base.off: aim the load at the field. */
	new_off = (int64_t)ctx_fields[i].buff_off - base.off;
	if (new_off < INT16_MIN || new_off > INT16_MAX)
		return uxdp_check_refuse(p->err, p->err_len, pc,
					 "ctx pointer offset %d too large to rewrite",
					 base.off);
	insn->code = BPF_LDX | BPF_MEM | (ctx_fields[i].is_ptr ? BPF_DW : BPF_W);
	insn->off = (int16_t)new_off;
	return 0;
}

static int
load_transfer(struct ctx_pass *p, struct state *s, uint32_t pc, bool final)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	struct val base = s->reg[insn->src_reg];
	unsigned int size = uxdp_insn_mem_size(insn->code);
	struct val v = size == 8 ? untracked_load(p) : scalar();
	int ret;

	switch (base.kind) {
	case VK_MIXED:
		if (final)
			return refuse_ambiguous(p, pc, insn->src_reg);
		break;
	case VK_CTX:
		if (final) {
			ret = rewrite_ctx_load(p, pc, base);
			if (ret < 0)
				return ret;
		}
		v = scalar();
		break;
	case VK_STACK:
		if (BPF_MODE(insn->code) == BPF_MEM)
			v = stack_read(p, s, base, insn->off, size);
		break;
	default:
		break;
	}
	s->reg[insn->dst_reg] = v;
	return 0;
}

static void
atomic_transfer(struct ctx_pass *p, struct state *s,
		const struct bpf_insn *insn, struct val base)
{
	unsigned int size = uxdp_insn_mem_size(insn->code);
	struct val src = s->reg[insn->src_reg];
	struct val old = size == 8 ? untracked_load(p) : scalar();
	bool stores_src = insn->imm == BPF_XCHG || insn->imm == BPF_CMPXCHG;
	int k = -1;

	if (base.kind == VK_STACK) {
		if (base.off_known)
			k = slot_of((int64_t)base.off + insn->off, size);
		if (k >= 0) {
			old = s->slot[k];
			if (insn->imm == BPF_XCHG)
				s->slot[k] = src;
			else if (insn->imm == BPF_CMPXCHG)
				s->slot[k] = val_join(old, src);
			else
				s->slot[k] = scalar();
		} else {
			old = stack_read(p, s, base, insn->off, size);
			stack_write(s, base, insn->off, size,
				    stores_src ? val_join(src, scalar()) :
				    scalar());
		}
	}
	if (stores_src && size == 8 && holds_ctx(src) &&
	    !(base.kind == VK_STACK && base.off_known))
		mark_escaped(p);
	if (insn->imm == BPF_CMPXCHG)
		s->reg[0] = old;
	else if (insn->imm & BPF_FETCH)
		s->reg[insn->src_reg] = old;
}

static int
store_transfer(struct ctx_pass *p, struct state *s, uint32_t pc, bool final)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	bool is_stx = BPF_CLASS(insn->code) == BPF_STX;
	unsigned int size = uxdp_insn_mem_size(insn->code);
	struct val base = s->reg[insn->dst_reg];
	struct val v = is_stx ? s->reg[insn->src_reg] : scalar();

	if (base.kind == VK_CTX) {
		if (final)
			return uxdp_check_refuse(p->err, p->err_len, pc,
						 "store to ctx (struct xdp_md is read-only)");
		return 0;
	}
	if (base.kind == VK_MIXED) {
		if (final)
			return refuse_ambiguous(p, pc, insn->dst_reg);
		return 0;
	}
	if (is_stx && BPF_MODE(insn->code) == BPF_ATOMIC) {
		atomic_transfer(p, s, insn, base);
		return 0;
	}
	if (base.kind == VK_STACK)
		stack_write(s, base, insn->off, size, v);
	if (size == 8 && holds_ctx(v) &&
	    !(base.kind == VK_STACK && base.off_known))
		mark_escaped(p);
	return 0;
}

/* A call of function fi with args[0..4] as r1..r5. */
static void
call_transfer_to(struct ctx_pass *p, struct state *s, uint32_t fi,
		 const struct val args[5])
{
	struct func_summary *callee = &p->fs[fi];
	int64_t reach = 0; /* lowest frame offset the callee may reach */
	bool frame_has_ctx = false;
	int r, k;

	if (!callee->called) {
		callee->called = true;
		p->summary_changed = true;
	}
	for (r = 1; r <= 5; r++) {
		struct val v = args[r - 1];
		struct val joined;

		/* The callee cannot name this frame's slots: to it, a
		 * pointer into the caller's frame is untracked memory. */
		if (v.kind == VK_MIXED)
			reach = -UXDP_STACK_SIZE;
		if (v.kind == VK_STACK) {
			if (stack_lo(v) < reach)
				reach = stack_lo(v);
			v = scalar();
		}
		joined = val_join(callee->args[r - 1], v);
		if (!val_eq(joined, callee->args[r - 1])) {
			callee->args[r - 1] = joined;
			p->summary_changed = true;
		}
	}
	for (k = first_slot(reach); k < N_SLOTS; k++)
		frame_has_ctx |= holds_ctx(s->slot[k]);
	if ((frame_has_ctx || p->fs[p->cur_func].outer_ctx) &&
	    !callee->outer_ctx) {
		callee->outer_ctx = true;
		p->summary_changed = true;
	}
	/* The callee may write through the pointer; a ctx only if some
	 * function stores one through an untracked pointer. */
	for (k = first_slot(reach); k < N_SLOTS; k++)
		s->slot[k] = val_join(s->slot[k], p->ctx_escaped ?
				      mixed() : scalar());

	s->reg[0] = callee->ret;
	for (r = 1; r <= 5; r++)
		s->reg[r] = scalar();
}

static void
call_transfer(struct ctx_pass *p, struct state *s, uint32_t pc)
{
	const struct uxdp_cfg *cfg = p->cfg;
	const struct bpf_insn *insn = &cfg->insns[pc];

	call_transfer_to(p, s, cfg->func_of[uxdp_insn_target(insn, pc)],
			 &s->reg[1]);
}

/* bpf_loop and bpf_for_each_map_elem call their callback with the
 * caller's callback_ctx (r3) as r2 or r4; its other arguments (index,
 * map, key and value pointers into the map) are scalars here. The
 * helper returns a count. */
static void
callback_transfer(struct ctx_pass *p, struct state *s, uint32_t pc)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	struct val args[5];
	int r;

	uint32_t cb = p->cfg->callback_of[pc];
	const struct uxdp_func *fn = &p->cfg->funcs[p->cur_func];
	uint32_t i;

	for (r = 0; r < 5; r++)
		args[r] = scalar();
	args[insn->imm == BPF_FUNC_loop ? 1 : 3] = s->reg[3];
	if (cb != UXDP_CALLBACK_ANY) {
		call_transfer_to(p, s, cb, args);
	} else {
		/* The callback depends on the path: any of those this
		 * function names. */
		for (i = fn->start; i < fn->end; i++)
			if (!p->cfg->is_imm64_tail[i] &&
			    uxdp_insn_is_pseudo_func(&p->cfg->insns[i]))
				call_transfer_to(p, s, p->cfg->func_of[
					uxdp_insn_target(&p->cfg->insns[i], i)],
					args);
	}
	s->reg[0] = scalar();
}

static void
exit_transfer(struct ctx_pass *p, uint32_t f, const struct state *s)
{
	struct func_summary *fs = &p->fs[f];
	struct val r0 = s->reg[0];
	struct val joined;

	if (r0.kind == VK_STACK) /* the frame dies on return */
		r0 = scalar();
	joined = val_join(fs->ret, r0);
	if (!val_eq(joined, fs->ret)) {
		fs->ret = joined;
		p->summary_changed = true;
	}
}

static int
transfer(struct ctx_pass *p, uint32_t f, struct state *s, uint32_t pc,
	 bool final)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	int r;

	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		alu_transfer(s, insn);
		return 0;
	case BPF_LD: /* ld_imm64: map addresses and constants */
		s->reg[insn->dst_reg] = scalar();
		return 0;
	case BPF_LDX:
		return load_transfer(p, s, pc, final);
	case BPF_ST:
	case BPF_STX:
		return store_transfer(p, s, pc, final);
	default:
		break;
	}
	if (uxdp_insn_is_pseudo_call(insn)) {
		call_transfer(p, s, pc);
	} else if (uxdp_insn_is_call(insn) && insn->src_reg == 0 &&
		   (insn->imm == BPF_FUNC_loop ||
		    insn->imm == BPF_FUNC_for_each_map_elem)) {
		callback_transfer(p, s, pc);
	} else if (uxdp_insn_is_call(insn)) {
		/* uxdp's helpers write no memory through their arguments,
		 * so the frame's slots survive. */
		for (r = 0; r <= 5; r++)
			s->reg[r] = scalar();
	} else if (uxdp_insn_is_exit(insn)) {
		exit_transfer(p, f, s);
	}
	return 0;
}

static void
propagate(struct ctx_pass *p, uint32_t pc, const struct state *s)
{
	uint32_t k = p->leader_idx[pc];
	struct state *dst = &p->states[k];
	bool changed = false;
	int i;

	if (!p->has_state[k]) {
		*dst = *s;
		p->has_state[k] = 1;
		changed = true;
	} else {
		for (i = 0; i < N_REGS; i++) {
			struct val j = val_join(dst->reg[i], s->reg[i]);

			changed |= !val_eq(j, dst->reg[i]);
			dst->reg[i] = j;
		}
		for (i = 0; i < N_SLOTS; i++) {
			struct val j = val_join(dst->slot[i], s->slot[i]);

			changed |= !val_eq(j, dst->slot[i]);
			dst->slot[i] = j;
		}
	}
	if (changed && !p->queued[k]) {
		p->queued[k] = 1;
		p->work[p->n_work++] = pc;
	}
}

/* Run one block from its recorded start state. Without final, feed the
 * successors; with final (states at their fixpoint), refuse and rewrite. */
static int
run_block(struct ctx_pass *p, uint32_t f, uint32_t pc, bool final)
{
	const struct bpf_insn *insns = p->cfg->insns;
	struct state cur = p->states[p->leader_idx[pc]];
	int ret;

	for (;;) {
		const struct bpf_insn *insn = &insns[pc];
		uint32_t next;

		ret = transfer(p, f, &cur, pc, final);
		if (ret < 0)
			return ret;
		if (uxdp_insn_is_exit(insn))
			return 0;
		if (uxdp_insn_is_ja(insn) || uxdp_insn_is_cond_jump(insn)) {
			if (final)
				return 0;
			propagate(p, (uint32_t)uxdp_insn_target(insn, pc), &cur);
			if (uxdp_insn_is_cond_jump(insn))
				propagate(p, pc + 1, &cur);
			return 0;
		}
		next = pc + (uxdp_insn_is_ld_imm64(insn) ? 2 : 1);
		if (p->is_leader[next]) {
			if (!final)
				propagate(p, next, &cur);
			return 0;
		}
		pc = next;
	}
}

static void
entry_state(const struct ctx_pass *p, uint32_t f, struct state *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < N_REGS; i++)
		s->reg[i] = scalar();
	for (i = 0; i < N_SLOTS; i++)
		s->slot[i] = scalar();
	if (f == 0)
		s->reg[1] = mkval(VK_CTX, true, 0);
	else
		for (i = 1; i <= 5; i++)
			s->reg[i] = p->fs[f].args[i - 1];
	s->reg[10] = mkval(VK_STACK, true, 0);
}

static int
analyse_function(struct ctx_pass *p, uint32_t f, bool final)
{
	const struct uxdp_func *fn = &p->cfg->funcs[f];
	struct state entry;
	uint32_t i;
	int ret;

	for (i = fn->start; i < fn->end; i++) {
		if (p->is_leader[i]) {
			p->has_state[p->leader_idx[i]] = 0;
			p->queued[p->leader_idx[i]] = 0;
		}
	}
	entry_state(p, f, &entry);
	p->cur_func = f;
	p->n_work = 0;
	propagate(p, fn->start, &entry);
	while (p->n_work > 0) {
		uint32_t pc = p->work[--p->n_work];

		p->queued[p->leader_idx[pc]] = 0;
		run_block(p, f, pc, false);
	}
	if (!final)
		return 0;
	for (i = fn->start; i < fn->end; i++) {
		if (!p->is_leader[i] || !p->has_state[p->leader_idx[i]])
			continue;
		ret = run_block(p, f, i, true);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int
uxdp_check_ctx(const struct uxdp_cfg *cfg, char *err, size_t err_len)
{
	struct ctx_pass p = { .cfg = cfg, .err = err, .err_len = err_len };
	uint32_t n_leaders, f;
	int ret = 0;

	p.is_leader = calloc(cfg->n_insns, 1);
	p.leader_idx = calloc(cfg->n_insns, sizeof(*p.leader_idx));
	p.fs = calloc(cfg->n_funcs, sizeof(*p.fs));
	if (p.is_leader == NULL || p.leader_idx == NULL || p.fs == NULL)
		goto nomem;
	n_leaders = uxdp_cfg_find_leaders(cfg, p.is_leader, p.leader_idx);
	p.states = malloc(sizeof(*p.states) * n_leaders);
	p.has_state = calloc(n_leaders, 1);
	p.queued = calloc(n_leaders, 1);
	p.work = malloc(sizeof(*p.work) * n_leaders);
	if (p.states == NULL || p.has_state == NULL || p.queued == NULL ||
	    p.work == NULL)
		goto nomem;

	/* Function summaries only grow, on a lattice of finite height. */
	p.fs[0].called = true;
	do {
		p.summary_changed = false;
		for (f = 0; f < cfg->n_funcs; f++)
			if (p.fs[f].called)
				analyse_function(&p, f, false);
	} while (p.summary_changed);

	for (f = 0; f < cfg->n_funcs && ret == 0; f++)
		if (p.fs[f].called)
			ret = analyse_function(&p, f, true);
	goto out;
nomem:
	ret = uxdp_set_err(err, err_len, ENOMEM, "out of memory");
out:
	free(p.is_leader);
	free(p.leader_idx);
	free(p.fs);
	free(p.states);
	free(p.has_state);
	free(p.queued);
	free(p.work);
	return ret;
}
