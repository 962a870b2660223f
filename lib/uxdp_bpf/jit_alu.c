/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * ALU and ALU64 lowering with the interpreter's semantics, written so
 * that no LLVM instruction can hit undefined behaviour: divisors are
 * replaced before udiv/sdiv whenever the ISA defines a result of its own
 * (x / 0 = 0, x % 0 = x, INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0), and
 * shift counts are masked to the operand width.
 */

#include "jit_emit.h"

LLVMValueRef
jit_bswap(struct jit_emit *e, LLVMValueRef v)
{
	unsigned int id = LLVMLookupIntrinsicID("llvm.bswap", 10);
	LLVMTypeRef type = LLVMTypeOf(v);
	LLVMValueRef fn;

	fn = LLVMGetIntrinsicDeclaration(e->mod, id, &type, 1);
	return LLVMBuildCall2(e->b, LLVMIntrinsicGetType(e->ctx, id, &type, 1),
			      fn, &v, 1, "");
}

/* dst / src or dst % src in the width of a and b. */
static LLVMValueRef
div_mod(struct jit_emit *e, bool is_signed, bool is_mod, LLVMValueRef a,
	LLVMValueRef b)
{
	LLVMTypeRef t = LLVMTypeOf(a);
	LLVMValueRef zero = LLVMConstNull(t);
	LLVMValueRef one = LLVMConstInt(t, 1, 0);
	LLVMValueRef by_zero = LLVMBuildICmp(e->b, LLVMIntEQ, b, zero, "");
	LLVMValueRef safe, q, by_m1;

	if (!is_signed) {
		safe = LLVMBuildSelect(e->b, by_zero, one, b, "");
		q = is_mod ? LLVMBuildURem(e->b, a, safe, "") :
			LLVMBuildUDiv(e->b, a, safe, "");
		return LLVMBuildSelect(e->b, by_zero, is_mod ? a : zero, q, "");
	}
	by_m1 = LLVMBuildICmp(e->b, LLVMIntEQ, b, LLVMConstAllOnes(t), "");
	safe = LLVMBuildSelect(e->b, LLVMBuildOr(e->b, by_zero, by_m1, ""),
			       one, b, "");
	q = is_mod ? LLVMBuildSRem(e->b, a, safe, "") :
		LLVMBuildSDiv(e->b, a, safe, "");
	/* by -1: a % -1 = 0, a / -1 = -a (wrapping) */
	q = LLVMBuildSelect(e->b, by_m1,
			    is_mod ? zero : LLVMBuildNeg(e->b, a, ""), q, "");
	return LLVMBuildSelect(e->b, by_zero, is_mod ? a : zero, q, "");
}

/* Sign-extend the low `bits` of v to v's width (movsx). */
static LLVMValueRef
sext_low(struct jit_emit *e, LLVMValueRef v, unsigned int bits)
{
	LLVMTypeRef narrow = LLVMIntTypeInContext(e->ctx, bits);

	return LLVMBuildSExt(e->b, LLVMBuildTrunc(e->b, v, narrow, ""),
			     LLVMTypeOf(v), "");
}

/* One ALU operation in the width of a and b; NULL for BPF_END. */
static LLVMValueRef
alu_op(struct jit_emit *e, const struct bpf_insn *insn, LLVMValueRef a,
       LLVMValueRef b, unsigned int width)
{
	LLVMValueRef mask = LLVMConstInt(LLVMTypeOf(a), width - 1, 0);
	bool is_signed = insn->off == 1;

	switch (BPF_OP(insn->code)) {
	case BPF_ADD:
		return LLVMBuildAdd(e->b, a, b, "");
	case BPF_SUB:
		return LLVMBuildSub(e->b, a, b, "");
	case BPF_MUL:
		return LLVMBuildMul(e->b, a, b, "");
	case BPF_DIV:
		return div_mod(e, is_signed, false, a, b);
	case BPF_MOD:
		return div_mod(e, is_signed, true, a, b);
	case BPF_OR:
		return LLVMBuildOr(e->b, a, b, "");
	case BPF_AND:
		return LLVMBuildAnd(e->b, a, b, "");
	case BPF_XOR:
		return LLVMBuildXor(e->b, a, b, "");
	case BPF_LSH:
		return LLVMBuildShl(e->b, a, LLVMBuildAnd(e->b, b, mask, ""), "");
	case BPF_RSH:
		return LLVMBuildLShr(e->b, a, LLVMBuildAnd(e->b, b, mask, ""), "");
	case BPF_ARSH:
		return LLVMBuildAShr(e->b, a, LLVMBuildAnd(e->b, b, mask, ""), "");
	case BPF_NEG:
		return LLVMBuildNeg(e->b, a, "");
	case BPF_MOV:
		/* movsx (ISA v4): off gives the source width. */
		if (insn->off == 8 || insn->off == 16 ||
		    (insn->off == 32 && width == 64))
			return sext_low(e, b, (unsigned int)insn->off);
		return b;
	default:
		return NULL;
	}
}

/* Byte swap of the low imm bits, zero-extended to 64 bits. */
static LLVMValueRef
swap_low(struct jit_emit *e, LLVMValueRef v, int32_t imm, bool swap)
{
	LLVMTypeRef t;

	if (imm != 16 && imm != 32)
		return swap ? jit_bswap(e, v) : v;
	t = LLVMIntTypeInContext(e->ctx, (unsigned int)imm);
	v = LLVMBuildTrunc(e->b, v, t, "");
	if (swap)
		v = jit_bswap(e, v);
	return LLVMBuildZExt(e->b, v, e->i64, "");
}

static LLVMValueRef
src_operand(struct jit_emit *e, const struct bpf_insn *insn)
{
	if (BPF_SRC(insn->code) == BPF_X)
		return jit_get_reg(e, insn->src_reg);
	return jit_const64(e, (uint64_t)(int64_t)insn->imm);
}

void
jit_emit_alu64(struct jit_emit *e, const struct bpf_insn *insn)
{
	LLVMValueRef dst = jit_get_reg(e, insn->dst_reg);
	LLVMValueRef v;

	if (BPF_OP(insn->code) == BPF_END) {
		/* ISA v4 bswap: unconditional, whatever the host order */
		jit_set_reg(e, insn->dst_reg, swap_low(e, dst, insn->imm, true));
		return;
	}
	v = alu_op(e, insn, dst, src_operand(e, insn), 64);
	jit_set_reg(e, insn->dst_reg, v);
}

void
jit_emit_alu32(struct jit_emit *e, const struct bpf_insn *insn)
{
	LLVMValueRef dst = jit_get_reg(e, insn->dst_reg);
	LLVMValueRef v;

	if (BPF_OP(insn->code) == BPF_END) {
		/* to_le is a truncation on this little-endian host */
		bool to_be = BPF_SRC(insn->code) == BPF_TO_BE;

		jit_set_reg(e, insn->dst_reg,
			    swap_low(e, dst, insn->imm, to_be));
		return;
	}
	v = alu_op(e, insn, LLVMBuildTrunc(e->b, dst, e->i32, ""),
		   LLVMBuildTrunc(e->b, src_operand(e, insn), e->i32, ""), 32);
	jit_set_reg(e, insn->dst_reg, LLVMBuildZExt(e->b, v, e->i64, ""));
}
