/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loads, stores and atomics. Accesses through r10 address the function's
 * frame alloca directly, so LLVM can keep stack slots in registers when
 * the frame's address never escapes; every other access goes to the host
 * address in the register, like the interpreter, checked first under
 * the sandbox (jit_sandbox.c). Plain accesses are
 * byte-aligned (programs may access unaligned data); atomics use natural
 * alignment, as the interpreter's __atomic builtins do.
 */

#include "jit_emit.h"

static LLVMTypeRef
size_type(struct jit_emit *e, uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return e->i8;
	case BPF_H:
		return e->i16;
	case BPF_W:
		return e->i32;
	default:
		return e->i64;
	}
}

/* The host address reg + off as a pointer. */
static LLVMValueRef
address(struct jit_emit *e, unsigned int reg, int16_t off)
{
	LLVMValueRef idx;

	if (reg == BPF_REG_10) {
		idx = LLVMConstInt(e->i64,
				   (uint64_t)(int64_t)(UXDP_STACK_SIZE + off), 1);
		return LLVMBuildGEP2(e->b, e->i8, e->stack, &idx, 1, "");
	}
	/* The register as a pointer, then the offset as a byte GEP: accesses
	 * at different offsets from one base are then visibly adjacent, so
	 * the optimiser can merge them (eBPF moves headers byte by byte). */
	idx = LLVMConstInt(e->i64, (uint64_t)(int64_t)off, 1);
	return LLVMBuildGEP2(e->b, e->i8,
			     LLVMBuildIntToPtr(e->b, jit_get_reg(e, reg),
					       e->ptr, ""),
			     &idx, 1, "");
}

void
jit_emit_ldx(struct jit_emit *e, const struct bpf_insn *insn)
{
	LLVMTypeRef t = size_type(e, insn->code);
	LLVMValueRef v;

	jit_sb_check_mem(e, insn, insn->src_reg, false);
	v = LLVMBuildLoad2(e->b, t, address(e, insn->src_reg, insn->off), "");
	LLVMSetAlignment(v, 1);
	if (t == e->i64)
		; /* already 64 bits */
	else if (BPF_MODE(insn->code) == BPF_MEMSX)
		v = LLVMBuildSExt(e->b, v, e->i64, "");
	else
		v = LLVMBuildZExt(e->b, v, e->i64, "");
	jit_set_reg(e, insn->dst_reg, v);
}

void
jit_emit_store(struct jit_emit *e, const struct bpf_insn *insn)
{
	LLVMTypeRef t = size_type(e, insn->code);
	LLVMValueRef v = BPF_CLASS(insn->code) == BPF_ST ?
		jit_const64(e, (uint64_t)(int64_t)insn->imm) :
		jit_get_reg(e, insn->src_reg);
	LLVMValueRef st;

	jit_sb_check_mem(e, insn, insn->dst_reg, true);
	if (t != e->i64)
		v = LLVMBuildTrunc(e->b, v, t, "");
	st = LLVMBuildStore(e->b, v, address(e, insn->dst_reg, insn->off));
	LLVMSetAlignment(st, 1);
}

static LLVMAtomicRMWBinOp
rmw_op(int32_t imm)
{
	switch (imm & ~BPF_FETCH) {
	case BPF_ADD:
		return LLVMAtomicRMWBinOpAdd;
	case BPF_AND:
		return LLVMAtomicRMWBinOpAnd;
	case BPF_OR:
		return LLVMAtomicRMWBinOpOr;
	case BPF_XOR:
		return LLVMAtomicRMWBinOpXor;
	default: /* BPF_XCHG */
		return LLVMAtomicRMWBinOpXchg;
	}
}

void
jit_emit_atomic(struct jit_emit *e, const struct bpf_insn *insn)
{
	LLVMTypeRef t = size_type(e, insn->code);
	unsigned int align = t == e->i64 ? 8 : 4;
	LLVMValueRef p, src, old, inst;

	jit_sb_check_mem(e, insn, insn->dst_reg, true);
	p = address(e, insn->dst_reg, insn->off);
	src = LLVMBuildTrunc(e->b, jit_get_reg(e, insn->src_reg), t, "");

	if (insn->imm == BPF_CMPXCHG) {
		/* compare with r0; r0 gets the old value either way */
		LLVMValueRef expect = LLVMBuildTrunc(e->b, jit_get_reg(e, BPF_REG_0),
						     t, "");

		inst = LLVMBuildAtomicCmpXchg(e->b, p, expect, src,
					      LLVMAtomicOrderingSequentiallyConsistent,
					      LLVMAtomicOrderingSequentiallyConsistent,
					      0);
		LLVMSetAlignment(inst, align);
		old = LLVMBuildExtractValue(e->b, inst, 0, "");
		jit_set_reg(e, BPF_REG_0, LLVMBuildZExt(e->b, old, e->i64, ""));
		return;
	}
	inst = LLVMBuildAtomicRMW(e->b, rmw_op(insn->imm), p, src,
				  LLVMAtomicOrderingSequentiallyConsistent, 0);
	LLVMSetAlignment(inst, align);
	if (insn->imm & BPF_FETCH)
		jit_set_reg(e, insn->src_reg, LLVMBuildZExt(e->b, inst, e->i64, ""));
}
