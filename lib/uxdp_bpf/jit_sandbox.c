/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The JIT under UXDP_VERIFY_SANDBOX: the interpreter's checks
 * (interp.c, sandbox.h) as IR.
 *
 * Frames. A function whose r10 never leaves it as a value (only r10 +
 * constant accesses, which the checks proved inside its 512 bytes) keeps
 * its alloca: nothing can point into it, so nothing is checked. A function
 * that lets a pointer to its frame escape (r10 copied into another
 * register, compared or stored) gets its frame from one block of
 * UXDP_MAX_CALL_DEPTH frames the entry function allocates; the run's
 * stack region is that block, and a pointer into the stack is in bounds
 * exactly when it is in the block: frames of callers stay reachable, as
 * they must for arguments passed by reference, and no native frame (with
 * its return address) is.
 *
 * Checks. Each memory access not proven safe compares its address with
 * the stack block's bounds (fixed for the run, loaded once per function)
 * and the packet's [data_meta, data_end) (reloaded after every call,
 * which may move them), so the optimiser can hoist and merge them. On a
 * miss, an access the analysis could not classify tries, out of the hot
 * path, the ctx and the contiguous ranges of the object's first maps
 * (constants: uxdp_map_mem_layout()), and only then calls
 * uxdp_sandbox_mem_ok() for the rest (hash values, inner maps, ring
 * buffer records). A failed check branches to the function's abort
 * block, which under the sandbox counts the fault. Helper calls with
 * pointer arguments call uxdp_sandbox_helper_ok() first, unless their
 * arguments check inline: maps of the object known as constants, the
 * ctx, keys and values in the stack block or the packet.
 */

#include <stddef.h>

#include "jit_emit.h"
#include "sandbox.h"

/* Offsets of the packet bounds in the ctx (struct uxdp_xdp_buff). */
#define CTX_DATA_END 8
#define CTX_DATA_META 16
/* What programs read of the ctx: the xdp_md view (as sandbox.c). */
#define CTX_SIZE (offsetof(struct uxdp_xdp_buff, egress_ifindex) + \
		  sizeof(uint32_t))
/* Maps whose ranges are compared inline; the others go out of line. */
#define INLINE_MAPS 32

