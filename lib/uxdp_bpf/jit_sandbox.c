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
 * which may move them), so the optimiser can hoist and merge them; on a
 * miss, an access the analysis could not classify calls
 * uxdp_sandbox_mem_ok() for the other regions. A failed check branches
 * to the function's abort block, which under the sandbox counts the
 * fault. Helper calls with pointer arguments call uxdp_sandbox_helper_ok()
 * first.
 */

#include "jit_emit.h"
#include "sandbox.h"

/* Offsets of the packet bounds in the ctx (struct uxdp_xdp_buff). */
#define CTX_DATA_END 8
#define CTX_DATA_META 16

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
	if (!e->sandbox)
		return false;
	e->pkt_lo = LLVMBuildAlloca(e->b, e->i64, "pkt_lo");
	e->pkt_hi = LLVMBuildAlloca(e->b, e->i64, "pkt_hi");
	e->stack_lo = load_state(e, JIT_STATE_STACK_LO);
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

void
jit_sb_check_mem(struct jit_emit *e, const struct bpf_insn *insn,
		 unsigned int reg, bool write)
{
	uint32_t pc = (uint32_t)(insn - e->prog->insns);
	enum uxdp_mem_guard guard;
	uint64_t size = uxdp_insn_mem_size(insn->code);
	LLVMValueRef addr, ok = NULL, pkt;
	LLVMBasicBlockRef cont, slow;

	/* r10 with its constant offset was checked at load. */
	if (!e->sandbox || reg == BPF_REG_10)
		return;
	guard = uxdp_sandbox_guard(e->prog, pc);
	if (guard == UXDP_GUARD_NONE)
		return;
	addr = LLVMBuildAdd(e->b, jit_get_reg(e, reg),
			    jit_const64(e, (uint64_t)(int64_t)insn->off), "addr");
	if (guard != UXDP_GUARD_PACKET && e->sb_block)
		ok = span_in(e, addr, size, e->stack_lo, e->stack_hi);
	if (guard != UXDP_GUARD_STACK) {
		pkt = span_in(e, addr, size,
			      LLVMBuildLoad2(e->b, e->i64, e->pkt_lo, ""),
			      LLVMBuildLoad2(e->b, e->i64, e->pkt_hi, ""));
		ok = ok != NULL ? LLVMBuildOr(e->b, ok, pkt, "") : pkt;
	}
	if (ok == NULL)
		ok = LLVMConstInt(e->i1, 0, 0);
	cont = LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn, "mem_ok");
	if (guard != UXDP_GUARD_ANY) {
		cond_br_likely(e, ok, cont, e->abort_bb);
		LLVMPositionBuilderAtEnd(e->b, cont);
		return;
	}
	/* The other regions: out of line. */
	slow = LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn, "mem_slow");
	cond_br_likely(e, ok, cont, slow);
	LLVMPositionBuilderAtEnd(e->b, slow);
	{
		LLVMTypeRef params[6] = { e->ptr, e->i64, e->i64, e->i64,
					  e->i64, e->i64 };
		LLVMTypeRef type = LLVMFunctionType(e->i64, params, 6, 0);
		LLVMValueRef args[6] = {
			const_fn(e, e->prog), addr, jit_const64(e, size),
			jit_const64(e, write), e->stack_lo, e->stack_hi,
		};
		LLVMValueRef r = LLVMBuildCall2(e->b, type,
			const_fn(e, uxdp_sandbox_mem_ok), args, 6, "");

		LLVMBuildCondBr(e->b, LLVMBuildICmp(e->b, LLVMIntNE, r,
						    jit_const64(e, 0), ""),
				cont, e->abort_bb);
	}
	LLVMPositionBuilderAtEnd(e->b, cont);
}

void
jit_sb_check_helper(struct jit_emit *e, const struct bpf_insn *insn)
{
	LLVMTypeRef params[9];
	LLVMValueRef args[9], r;
	LLVMBasicBlockRef cont;
	unsigned int i;

	if (!e->sandbox || !uxdp_sandbox_helper_has_ptr_args((uint32_t)insn->imm))
		return;
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
	cont = LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn, "args_ok");
	cond_br_likely(e, LLVMBuildICmp(e->b, LLVMIntNE, r, jit_const64(e, 0), ""),
		       cont, e->abort_bb);
	LLVMPositionBuilderAtEnd(e->b, cont);
}
