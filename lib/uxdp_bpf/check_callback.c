/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Callbacks (bpf_loop, bpf_for_each_map_elem): the address of a
 * subprogram, an ld_imm64 BPF_PSEUDO_FUNC, may only travel to the
 * callback argument (r2) of one of these helpers, as in the kernel, where
 * such a register is a PTR_TO_FUNC that nothing else accepts. The engines
 * rely on it: the interpreter loads the callback's instruction index, the
 * JIT an LLVM function's address, so the value must never be stored,
 * compared, returned or computed with.
 *
 * A forward data-flow over each function tracks, per register, which
 * callback it holds (none, one, or different ones on different paths)
 * and the constant a mov or ld_imm64 put there (the map a
 * bpf_for_each_map_elem call names in r1, bpf_loop's flags), and which
 * frame bytes hold zero (stores of a known 0 through r10; any other
 * store or call forgets them). At each call of the two helpers, r2 must
 * hold a callback on every path. clang merges calls that differ only in
 * their callback into one call with the callback chosen by path, and the
 * kernel accepts that, so uxdp does too: cfg->callback_of records the
 * callback, or UXDP_CALLBACK_ANY for "one of those whose address this
 * function takes" (the ctx analysis then assumes each of them).
 *
 * bpf_for_each_map_elem needs a map of a type the kernel can iterate
 * (array, per-CPU array, the four hash types); like the kernel's
 * verifier, the check refuses other types at load when r1 is one map
 * (an ld_imm64) on every path. Where it is not (different maps joined,
 * an inner map of a map of maps) the helper refuses other types at run
 * time with -EINVAL, where the kernel would have refused the program.
 * Callbacks must return 0 or 1 (the kernel's verifier demands it):
 * refused when r0 is a known constant at an exit of a callback; a computed r0 is not checked
 * (nonzero stops the iteration at run time, as in the kernel's helpers).
 *
 * Programs without callbacks skip all of this.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "uxdp_map.h"
#include "uxdp_bpf_internal.h"
#include "check.h"
#include "callback.h"

#define N_REGS 10 /* r0..r9; r10 never holds a callback or a map */
#define CB_NONE 0u
#define CB_MANY (UINT32_MAX - 1) /* a callback, different ones by path */
#define CB_MIXED UINT32_MAX      /* a callback on some paths only */

struct cb_state {
	uint32_t cb[N_REGS];    /* CB_NONE, function index + 1, CB_MANY,
				 * CB_MIXED */
	uint64_t cval[N_REGS];  /* constant when cknown has the bit */
	/* Frame bytes known to hold zero (bit i: r10 - 512 + i), as the
	 * kernel's STACK_ZERO: a volatile flags variable of 0 travels
	 * through the stack and the kernel still inlines bpf_loop. */
	uint64_t zero[UXDP_STACK_SIZE / 64];
	uint16_t cknown;
	uint8_t seen;
};

struct cb_pass {
	const struct uxdp_cfg *cfg;
	const struct uxdp_obj *obj;
	struct cb_state *in;
	uint8_t *is_callback;   /* per function */
	uint32_t *work;
	uint8_t *queued;        /* per instruction: on the work stack */
	char *err;
	size_t err_len;
};

static bool
is_callback_helper(const struct bpf_insn *insn)
{
	return uxdp_insn_is_call(insn) && insn->src_reg == 0 &&
		(insn->imm == BPF_FUNC_loop ||
		 insn->imm == BPF_FUNC_for_each_map_elem);
}

static const char *
callback_helper_name(const struct bpf_insn *insn)
{
	return insn->imm == BPF_FUNC_loop ? "bpf_loop" :
		"bpf_for_each_map_elem";
}

static bool
is_pseudo_func(const struct bpf_insn *insn)
{
	return uxdp_insn_is_ld_imm64(insn) && insn->src_reg == BPF_PSEUDO_FUNC;
}

static void
set_scalar(struct cb_state *s, unsigned int r)
{
	s->cb[r] = CB_NONE;
	s->cknown &= (uint16_t)~(1u << r);
}

/* Registers an instruction reads as a value (not r10). */
static uint16_t
regs_read(const struct bpf_insn *insn)
{
	uint8_t cls = BPF_CLASS(insn->code);
	uint16_t m = 0;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_OP(insn->code) != BPF_MOV)
			m |= 1u << insn->dst_reg;
		/* BPF_END's source bit is the byte order, not a register */
		if (BPF_SRC(insn->code) == BPF_X &&
		    BPF_OP(insn->code) != BPF_END)
			m |= 1u << insn->src_reg;
		break;
	case BPF_LDX:
		m |= 1u << insn->src_reg;
		break;
	case BPF_ST:
		m |= 1u << insn->dst_reg;
		break;
	case BPF_STX:
		m |= 1u << insn->dst_reg | 1u << insn->src_reg;
		if (BPF_MODE(insn->code) == BPF_ATOMIC &&
		    insn->imm == BPF_CMPXCHG)
			m |= 1u << 0;
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (uxdp_insn_is_exit(insn)) {
			m |= 1u << 0;
		} else if (uxdp_insn_is_cond_jump(insn)) {
			m |= 1u << insn->dst_reg;
			if (BPF_SRC(insn->code) == BPF_X)
				m |= 1u << insn->src_reg;
		}
		break;
	default:
		break;
	}
	return m & ((1u << N_REGS) - 1);
}

/* A callback address may only be copied or handed to its helper. */
static int
check_use(struct cb_pass *p, uint32_t pc, const struct cb_state *s)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	uint16_t read = regs_read(insn);
	unsigned int r;

	if (insn->code == (BPF_ALU64 | BPF_MOV | BPF_X) && insn->off == 0)
		return 0;
	if (uxdp_insn_is_call(insn))
		read = 0x3e; /* r1..r5, whatever the callee takes */
	for (r = 0; r < N_REGS; r++)
		if ((read & (1u << r)) && s->cb[r] != CB_NONE)
			return uxdp_check_refuse(p->err, p->err_len, pc,
						 "r%u holds a callback address, which may only be passed to bpf_loop or bpf_for_each_map_elem",
						 r);
	return 0;
}

