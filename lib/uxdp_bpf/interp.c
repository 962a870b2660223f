/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The interpreter, uxdp's reference engine: one switch over the eBPF
 * instruction classes with RFC 9669 semantics for ISA v1..v4. It trusts
 * uxdp_prog_check(): encodings, jump targets and call nesting are valid.
 * Memory accesses go straight to host addresses, except under
 * UXDP_VERIFY_SANDBOX, where each one not proven safe at load is checked
 * against the run's regions first (sandbox.h). The callbacks of
 * bpf_loop and bpf_for_each_map_elem run as a nested execution of the
 * same loop, one frame deeper, sharing the run's stack and budget.
 */

#include <endian.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "uxdp_bpf_internal.h"
#include "callback.h"
#include "run_state.h"
#include "sandbox.h"

#define N_REGS 11
#define FRAME_WORDS (UXDP_STACK_SIZE / 8)

/* What a bpf-to-bpf call saves: where to return and the callee-saved
 * registers r6-r9 (r10 follows from the depth). */
struct call_frame {
	uint32_t ret_pc;
	uint64_t saved[4];
};

/* Signed division and modulo as the ISA defines them: division by zero
 * gives 0, modulo by zero leaves the dividend, INT_MIN / -1 wraps to
 * INT_MIN and INT_MIN % -1 is 0 (C would trap on both). */
static uint64_t
sdiv64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return 0;
	if ((int64_t)b == -1)
		return -a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static uint64_t
smod64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if ((int64_t)b == -1)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static uint32_t
sdiv32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return 0;
	if ((int32_t)b == -1)
		return -a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static uint32_t
smod32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return a;
	if ((int32_t)b == -1)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

static uint64_t
alu64(const struct bpf_insn *insn, uint64_t dst, uint64_t src)
{
	switch (BPF_OP(insn->code)) {
	case BPF_ADD:
		return dst + src;
	case BPF_SUB:
		return dst - src;
	case BPF_MUL:
		return dst * src;
	case BPF_DIV:
		if (insn->off == 1)
			return sdiv64(dst, src);
		return src != 0 ? dst / src : 0;
	case BPF_MOD:
		if (insn->off == 1)
			return smod64(dst, src);
		return src != 0 ? dst % src : dst;
	case BPF_OR:
		return dst | src;
	case BPF_AND:
		return dst & src;
	case BPF_XOR:
		return dst ^ src;
	case BPF_LSH:
		return dst << (src & 63);
	case BPF_RSH:
		return dst >> (src & 63);
	case BPF_ARSH:
		return (uint64_t)((int64_t)dst >> (src & 63));
	case BPF_NEG:
		return -dst;
	case BPF_MOV:
		switch (insn->off) {
		case 8:
			return (uint64_t)(int64_t)(int8_t)src;
		case 16:
			return (uint64_t)(int64_t)(int16_t)src;
		case 32:
			return (uint64_t)(int64_t)(int32_t)src;
		default:
			return src;
		}
	default: /* BPF_END: ISA v4 unconditional byte swap */
		switch (insn->imm) {
		case 16:
			return __builtin_bswap16((uint16_t)dst);
		case 32:
			return __builtin_bswap32((uint32_t)dst);
		default:
			return __builtin_bswap64(dst);
		}
	}
}

/* 32-bit ALU: operates on the low halves; the caller zero-extends. */
static uint32_t
alu32(const struct bpf_insn *insn, uint32_t dst, uint32_t src)
{
	switch (BPF_OP(insn->code)) {
	case BPF_ADD:
		return dst + src;
	case BPF_SUB:
		return dst - src;
	case BPF_MUL:
		return dst * src;
	case BPF_DIV:
		if (insn->off == 1)
			return sdiv32(dst, src);
		return src != 0 ? dst / src : 0;
	case BPF_MOD:
		if (insn->off == 1)
			return smod32(dst, src);
		return src != 0 ? dst % src : dst;
	case BPF_OR:
		return dst | src;
	case BPF_AND:
		return dst & src;
	case BPF_XOR:
		return dst ^ src;
	case BPF_LSH:
		return dst << (src & 31);
	case BPF_RSH:
		return dst >> (src & 31);
	case BPF_ARSH:
		return (uint32_t)((int32_t)dst >> (src & 31));
	case BPF_NEG:
		return -dst;
	default: /* BPF_MOV */
		switch (insn->off) {
		case 8:
			return (uint32_t)(int32_t)(int8_t)src;
		case 16:
			return (uint32_t)(int32_t)(int16_t)src;
		default:
			return src;
		}
	}
}

