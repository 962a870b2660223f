/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp's own pointer and range analysis (doc/analysis.md), run by
 * uxdp_prog_check() for programs under UXDP_VERIFY_SANDBOX after the ctx
 * rewrite, so that it sees the final instructions (the rewrite changes
 * them in place, one for one). An abstract interpretation: every register
 * and spilled stack slot holds a typed value (check_types.h), a worklist
 * walks each function's blocks joining states where paths meet and
 * widening ranges once a block has been seen often (a loop), then a final
 * pass over the fixed point gives each load, store and atomic its run-time
 * check (prog->mem_guard) and refuses what is wrong on every path.
 *
 * Functions are analysed callees first, each on its own frame with
 * unknown arguments; what a callee may do to its callers (write outside
 * its frame, move the packet) is summarised for the calls.
 *
 * Sound by construction in one direction only: a proof (UXDP_GUARD_NONE)
 * holds on every path; a refusal needs the fault on every path that
 * reaches the instruction. Where the analysis gives up (a program too
 * large, or one whose loops do not settle) every access stays checked.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uxdp_map.h"
#include "check_types.h"

/* Visits of a block before its ranges widen. */
#define TY_WIDEN_AFTER 4
/* Memory the per-block states may take before the analysis gives up. */
#define TY_MAX_STATE_BYTES (256u << 20)

static int
collect_maps(struct ty_pass *p)
{
	const struct uxdp_obj *obj = p->prog->obj;
	uint32_t i, key = 0;

	if (obj == NULL || obj->n_maps == 0)
		return 0;
	p->maps = calloc(obj->n_maps, sizeof(*p->maps));
	if (p->maps == NULL)
		return -ENOMEM;
	for (i = 0; i < obj->n_maps; i++) {
		struct uxdp_map *map = obj->maps[i];
		const struct uxdp_map_def *def = uxdp_map_get_def(map);
		struct ty_map *m = &p->maps[p->n_maps++];

		m->map = (uintptr_t)map;
		m->type = def->type;
		m->value_size = def->value_size;
		m->rdonly = (def->map_flags & BPF_F_RDONLY_PROG) != 0;
		/* Global data (and direct value addresses) live in the
		 * value of key 0 of an array. */
		if (def->type == BPF_MAP_TYPE_ARRAY && def->max_entries > 0)
			m->value_base = (uintptr_t)uxdp_map_lookup(map, &key);
	}
	return 0;
}

const struct ty_map *
ty_map_of(const struct ty_pass *p, uintptr_t map)
{
	uint32_t i;

	if (map == 0)
		return NULL;
	for (i = 0; i < p->n_maps; i++)
		if (p->maps[i].map == map)
			return &p->maps[i];
	return NULL;
}

static void
entry_state(struct ty_pass *p, uint32_t f, struct ty_state *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < TY_N_REGS; i++)
		s->reg[i] = ty_unknown();
	for (i = 0; i < TY_N_SLOTS; i++)
		s->slot[i] = ty_scalar();
	if (f == 0)
		s->reg[1] = ty_ptr(TY_CTX, 0);
	s->reg[10] = ty_ptr(TY_STACK, 0);
	(void)p;
}

static void
propagate(struct ty_pass *p, uint32_t pc, const struct ty_state *s)
{
	uint32_t k = p->leader_idx[pc];
	struct ty_state *dst = &p->states[k];
	bool changed = false, widen;
	int i;

	if (!p->has_state[k]) {
		*dst = *s;
		p->has_state[k] = 1;
		changed = true;
	} else {
		widen = p->visits[k] > TY_WIDEN_AFTER;
		for (i = 0; i < TY_N_REGS + TY_N_SLOTS; i++) {
			struct ty_val *d = i < TY_N_REGS ? &dst->reg[i] :
				&dst->slot[i - TY_N_REGS];
			const struct ty_val *v = i < TY_N_REGS ? &s->reg[i] :
				&s->slot[i - TY_N_REGS];
			struct ty_val j = ty_join(d, v, widen);

			if (!ty_eq(&j, d)) {
				*d = j;
				changed = true;
			}
		}
		for (i = 0; i < UXDP_STACK_SIZE / 64; i++) {
			if ((dst->init[i] | s->init[i]) != dst->init[i]) {
				dst->init[i] |= s->init[i];
				changed = true;
			}
		}
	}
	if (changed && !p->queued[k]) {
		if (p->visits[k] < UINT16_MAX)
			p->visits[k]++;
		p->queued[k] = 1;
		p->work[p->n_work++] = pc;
	}
}

static int
transfer(struct ty_pass *p, struct ty_state *s, uint32_t pc)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];

	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		ty_alu(p, s, pc);
		return 0;
	case BPF_LD:
		ty_ld_imm64(p, s, pc);
		return 0;
	case BPF_LDX:
		return ty_load(p, s, pc);
	case BPF_ST:
	case BPF_STX:
		return ty_store(p, s, pc);
	default:
		break;
	}
	if (uxdp_insn_is_call(insn))
		ty_call(p, s, pc);
	return 0;
}

/* Run one block from its recorded state; outside the final pass, feed
 * its successors. */