/* Whether function f lets its frame's address escape. */
static bool
frame_escapes(const struct uxdp_prog *prog, const struct jit_func *f)
{
	uint32_t pc;

	for (pc = f->start; pc < f->end; pc++) {
		const struct bpf_insn *insn = &prog->insns[pc];
		uint8_t cls = BPF_CLASS(insn->code);

		if (jit_insn_is_imm64(insn)) {
			pc++;
			continue;
		}
		switch (cls) {
		case BPF_ALU:
		case BPF_ALU64:
			if (BPF_SRC(insn->code) == BPF_X &&
			    insn->src_reg == BPF_REG_10)
				return true;
			break;
		case BPF_JMP:
		case BPF_JMP32:
			if (BPF_OP(insn->code) == BPF_CALL ||
			    BPF_OP(insn->code) == BPF_EXIT)
				break;
			if (insn->dst_reg == BPF_REG_10 ||
			    (BPF_SRC(insn->code) == BPF_X &&
			     insn->src_reg == BPF_REG_10))
				return true;
			break;
		case BPF_STX:
			if (insn->src_reg == BPF_REG_10)
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

void
jit_sb_init(struct jit_emit *e)
{
	uint32_t f;

	e->sandbox = e->prog->verify == UXDP_VERIFY_SANDBOX;
	e->sb_block = false;
	if (!e->sandbox)
		return;
	for (f = 0; f < e->cfg.n_funcs; f++)
		if (frame_escapes(e->prog, &e->cfg.funcs[f]))
			e->sb_block = true;
}

static LLVMValueRef
const_fn(struct jit_emit *e, const void *fn)
{
	return LLVMConstIntToPtr(jit_const64(e, (uint64_t)(uintptr_t)fn),
				 e->ptr);
}

static LLVMValueRef
load_state(struct jit_emit *e, unsigned int word)
{
	return LLVMBuildLoad2(e->b, e->i64, jit_state_word(e, word), "");
}

/* In the entry function: the ctx and, if needed, the block of frames. */
void
jit_sb_entry(struct jit_emit *e, LLVMValueRef ctx)
{
	LLVMValueRef block, lo;

	if (!e->sandbox)
		return;
	LLVMBuildStore(e->b, ctx, jit_state_word(e, JIT_STATE_CTX));
	if (!e->sb_block) {
		LLVMBuildStore(e->b, jit_const64(e, 0),
			       jit_state_word(e, JIT_STATE_STACK_LO));
		return;
	}
	block = LLVMBuildAlloca(e->b, LLVMArrayType(e->i8,
			UXDP_STACK_SIZE * UXDP_MAX_CALL_DEPTH), "frames");
	LLVMSetAlignment(block, 16);
	lo = LLVMBuildPtrToInt(e->b, block, e->i64, "");
	LLVMBuildStore(e->b, lo, jit_state_word(e, JIT_STATE_STACK_LO));
	LLVMBuildStore(e->b, lo, jit_state_word(e, JIT_STATE_FRAME));
}

void
jit_sb_reload_packet(struct jit_emit *e)
{
	LLVMValueRef ctx, idx;

	if (!e->sandbox)
		return;
	ctx = LLVMBuildIntToPtr(e->b, load_state(e, JIT_STATE_CTX), e->ptr, "");
	idx = jit_const64(e, CTX_DATA_META);
	LLVMBuildStore(e->b, LLVMBuildLoad2(e->b, e->i64,
		LLVMBuildGEP2(e->b, e->i8, ctx, &idx, 1, ""), "data_meta"),
		e->pkt_lo);
	idx = jit_const64(e, CTX_DATA_END);
	LLVMBuildStore(e->b, LLVMBuildLoad2(e->b, e->i64,
		LLVMBuildGEP2(e->b, e->i8, ctx, &idx, 1, ""), "data_end"),
		e->pkt_hi);
}

bool
jit_sb_prologue(struct jit_emit *e)
{
	LLVMBasicBlockRef ok;
	LLVMValueRef next;

	e->frame_shared = false;
	e->grp_ok = NULL;
	if (!e->sandbox)
		return false;
	e->pkt_lo = LLVMBuildAlloca(e->b, e->i64, "pkt_lo");
	e->pkt_hi = LLVMBuildAlloca(e->b, e->i64, "pkt_hi");
	e->stack_lo = load_state(e, JIT_STATE_STACK_LO);
	e->ctx_lo = load_state(e, JIT_STATE_CTX);
	e->stack_hi = e->sb_block ?
		LLVMBuildAdd(e->b, e->stack_lo, jit_const64(e,
			UXDP_STACK_SIZE * UXDP_MAX_CALL_DEPTH), "") :
		e->stack_lo;
	jit_sb_reload_packet(e);
	if (!frame_escapes(e->prog, e->cur))
		return false;
	/* Take the next frame of the block; the checks bound the call
	 * depth, this keeps a run inside the block regardless. */
	e->frame_shared = true;
	e->frame = load_state(e, JIT_STATE_FRAME);
	next = LLVMBuildAdd(e->b, e->frame, jit_const64(e, UXDP_STACK_SIZE), "");
	ok = LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn, "frame_ok");
	LLVMBuildCondBr(e->b, LLVMBuildICmp(e->b, LLVMIntULE, next,
					    e->stack_hi, ""),
			ok, e->abort_bb);
	LLVMPositionBuilderAtEnd(e->b, ok);
	LLVMBuildStore(e->b, next, jit_state_word(e, JIT_STATE_FRAME));
	e->stack = LLVMBuildIntToPtr(e->b, e->frame, e->ptr, "stack");
	e->r10 = next;
	return true;
}

/* Under the sandbox an abort is containment: count it (abort block). */
void
jit_sb_count_fault(struct jit_emit *e)
{
	LLVMTypeRef type;
	LLVMValueRef arg;

	if (!e->sandbox)
		return;
	type = LLVMFunctionType(LLVMVoidTypeInContext(e->ctx), &e->ptr, 1, 0);
	arg = const_fn(e, e->prog);
	LLVMBuildCall2(e->b, type, const_fn(e, uxdp_sandbox_fault), &arg, 1, "");
}

/* Returning: give the frame back to the block. */
void
jit_sb_exit(struct jit_emit *e)
{
	if (e->sandbox && e->frame_shared)
		LLVMBuildStore(e->b, e->frame, jit_state_word(e, JIT_STATE_FRAME));
}

/* A branch to ok when cond holds, else to fail, marked unlikely. */
static void
cond_br_likely(struct jit_emit *e, LLVMValueRef cond, LLVMBasicBlockRef ok,
	       LLVMBasicBlockRef fail)
{
	LLVMValueRef br = LLVMBuildCondBr(e->b, cond, ok, fail);
	LLVMMetadataRef md[3] = {
		LLVMMDStringInContext2(e->ctx, "branch_weights", 14),
		LLVMValueAsMetadata(LLVMConstInt(e->i32, 1u << 20, 0)),
		LLVMValueAsMetadata(LLVMConstInt(e->i32, 1, 0)),
	};

	LLVMSetMetadata(br, LLVMGetMDKindIDInContext(e->ctx, "prof", 4),
			LLVMMetadataAsValue(e->ctx,
					    LLVMMDNodeInContext2(e->ctx, md, 3)));
}

static LLVMValueRef
span_in(struct jit_emit *e, LLVMValueRef addr, uint64_t size, LLVMValueRef lo,
	LLVMValueRef hi)
{
	LLVMValueRef last = LLVMBuildSub(e->b, hi, jit_const64(e, size), "");

	return LLVMBuildAnd(e->b,
		LLVMBuildICmp(e->b, LLVMIntUGE, addr, lo, ""),
		LLVMBuildICmp(e->b, LLVMIntULE, addr, last, ""), "");
}

/* A write inside one element's value bytes of a map laid out as l. */
static LLVMValueRef
element_write(struct jit_emit *e, LLVMValueRef addr, uint64_t size,
	      const struct uxdp_map_mem_layout *l)
{
	LLVMValueRef off, in, k_off;

	if (l->contiguous)
		return span_in(e, addr, size, jit_const64(e, l->elems),
			       jit_const64(e, l->elems + l->n * l->stride));
	/* off < n * stride, then the offset inside the element (a urem by
	 * a constant: a multiply) within the value bytes. */
	off = LLVMBuildSub(e->b, addr, jit_const64(e, l->elems), "");
	in = LLVMBuildICmp(e->b, LLVMIntULT, off,
			   jit_const64(e, l->n * l->stride), "");
	k_off = LLVMBuildURem(e->b, off, jit_const64(e, l->stride), "");
	return LLVMBuildAnd(e->b, in,
		span_in(e, k_off, size, jit_const64(e, l->value_off),
			jit_const64(e, l->value_off + l->value_len)), "");
}

/* The object's first maps hold the access, by constants. */
static LLVMValueRef
map_spans(struct jit_emit *e, LLVMValueRef addr, uint64_t size, bool write)
{
	const struct uxdp_obj *obj = e->prog->obj;
	LLVMValueRef ok = NULL, in;
	unsigned int i;

	for (i = 0; obj != NULL && i < obj->n_maps && i < INLINE_MAPS; i++) {
		struct uxdp_map_mem_layout l;

		uxdp_map_mem_layout(obj->maps[i], &l);
		if (write && (l.n == 0 || l.stride == 0))
			continue;
		in = write ? element_write(e, addr, size, &l) :
			span_in(e, addr, size, jit_const64(e, l.read_lo),
				jit_const64(e, l.read_hi));
		ok = ok != NULL ? LLVMBuildOr(e->b, ok, in, "") : in;
	}
	return ok;
}

/* Stack block and packet, as the guard allows: the hot path. */
static LLVMValueRef
stack_or_packet(struct jit_emit *e, LLVMValueRef addr, uint64_t size,
		enum uxdp_mem_guard guard)
{
	LLVMValueRef ok = NULL, pkt;

	if (guard != UXDP_GUARD_PACKET && e->sb_block)
		ok = span_in(e, addr, size, e->stack_lo, e->stack_hi);
	if (guard != UXDP_GUARD_STACK) {
		pkt = span_in(e, addr, size,
			      LLVMBuildLoad2(e->b, e->i64, e->pkt_lo, ""),
			      LLVMBuildLoad2(e->b, e->i64, e->pkt_hi, ""));
		ok = ok != NULL ? LLVMBuildOr(e->b, ok, pkt, "") : pkt;
	}
	return ok != NULL ? ok : LLVMConstInt(e->i1, 0, 0);
}

/* The out-of-line rest: ctx and map ranges inline, then the call. */
static void
emit_slow_mem_check(struct jit_emit *e, LLVMValueRef addr, uint64_t size,
		    bool write, LLVMBasicBlockRef cont)
{
	LLVMTypeRef params[6] = { e->ptr, e->i64, e->i64, e->i64, e->i64,
				  e->i64 };
	LLVMBasicBlockRef call;
	LLVMValueRef ok = write ? NULL :
		span_in(e, addr, size, e->ctx_lo,
			LLVMBuildAdd(e->b, e->ctx_lo,
				     jit_const64(e, CTX_SIZE), ""));
	LLVMValueRef maps = map_spans(e, addr, size, write), r;
	LLVMValueRef args[6] = {
		const_fn(e, e->prog), addr, jit_const64(e, size),
		jit_const64(e, write), e->stack_lo, e->stack_hi,
	};

	if (maps != NULL)
		ok = ok != NULL ? LLVMBuildOr(e->b, ok, maps, "") : maps;
	if (ok != NULL) {
		call = LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn,
						     "mem_call");
		LLVMBuildCondBr(e->b, ok, cont, call);
		LLVMPositionBuilderAtEnd(e->b, call);
	}
	r = LLVMBuildCall2(e->b, LLVMFunctionType(e->i64, params, 6, 0),
			   const_fn(e, uxdp_sandbox_mem_ok), args, 6, "");
	LLVMBuildCondBr(e->b, LLVMBuildICmp(e->b, LLVMIntNE, r,
					    jit_const64(e, 0), ""),
			cont, e->abort_bb);
}

/* The base register of a memory instruction, or -1 for other ones. */
static int
mem_base(const struct bpf_insn *insn)
{
	switch (BPF_CLASS(insn->code)) {
	case BPF_LDX:
		return insn->src_reg;
	case BPF_ST:
	case BPF_STX:
		return insn->dst_reg;
	default:
		return -1;
	}
}

static bool
writes_reg(const struct bpf_insn *insn, unsigned int reg)
{
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_LDX:
	case BPF_LD:
		return insn->dst_reg == reg;
	case BPF_STX:
		if (BPF_MODE(insn->code) != BPF_ATOMIC)
			return false;
		if (insn->imm == BPF_CMPXCHG)
			return reg == BPF_REG_0;
		return (insn->imm & BPF_FETCH) && insn->src_reg == reg;
	default:
		return false;
	}
}