/* BPF_ALU | BPF_END: convert to little or big endian, truncating. */
static uint64_t
byte_order(const struct bpf_insn *insn, uint64_t dst)
{
	bool to_be = BPF_SRC(insn->code) == BPF_TO_BE;

	switch (insn->imm) {
	case 16:
		return to_be ? htobe16((uint16_t)dst) : htole16((uint16_t)dst);
	case 32:
		return to_be ? htobe32((uint32_t)dst) : htole32((uint32_t)dst);
	default:
		return to_be ? htobe64(dst) : htole64(dst);
	}
}

static bool
jmp_taken(uint8_t op, uint64_t a, uint64_t b)
{
	switch (op) {
	case BPF_JEQ:
		return a == b;
	case BPF_JNE:
		return a != b;
	case BPF_JGT:
		return a > b;
	case BPF_JGE:
		return a >= b;
	case BPF_JLT:
		return a < b;
	case BPF_JLE:
		return a <= b;
	case BPF_JSET:
		return (a & b) != 0;
	case BPF_JSGT:
		return (int64_t)a > (int64_t)b;
	case BPF_JSGE:
		return (int64_t)a >= (int64_t)b;
	case BPF_JSLT:
		return (int64_t)a < (int64_t)b;
	default: /* BPF_JSLE */
		return (int64_t)a <= (int64_t)b;
	}
}

static bool
jmp32_taken(uint8_t op, uint32_t a, uint32_t b)
{
	switch (op) {
	case BPF_JSGT:
		return (int32_t)a > (int32_t)b;
	case BPF_JSGE:
		return (int32_t)a >= (int32_t)b;
	case BPF_JSLT:
		return (int32_t)a < (int32_t)b;
	case BPF_JSLE:
		return (int32_t)a <= (int32_t)b;
	default: /* unsigned comparisons of the zero-extended halves */
		return jmp_taken(op, a, b);
	}
}

/* Loads and stores use memcpy: programs may access unaligned addresses. */
static uint64_t
mem_load(uint8_t code, uintptr_t addr)
{
	bool sx = BPF_MODE(code) == BPF_MEMSX;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (BPF_SIZE(code)) {
	case BPF_B:
		memcpy(&u8, (void *)addr, 1);
		return sx ? (uint64_t)(int64_t)(int8_t)u8 : u8;
	case BPF_H:
		memcpy(&u16, (void *)addr, 2);
		return sx ? (uint64_t)(int64_t)(int16_t)u16 : u16;
	case BPF_W:
		memcpy(&u32, (void *)addr, 4);
		return sx ? (uint64_t)(int64_t)(int32_t)u32 : u32;
	default:
		memcpy(&u64, (void *)addr, 8);
		return u64;
	}
}

static void
mem_store(uint8_t code, uintptr_t addr, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (BPF_SIZE(code)) {
	case BPF_B:
		memcpy((void *)addr, &u8, 1);
		break;
	case BPF_H:
		memcpy((void *)addr, &u16, 2);
		break;
	case BPF_W:
		memcpy((void *)addr, &u32, 4);
		break;
	default:
		memcpy((void *)addr, &v, 8);
		break;
	}
}

/* BPF_STX | BPF_ATOMIC. Returns nothing; updates src (fetch) or r0
 * (cmpxchg) in reg. */
