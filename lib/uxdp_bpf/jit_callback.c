/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Callbacks in the JIT. A callback is an eBPF function like any other
 * (jit_cfg.c makes every ld_imm64 BPF_PSEUDO_FUNC target a function), and
 * the ld_imm64 yields the address of its LLVM function.
 *
 * bpf_loop becomes an LLVM loop around a direct call of the callback
 * (emit_callback_call()), so that the optimiser may inline it into the
 * loop. Semantics are uxdp_callback_loop()'s
 * (helpers_callback.c), which the interpreter runs: flags, then the u32
 * nr_loops against the limit (or, where the kernel inlines the call, its
 * inlined form's test, callback.h), then calls with r1 = index, r2 = ctx
 * and r0, r3..r9 = 0, the count of calls made as the result.
 *
 * bpf_for_each_map_elem calls uxdp_callback_for_each() with a closure
 * that calls the JIT'd function through its address: map iteration is
 * written once, in C, for both engines.
 *
 * After either, a run that ended inside the callback (budget, abort)
 * unwinds like after a bpf-to-bpf call.
 */

#include <errno.h>

#include <rte_common.h>

#include "jit_emit.h"
#include "callback.h"

typedef uint64_t (*jit_func_ptr)(uint64_t *state, uint64_t r0, uint64_t r1,
				 uint64_t r2, uint64_t r3, uint64_t r4,
				 uint64_t r5, uint64_t r6, uint64_t r7,
				 uint64_t r8, uint64_t r9);

struct jit_callback {
	struct uxdp_callback cb;
	jit_func_ptr fn;
	uint64_t *state;
};

static uint64_t
jit_callback_invoke(struct uxdp_callback *cb, uint64_t r1, uint64_t r2,
		    uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct jit_callback *jcb = (struct jit_callback *)cb;
	uint64_t r0 = jcb->fn(jcb->state, 0, r1, r2, r3, r4, r5, 0, 0, 0, 0);

	cb->ended = jcb->state[JIT_STATE_DONE] != 0;
	return r0;
}

/* Called by JIT'd code: bpf_for_each_map_elem with the callback's
 * function address. */
static uint64_t
jit_for_each_map_elem(uint64_t map, uint64_t fn, uint64_t callback_ctx,
		      uint64_t flags, uint64_t *state)
{
	struct jit_callback jcb = {
		.cb = { .invoke = jit_callback_invoke },
		.fn = (jit_func_ptr)(uintptr_t)fn,
		.state = state,
	};

	return uxdp_callback_for_each(&jcb.cb,
				      (struct uxdp_map *)(uintptr_t)map,
				      callback_ctx, flags);
}

static LLVMBasicBlockRef
new_block(struct jit_emit *e, const char *name)
{
	return LLVMAppendBasicBlockInContext(e->ctx, e->cur->fn, name);
}

/* After a callback: leave when the run is over. */
static void
unwind_if_done(struct jit_emit *e)
{
	LLVMValueRef done = LLVMBuildLoad2(e->b, e->i64,
					   jit_state_word(e, JIT_STATE_DONE), "");
	LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(e->ctx,
							       e->cur->fn,
							       "cb_ret");

	LLVMBuildCondBr(e->b,
			LLVMBuildICmp(e->b, LLVMIntNE, done, jit_const64(e, 0), ""),
			e->unwind_bb, cont);
	LLVMPositionBuilderAtEnd(e->b, cont);
}

/*
 * Call the callback in cb (an i64 address) with args. The checks make it
 * one of the callbacks whose address the current function takes, so the
 * call is direct: to that function when there is one, else after
 * comparing with each but the last (clang merges bpf_loop calls that
 * differ only in their callback). Direct calls let LLVM inline the
 * callback. More than eight candidates: an indirect call.
 */
static LLVMValueRef
emit_callback_call(struct jit_emit *e, LLVMValueRef cb, LLVMValueRef *args)
{
	LLVMBasicBlockRef join, next;
	LLVMValueRef cand[8], r0, rets[8];
	LLVMBasicBlockRef from[8];
	unsigned int n = 0, k;
	uint32_t pc;

	for (pc = e->cur->start; pc < e->cur->end; pc++) {
		const struct bpf_insn *insn = &e->prog->insns[pc];
		LLVMValueRef fn;
		bool seen = false;
		int f;

		if (!jit_insn_is_imm64(insn))
			continue;
		pc++;
		if (insn->src_reg != BPF_PSEUDO_FUNC)
			continue;
		f = jit_cfg_func_at(&e->cfg, pc + insn->imm);
		if (f < 0)
			continue;
		fn = e->cfg.funcs[f].fn;
		for (k = 0; k < n; k++)
			seen |= cand[k] == fn;
		if (seen)
			continue;
		if (n == RTE_DIM(cand))
			goto indirect;
		cand[n++] = fn;
	}
	if (n == 1)
		return LLVMBuildCall2(e->b, e->func_type, cand[0], args, 11, "");
	if (n == 0)
		goto indirect;
	/* cb is one of the n (the checks): compare with all but the last. */
	join = new_block(e, "cb_join");
	for (k = 0; k < n; k++) {
		LLVMBasicBlockRef call = new_block(e, "cb_direct");

		if (k + 1 < n) {
			next = new_block(e, "cb_next");
			LLVMBuildCondBr(e->b, LLVMBuildICmp(e->b, LLVMIntEQ, cb,
				LLVMConstPtrToInt(cand[k], e->i64), ""),
				call, next);
		} else {
			next = NULL;
			LLVMBuildBr(e->b, call);
		}
		LLVMPositionBuilderAtEnd(e->b, call);
		rets[k] = LLVMBuildCall2(e->b, e->func_type, cand[k], args, 11,
					 "");
		from[k] = call;
		LLVMBuildBr(e->b, join);
		if (next != NULL)
			LLVMPositionBuilderAtEnd(e->b, next);
	}
	LLVMPositionBuilderAtEnd(e->b, join);
	r0 = LLVMBuildPhi(e->b, e->i64, "cb_r0");
	LLVMAddIncoming(r0, rets, from, n);
	return r0;
indirect:
	return LLVMBuildCall2(e->b, e->func_type,
			      LLVMBuildIntToPtr(e->b, cb, e->ptr, ""),
			      args, 11, "");
}

static void
emit_loop(struct jit_emit *e, bool inlined)
{
	LLVMBasicBlockRef entry = LLVMGetInsertBlock(e->b);
	LLVMBasicBlockRef check_n = new_block(e, "loop_check_n");
	LLVMBasicBlockRef head = new_block(e, "loop_head");
	LLVMBasicBlockRef body = new_block(e, "loop_body");
	LLVMBasicBlockRef stop = new_block(e, "loop_stop");
	LLVMBasicBlockRef done = new_block(e, "loop_done");
	LLVMValueRef nr, n, fn, ctx, i, next, ret, args[11], r0;
	LLVMValueRef r0_in[4];
	LLVMBasicBlockRef r0_bb[4];
	unsigned int k;

	nr = jit_get_reg(e, BPF_REG_1);
	n = LLVMBuildTrunc(e->b, nr, e->i32, "nr_loops");
	fn = jit_get_reg(e, BPF_REG_2);
	ctx = jit_get_reg(e, BPF_REG_3);
	/* The kernel's inlined form has no flags test (they are 0) and
	 * compares all 64 bits of nr_loops (callback.h). */
	LLVMBuildCondBr(e->b, inlined ? LLVMConstInt(e->i1, 0, 0) :
			LLVMBuildICmp(e->b, LLVMIntNE, jit_get_reg(e, BPF_REG_4),
				      jit_const64(e, 0), ""),
			done, check_n);

	LLVMPositionBuilderAtEnd(e->b, check_n);
	LLVMBuildCondBr(e->b, inlined ?
			LLVMBuildICmp(e->b, LLVMIntUGT, nr,
				      jit_const64(e, UXDP_MAX_LOOPS), "") :
			LLVMBuildICmp(e->b, LLVMIntUGT, n,
				      LLVMConstInt(e->i32, UXDP_MAX_LOOPS, 0), ""),
			done, head);

	/* head: i = phi [0, check_n], [i + 1, body]; i < n ? body : done */
	LLVMPositionBuilderAtEnd(e->b, head);
	i = LLVMBuildPhi(e->b, e->i64, "i");
	LLVMBuildCondBr(e->b,
			LLVMBuildICmp(e->b, LLVMIntULT, i,
				      LLVMBuildZExt(e->b, n, e->i64, ""), ""),
			body, done);

	LLVMPositionBuilderAtEnd(e->b, body);
	args[0] = e->state;
	for (k = 1; k < 11; k++)
		args[k] = jit_const64(e, 0);
	args[2] = i;
	args[3] = ctx;
	ret = emit_callback_call(e, fn, args);
	unwind_if_done(e);
	next = LLVMBuildAdd(e->b, i, jit_const64(e, 1), "");
	LLVMBuildCondBr(e->b,
			LLVMBuildICmp(e->b, LLVMIntNE, ret, jit_const64(e, 0), ""),
			stop, head);
	{
		LLVMValueRef in[2] = { jit_const64(e, 0), next };
		LLVMBasicBlockRef from[2] = { check_n, LLVMGetInsertBlock(e->b) };

		LLVMAddIncoming(i, in, from, 2);
	}
	LLVMPositionBuilderAtEnd(e->b, stop);
	LLVMBuildBr(e->b, done);

	/* r0: -EINVAL, -E2BIG, the count at the end, the count at a stop. */
	LLVMPositionBuilderAtEnd(e->b, done);
	r0 = LLVMBuildPhi(e->b, e->i64, "loop_r0");
	r0_in[0] = jit_const64(e, (uint64_t)(int64_t)-EINVAL);
	r0_bb[0] = entry;
	r0_in[1] = jit_const64(e, inlined ? (uint32_t)-E2BIG :
			       (uint64_t)(int64_t)-E2BIG);
	r0_bb[1] = check_n;
	r0_in[2] = i;
	r0_bb[2] = head;
	r0_in[3] = next;
	r0_bb[3] = stop;
	LLVMAddIncoming(r0, r0_in, r0_bb, 4);
	jit_set_reg(e, BPF_REG_0, r0);
}

static void
emit_for_each(struct jit_emit *e)
{
	LLVMTypeRef params[5] = { e->i64, e->i64, e->i64, e->i64, e->ptr };
	LLVMTypeRef type = LLVMFunctionType(e->i64, params, 5, 0);
	LLVMValueRef fn = LLVMConstIntToPtr(
		jit_const64(e, (uint64_t)(uintptr_t)jit_for_each_map_elem),
		e->ptr);
	LLVMValueRef args[5];

	args[0] = jit_get_reg(e, BPF_REG_1);
	args[1] = jit_get_reg(e, BPF_REG_2);
	args[2] = jit_get_reg(e, BPF_REG_3);
	args[3] = jit_get_reg(e, BPF_REG_4);
	args[4] = e->state;
	jit_set_reg(e, BPF_REG_0, LLVMBuildCall2(e->b, type, fn, args, 5, ""));
	unwind_if_done(e);
}

void
jit_emit_callback_helper(struct jit_emit *e, const struct bpf_insn *insn)
{
	if (insn->imm == BPF_FUNC_loop)
		emit_loop(e, insn->off == UXDP_LOOP_INLINED);
	else
		emit_for_each(e);
}

LLVMValueRef
jit_callback_address(struct jit_emit *e, uint32_t pc,
		     const struct bpf_insn *insn)
{
	int f = jit_cfg_func_at(&e->cfg, pc + 1 + insn->imm);

	/* The checks make every callback a function start. */
	if (f < 0)
		return jit_const64(e, 0);
	return LLVMConstPtrToInt(e->cfg.funcs[f].fn, e->i64);
}