/*
 * Accesses through the same base register in one block, with no call,
 * jump or change of the register in between, are checked together
 * first: [base + lowest offset, base + highest end) inside the stack
 * block or the packet covers each of them. Where it holds, the
 * optimiser drops the single checks that follow (they are dominated by
 * it) and the accesses stay straight-line code it can merge; where it
 * does not, each access is checked on its own, as in the interpreter,
 * so both engines fault at the same access. Members must share a guard.
 */
static void
start_group(struct jit_emit *e, uint32_t pc, unsigned int reg,
	    enum uxdp_mem_guard guard)
{
	const struct bpf_insn *insns = e->prog->insns;
	int64_t lo = insns[pc].off;
	int64_t hi = lo + uxdp_insn_mem_size(insns[pc].code);
	uint32_t q, last = pc;
	LLVMValueRef addr;

	e->grp_ok = NULL;
	for (q = pc; q < e->cur->end; q++) {
		const struct bpf_insn *insn = &insns[q];
		uint8_t cls = BPF_CLASS(insn->code);

		if (q > pc && e->cfg.leader[q])
			break;
		if (cls == BPF_JMP || cls == BPF_JMP32)
			break;
		if (jit_insn_is_imm64(insn)) {
			if (insn->dst_reg == reg)
				break;
			q++;
			continue;
		}
		if (mem_base(insn) == (int)reg) {
			if (uxdp_sandbox_guard(e->prog, q) != guard)
				break;
			if (insn->off < lo)
				lo = insn->off;
			if (insn->off + (int64_t)uxdp_insn_mem_size(insn->code) > hi)
				hi = insn->off + uxdp_insn_mem_size(insn->code);
			last = q;
		}
		if (writes_reg(insn, reg))
			break;
	}
	if (last == pc)
		return;
	addr = LLVMBuildAdd(e->b, jit_get_reg(e, reg),
			    jit_const64(e, (uint64_t)lo), "grp");
	e->grp_ok = stack_or_packet(e, addr, (uint64_t)(hi - lo), guard);
	e->grp_reg = reg;
	e->grp_last = last;
}