static void
atomic64(const struct bpf_insn *insn, uint64_t *reg)
{
	uint64_t *p = (uint64_t *)(uintptr_t)(reg[insn->dst_reg] + insn->off);
	uint64_t *src = &reg[insn->src_reg];
	uint64_t old;

	switch (insn->imm & ~BPF_FETCH) {
	case BPF_ADD:
		old = __atomic_fetch_add(p, *src, __ATOMIC_SEQ_CST);
		break;
	case BPF_AND:
		old = __atomic_fetch_and(p, *src, __ATOMIC_SEQ_CST);
		break;
	case BPF_OR:
		old = __atomic_fetch_or(p, *src, __ATOMIC_SEQ_CST);
		break;
	case BPF_XOR:
		old = __atomic_fetch_xor(p, *src, __ATOMIC_SEQ_CST);
		break;
	case BPF_XCHG & ~BPF_FETCH:
		old = __atomic_exchange_n(p, *src, __ATOMIC_SEQ_CST);
		break;
	default: /* BPF_CMPXCHG: compare with r0, r0 gets the old value */
		old = reg[0];
		__atomic_compare_exchange_n(p, &old, *src, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		reg[0] = old;
		return;
	}
	if (insn->imm & BPF_FETCH)
		*src = old;
}

static void
atomic32(const struct bpf_insn *insn, uint64_t *reg)
{
	uint32_t *p = (uint32_t *)(uintptr_t)(reg[insn->dst_reg] + insn->off);
	uint32_t src = (uint32_t)reg[insn->src_reg];
	uint32_t old;

	switch (insn->imm & ~BPF_FETCH) {
	case BPF_ADD:
		old = __atomic_fetch_add(p, src, __ATOMIC_SEQ_CST);
		break;
	case BPF_AND:
		old = __atomic_fetch_and(p, src, __ATOMIC_SEQ_CST);
		break;
	case BPF_OR:
		old = __atomic_fetch_or(p, src, __ATOMIC_SEQ_CST);
		break;
	case BPF_XOR:
		old = __atomic_fetch_xor(p, src, __ATOMIC_SEQ_CST);
		break;
	case BPF_XCHG & ~BPF_FETCH:
		old = __atomic_exchange_n(p, src, __ATOMIC_SEQ_CST);
		break;
	default: /* BPF_CMPXCHG on the low half of r0 */
		old = (uint32_t)reg[0];
		__atomic_compare_exchange_n(p, &old, src, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		reg[0] = old;
		return;
	}
	if (insn->imm & BPF_FETCH)
		reg[insn->src_reg] = old;
}

/* One run: the frames of every function and callback, the budget, and
 * how the run ended when it ended inside a callback. */
struct interp_run {
	const struct uxdp_prog *prog;
	/* All frames on the C stack: frame d is words [d*64, (d+1)*64) and
	 * its r10 points one past its end. */
	uint64_t stack[UXDP_MAX_CALL_DEPTH * FRAME_WORDS];
	uint32_t budget;
	bool sandbox;    /* UXDP_VERIFY_SANDBOX: check memory and helpers */
	bool ended;      /* aborted (or ended) inside a callback */
	uint64_t retval; /* the run's r0 once ended */
};

/* Under the sandbox: may the memory instruction at idx access [addr,
 * addr + size)? The run's stack and the packet first, then the other
 * regions (sandbox.c). */
static __rte_noinline bool
interp_sandbox_mem_ok(const struct interp_run *run, uint32_t idx,
		      uint64_t addr, uint8_t code, bool write)
{
	enum uxdp_mem_guard guard = uxdp_sandbox_guard(run->prog, idx);
	uint64_t size = uxdp_insn_mem_size(code);
	uint64_t stack_lo = (uintptr_t)run->stack;
	uint64_t stack_hi = (uintptr_t)(run->stack + RTE_DIM(run->stack));
	const struct uxdp_xdp_buff *buff = uxdp_run_state.buff;

	if (guard == UXDP_GUARD_NONE)
		return true;
	if (guard != UXDP_GUARD_PACKET &&
	    uxdp_sandbox_span_in(addr, size, stack_lo, stack_hi))
		return true;
	if (guard == UXDP_GUARD_STACK)
		return false;
	if (buff != NULL &&
	    uxdp_sandbox_span_in(addr, size, (uintptr_t)buff->data_meta,
				 (uintptr_t)buff->data_end))
		return true;
	if (guard == UXDP_GUARD_PACKET)
		return false;
	return uxdp_sandbox_mem_ok(run->prog, addr, size, write, stack_lo,
				   stack_hi) != 0;
}

/* Under the sandbox: the pointer arguments of helper call insn. */
static __rte_noinline bool
interp_sandbox_helper_ok(const struct interp_run *run,
			 const struct bpf_insn *insn, const uint64_t *reg)
{
	if (!uxdp_sandbox_helper_has_ptr_args((uint32_t)insn->imm))
		return true;
	return uxdp_sandbox_helper_ok(run->prog, (uint32_t)insn->imm, reg[1],
				      reg[2], reg[3], reg[4], reg[5],
				      (uintptr_t)run->stack,
				      (uintptr_t)(run->stack +
						  RTE_DIM(run->stack))) != 0;
}

/* A callback of bpf_loop / bpf_for_each_map_elem run by the interpreter
 * (callback.h): its first instruction and the depth of its frame. */
struct interp_callback {
	struct uxdp_callback cb;
	struct interp_run *run;
	uint32_t pc;
	unsigned int depth;
};

static uint64_t interp_exec(struct interp_run *run, uint32_t pc,
			    unsigned int base_depth, uint64_t r1, uint64_t r2,
			    uint64_t r3, uint64_t r4, uint64_t r5,
			    uint64_t r10);

/* The callback starts like a bpf-to-bpf callee in its own frame, with
 * r1..r5 as the helper defines them; r0 and r6..r9 are 0 (the kernel's
 * verifier makes them unreadable; the JIT passes the same zeros). */
static uint64_t
interp_callback_invoke(struct uxdp_callback *cb, uint64_t r1, uint64_t r2,
		       uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct interp_callback *icb = (struct interp_callback *)cb;
	struct interp_run *run = icb->run;
	uint64_t r0;

	r0 = interp_exec(run, icb->pc, icb->depth, r1, r2, r3, r4, r5,
			 (uintptr_t)&run->stack[(icb->depth + 1) * FRAME_WORDS]);
	cb->ended = run->ended;
	return r0;
}

/* bpf_loop / bpf_for_each_map_elem: r2 holds the callback's first
 * instruction (the interpreter's value of ld_imm64 BPF_PSEUDO_FUNC). */
static __rte_noinline uint64_t
interp_callback_helper(struct interp_run *run, const struct bpf_insn *insn,
		       uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
		       unsigned int depth)
{
	struct interp_callback icb = {
		.cb = { .invoke = interp_callback_invoke },
		.run = run, .pc = (uint32_t)r2, .depth = depth + 1,
	};

	/* The checks bound the depth with the callback's frame counted. */
	if (depth + 1 >= UXDP_MAX_CALL_DEPTH) {
		run->ended = true;
		run->retval = UXDP_ABORTED;
		return 0;
	}
	if (insn->imm == BPF_FUNC_loop)
		return uxdp_callback_loop(&icb.cb, r1, r3, r4,
					  insn->off == UXDP_LOOP_INLINED);
	return uxdp_callback_for_each(&icb.cb,
				      (struct uxdp_map *)(uintptr_t)r1, r3, r4);
}

/* Run from pc with r1..r5 and r10 (the others 0) until the function at
 * depth base_depth returns (the program, or a callback). Registers and
 * budget are locals (a register file reachable through a pointer would
 * be reloaded after every store); the budget is handed over around
 * callbacks. */
static uint64_t
interp_exec(struct interp_run *run, uint32_t pc, unsigned int base_depth,
	    uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
	    uint64_t r10)
{
	struct call_frame frames[UXDP_MAX_CALL_DEPTH];
	uint64_t reg[N_REGS] = { 0, r1, r2, r3, r4, r5, 0, 0, 0, 0, r10 };
	const struct bpf_insn *insns = run->prog->insns;
	uint64_t *stack = run->stack;
	uint32_t budget = run->budget;
	bool sandbox = run->sandbox;
	unsigned int depth = base_depth;

	for (;;) {
		const struct bpf_insn *insn = &insns[pc];
		uint64_t *dst = &reg[insn->dst_reg];
		bool reg_src = BPF_SRC(insn->code) == BPF_X;
		uint64_t src64 = reg_src ? reg[insn->src_reg] :
			(uint64_t)(int64_t)insn->imm;
		const struct uxdp_helper_desc *helper;
		struct call_frame *fr;

		/* A runaway loop ends the run as XDP_ABORTED. */
		if (budget-- == 0)
			goto abort;
		pc++;

		switch (BPF_CLASS(insn->code)) {
		case BPF_ALU64:
			*dst = alu64(insn, *dst, src64);
			break;
		case BPF_ALU:
			if (BPF_OP(insn->code) == BPF_END)
				*dst = byte_order(insn, *dst);
			else
				*dst = alu32(insn, (uint32_t)*dst,
					     (uint32_t)src64);
			break;
		case BPF_LD: /* ld_imm64, the only BPF_LD the checks keep */
			if (unlikely(insn->src_reg == BPF_PSEUDO_FUNC))
				/* A callback: its first instruction. */
				*dst = pc + insn->imm;
			else
				*dst = (uint32_t)insn->imm |
					((uint64_t)(uint32_t)insn[1].imm << 32);
			pc++;
			break;
		case BPF_LDX:
			/* r10 with its constant offset was checked at load. */
			if (unlikely(sandbox) && insn->src_reg != BPF_REG_10 &&
			    !interp_sandbox_mem_ok(run, pc - 1,
						   reg[insn->src_reg] +
						   insn->off, insn->code,
						   false))
				goto abort;
			*dst = mem_load(insn->code,
					reg[insn->src_reg] + insn->off);
			break;
		case BPF_ST:
			if (unlikely(sandbox) && insn->dst_reg != BPF_REG_10 &&
			    !interp_sandbox_mem_ok(run, pc - 1,
						   *dst + insn->off,
						   insn->code, true))
				goto abort;
			mem_store(insn->code, *dst + insn->off,
				  (uint64_t)(int64_t)insn->imm);
			break;
		case BPF_STX:
			if (unlikely(sandbox) && insn->dst_reg != BPF_REG_10 &&
			    !interp_sandbox_mem_ok(run, pc - 1,
						   *dst + insn->off,
						   insn->code, true))
				goto abort;
			if (BPF_MODE(insn->code) != BPF_ATOMIC)
				mem_store(insn->code, *dst + insn->off,
					  reg[insn->src_reg]);
			else if (BPF_SIZE(insn->code) == BPF_DW)
				atomic64(insn, reg);
			else
				atomic32(insn, reg);
			break;
		case BPF_JMP32:
			if (BPF_OP(insn->code) == BPF_JA)
				pc += insn->imm;
			else if (jmp32_taken(BPF_OP(insn->code),
					     (uint32_t)*dst, (uint32_t)src64))
				pc += insn->off;
			break;
		default: /* BPF_JMP */
			switch (BPF_OP(insn->code)) {
			case BPF_JA:
				pc += insn->off;
				break;
			case BPF_CALL:
				if (insn->src_reg == BPF_PSEUDO_CALL) {
					if (depth + 1 >= UXDP_MAX_CALL_DEPTH)
						goto abort;
					fr = &frames[depth++];
					fr->ret_pc = pc;
					memcpy(fr->saved, &reg[6],
					       sizeof(fr->saved));
					reg[10] = (uintptr_t)
						&stack[(depth + 1) * FRAME_WORDS];
					pc += insn->imm;
					break;
				}
				if (unlikely(sandbox) &&
				    !interp_sandbox_helper_ok(run, insn, reg))
					goto abort;
				/* bpf_tail_call: on success the target
				 * replaces the current frame only, as in the
				 * kernel: its r0 is what this function
				 * returns, to its caller or, in main, as the
				 * verdict. Otherwise go on, r0 kept (the
				 * kernel's verifier makes it unreadable). */
				if (insn->imm == BPF_FUNC_tail_call) {
					uint64_t tail_ret;

					if (uxdp_tail_call(
						(void *)(uintptr_t)reg[1],
						(struct uxdp_map *)(uintptr_t)reg[2],
						(uint32_t)reg[3], &tail_ret) != 0)
						break;
					reg[0] = tail_ret;
					goto frame_exit;
				}
				if (unlikely(insn->imm == BPF_FUNC_loop ||
					     insn->imm ==
					     BPF_FUNC_for_each_map_elem)) {
					run->budget = budget;
					reg[0] = interp_callback_helper(run,
						insn, reg[1], reg[2], reg[3],
						reg[4], depth);
					if (run->ended)
						return run->retval;
					budget = run->budget;
					break;
				}
				helper = uxdp_helper_get((uint32_t)insn->imm);
				if (helper == NULL)
					goto abort;
				reg[0] = helper->fn(reg[1], reg[2], reg[3],
						    reg[4], reg[5]);
				break;
			case BPF_EXIT:
frame_exit:
				if (depth == base_depth) {
					run->budget = budget;
					return reg[0];
				}
				fr = &frames[--depth];
				pc = fr->ret_pc;
				memcpy(&reg[6], fr->saved, sizeof(fr->saved));
				reg[10] = (uintptr_t)
					&stack[(depth + 1) * FRAME_WORDS];
				break;
			default:
				if (jmp_taken(BPF_OP(insn->code), *dst, src64))
					pc += insn->off;
				break;
			}
			break;
		}
	}
abort:
	/* Under the sandbox every abort is containment: count it. */
	if (sandbox)
		uxdp_sandbox_fault(run->prog);
	run->budget = 0;
	run->ended = true;
	run->retval = UXDP_ABORTED;
	return UXDP_ABORTED;
}

uint64_t
uxdp_interp_run(const struct uxdp_prog *prog, void *ctx)
{
	/* Field by field: an initializer would zero the 4 KiB of stack on
	 * every run (the interpreter's XDP_PASS took 6x as long). */
	struct interp_run run;

	run.prog = prog;
	run.budget = UXDP_INSN_BUDGET;
	run.sandbox = prog->verify == UXDP_VERIFY_SANDBOX;
	run.ended = false;
	run.retval = 0;
	return interp_exec(&run, 0, 0, (uintptr_t)ctx, 0, 0, 0, 0,
			   (uintptr_t)&run.stack[FRAME_WORDS]);
}
