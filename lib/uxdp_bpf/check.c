/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Load-time checks of a relocated program: every encoding is one the ISA
 * defines (RFC 9669, v1..v4) with its reserved fields zero, control flow
 * stays inside the function it belongs to, every function ends in exit or
 * a jump and can reach an exit, calls name helpers uxdp provides, bpf-to-bpf
 * calls and callbacks nest at most UXDP_MAX_CALL_DEPTH frames, callback
 * addresses only reach bpf_loop / bpf_for_each_map_elem
 * (check_callback.c), r10 is never written,
 * constant stack offsets stay inside the 512-byte frame and helper calls
 * get the arguments they take (check_args.c). Then the ctx
 * accesses are rewritten (check_ctx.c).
 *
 * Loops: unlike the kernel verifier, uxdp does not prove that a program
 * terminates. Back-edges are accepted, and every run has an instruction
 * budget (UXDP_INSN_BUDGET): a run that exhausts it ends as XDP_ABORTED
 * (r0 = 0). Programs the kernel accepts execute far fewer instructions
 * per packet in practice; the budget only catches runaway loops.
 *
 * Memory safety (packet bounds, map value bounds, uninitialised stack) is
 * not checked here: memory accesses are direct host pointers. Under
 * UXDP_VERIFY_SANDBOX the pointer and range analysis (check_types.c)
 * runs last, refuses what is provably unsafe and tells the engines which
 * accesses need a run-time check (prog->mem_guard).
 *
 * Run it once per program: the ctx rewrite is not idempotent (a rewritten
 * 8-byte load of data would be refused as an xdp_md access).
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "uxdp_bpf_internal.h"
#include "check.h"

#define REG_FP 10 /* r10, the read-only frame pointer */

/* Helper names of the uapi header, indexed by BPF_FUNC_* id, so that a
 * refusal can say which helper a program wanted. Linux 6.2+ headers list
 * explicit ids in ___BPF_FUNC_MAPPER; older ones list names in id order. */
#ifdef ___BPF_FUNC_MAPPER
#define UAPI_HELPER_NAME(name, id, ...) [id] = "bpf_" #name,
static const char *const uapi_helper_names[] = {
	___BPF_FUNC_MAPPER(UAPI_HELPER_NAME)
};
#else
#define UAPI_HELPER_NAME(name) "bpf_" #name
static const char *const uapi_helper_names[] = {
	__BPF_FUNC_MAPPER(UAPI_HELPER_NAME)
};
#endif