void
jit_sb_check_mem(struct jit_emit *e, const struct bpf_insn *insn,
		 unsigned int reg, bool write)
{
	uint32_t pc = (uint32_t)(insn - e->prog->insns);
	uint64_t size = uxdp_insn_mem_size(insn->code);
	enum uxdp_mem_guard guard;
	LLVMBasicBlockRef cont, slow, single;
	LLVMValueRef addr;

	/* r10 with its constant offset was checked at load. */
	if (!e->sandbox || reg == BPF_REG_10)
		return;
	guard = uxdp_sandbox_guard(e->prog, pc);
	if (guard == UXDP_GUARD_NONE)
		return;
	if (e->grp_ok == NULL || pc > e->grp_last || reg != e->grp_reg)
		start_group(e, pc, reg, guard);
	cont = LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn, "mem_ok");
	if (e->grp_ok != NULL && pc <= e->grp_last && reg == e->grp_reg) {
		single = LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn,
						       "mem_single");
		cond_br_likely(e, e->grp_ok, cont, single);
		LLVMPositionBuilderAtEnd(e->b, single);
	}
	addr = LLVMBuildAdd(e->b, jit_get_reg(e, reg),
			    jit_const64(e, (uint64_t)(int64_t)insn->off), "addr");
	if (guard != UXDP_GUARD_ANY) {
		cond_br_likely(e, stack_or_packet(e, addr, size, guard), cont,
			       e->abort_bb);
		LLVMPositionBuilderAtEnd(e->b, cont);
		return;
	}
	slow = LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn, "mem_slow");
	cond_br_likely(e, stack_or_packet(e, addr, size, guard), cont, slow);
	LLVMPositionBuilderAtEnd(e->b, slow);
	emit_slow_mem_check(e, addr, size, write, cont);
	LLVMPositionBuilderAtEnd(e->b, cont);
}

