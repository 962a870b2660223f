/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * eBPF -> LLVM IR: the skeleton. Each eBPF function becomes an internal
 * LLVM function i64 (ptr state, i64 r0, ..., i64 r9) with r0..r9 in
 * allocas (mem2reg turns them into SSA values) and its own 512-byte
 * stack frame; r10 is the frame's end. Every basic block of eBPF is an
 * LLVM block. The exported entry function sets up the run state, calls
 * the program's function with r1 = ctx and returns r0.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit_emit.h"

LLVMValueRef
jit_const64(struct jit_emit *e, uint64_t v)
{
	return LLVMConstInt(e->i64, v, 0);
}

LLVMValueRef
jit_get_reg(struct jit_emit *e, unsigned int reg)
{
	if (reg == BPF_REG_10)
		return e->r10;
	return LLVMBuildLoad2(e->b, e->i64, e->regs[reg], "");
}

void
jit_set_reg(struct jit_emit *e, unsigned int reg, LLVMValueRef v)
{
	/* The checks refuse writes to r10; ignore rather than corrupt. */
	if (reg < BPF_REG_10) {
		LLVMBuildStore(e->b, v, e->regs[reg]);
		e->known[reg] = false;
	}
}

LLVMValueRef
jit_state_word(struct jit_emit *e, unsigned int word)
{
	LLVMValueRef idx[2] = {
		LLVMConstInt(e->i32, 0, 0), LLVMConstInt(e->i32, word, 0),
	};

	return LLVMBuildInBoundsGEP2(e->b, e->state_type, e->state, idx, 2, "");
}

void
jit_continue_dead(struct jit_emit *e)
{
	LLVMBasicBlockRef dead = LLVMAppendBasicBlockInContext(e->ctx,
							       e->cur->fn, "dead");

	LLVMPositionBuilderAtEnd(e->b, dead);
}

static bool
block_open(struct jit_emit *e)
{
	return LLVMGetBasicBlockTerminator(LLVMGetInsertBlock(e->b)) == NULL;
}

/* Instructions of the block starting at pc, as the interpreter counts
 * them (ld_imm64 is one). */
static uint64_t
block_len(const struct jit_emit *e, uint32_t pc)
{
	uint64_t n = 0;

	do {
		n++;
		pc += jit_insn_is_imm64(&e->prog->insns[pc]) ? 2 : 1;
	} while (pc < e->cur->end && !e->cfg.leader[pc]);
	return n;
}

/* Charge a block's instructions to the budget; abort when it cannot pay. */
static void
charge_budget(struct jit_emit *e, uint32_t pc)
{
	LLVMValueRef len = jit_const64(e, block_len(e, pc));
	LLVMValueRef slot = jit_state_word(e, JIT_STATE_BUDGET);
	LLVMValueRef left = LLVMBuildLoad2(e->b, e->i64, slot, "budget");
	LLVMBasicBlockRef pay = LLVMAppendBasicBlockInContext(e->ctx,
							      e->cur->fn, "pay");

	LLVMBuildCondBr(e->b, LLVMBuildICmp(e->b, LLVMIntUGE, left, len, ""),
			pay, e->abort_bb);
	LLVMPositionBuilderAtEnd(e->b, pay);
	LLVMBuildStore(e->b, LLVMBuildSub(e->b, left, len, ""), slot);
}

static LLVMIntPredicate
jmp_predicate(uint8_t op)
{
	switch (op) {
	case BPF_JEQ:
		return LLVMIntEQ;
	case BPF_JNE:
		return LLVMIntNE;
	case BPF_JGT:
		return LLVMIntUGT;
	case BPF_JGE:
		return LLVMIntUGE;
	case BPF_JLT:
		return LLVMIntULT;
	case BPF_JLE:
		return LLVMIntULE;
	case BPF_JSGT:
		return LLVMIntSGT;
	case BPF_JSGE:
		return LLVMIntSGE;
	case BPF_JSLT:
		return LLVMIntSLT;
	default: /* BPF_JSLE */
		return LLVMIntSLE;
	}
}

static void
emit_cond_jump(struct jit_emit *e, uint32_t pc, const struct bpf_insn *insn)
{
	bool is32 = BPF_CLASS(insn->code) == BPF_JMP32;
	uint8_t op = BPF_OP(insn->code);
	LLVMValueRef a = jit_get_reg(e, insn->dst_reg);
	LLVMValueRef b = BPF_SRC(insn->code) == BPF_X ?
		jit_get_reg(e, insn->src_reg) :
		jit_const64(e, (uint64_t)(int64_t)insn->imm);
	LLVMValueRef cond;

	if (is32) {
		a = LLVMBuildTrunc(e->b, a, e->i32, "");
		b = LLVMBuildTrunc(e->b, b, e->i32, "");
	}
	if (op == BPF_JSET)
		cond = LLVMBuildICmp(e->b, LLVMIntNE, LLVMBuildAnd(e->b, a, b, ""),
				     LLVMConstNull(LLVMTypeOf(a)), "");
	else
		cond = LLVMBuildICmp(e->b, jmp_predicate(op), a, b, "");
	LLVMBuildCondBr(e->b, cond, e->bb[pc + 1 + insn->off], e->bb[pc + 1]);
}