static bool
is_allowed_for_each_type(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return true;
	default:
		return false;
	}
}

static int
check_for_each_map(struct cb_pass *p, uint32_t pc, const struct cb_state *s)
{
	const struct uxdp_map_def *def = NULL;
	unsigned int i;

	/* A map that is not one constant (different maps on different
	 * paths, an inner map from a map of maps): its type is checked at
	 * run time (-EINVAL, helpers_callback.c). */
	if (!(s->cknown & (1u << 1)))
		return 0;
	for (i = 0; p->obj != NULL && i < p->obj->n_maps; i++)
		if ((uintptr_t)p->obj->maps[i] == s->cval[1])
			def = uxdp_map_get_def(p->obj->maps[i]);
	if (def == NULL)
		return uxdp_check_refuse(p->err, p->err_len, pc,
					 "bpf_for_each_map_elem: r1 is a constant that is not a map of the program");
	if (!is_allowed_for_each_type(def->type))
		return uxdp_check_refuse(p->err, p->err_len, pc,
					 "bpf_for_each_map_elem cannot iterate a map of type %s (only array, percpu_array, hash, percpu_hash, lru_hash, lru_percpu_hash)",
					 uxdp_map_type_name(def->type));
	return 0;
}

/* The callback a helper call gets, and the map of for_each. */
static int
check_helper_call(struct cb_pass *p, uint32_t pc, const struct cb_state *s)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	uint32_t cb = s->cb[2];
	unsigned int r;
	int ret;

	for (r = 1; r <= 5; r++)
		if (r != 2 && s->cb[r] != CB_NONE)
			return uxdp_check_refuse(p->err, p->err_len, pc,
						 "r%u holds a callback address, which may only be passed to bpf_loop or bpf_for_each_map_elem in r2",
						 r);
	if (cb == CB_NONE || cb == CB_MIXED)
		return uxdp_check_refuse(p->err, p->err_len, pc,
					 "%s: r2 must hold a callback (ld_imm64 BPF_PSEUDO_FUNC of a function) on every path to the call",
					 callback_helper_name(insn));
	if (insn->imm == BPF_FUNC_for_each_map_elem) {
		ret = check_for_each_map(p, pc, s);
		if (ret < 0)
			return ret;
	}
	/* Where the kernel inlines bpf_loop (flags a known 0, one
	 * callback), give its inlined form's results (callback.h). */
	if (insn->imm == BPF_FUNC_loop && cb != CB_MANY &&
	    (s->cknown & (1u << 4)) && s->cval[4] == 0)
		p->cfg->insns[pc].off = UXDP_LOOP_INLINED;
	p->cfg->callback_of[pc] = cb == CB_MANY ? UXDP_CALLBACK_ANY : cb - 1;
	return 0;
}

static bool
known_zero(const struct cb_state *s, unsigned int r)
{
	return r < N_REGS && (s->cknown & (1u << r)) && s->cval[r] == 0;
}

/* Byte i of the frame, or -1 outside it (the checks bound r10 offsets). */
static int
frame_byte(int32_t off)
{
	int32_t i = UXDP_STACK_SIZE + off;

	return i >= 0 && i < UXDP_STACK_SIZE ? i : -1;
}

static void
mark_zero(struct cb_state *s, int32_t off, unsigned int size, bool zero)
{
	unsigned int k;

	for (k = 0; k < size; k++) {
		int i = frame_byte(off + (int32_t)k);

		if (i < 0)
			continue;
		if (zero)
			s->zero[i / 64] |= 1ull << (i % 64);
		else
			s->zero[i / 64] &= ~(1ull << (i % 64));
	}
}