/* The map of the object that register reg holds as a constant (an
 * ld_imm64 in this block), or NULL. */
static const struct uxdp_map_def *
known_own_map(struct jit_emit *e, unsigned int reg)
{
	const struct uxdp_obj *obj = e->prog->obj;
	unsigned int i;

	if (!e->known[reg])
		return NULL;
	for (i = 0; obj != NULL && i < obj->n_maps; i++)
		if ((uintptr_t)obj->maps[i] == e->known_val[reg])
			return uxdp_map_get_def(obj->maps[i]);
	return NULL;
}

/* A helper call's arguments checked inline where the kinds allow: a map
 * of the object known as a constant, the run's ctx, a key or value of
 * that map in the stack block or the packet. NULL when some argument
 * needs uxdp_sandbox_helper_ok() (or may, at run time: the inline
 * result false falls back to it). */
static LLVMValueRef
inline_helper_args(struct jit_emit *e, const struct bpf_insn *insn)
{
	const struct uxdp_map_def *map = known_own_map(e, BPF_REG_1);
	uint32_t id = (uint32_t)insn->imm;
	LLVMValueRef ok = LLVMConstInt(e->i1, 1, 0), arg_ok;
	unsigned int i;

	for (i = 0; i < 5; i++) {
		enum uxdp_sandbox_arg kind = uxdp_sandbox_helper_arg(id, i);
		uint64_t size;

		switch (kind) {
		case ARG_NONE:
			continue;
		case ARG_MAP:
			if (known_own_map(e, BPF_REG_1 + i) == NULL)
				return NULL;
			continue;
		case ARG_CTX:
			arg_ok = LLVMBuildICmp(e->b, LLVMIntEQ,
					       jit_get_reg(e, BPF_REG_1 + i),
					       e->ctx_lo, "");
			break;
		case ARG_KEY:
		case ARG_VALUE_R:
		case ARG_VALUE_W: /* the stack and packet are writable */
			if (map == NULL)
				return NULL;
			size = kind == ARG_KEY ? map->key_size : map->value_size;
			arg_ok = stack_or_packet(e, jit_get_reg(e, BPF_REG_1 + i),
						 size, UXDP_GUARD_ANY);
			break;
		default:
			return NULL;
		}
		ok = LLVMBuildAnd(e->b, ok, arg_ok, "");
	}
	return ok;
}

