/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Calls and returns. Helper calls go to the same C functions the
 * interpreter calls, found in the same table at compile time and called
 * through their address as a constant: no symbol resolution, so the JIT
 * works the same inside the PMD plugin, and a helper added to the table
 * works in both engines at once.
 *
 * A bpf-to-bpf call passes r0..r9 (the callee sees the caller's values,
 * as in the interpreter, which shares one register file), the callee
 * hands r1..r5 back through the run state, and the caller keeps its own
 * r6..r9 and r10. When the run ended inside the callee (abort) the
 * caller unwinds at once.
 */

#include "jit_emit.h"

/* bpf_tail_call(ctx, prog_array, index): uxdp_tail_call() runs the
 * target; on success its r0 (in the state's retval) is what the current
 * function returns, as when the kernel's tail call replaces the frame of
 * a subprogram (in main, that ends the run); otherwise the program goes
 * on with r0 unchanged. */
static void
emit_tail_call(struct jit_emit *e)
{
	LLVMTypeRef params[4] = { e->ptr, e->ptr, e->i32, e->ptr };
	LLVMTypeRef type = LLVMFunctionType(e->i32, params, 4, 0);
	LLVMValueRef fn = LLVMConstIntToPtr(
		jit_const64(e, (uint64_t)(uintptr_t)uxdp_tail_call), e->ptr);
	LLVMValueRef args[4], ret;
	LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(e->ctx,
							       e->cur->fn,
							       "tail_done");
	LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(e->ctx,
							       e->cur->fn,
							       "tail_miss");

	args[0] = LLVMBuildIntToPtr(e->b, jit_get_reg(e, BPF_REG_1), e->ptr, "");
	args[1] = LLVMBuildIntToPtr(e->b, jit_get_reg(e, BPF_REG_2), e->ptr, "");
	args[2] = LLVMBuildTrunc(e->b, jit_get_reg(e, BPF_REG_3), e->i32, "");
	args[3] = jit_state_word(e, JIT_STATE_RETVAL);
	ret = LLVMBuildCall2(e->b, type, fn, args, 4, "");
	LLVMBuildCondBr(e->b, LLVMBuildICmp(e->b, LLVMIntEQ, ret,
					    LLVMConstInt(e->i32, 0, 0), ""),
			done, cont);
	LLVMPositionBuilderAtEnd(e->b, done);
	jit_set_reg(e, BPF_REG_0,
		    LLVMBuildLoad2(e->b, e->i64,
				   jit_state_word(e, JIT_STATE_RETVAL), ""));
	jit_emit_exit(e);
	LLVMPositionBuilderAtEnd(e->b, cont);
}

static void
emit_helper_call(struct jit_emit *e, const struct bpf_insn *insn)
{
	const struct uxdp_helper_desc *h;
	LLVMValueRef args[5], fn, r0;
	unsigned int i;

	if (insn->imm == BPF_FUNC_tail_call) {
		emit_tail_call(e);
		return;
	}
	if (insn->imm == BPF_FUNC_loop ||
	    insn->imm == BPF_FUNC_for_each_map_elem) {
		jit_emit_callback_helper(e, insn);
		return;
	}
	/* A lookup in a map the program names directly is specialised for
	 * that map; one in a map known at run time only (an inner map of a
	 * map of maps) dispatches on the map's type, inline. */
	if (insn->imm == BPF_FUNC_map_lookup_elem) {
		if (e->known[BPF_REG_1])
			r0 = jit_inline_map_lookup(e, e->known_val[BPF_REG_1],
						   jit_get_reg(e, BPF_REG_2));
		else
			r0 = jit_inline_map_lookup_dynamic(e,
						jit_get_reg(e, BPF_REG_1),
						jit_get_reg(e, BPF_REG_2));
		if (r0 != NULL) {
			jit_set_reg(e, BPF_REG_0, r0);
			return;
		}
	}
	h = uxdp_helper_get((uint32_t)insn->imm);
	if (h == NULL) {
		/* The interpreter aborts when it reaches such a call. */
		LLVMBuildBr(e->b, e->abort_bb);
		jit_continue_dead(e);
		return;
	}
	for (i = 0; i < 5; i++)
		args[i] = jit_get_reg(e, BPF_REG_1 + i);
	fn = LLVMConstIntToPtr(jit_const64(e, (uint64_t)(uintptr_t)h->fn),
			       e->ptr);
	r0 = LLVMBuildCall2(e->b, e->helper_type, fn, args, 5, "");
	jit_set_reg(e, BPF_REG_0, r0);
}

/* Under the sandbox the pointer arguments are checked first, and the
 * packet bounds reread after (the helper may have moved the packet). */
void
jit_emit_helper_call(struct jit_emit *e, const struct bpf_insn *insn)
{
	jit_sb_check_helper(e, insn);
	emit_helper_call(e, insn);
	jit_sb_reload_packet(e);
}

void
jit_emit_local_call(struct jit_emit *e, uint32_t pc,
		    const struct bpf_insn *insn)
{
	int callee = jit_cfg_func_at(&e->cfg, pc + 1 + insn->imm);
	LLVMValueRef args[11], r0, done;
	LLVMBasicBlockRef cont;
	unsigned int i;

	if (callee < 0) {
		LLVMBuildBr(e->b, e->abort_bb);
		jit_continue_dead(e);
		return;
	}
	args[0] = e->state;
	for (i = 0; i < 10; i++)
		args[1 + i] = jit_get_reg(e, i);
	r0 = LLVMBuildCall2(e->b, e->func_type, e->cfg.funcs[callee].fn,
			    args, 11, "");
	jit_set_reg(e, BPF_REG_0, r0);
	for (i = 0; i < 5; i++)
		jit_set_reg(e, BPF_REG_1 + i,
			    LLVMBuildLoad2(e->b, e->i64,
					   jit_state_word(e, JIT_STATE_OUT_R1 + i),
					   ""));
	done = LLVMBuildLoad2(e->b, e->i64, jit_state_word(e, JIT_STATE_DONE), "");
	cont = LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn, "ret");
	LLVMBuildCondBr(e->b,
			LLVMBuildICmp(e->b, LLVMIntNE, done, jit_const64(e, 0), ""),
			e->unwind_bb, cont);
	LLVMPositionBuilderAtEnd(e->b, cont);
	jit_sb_reload_packet(e);
}

void
jit_emit_exit(struct jit_emit *e)
{
	unsigned int i;

	/* Only a caller reads these; for the program's own function the
	 * optimiser drops the stores. */
	if (e->cur != &e->cfg.funcs[0])
		for (i = 0; i < 5; i++)
			LLVMBuildStore(e->b, jit_get_reg(e, BPF_REG_1 + i),
				       jit_state_word(e, JIT_STATE_OUT_R1 + i));
	jit_sb_exit(e);
	LLVMBuildRet(e->b, jit_get_reg(e, BPF_REG_0));
}