static void
emit_jmp(struct jit_emit *e, uint32_t pc, const struct bpf_insn *insn)
{
	uint8_t op = BPF_OP(insn->code);

	if (op == BPF_JA) {
		int32_t rel = BPF_CLASS(insn->code) == BPF_JMP32 ?
			insn->imm : insn->off;

		LLVMBuildBr(e->b, e->bb[pc + 1 + rel]);
		return;
	}
	if (op == BPF_EXIT) {
		jit_emit_exit(e);
		return;
	}
	if (op == BPF_CALL) {
		if (BPF_CLASS(insn->code) == BPF_JMP &&
		    insn->src_reg == BPF_PSEUDO_CALL)
			jit_emit_local_call(e, pc, insn);
		else
			jit_emit_helper_call(e, insn);
		return;
	}
	emit_cond_jump(e, pc, insn);
}

static void
emit_insn(struct jit_emit *e, uint32_t pc, const struct bpf_insn *insn)
{
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU64:
		jit_emit_alu64(e, insn);
		break;
	case BPF_ALU:
		jit_emit_alu32(e, insn);
		break;
	case BPF_LD: { /* ld_imm64: maps and globals are already addresses */
		uint64_t v = (uint32_t)insn->imm |
			((uint64_t)(uint32_t)insn[1].imm << 32);

		if (insn->src_reg == BPF_PSEUDO_FUNC) {
			jit_set_reg(e, insn->dst_reg,
				    jit_callback_address(e, pc, insn));
			break;
		}

		jit_set_reg(e, insn->dst_reg, jit_const64(e, v));
		if (insn->dst_reg < BPF_REG_10) {
			e->known[insn->dst_reg] = true;
			e->known_val[insn->dst_reg] = v;
		}
		break;
	}
	case BPF_LDX:
		jit_emit_ldx(e, insn);
		break;
	case BPF_ST:
		jit_emit_store(e, insn);
		break;
	case BPF_STX:
		if (BPF_MODE(insn->code) == BPF_ATOMIC)
			jit_emit_atomic(e, insn);
		else
			jit_emit_store(e, insn);
		break;
	default: /* BPF_JMP, BPF_JMP32 */
		emit_jmp(e, pc, insn);
		break;
	}
}

/* Entry block: the registers, the frame, the shared exit blocks. */
static void
emit_prologue(struct jit_emit *e, const struct jit_func *f)
{
	LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(e->ctx, f->fn,
								"entry");
	LLVMTypeRef frame = LLVMArrayType(e->i8, UXDP_STACK_SIZE);
	LLVMValueRef end_idx;
	unsigned int r;

	e->cur = f;
	LLVMPositionBuilderAtEnd(e->b, entry);
	e->state = LLVMGetParam(f->fn, 0);
	for (r = 0; r < 10; r++) {
		e->regs[r] = LLVMBuildAlloca(e->b, e->i64, "");
		LLVMBuildStore(e->b, LLVMGetParam(f->fn, 1 + r), e->regs[r]);
	}
	e->abort_bb = LLVMAppendBasicBlockInContext(e->ctx, f->fn, "abort");
	e->unwind_bb = LLVMAppendBasicBlockInContext(e->ctx, f->fn, "unwind");
	/* Under the sandbox a frame may come from the run's block. */
	if (!jit_sb_prologue(e)) {
		e->stack = LLVMBuildAlloca(e->b, frame, "stack");
		LLVMSetAlignment(e->stack, 16);
		end_idx = LLVMConstInt(e->i64, UXDP_STACK_SIZE, 0);
		e->r10 = LLVMBuildPtrToInt(e->b,
			LLVMBuildGEP2(e->b, e->i8, e->stack, &end_idx, 1, "fp"),
			e->i64, "r10");
	}
	entry = LLVMGetInsertBlock(e->b);

	LLVMPositionBuilderAtEnd(e->b, e->abort_bb);
	jit_sb_count_fault(e);
	LLVMBuildStore(e->b, jit_const64(e, 1), jit_state_word(e, JIT_STATE_DONE));
	LLVMBuildStore(e->b, jit_const64(e, UXDP_ABORTED),
		       jit_state_word(e, JIT_STATE_RETVAL));
	LLVMBuildRet(e->b, jit_const64(e, 0));
	LLVMPositionBuilderAtEnd(e->b, e->unwind_bb);
	LLVMBuildRet(e->b, jit_const64(e, 0));

	LLVMPositionBuilderAtEnd(e->b, entry);
}