void
jit_sb_check_helper(struct jit_emit *e, const struct bpf_insn *insn)
{
	LLVMTypeRef params[9];
	LLVMValueRef args[9], r;
	LLVMBasicBlockRef cont;
	unsigned int i;

	LLVMValueRef fast;

	if (!e->sandbox || !uxdp_sandbox_helper_has_ptr_args((uint32_t)insn->imm))
		return;
	cont = LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn, "args_ok");
	fast = inline_helper_args(e, insn);
	if (fast != NULL) {
		LLVMBasicBlockRef call = LLVMAppendBasicBlockInContext(e->ctx,
			e->cur->fn, "args_call");

		cond_br_likely(e, fast, cont, call);
		LLVMPositionBuilderAtEnd(e->b, call);
	}
	params[0] = e->ptr;
	for (i = 1; i < 9; i++)
		params[i] = e->i64;
	args[0] = const_fn(e, e->prog);
	args[1] = jit_const64(e, (uint32_t)insn->imm);
	for (i = 0; i < 5; i++)
		args[2 + i] = jit_get_reg(e, BPF_REG_1 + i);
	args[7] = e->stack_lo;
	args[8] = e->stack_hi;
	r = LLVMBuildCall2(e->b, LLVMFunctionType(e->i64, params, 9, 0),
			   const_fn(e, uxdp_sandbox_helper_ok), args, 9, "");
	cond_br_likely(e, LLVMBuildICmp(e->b, LLVMIntNE, r, jit_const64(e, 0), ""),
		       cont, e->abort_bb);
	LLVMPositionBuilderAtEnd(e->b, cont);
}