static bool
all_zero(const struct cb_state *s, int32_t off, unsigned int size)
{
	unsigned int k;

	for (k = 0; k < size; k++) {
		int i = frame_byte(off + (int32_t)k);

		if (i < 0 || !(s->zero[i / 64] & (1ull << (i % 64))))
			return false;
	}
	return true;
}

/* Stores: only constant-offset ones through r10 keep what is known;
 * a store through any other pointer may reach the frame. */
static void
store_transfer(const struct bpf_insn *insn, struct cb_state *s)
{
	bool is_st = BPF_CLASS(insn->code) == BPF_ST;
	bool zero;

	if (insn->dst_reg != BPF_REG_10) {
		memset(s->zero, 0, sizeof(s->zero));
		return;
	}
	zero = BPF_MODE(insn->code) == BPF_MEM &&
		(is_st ? insn->imm == 0 : known_zero(s, insn->src_reg));
	mark_zero(s, insn->off, uxdp_insn_mem_size(insn->code), zero);
}

static void
transfer(const struct cb_pass *p, uint32_t pc, struct cb_state *s)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	uint8_t cls = BPF_CLASS(insn->code);
	unsigned int r;

	if (uxdp_insn_is_call(insn)) {
		/* Helpers and callees may write through frame pointers. */
		for (r = 0; r <= 5; r++)
			set_scalar(s, r);
		memset(s->zero, 0, sizeof(s->zero));
		return;
	}
	if (cls == BPF_ST || cls == BPF_STX)
		store_transfer(insn, s);
	if (cls == BPF_LDX && insn->src_reg == BPF_REG_10 &&
	    all_zero(s, insn->off, uxdp_insn_mem_size(insn->code))) {
		set_scalar(s, insn->dst_reg);
		s->cknown |= (uint16_t)(1u << insn->dst_reg);
		s->cval[insn->dst_reg] = 0;
		return;
	}
	if (is_pseudo_func(insn)) {
		int64_t target = uxdp_insn_target(insn, pc);

		set_scalar(s, insn->dst_reg);
		s->cb[insn->dst_reg] = p->cfg->func_of[target] + 1;
		return;
	}
	if (uxdp_insn_is_ld_imm64(insn)) {
		set_scalar(s, insn->dst_reg);
		s->cknown |= (uint16_t)(1u << insn->dst_reg);
		s->cval[insn->dst_reg] = (uint32_t)insn[0].imm |
			(uint64_t)(uint32_t)insn[1].imm << 32;
		return;
	}
	if (insn->code == (BPF_ALU64 | BPF_MOV | BPF_X) && insn->off == 0 &&
	    insn->dst_reg < N_REGS && insn->src_reg < N_REGS) {
		s->cb[insn->dst_reg] = s->cb[insn->src_reg];
		s->cval[insn->dst_reg] = s->cval[insn->src_reg];
		s->cknown &= (uint16_t)~(1u << insn->dst_reg);
		s->cknown |= (uint16_t)(((s->cknown >> insn->src_reg) & 1u) <<
					insn->dst_reg);
		return;
	}
	/* Constants for the callback's return value check. */
	if ((cls == BPF_ALU64 || cls == BPF_ALU) &&
	    BPF_OP(insn->code) == BPF_MOV && BPF_SRC(insn->code) == BPF_K) {
		set_scalar(s, insn->dst_reg);
		s->cknown |= (uint16_t)(1u << insn->dst_reg);
		s->cval[insn->dst_reg] = cls == BPF_ALU64 ?
			(uint64_t)(int64_t)insn->imm : (uint32_t)insn->imm;
		return;
	}
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_LDX:
		if (insn->dst_reg < N_REGS)
			set_scalar(s, insn->dst_reg);
		break;
	case BPF_STX:
		if (BPF_MODE(insn->code) != BPF_ATOMIC)
			break;
		if (insn->imm == BPF_CMPXCHG)
			set_scalar(s, 0);
		else if (insn->imm & BPF_FETCH)
			set_scalar(s, insn->src_reg);
		break;
	default:
		break;
	}
}

static bool
merge(struct cb_state *dst, const struct cb_state *src)
{
	struct cb_state old = *dst;
	unsigned int r;

	if (!dst->seen) {
		*dst = *src;
		dst->seen = 1;
		return true;
	}
	for (r = 0; r < N_REGS; r++) {
		if (dst->cb[r] != src->cb[r])
			dst->cb[r] = dst->cb[r] == CB_NONE ||
				src->cb[r] == CB_NONE ||
				dst->cb[r] == CB_MIXED ||
				src->cb[r] == CB_MIXED ? CB_MIXED : CB_MANY;
		if ((dst->cknown & (1u << r)) && (!(src->cknown & (1u << r)) ||
		    dst->cval[r] != src->cval[r]))
			dst->cknown &= (uint16_t)~(1u << r);
	}
	for (r = 0; r < RTE_DIM(dst->zero); r++)
		dst->zero[r] &= src->zero[r];
	return memcmp(&old, dst, sizeof(old)) != 0;
}