int
uxdp_check_refuse(char *err, size_t err_len, uint32_t idx,
		  const char *fmt, ...)
{
	char reason[UXDP_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return uxdp_set_err(err, err_len, EINVAL, "insn %u: %s", idx, reason);
}

/* A register number an instruction reads. */
static int
check_reg(uint8_t reg, uint32_t idx, char *err, size_t err_len)
{
	if (reg > REG_FP)
		return uxdp_check_refuse(err, err_len, idx,
					 "invalid register r%u", reg);
	return 0;
}

/* A register number an instruction writes. */
static int
check_dst_written(uint8_t reg, uint32_t idx, char *err, size_t err_len)
{
	if (reg == REG_FP)
		return uxdp_check_refuse(err, err_len, idx,
					 "write to r10 (the frame pointer is read-only)");
	return check_reg(reg, idx, err, err_len);
}

/* Accesses through r10 with their constant offset must stay inside the
 * current 512-byte frame [-512, 0). Alignment is not required: the host
 * (and the interpreter, which uses memcpy) handles unaligned accesses. */
static int
check_stack_bounds(const struct bpf_insn *insn, uint8_t base, uint32_t idx,
		   char *err, size_t err_len)
{
	int32_t size = (int32_t)uxdp_insn_mem_size(insn->code);

	if (base != REG_FP)
		return 0;
	if (insn->off < -UXDP_STACK_SIZE || insn->off + size > 0)
		return uxdp_check_refuse(err, err_len, idx,
					 "stack access r10%+d (%d bytes) outside the %d-byte frame",
					 insn->off, size, UXDP_STACK_SIZE);
	return 0;
}

static int
check_alu(const struct bpf_insn *insn, uint32_t idx, char *err, size_t err_len)
{
	bool is64 = BPF_CLASS(insn->code) == BPF_ALU64;
	bool reg_src = BPF_SRC(insn->code) == BPF_X;
	uint8_t op = BPF_OP(insn->code);

	switch (op) {
	case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_OR: case BPF_AND:
	case BPF_LSH: case BPF_RSH: case BPF_XOR: case BPF_ARSH:
		if (insn->off != 0)
			return uxdp_check_refuse(err, err_len, idx,
						 "ALU operation 0x%02x with non-zero offset %d",
						 insn->code, insn->off);
		break;
	case BPF_DIV: case BPF_MOD:
		/* off 1 selects the signed variant (ISA v4 sdiv/smod). */
		if (insn->off != 0 && insn->off != 1)
			return uxdp_check_refuse(err, err_len, idx,
						 "division offset %d is neither 0 (unsigned) nor 1 (signed)",
						 insn->off);
		break;
	case BPF_MOV:
		/* off 8/16/32 on a register move is ISA v4 movsx. */
		if (reg_src && insn->off != 0 && insn->off != 8 &&
		    insn->off != 16 && !(is64 && insn->off == 32))
			return uxdp_check_refuse(err, err_len, idx,
						 "mov with invalid sign-extension width %d",
						 insn->off);
		if (!reg_src && insn->off != 0)
			return uxdp_check_refuse(err, err_len, idx,
						 "mov immediate with non-zero offset %d",
						 insn->off);
		break;
	case BPF_NEG:
		if (reg_src || insn->off != 0 || insn->imm != 0)
			return uxdp_check_refuse(err, err_len, idx,
						 "neg uses reserved fields (source, offset or immediate)");
		break;
	case BPF_END:
		/* The source bit is the byte order here, not a register. */
		if (insn->imm != 16 && insn->imm != 32 && insn->imm != 64)
			return uxdp_check_refuse(err, err_len, idx,
						 "byte swap width %d is not 16, 32 or 64",
						 insn->imm);
		if (is64 && reg_src)
			return uxdp_check_refuse(err, err_len, idx,
						 "64-bit byte swap must have the BPF_TO_LE bit (0)");
		if (insn->src_reg != 0 || insn->off != 0)
			return uxdp_check_refuse(err, err_len, idx,
						 "byte swap uses reserved fields");
		return check_dst_written(insn->dst_reg, idx, err, err_len);
	default:
		return uxdp_check_refuse(err, err_len, idx,
					 "unknown ALU operation (opcode 0x%02x)",
					 insn->code);
	}

	if (reg_src) {
		if (insn->imm != 0)
			return uxdp_check_refuse(err, err_len, idx,
						 "register-source ALU operation with non-zero immediate");
		if (check_reg(insn->src_reg, idx, err, err_len) < 0)
			return -EINVAL;
	} else if (insn->src_reg != 0) {
		return uxdp_check_refuse(err, err_len, idx,
					 "immediate-source ALU operation with non-zero src_reg");
	}
	return check_dst_written(insn->dst_reg, idx, err, err_len);
}

static int
check_ldx(const struct bpf_insn *insn, uint32_t idx, char *err, size_t err_len)
{
	uint8_t mode = BPF_MODE(insn->code);

	if (mode != BPF_MEM && mode != BPF_MEMSX)
		return uxdp_check_refuse(err, err_len, idx,
					 "unknown load mode (opcode 0x%02x)",
					 insn->code);
	if (mode == BPF_MEMSX && BPF_SIZE(insn->code) == BPF_DW)
		return uxdp_check_refuse(err, err_len, idx,
					 "sign-extending load of 8 bytes does not exist");
	if (insn->imm != 0)
		return uxdp_check_refuse(err, err_len, idx,
					 "load with non-zero immediate");
	if (check_reg(insn->src_reg, idx, err, err_len) < 0 ||
	    check_dst_written(insn->dst_reg, idx, err, err_len) < 0)
		return -EINVAL;
	return check_stack_bounds(insn, insn->src_reg, idx, err, err_len);
}

static int
check_atomic(const struct bpf_insn *insn, uint32_t idx, char *err,
	     size_t err_len)
{
	uint8_t size = BPF_SIZE(insn->code);

	if (size != BPF_W && size != BPF_DW)
		return uxdp_check_refuse(err, err_len, idx,
					 "atomic operation on %u bytes (only 4 or 8)",
					 uxdp_insn_mem_size(insn->code));
	switch (insn->imm) {
	case BPF_ADD: case BPF_AND: case BPF_OR: case BPF_XOR:
		break;
	case BPF_ADD | BPF_FETCH: case BPF_AND | BPF_FETCH:
	case BPF_OR | BPF_FETCH: case BPF_XOR | BPF_FETCH:
	case BPF_XCHG:
		/* The old value is written back into src_reg. */
		if (check_dst_written(insn->src_reg, idx, err, err_len) < 0)
			return -EINVAL;
		break;
	case BPF_CMPXCHG:
		break;
	default:
		return uxdp_check_refuse(err, err_len, idx,
					 "unknown atomic operation 0x%x",
					 (unsigned int)insn->imm);
	}
	return 0;
}

static int
check_store(const struct bpf_insn *insn, uint32_t idx, char *err,
	    size_t err_len)
{
	bool is_stx = BPF_CLASS(insn->code) == BPF_STX;
	uint8_t mode = BPF_MODE(insn->code);

	if (check_reg(insn->dst_reg, idx, err, err_len) < 0)
		return -EINVAL;
	if (is_stx && mode == BPF_ATOMIC) {
		if (check_reg(insn->src_reg, idx, err, err_len) < 0 ||
		    check_atomic(insn, idx, err, err_len) < 0)
			return -EINVAL;
	} else if (mode != BPF_MEM) {
		return uxdp_check_refuse(err, err_len, idx,
					 "unknown store mode (opcode 0x%02x)",
					 insn->code);
	} else if (is_stx) {
		if (insn->imm != 0)
			return uxdp_check_refuse(err, err_len, idx,
						 "register store with non-zero immediate");
		if (check_reg(insn->src_reg, idx, err, err_len) < 0)
			return -EINVAL;
	} else if (insn->src_reg != 0) {
		return uxdp_check_refuse(err, err_len, idx,
					 "immediate store with non-zero src_reg");
	}
	return check_stack_bounds(insn, insn->dst_reg, idx, err, err_len);
}

static int
check_ld_imm64(const struct bpf_insn *insn, uint32_t idx, uint32_t n,
	       char *err, size_t err_len)
{
	const struct bpf_insn *next = insn + 1;

	if (idx + 1 >= n)
		return uxdp_check_refuse(err, err_len, idx,
					 "ld_imm64 cut short by the end of the program");
	if (insn->off != 0)
		return uxdp_check_refuse(err, err_len, idx,
					 "ld_imm64 with non-zero offset");
	if (next->code != 0 || next->dst_reg != 0 || next->src_reg != 0 ||
	    next->off != 0)
		return uxdp_check_refuse(err, err_len, idx + 1,
					 "second half of ld_imm64 uses reserved fields");
	switch (insn->src_reg) {
	case 0:
		break;
	case BPF_PSEUDO_MAP_FD: case BPF_PSEUDO_MAP_IDX:
	case BPF_PSEUDO_MAP_VALUE: case BPF_PSEUDO_MAP_IDX_VALUE:
		return uxdp_check_refuse(err, err_len, idx,
					 "unresolved map reference (ld_imm64 src_reg %u)",
					 insn->src_reg);
	case BPF_PSEUDO_FUNC:
		/* A callback address, pc-relative in imm (loader_link.c);
		 * the target is checked with the functions. */
		if (next->imm != 0)
			return uxdp_check_refuse(err, err_len, idx + 1,
						 "second half of a callback ld_imm64 (BPF_PSEUDO_FUNC) must be 0");
		break;
	case BPF_PSEUDO_BTF_ID:
		return uxdp_check_refuse(err, err_len, idx,
					 "kernel symbol references are not supported (ld_imm64 BPF_PSEUDO_BTF_ID)");
	default:
		return uxdp_check_refuse(err, err_len, idx,
					 "unknown ld_imm64 src_reg %u",
					 insn->src_reg);
	}
	return check_dst_written(insn->dst_reg, idx, err, err_len);
}

static int
check_ld(const struct bpf_insn *insn, uint32_t idx, uint32_t n, char *err,
	 size_t err_len)
{
	uint8_t mode = BPF_MODE(insn->code);

	if (uxdp_insn_is_ld_imm64(insn))
		return check_ld_imm64(insn, idx, n, err, err_len);
	if (mode == BPF_ABS || mode == BPF_IND)
		return uxdp_check_refuse(err, err_len, idx,
					 "legacy packet load (BPF_ABS/BPF_IND) exists for socket filters only");
	return uxdp_check_refuse(err, err_len, idx,
				 "unknown load (opcode 0x%02x)", insn->code);
}

static int
check_call(const struct bpf_insn *insn, uint32_t idx, char *err,
	   size_t err_len)
{
	uint32_t id = (uint32_t)insn->imm;

	if (insn->off != 0 || insn->dst_reg != 0)
		return uxdp_check_refuse(err, err_len, idx,
					 "call uses reserved fields");
	if (insn->src_reg == BPF_PSEUDO_CALL)
		return 0;
	if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL)
		return uxdp_check_refuse(err, err_len, idx,
					 "kfunc calls are not supported");
	if (insn->src_reg != 0)
		return uxdp_check_refuse(err, err_len, idx,
					 "call with unknown src_reg %u",
					 insn->src_reg);
	if (uxdp_helper_get(id) != NULL)
		return 0;
	/* bpf_tail_call(ctx, prog_array, index), 3 arguments: not in the
	 * helper table because it ends the caller; each engine calls
	 * uxdp_tail_call() itself. */
	if (id == BPF_FUNC_tail_call)
		return 0;
	if (id < RTE_DIM(uapi_helper_names) && uapi_helper_names[id] != NULL)
		return uxdp_check_refuse(err, err_len, idx,
					 "unknown helper %u (%s)", id,
					 uapi_helper_names[id]);
	return uxdp_check_refuse(err, err_len, idx, "unknown helper %u", id);
}

