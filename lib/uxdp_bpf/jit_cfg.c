/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The shape of a program for the JIT: where its functions start (the
 * targets of bpf-to-bpf calls), where basic blocks start, and whether
 * the instruction budget needs counting at run time.
 *
 * Budget policy: the interpreter ends a run as XDP_ABORTED once it has
 * executed UXDP_INSN_BUDGET instructions. When a program has no backward
 * jump and no callback (bpf_loop and bpf_for_each_map_elem repeat it), the longest path through it (each call site adding its callee's
 * bound) is computed here; if it fits in the budget no run can exhaust
 * it and the JIT emits no counting at all. Otherwise every basic block
 * charges its length on entry and aborts when the budget cannot pay, so
 * the verdict matches the interpreter's for every run.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jit_emit.h"

bool
jit_insn_is_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_DW | BPF_IMM);
}

static bool
is_local_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) &&
		insn->src_reg == BPF_PSEUDO_CALL;
}

/* Jump target of a branch at pc, or -1 when insn does not branch. */
static int64_t
branch_target(const struct bpf_insn *insn, uint32_t pc)
{
	uint8_t cls = BPF_CLASS(insn->code);
	uint8_t op = BPF_OP(insn->code);

	if (cls != BPF_JMP && cls != BPF_JMP32)
		return -1;
	if (op == BPF_CALL || op == BPF_EXIT)
		return -1;
	if (cls == BPF_JMP32 && op == BPF_JA)
		return (int64_t)pc + 1 + insn->imm;
	return (int64_t)pc + 1 + insn->off;
}

static bool
ends_block(const struct bpf_insn *insn)
{
	uint8_t cls = BPF_CLASS(insn->code);
	uint8_t op = BPF_OP(insn->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL;
}

int
jit_cfg_func_at(const struct jit_cfg *cfg, uint32_t pc)
{
	uint32_t lo = 0, hi = cfg->n_funcs;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (cfg->funcs[mid].start == pc)
			return (int)mid;
		if (cfg->funcs[mid].start < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Upper bound of instructions one call of function f executes when the
 * program has no loop; saturates just above the budget. */
static uint64_t
path_bound(const struct uxdp_prog *prog, const struct jit_cfg *cfg,
	   uint32_t f, uint64_t *memo)
{
	const struct jit_func *fn = &cfg->funcs[f];
	uint64_t sum = 0;
	uint32_t pc;

	if (memo[f] != 0)
		return memo[f];
	for (pc = fn->start; pc < fn->end; pc++) {
		const struct bpf_insn *insn = &prog->insns[pc];
		int callee;

		sum++;
		if (jit_insn_is_imm64(insn)) {
			pc++;
			continue;
		}
		if (!is_local_call(insn))
			continue;
		callee = jit_cfg_func_at(cfg, pc + 1 + insn->imm);
		if (callee >= 0)
			sum += path_bound(prog, cfg, (uint32_t)callee, memo);
		if (sum > UXDP_INSN_BUDGET)
			sum = (uint64_t)UXDP_INSN_BUDGET + 1;
	}
	memo[f] = sum;
	return sum;
}

static int
find_funcs(const struct uxdp_prog *prog, struct jit_cfg *cfg, char *err,
	   size_t err_len)
{
	uint32_t n = prog->n_insns, pc, i;
	bool *starts = calloc(n, sizeof(*starts));

	if (starts == NULL)
		return uxdp_set_err(err, err_len, ENOMEM, "JIT: out of memory");
	starts[0] = true;
	for (pc = 0; pc < n; pc++) {
		const struct bpf_insn *insn = &prog->insns[pc];
		int64_t t;

		if (jit_insn_is_imm64(insn) &&
		    insn->src_reg != BPF_PSEUDO_FUNC) {
			pc++;
			continue;
		}
		if (!is_local_call(insn) && !jit_insn_is_imm64(insn))
			continue;
		/* A callback is a function too. */
		if (jit_insn_is_imm64(insn))
			cfg->has_callbacks = true;
		t = (int64_t)pc + 1 + insn->imm;
		pc += jit_insn_is_imm64(insn);
		if (t < 0 || t >= n) {
			free(starts);
			return uxdp_set_err(err, err_len, EINVAL,
					    "JIT: insn %u calls outside the program",
					    pc);
		}
		starts[t] = true;
	}
	for (pc = 0; pc < n; pc++)
		cfg->n_funcs += starts[pc];
	cfg->funcs = calloc(cfg->n_funcs, sizeof(*cfg->funcs));
	if (cfg->funcs == NULL) {
		free(starts);
		return uxdp_set_err(err, err_len, ENOMEM, "JIT: out of memory");
	}
	for (pc = 0, i = 0; pc < n; pc++) {
		if (!starts[pc])
			continue;
		if (i > 0)
			cfg->funcs[i - 1].end = pc;
		cfg->funcs[i++].start = pc;
	}
	cfg->funcs[i - 1].end = n;
	free(starts);
	return 0;
}

int
jit_cfg_build(const struct uxdp_prog *prog, struct jit_cfg *cfg, char *err,
	      size_t err_len)
{
	uint32_t n = prog->n_insns, pc, f;
	bool back_edge = false;
	uint64_t *memo;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	if (n == 0)
		return uxdp_set_err(err, err_len, EINVAL, "JIT: empty program");
	ret = find_funcs(prog, cfg, err, err_len);
	if (ret < 0)
		return ret;
	cfg->leader = calloc(n + 1, sizeof(*cfg->leader));
	if (cfg->leader == NULL) {
		jit_cfg_free(cfg);
		return uxdp_set_err(err, err_len, ENOMEM, "JIT: out of memory");
	}
	for (f = 0; f < cfg->n_funcs; f++)
		cfg->leader[cfg->funcs[f].start] = true;
	for (pc = 0; pc < n; pc++) {
		const struct bpf_insn *insn = &prog->insns[pc];
		int64_t t;

		if (jit_insn_is_imm64(insn)) {
			pc++;
			continue;
		}
		if (!ends_block(insn))
			continue;
		cfg->leader[pc + 1] = true;
		t = branch_target(insn, pc);
		if (t < 0)
			continue;
		if (t >= n) {
			jit_cfg_free(cfg);
			return uxdp_set_err(err, err_len, EINVAL,
					    "JIT: insn %u jumps outside the program",
					    pc);
		}
		cfg->leader[t] = true;
		if (t <= pc)
			back_edge = true;
	}
	/* bpf_loop and bpf_for_each_map_elem repeat their callback: count
	 * as for loops. */
	if (back_edge || cfg->has_callbacks) {
		cfg->count_budget = true;
		return 0;
	}
	memo = calloc(cfg->n_funcs, sizeof(*memo));
	if (memo == NULL) {
		jit_cfg_free(cfg);
		return uxdp_set_err(err, err_len, ENOMEM, "JIT: out of memory");
	}
	cfg->count_budget = path_bound(prog, cfg, 0, memo) > UXDP_INSN_BUDGET;
	free(memo);
	return 0;
}

void
jit_cfg_free(struct jit_cfg *cfg)
{
	free(cfg->funcs);
	free(cfg->leader);
	cfg->funcs = NULL;
	cfg->leader = NULL;
}
