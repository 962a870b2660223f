/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Helper calls get the arguments they take: before a call of a helper
 * with n arguments, r1..rn must be set on every path that reaches it, as
 * the kernel verifier demands ("R2 !read_ok"). A program that calls
 * bpf_map_update_elem with r4 never written would pass whatever the
 * previous helper left there as flags.
 *
 * This is a forward "definitely written" data-flow over each function:
 * a register counts as set at an instruction when every path from the
 * function's entry writes it first. Unlike the kernel the analysis does
 * not follow branch conditions, so in principle it could refuse a program
 * that sets a register only on the paths that later call the helper;
 * compilers do not emit that shape for argument registers (the argument
 * is computed right before the call), and the refusal names the register.
 *
 * Entry state: main gets r1 (ctx) and r10; a subprogram r1..r5 and r10,
 * because uxdp does not know how many arguments it takes (the kernel reads
 * that from BTF). Calls leave r0 set and r1..r5 unset, as the calling
 * convention says they are clobbered.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uxdp_bpf_internal.h"
#include "check.h"

#define REG_BIT(r) ((uint16_t)(1u << (r)))
#define CALLER_SAVED (REG_BIT(1) | REG_BIT(2) | REG_BIT(3) | REG_BIT(4) | \
		      REG_BIT(5))
#define TAIL_CALL_ARGS 3 /* ctx, prog array, index */

/* Arguments the kernel checks: every one the helper's prototype types,
 * which is all of them except bpf_trace_printk's varargs (its prototype
 * types only fmt and fmt_size; bpf_printk("x") sets just r1 and r2). */
static unsigned int
required_args(uint32_t id)
{
	const struct uxdp_helper_desc *h;

	if (id == BPF_FUNC_tail_call)
		return TAIL_CALL_ARGS;
	if (id == BPF_FUNC_trace_printk)
		return 2;
	h = uxdp_helper_get(id);
	return h != NULL ? h->n_args : 0;
}

static const char *
helper_name(uint32_t id)
{
	const struct uxdp_helper_desc *h = uxdp_helper_get(id);

	if (id == BPF_FUNC_tail_call)
		return "bpf_tail_call";
	return h != NULL ? h->name : "helper";
}

/* Registers an instruction writes, given those set before it (calls
 * also clear the caller-saved ones). */
static uint16_t
transfer(const struct bpf_insn *insn, uint16_t set)
{
	uint8_t cls = BPF_CLASS(insn->code);

	if (uxdp_insn_is_call(insn))
		return (uint16_t)((set & ~CALLER_SAVED) | REG_BIT(0));
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_LDX:
	case BPF_LD: /* ld_imm64; BPF_ABS/IND were refused before */
		return set | REG_BIT(insn->dst_reg);
	case BPF_STX:
		if (BPF_MODE(insn->code) != BPF_ATOMIC)
			return set;
		if (insn->imm == BPF_CMPXCHG)
			return set | REG_BIT(0);
		if (insn->imm & BPF_FETCH) /* fetch forms and xchg */
			return set | REG_BIT(insn->src_reg);
		return set;
	default:
		return set;
	}
}

static int
check_call_args(const struct bpf_insn *insn, uint32_t idx, uint16_t set,
		char *err, size_t err_len)
{
	unsigned int n, r;
	uint32_t id = (uint32_t)insn->imm;

	if (!uxdp_insn_is_call(insn) || insn->src_reg != 0)
		return 0;
	n = required_args(id);
	for (r = 1; r <= n; r++)
		if (!(set & REG_BIT(r)))
			return uxdp_check_refuse(err, err_len, idx,
						 "%s takes %u argument%s but r%u is not set on every path to the call",
						 helper_name(id), n,
						 n == 1 ? "" : "s", r);
	return 0;
}

static int
check_function(const struct uxdp_cfg *cfg, uint32_t f, uint16_t *in,
	       uint8_t *seen, uint32_t *work, char *err, size_t err_len)
{
	uint32_t start = cfg->funcs[f].start, end = cfg->funcs[f].end;
	uint32_t top = 0, i;
	int ret;

	memset(seen + start, 0, end - start);
	in[start] = REG_BIT(1) | REG_BIT(10) | (f == 0 ? 0 : CALLER_SAVED);
	seen[start] = 2;
	work[top++] = start;
	/* Sets only shrink, so this reaches a fixed point; a node is on the
	 * work stack at most once at a time (seen == 2). */
	while (top > 0) {
		uint32_t next[2];
		uint16_t out;
		int n, k;

		i = work[--top];
		seen[i] = 1;
		out = transfer(&cfg->insns[i], in[i]);
		n = uxdp_insn_successors(cfg, i, next);
		for (k = 0; k < n; k++) {
			uint32_t s = next[k];
			uint16_t merged = seen[s] ? (uint16_t)(in[s] & out) : out;

			if (seen[s] && merged == in[s])
				continue;
			in[s] = merged;
			if (seen[s] != 2) {
				seen[s] = 2;
				work[top++] = s;
			}
		}
	}
	for (i = start; i < end; i++) {
		if (!seen[i] || cfg->is_imm64_tail[i])
			continue;
		ret = check_call_args(&cfg->insns[i], i, in[i], err, err_len);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int
uxdp_check_helper_args(const struct uxdp_cfg *cfg, char *err,
		       size_t err_len)
{
	uint16_t *in = calloc(cfg->n_insns, sizeof(*in));
	uint8_t *seen = calloc(cfg->n_insns, 1);
	uint32_t *work = calloc(cfg->n_insns, sizeof(*work));
	uint32_t f;
	int ret = 0;

	if (in == NULL || seen == NULL || work == NULL)
		ret = uxdp_set_err(err, err_len, ENOMEM, "out of memory");
	for (f = 0; f < cfg->n_funcs && ret == 0; f++)
		ret = check_function(cfg, f, in, seen, work, err, err_len);
	free(in);
	free(seen);
	free(work);
	return ret;
}