static int
check_jmp(const struct bpf_insn *insn, uint32_t idx, char *err,
	  size_t err_len)
{
	bool is32 = BPF_CLASS(insn->code) == BPF_JMP32;
	bool reg_src = BPF_SRC(insn->code) == BPF_X;
	uint8_t op = BPF_OP(insn->code);

	switch (op) {
	case BPF_JA:
		if (reg_src || insn->src_reg != 0 || insn->dst_reg != 0 ||
		    (is32 ? insn->off != 0 : insn->imm != 0))
			return uxdp_check_refuse(err, err_len, idx,
						 "ja uses reserved fields");
		return 0;
	case BPF_CALL:
		if (is32 || reg_src)
			return uxdp_check_refuse(err, err_len, idx,
						 "unknown call encoding (opcode 0x%02x)",
						 insn->code);
		return check_call(insn, idx, err, err_len);
	case BPF_EXIT:
		if (is32 || reg_src || insn->src_reg != 0 ||
		    insn->dst_reg != 0 || insn->off != 0 || insn->imm != 0)
			return uxdp_check_refuse(err, err_len, idx,
						 "exit uses reserved fields");
		return 0;
	case BPF_JEQ: case BPF_JGT: case BPF_JGE: case BPF_JSET:
	case BPF_JNE: case BPF_JSGT: case BPF_JSGE: case BPF_JLT:
	case BPF_JLE: case BPF_JSLT: case BPF_JSLE:
		break;
	default:
		return uxdp_check_refuse(err, err_len, idx,
					 "unknown jump operation (opcode 0x%02x)",
					 insn->code);
	}
	if (reg_src) {
		if (insn->imm != 0)
			return uxdp_check_refuse(err, err_len, idx,
						 "register-source jump with non-zero immediate");
		if (check_reg(insn->src_reg, idx, err, err_len) < 0)
			return -EINVAL;
	} else if (insn->src_reg != 0) {
		return uxdp_check_refuse(err, err_len, idx,
					 "immediate-source jump with non-zero src_reg");
	}
	return check_reg(insn->dst_reg, idx, err, err_len);
}