static void
emit_func(struct jit_emit *e, const struct jit_func *f)
{
	uint32_t pc;

	/* The prologue's block comes first: LLVM's entry block. */
	emit_prologue(e, f);
	for (pc = f->start; pc < f->end; pc++)
		if (e->cfg.leader[pc])
			e->bb[pc] = LLVMAppendBasicBlockInContext(e->ctx, f->fn, "");
	LLVMBuildBr(e->b, e->bb[f->start]);
	for (pc = f->start; pc < f->end; pc++) {
		const struct bpf_insn *insn = &e->prog->insns[pc];

		if (e->cfg.leader[pc]) {
			if (block_open(e))
				LLVMBuildBr(e->b, e->bb[pc]);
			LLVMPositionBuilderAtEnd(e->b, e->bb[pc]);
			memset(e->known, 0, sizeof(e->known));
			e->grp_ok = NULL;
			if (e->cfg.count_budget)
				charge_budget(e, pc);
		}
		emit_insn(e, pc, insn);
		if (jit_insn_is_imm64(insn))
			pc++;
	}
	/* Falling off the end of a function: the checks refuse it, but
	 * never let it become undefined behaviour. */
	if (block_open(e))
		LLVMBuildBr(e->b, e->abort_bb);
}

/* uint64_t uxdp_jit_entry(void *ctx) */
static void
emit_entry(struct jit_emit *e)
{
	LLVMTypeRef type = LLVMFunctionType(e->i64, &e->ptr, 1, 0);
	LLVMValueRef fn = LLVMAddFunction(e->mod, UXDP_JIT_ENTRY, type);
	LLVMValueRef args[11], r0, done, retval;
	unsigned int i;

	LLVMPositionBuilderAtEnd(e->b,
		LLVMAppendBasicBlockInContext(e->ctx, fn, "entry"));
	e->state = LLVMBuildAlloca(e->b, e->state_type, "state");
	LLVMBuildStore(e->b, jit_const64(e, UXDP_INSN_BUDGET),
		       jit_state_word(e, JIT_STATE_BUDGET));
	LLVMBuildStore(e->b, jit_const64(e, 0), jit_state_word(e, JIT_STATE_DONE));
	LLVMBuildStore(e->b, jit_const64(e, 0),
		       jit_state_word(e, JIT_STATE_RETVAL));
	args[0] = e->state;
	for (i = 1; i < 11; i++)
		args[i] = jit_const64(e, 0);
	args[2] = LLVMBuildPtrToInt(e->b, LLVMGetParam(fn, 0), e->i64, "ctx");
	jit_sb_entry(e, args[2]);
	r0 = LLVMBuildCall2(e->b, e->func_type, e->cfg.funcs[0].fn, args, 11, "");
	done = LLVMBuildLoad2(e->b, e->i64, jit_state_word(e, JIT_STATE_DONE), "");
	retval = LLVMBuildLoad2(e->b, e->i64,
				jit_state_word(e, JIT_STATE_RETVAL), "");
	LLVMBuildRet(e->b, LLVMBuildSelect(e->b,
		LLVMBuildICmp(e->b, LLVMIntNE, done, jit_const64(e, 0), ""),
		retval, r0, ""));
}

static void
init_types(struct jit_emit *e)
{
	LLVMTypeRef params[11];
	unsigned int i;

	e->i1 = LLVMInt1TypeInContext(e->ctx);
	e->i8 = LLVMInt8TypeInContext(e->ctx);
	e->i16 = LLVMInt16TypeInContext(e->ctx);
	e->i32 = LLVMInt32TypeInContext(e->ctx);
	e->i64 = LLVMInt64TypeInContext(e->ctx);
	e->ptr = LLVMPointerTypeInContext(e->ctx, 0);
	params[0] = e->ptr;
	for (i = 1; i < 11; i++)
		params[i] = e->i64;
	e->func_type = LLVMFunctionType(e->i64, params, 11, 0);
	e->helper_type = LLVMFunctionType(e->i64, params + 1, 5, 0);
	e->state_type = LLVMArrayType(e->i64, JIT_STATE_WORDS);
}

int
uxdp_jit_emit(const struct uxdp_prog *prog, LLVMContextRef ctx,
	      LLVMModuleRef mod, char *err, size_t err_len)
{
	struct jit_emit e = {
		.prog = prog, .ctx = ctx, .mod = mod,
		.err = err, .err_len = err_len,
	};
	uint32_t f;
	int ret;

	ret = jit_cfg_build(prog, &e.cfg, err, err_len);
	if (ret < 0)
		return ret;
	e.bb = calloc(prog->n_insns + 1, sizeof(*e.bb));
	if (e.bb == NULL) {
		jit_cfg_free(&e.cfg);
		return uxdp_set_err(err, err_len, ENOMEM, "JIT: out of memory");
	}
	init_types(&e);
	jit_sb_init(&e);
	e.b = LLVMCreateBuilderInContext(ctx);
	for (f = 0; f < e.cfg.n_funcs; f++) {
		char name[32];

		snprintf(name, sizeof(name), "bpf_func_%u", e.cfg.funcs[f].start);
		e.cfg.funcs[f].fn = LLVMAddFunction(mod, name, e.func_type);
		LLVMSetLinkage(e.cfg.funcs[f].fn, LLVMInternalLinkage);
	}
	for (f = 0; f < e.cfg.n_funcs; f++)
		emit_func(&e, &e.cfg.funcs[f]);
	emit_entry(&e);
	LLVMDisposeBuilder(e.b);
	free(e.bb);
	jit_cfg_free(&e.cfg);
	return 0;
}