static int
run_block(struct ty_pass *p, uint32_t pc)
{
	const struct bpf_insn *insns = p->cfg->insns;
	struct ty_state cur = p->states[p->leader_idx[pc]];
	struct ty_state taken;
	int ret;

	for (;;) {
		const struct bpf_insn *insn = &insns[pc];
		uint32_t next;

		ret = transfer(p, &cur, pc);
		if (ret < 0)
			return ret;
		if (uxdp_insn_is_exit(insn) || (p->final &&
		    (uxdp_insn_is_ja(insn) || uxdp_insn_is_cond_jump(insn))))
			return 0;
		if (uxdp_insn_is_ja(insn)) {
			propagate(p, (uint32_t)uxdp_insn_target(insn, pc), &cur);
			return 0;
		}
		if (uxdp_insn_is_cond_jump(insn)) {
			taken = cur;
			if (ty_branch(&taken, insn, true))
				propagate(p, (uint32_t)uxdp_insn_target(insn, pc),
					  &taken);
			if (ty_branch(&cur, insn, false))
				propagate(p, pc + 1, &cur);
			return 0;
		}
		next = pc + (uxdp_insn_is_ld_imm64(insn) ? 2 : 1);
		if (p->is_leader[next]) {
			if (!p->final)
				propagate(p, next, &cur);
			return 0;
		}
		pc = next;
	}
}

/* Fixed point of function f, then (final) guards and refusals. Returns
 * 1 when the function's loops did not settle within the budget. */
static int
analyse_function(struct ty_pass *p, uint32_t f)
{
	const struct uxdp_func *fn = &p->cfg->funcs[f];
	uint64_t budget = 64ull * (fn->end - fn->start) + 10000;
	struct ty_state entry;
	uint32_t i;
	int ret;

	p->cur_func = f;
	p->final = false;
	p->n_work = 0;
	entry_state(p, f, &entry);
	propagate(p, fn->start, &entry);
	while (p->n_work > 0) {
		uint32_t pc = p->work[--p->n_work];

		p->queued[p->leader_idx[pc]] = 0;
		if (budget-- == 0)
			return 1;
		run_block(p, pc);
	}
	p->final = true;
	for (i = fn->start; i < fn->end; i++) {
		if (!p->is_leader[i] || !p->has_state[p->leader_idx[i]])
			continue;
		ret = run_block(p, i);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Functions callees first (the call graph has no cycles: check.c). */
static void
order_functions(const struct uxdp_cfg *cfg, uint32_t f, uint8_t *seen,
		uint32_t *order, uint32_t *n)
{
	uint32_t i;

	seen[f] = 1;
	for (i = cfg->funcs[f].start; i < cfg->funcs[f].end; i++) {
		const struct bpf_insn *insn = &cfg->insns[i];
		uint32_t callee;

		if (cfg->is_imm64_tail[i] || (!uxdp_insn_is_pseudo_call(insn) &&
					       !uxdp_insn_is_pseudo_func(insn)))
			continue;
		callee = cfg->func_of[uxdp_insn_target(insn, i)];
		if (!seen[callee])
			order_functions(cfg, callee, seen, order, n);
	}
	order[(*n)++] = f;
}

static void
free_pass(struct ty_pass *p)
{
	free(p->maps);
	free(p->fn);
	free(p->is_leader);
	free(p->leader_idx);
	free(p->states);
	free(p->has_state);
	free(p->queued);
	free(p->visits);
	free(p->work);
}

int
uxdp_check_types(const struct uxdp_cfg *cfg, struct uxdp_prog *prog,
		 char *err, size_t err_len)
{
	struct ty_pass p = { .cfg = cfg, .prog = prog, .err = err,
			     .err_len = err_len };
	uint32_t *order = NULL, n_order = 0, n_leaders, i;
	uint8_t *seen = NULL;
	uint8_t *guard;
	int ret = 0;

	guard = calloc(cfg->n_insns, 1);
	p.guard = guard;
	p.fn = calloc(cfg->n_funcs, sizeof(*p.fn));
	p.is_leader = calloc(cfg->n_insns, 1);
	p.leader_idx = calloc(cfg->n_insns, sizeof(*p.leader_idx));
	order = calloc(cfg->n_funcs, sizeof(*order));
	seen = calloc(cfg->n_funcs, 1);
	if (guard == NULL || p.fn == NULL || p.is_leader == NULL ||
	    p.leader_idx == NULL || order == NULL || seen == NULL ||
	    collect_maps(&p) < 0)
		goto nomem;
	n_leaders = uxdp_cfg_find_leaders(cfg, p.is_leader, p.leader_idx);
	if ((uint64_t)n_leaders * sizeof(struct ty_state) > TY_MAX_STATE_BYTES)
		goto give_up;
	p.states = malloc(sizeof(*p.states) * n_leaders);
	p.has_state = calloc(n_leaders, 1);
	p.queued = calloc(n_leaders, 1);
	p.visits = calloc(n_leaders, sizeof(*p.visits));
	p.work = malloc(sizeof(*p.work) * n_leaders);
	if (p.states == NULL || p.has_state == NULL || p.queued == NULL ||
	    p.visits == NULL || p.work == NULL)
		goto nomem;

	order_functions(cfg, 0, seen, order, &n_order);
	for (i = 0; i < cfg->n_funcs; i++)
		if (!seen[i]) /* not reached from main: still analysed */
			order_functions(cfg, i, seen, order, &n_order);
	for (i = 0; i < n_order && ret == 0; i++)
		ret = analyse_function(&p, order[i]);
	if (ret > 0)
		goto give_up;
	if (ret < 0)
		goto out;
	free(prog->mem_guard);
	prog->mem_guard = guard;
	guard = NULL;
	goto out;
give_up:
	/* Everything stays checked at run time; nothing is refused. */
	memset(guard, UXDP_GUARD_ANY, cfg->n_insns);
	free(prog->mem_guard);
	prog->mem_guard = guard;
	guard = NULL;
	ret = 0;
	goto out;
nomem:
	ret = uxdp_set_err(err, err_len, ENOMEM, "out of memory");
out:
	free(guard);
	free(order);
	free(seen);
	free_pass(&p);
	return ret;
}