/* Pass 1: every instruction on its own; marks ld_imm64 second halves. */
static int
check_encodings(struct uxdp_cfg *cfg, char *err, size_t err_len)
{
	uint32_t i;
	int ret;

	for (i = 0; i < cfg->n_insns; i++) {
		const struct bpf_insn *insn = &cfg->insns[i];

		switch (BPF_CLASS(insn->code)) {
		case BPF_LD:
			ret = check_ld(insn, i, cfg->n_insns, err, err_len);
			if (ret == 0)
				cfg->is_imm64_tail[++i] = 1;
			break;
		case BPF_LDX:
			ret = check_ldx(insn, i, err, err_len);
			break;
		case BPF_ST:
		case BPF_STX:
			ret = check_store(insn, i, err, err_len);
			break;
		case BPF_ALU:
		case BPF_ALU64:
			ret = check_alu(insn, i, err, err_len);
			break;
		default: /* BPF_JMP, BPF_JMP32 */
			ret = check_jmp(insn, i, err, err_len);
			break;
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* A jump or call target must be an instruction start. */
static int
check_target(const struct uxdp_cfg *cfg, uint32_t idx, int64_t target,
	     const char *what, char *err, size_t err_len)
{
	if (target < 0 || target >= cfg->n_insns)
		return uxdp_check_refuse(err, err_len, idx,
					 "%s out of range (target %lld, program has %u instructions)",
					 what, (long long)target, cfg->n_insns);
	if (cfg->is_imm64_tail[target])
		return uxdp_check_refuse(err, err_len, idx,
					 "%s into the middle of ld_imm64 at insn %lld",
					 what, (long long)target - 1);
	return 0;
}

/* A callback must be the start of a function: not the program's entry,
 * and not reached by falling through from the instruction before it. */
static int
check_callback_target(const struct uxdp_cfg *cfg, uint32_t idx,
		      int64_t target, char *err, size_t err_len)
{
	const struct bpf_insn *before;

	if (target == 0)
		return uxdp_check_refuse(err, err_len, idx,
					 "callback is the program's entry (insn 0), not a subprogram");
	before = &cfg->insns[target - 1];
	if (cfg->is_imm64_tail[target - 1] ||
	    (!uxdp_insn_is_exit(before) && !uxdp_insn_is_ja(before)))
		return uxdp_check_refuse(err, err_len, idx,
					 "callback at insn %lld is not the start of a function (insn %lld runs into it)",
					 (long long)target, (long long)target - 1);
	return 0;
}

/* Pass 2: functions are main plus every bpf-to-bpf call target and every
 * callback. */
static int
find_functions(struct uxdp_cfg *cfg, char *err, size_t err_len)
{
	uint8_t *is_start;
	uint32_t i, f;
	int ret = 0;

	is_start = calloc(cfg->n_insns, 1);
	if (is_start == NULL)
		return uxdp_set_err(err, err_len, ENOMEM, "out of memory");
	is_start[0] = 1;
	cfg->n_funcs = 1;
	for (i = 0; i < cfg->n_insns; i++) {
		const struct bpf_insn *insn = &cfg->insns[i];
		int64_t target;

		if (cfg->is_imm64_tail[i])
			continue;
		if (uxdp_insn_is_pseudo_func(insn)) {
			target = uxdp_insn_target(insn, i);
			ret = check_target(cfg, i, target, "callback", err,
					   err_len);
			if (ret == 0)
				ret = check_callback_target(cfg, i, target,
							    err, err_len);
			if (ret < 0)
				goto out;
		} else if (uxdp_insn_is_pseudo_call(insn)) {
			target = uxdp_insn_target(insn, i);
			ret = check_target(cfg, i, target, "call", err,
					   err_len);
			if (ret < 0)
				goto out;
		} else {
			continue;
		}
		if (!is_start[target])
			cfg->n_funcs++;
		is_start[target] = 1;
	}

	cfg->funcs = calloc(cfg->n_funcs, sizeof(*cfg->funcs));
	if (cfg->funcs == NULL) {
		ret = uxdp_set_err(err, err_len, ENOMEM, "out of memory");
		goto out;
	}
	f = 0;
	for (i = 0; i < cfg->n_insns; i++) {
		if (is_start[i] && i > 0) {
			cfg->funcs[f].end = i;
			f++;
			cfg->funcs[f].start = i;
		}
		cfg->func_of[i] = f;
	}
	cfg->funcs[f].end = cfg->n_insns;
out:
	free(is_start);
	return ret;
}

/* Pass 3: jumps stay inside their function, functions do not fall through. */
static int
check_control_flow(const struct uxdp_cfg *cfg, char *err, size_t err_len)
{
	uint32_t i, f;
	int ret;

	for (i = 0; i < cfg->n_insns; i++) {
		const struct bpf_insn *insn = &cfg->insns[i];
		int64_t target;

		if (cfg->is_imm64_tail[i] ||
		    (!uxdp_insn_is_ja(insn) && !uxdp_insn_is_cond_jump(insn)))
			continue;
		target = uxdp_insn_target(insn, i);
		ret = check_target(cfg, i, target, "jump", err, err_len);
		if (ret < 0)
			return ret;
		if (cfg->func_of[target] != cfg->func_of[i])
			return uxdp_check_refuse(err, err_len, i,
						 "jump to insn %lld leaves its function (insns %u..%u)",
						 (long long)target,
						 cfg->funcs[cfg->func_of[i]].start,
						 cfg->funcs[cfg->func_of[i]].end - 1);
	}
	for (f = 0; f < cfg->n_funcs; f++) {
		uint32_t last = cfg->funcs[f].end - 1;
		const struct bpf_insn *insn = &cfg->insns[last];

		if (cfg->is_imm64_tail[last] ||
		    (!uxdp_insn_is_exit(insn) && !uxdp_insn_is_ja(insn)))
			return uxdp_check_refuse(err, err_len, last,
						 "execution falls through past the end of the %s (last instruction must be exit or ja)",
						 f == 0 ? "program" : "function");
	}
	return 0;
}

/* Pass 4: bpf-to-bpf call nesting, by a depth-limited walk of the static
 * call graph from main. Frames count main as the first. A callback
 * counts as called by the function that takes its address (the check of
 * callbacks makes sure that function is the one calling the helper): its
 * frame is one level below, as in the kernel. */
enum { FN_UNSEEN, FN_ON_PATH, FN_DONE };

struct call_walk {
	const struct uxdp_cfg *cfg;
	uint8_t *color;
	uint8_t *height; /* frames from a function down its deepest chain */
	char *err;
	size_t err_len;
};

static int
walk_calls(struct call_walk *w, uint32_t f, uint32_t depth)
{
	const struct uxdp_cfg *cfg = w->cfg;
	uint32_t i, deepest = 0;
	int ret;

	w->color[f] = FN_ON_PATH;
	for (i = cfg->funcs[f].start; i < cfg->funcs[f].end; i++) {
		const struct bpf_insn *insn = &cfg->insns[i];
		uint32_t callee;

		if (cfg->is_imm64_tail[i] || (!uxdp_insn_is_pseudo_call(insn) &&
					       !uxdp_insn_is_pseudo_func(insn)))
			continue;
		callee = cfg->func_of[uxdp_insn_target(insn, i)];
		if (w->color[callee] == FN_ON_PATH)
			return uxdp_check_refuse(w->err, w->err_len, i,
						 "recursive %s of the function at insn %u",
						 uxdp_insn_is_pseudo_func(insn) ?
						 "callback" : "call",
						 cfg->funcs[callee].start);
		if (w->color[callee] == FN_UNSEEN) {
			if (depth + 1 > UXDP_MAX_CALL_DEPTH)
				goto too_deep;
			ret = walk_calls(w, callee, depth + 1);
			if (ret < 0)
				return ret;
		}
		if (depth + w->height[callee] > UXDP_MAX_CALL_DEPTH)
			goto too_deep;
		if (w->height[callee] > deepest)
			deepest = w->height[callee];
		continue;
too_deep:
		return uxdp_check_refuse(w->err, w->err_len, i,
					 "call nesting exceeds %d frames",
					 UXDP_MAX_CALL_DEPTH);
	}
	w->color[f] = FN_DONE;
	w->height[f] = (uint8_t)(deepest + 1);
	return 0;
}

static int
check_call_depth(const struct uxdp_cfg *cfg, char *err, size_t err_len)
{
	struct call_walk w = { .cfg = cfg, .err = err, .err_len = err_len };
	int ret;

	w.color = calloc(cfg->n_funcs, 1);
	w.height = calloc(cfg->n_funcs, 1);
	if (w.color == NULL || w.height == NULL)
		ret = uxdp_set_err(err, err_len, ENOMEM, "out of memory");
	else
		ret = walk_calls(&w, 0, 1);
	free(w.color);
	free(w.height);
	return ret;
}

/* Pass 5: every function can reach an exit from its entry (a function
 * that cannot would only ever end by exhausting the budget). */
static int
check_exit_reachable(const struct uxdp_cfg *cfg, char *err, size_t err_len)
{
	uint32_t *stack;
	uint8_t *seen;
	uint32_t f;
	int ret = 0;

	stack = malloc(sizeof(*stack) * cfg->n_insns);
	seen = malloc(cfg->n_insns);
	if (stack == NULL || seen == NULL) {
		ret = uxdp_set_err(err, err_len, ENOMEM, "out of memory");
		goto out;
	}
	for (f = 0; f < cfg->n_funcs && ret == 0; f++) {
		uint32_t start = cfg->funcs[f].start;
		uint32_t top = 0;
		bool found = false;

		memset(seen + start, 0, cfg->funcs[f].end - start);
		stack[top++] = start;
		seen[start] = 1;
		while (top > 0 && !found) {
			uint32_t i = stack[--top];
			const struct bpf_insn *insn = &cfg->insns[i];
			int64_t next[2];
			int n_next = 0, k;

			if (uxdp_insn_is_exit(insn)) {
				found = true;
				break;
			}
			if (uxdp_insn_is_ja(insn)) {
				next[n_next++] = uxdp_insn_target(insn, i);
			} else if (uxdp_insn_is_cond_jump(insn)) {
				next[n_next++] = uxdp_insn_target(insn, i);
				next[n_next++] = i + 1;
			} else {
				next[n_next++] = i +
					(uxdp_insn_is_ld_imm64(insn) ? 2 : 1);
			}
			for (k = 0; k < n_next; k++) {
				if (!seen[next[k]]) {
					seen[next[k]] = 1;
					stack[top++] = (uint32_t)next[k];
				}
			}
		}
		if (!found)
			ret = uxdp_check_refuse(err, err_len, start,
						"exit unreachable: the %s never returns",
						f == 0 ? "program" : "function");
	}
out:
	free(stack);
	free(seen);
	return ret;
}

/* Every pass; the ctx rewrite only once (rewrite_ctx), the analysis
 * under UXDP_VERIFY_SANDBOX. */
static int
check_prog(struct uxdp_prog *prog, bool rewrite_ctx, char *err,
	   size_t err_len)
{
	struct uxdp_cfg cfg = { 0 };
	int ret;

	if (prog == NULL || prog->insns == NULL || prog->n_insns == 0)
		return uxdp_set_err(err, err_len, EINVAL, "empty program");
	if (prog->n_insns > UXDP_MAX_INSNS)
		return uxdp_set_err(err, err_len, E2BIG,
				    "program has %u instructions (limit %u)",
				    prog->n_insns, UXDP_MAX_INSNS);

	cfg.insns = prog->insns;
	cfg.n_insns = prog->n_insns;
	cfg.attach_type = prog->attach_type;
	cfg.is_imm64_tail = calloc(cfg.n_insns, 1);
	cfg.func_of = calloc(cfg.n_insns, sizeof(*cfg.func_of));
	cfg.callback_of = calloc(cfg.n_insns, sizeof(*cfg.callback_of));
	if (cfg.is_imm64_tail == NULL || cfg.func_of == NULL ||
	    cfg.callback_of == NULL) {
		ret = uxdp_set_err(err, err_len, ENOMEM, "out of memory");
		goto out;
	}

	ret = check_encodings(&cfg, err, err_len);
	if (ret == 0)
		ret = find_functions(&cfg, err, err_len);
	if (ret == 0)
		ret = check_control_flow(&cfg, err, err_len);
	if (ret == 0)
		ret = check_call_depth(&cfg, err, err_len);
	if (ret == 0)
		ret = check_exit_reachable(&cfg, err, err_len);
	if (ret == 0)
		ret = uxdp_check_callbacks(&cfg, prog->obj, err, err_len);
	if (ret == 0)
		ret = uxdp_check_helper_args(&cfg, err, err_len);
	if (ret == 0 && rewrite_ctx)
		ret = uxdp_check_ctx(&cfg, err, err_len);
	if (ret == 0 && prog->verify == UXDP_VERIFY_SANDBOX)
		ret = uxdp_check_types(&cfg, prog, err, err_len);
out:
	free(cfg.is_imm64_tail);
	free(cfg.func_of);
	free(cfg.callback_of);
	free(cfg.funcs);
	return ret;
}

uint32_t
uxdp_cfg_find_leaders(const struct uxdp_cfg *cfg, uint8_t *is_leader,
		      uint32_t *leader_idx)
{
	uint32_t i, n = 0;

	for (i = 0; i < cfg->n_funcs; i++)
		is_leader[cfg->funcs[i].start] = 1;
	for (i = 0; i < cfg->n_insns; i++) {
		const struct bpf_insn *insn = &cfg->insns[i];

		if (cfg->is_imm64_tail[i])
			continue;
		if (uxdp_insn_is_ja(insn) || uxdp_insn_is_cond_jump(insn))
			is_leader[uxdp_insn_target(insn, i)] = 1;
		/* After a jump: a fall-through of a conditional one, or code
		 * only other jumps reach (without a state, never walked). */
		if ((uxdp_insn_is_ja(insn) || uxdp_insn_is_cond_jump(insn)) &&
		    i + 1 < cfg->n_insns)
			is_leader[i + 1] = 1;
	}
	for (i = 0; i < cfg->n_insns; i++)
		if (is_leader[i])
			leader_idx[i] = n++;
	return n;
}

int
uxdp_prog_check(struct uxdp_prog *prog, char *err, size_t err_len)
{
	return check_prog(prog, true, err, err_len);
}

int
uxdp_prog_reanalyse(struct uxdp_prog *prog, char *err, size_t err_len)
{
	return check_prog(prog, false, err, err_len);
}