static void
analyse_function(struct cb_pass *p, uint32_t f)
{
	const struct uxdp_func *fn = &p->cfg->funcs[f];
	uint32_t top = 0, i;
	struct cb_state entry;

	memset(p->in + fn->start, 0,
	       sizeof(*p->in) * (fn->end - fn->start));
	memset(&entry, 0, sizeof(entry));
	entry.seen = 1;
	p->in[fn->start] = entry;
	p->work[top++] = fn->start;
	p->queued[fn->start] = 1;
	while (top > 0) {
		struct cb_state out;
		uint32_t next[2];
		int n, k;

		i = p->work[--top];
		p->queued[i] = 0;
		out = p->in[i];
		transfer(p, i, &out);
		n = uxdp_insn_successors(p->cfg, i, next);
		for (k = 0; k < n; k++)
			if (merge(&p->in[next[k]], &out) &&
			    !p->queued[next[k]]) {
				p->queued[next[k]] = 1;
				p->work[top++] = next[k];
			}
	}
}

/* Callbacks return 0 or 1 where that is a constant. */
static int
check_returns(struct cb_pass *p, uint32_t f)
{
	const struct uxdp_func *fn = &p->cfg->funcs[f];
	uint32_t i;

	for (i = fn->start; i < fn->end; i++) {
		const struct cb_state *s = &p->in[i];

		if (!s->seen || p->cfg->is_imm64_tail[i] ||
		    !uxdp_insn_is_exit(&p->cfg->insns[i]))
			continue;
		if ((s->cknown & 1u) && s->cval[0] > 1)
			return uxdp_check_refuse(p->err, p->err_len, i,
						 "callback returns %lld; a callback of bpf_loop or bpf_for_each_map_elem must return 0 or 1",
						 (long long)s->cval[0]);
	}
	return 0;
}

static bool
uses_callbacks(const struct uxdp_cfg *cfg)
{
	uint32_t i;

	for (i = 0; i < cfg->n_insns; i++)
		if (!cfg->is_imm64_tail[i] &&
		    (is_pseudo_func(&cfg->insns[i]) ||
		     is_callback_helper(&cfg->insns[i])))
			return true;
	return false;
}

int
uxdp_check_callbacks(const struct uxdp_cfg *cfg, const struct uxdp_obj *obj,
		     char *err, size_t err_len)
{
	struct cb_pass p = { .cfg = cfg, .obj = obj, .err = err,
			     .err_len = err_len };
	uint32_t f, i;
	int ret = 0;

	if (!uses_callbacks(cfg))
		return 0;
	/* States only move up a finite lattice, and an instruction is on
	 * the work stack at most once at a time. */
	p.in = calloc(cfg->n_insns, sizeof(*p.in));
	p.work = calloc(cfg->n_insns, sizeof(*p.work));
	p.queued = calloc(cfg->n_insns, 1);
	p.is_callback = calloc(cfg->n_funcs, 1);
	if (p.in == NULL || p.work == NULL || p.queued == NULL ||
	    p.is_callback == NULL) {
		ret = uxdp_set_err(err, err_len, ENOMEM, "out of memory");
		goto out;
	}
	for (f = 0; f < cfg->n_funcs && ret == 0; f++) {
		const struct uxdp_func *fn = &cfg->funcs[f];

		analyse_function(&p, f);
		for (i = fn->start; i < fn->end && ret == 0; i++) {
			const struct bpf_insn *insn = &cfg->insns[i];

			if (!p.in[i].seen || cfg->is_imm64_tail[i])
				continue;
			if (is_callback_helper(insn))
				ret = check_helper_call(&p, i, &p.in[i]);
			else
				ret = check_use(&p, i, &p.in[i]);
		}
	}
	for (i = 0; i < cfg->n_insns; i++)
		if (!cfg->is_imm64_tail[i] && is_pseudo_func(&cfg->insns[i]))
			p.is_callback[cfg->func_of[uxdp_insn_target(
				&cfg->insns[i], i)]] = 1;
	for (f = 0; f < cfg->n_funcs && ret == 0; f++) {
		/* The states of the first loop are still there: each
		 * function's analysis writes only its own instructions. */
		if (p.is_callback[f])
			ret = check_returns(&p, f);
	}
out:
	free(p.in);
	free(p.work);
	free(p.queued);
	free(p.is_callback);
	return ret;
}
