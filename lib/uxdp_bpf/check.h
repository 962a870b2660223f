/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_CHECK_H
#define UXDP_CHECK_H

/*
 * Shared by the structural checks (check.c) and the ctx rewrite
 * (check_ctx.c): the shape of a program once its encodings are known good.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <linux/bpf.h>

/* One function of the program: main at 0, then every bpf-to-bpf call target. */
struct uxdp_func {
	uint32_t start; /* first instruction */
	uint32_t end;   /* one past the last */
};

struct uxdp_cfg {
	struct bpf_insn *insns;
	uint32_t n_insns;
	uint8_t *is_imm64_tail; /* 1 on the second slot of an ld_imm64 */
	struct uxdp_func *funcs;
	uint32_t n_funcs;
	uint32_t *func_of;      /* instruction index -> function index */
	/* At a bpf_loop or bpf_for_each_map_elem call: the function index
	 * of its callback, or UXDP_CALLBACK_ANY when it depends on the path
	 * (check_callback.c); undefined elsewhere. */
	uint32_t *callback_of;
	uint32_t attach_type;   /* the program's expected attach type */
};

#define UXDP_CALLBACK_ANY UINT32_MAX

struct uxdp_obj;

static inline bool
uxdp_insn_is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static inline bool
uxdp_insn_is_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL);
}

static inline bool
uxdp_insn_is_pseudo_call(const struct bpf_insn *insn)
{
	return uxdp_insn_is_call(insn) && insn->src_reg == BPF_PSEUDO_CALL;
}

/* ld_imm64 of a callback address (target = idx + 1 + imm). */
static inline bool
uxdp_insn_is_pseudo_func(const struct bpf_insn *insn)
{
	return uxdp_insn_is_ld_imm64(insn) && insn->src_reg == BPF_PSEUDO_FUNC;
}

static inline bool
uxdp_insn_is_exit(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_EXIT);
}

/* Unconditional jump: BPF_JMP|BPF_JA (offset in off) or BPF_JMP32|BPF_JA
 * (ISA v4 "gotol", offset in imm). */
static inline bool
uxdp_insn_is_ja(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_JA) ||
		insn->code == (BPF_JMP32 | BPF_JA);
}

static inline bool
uxdp_insn_is_cond_jump(const struct bpf_insn *insn)
{
	uint8_t cls = BPF_CLASS(insn->code);
	uint8_t op = BPF_OP(insn->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) &&
		op != BPF_JA && op != BPF_CALL && op != BPF_EXIT;
}

/* Target of a jump or of a bpf-to-bpf call at index idx (may be out of
 * range: callers check). */
static inline int64_t
uxdp_insn_target(const struct bpf_insn *insn, uint32_t idx)
{
	if (insn->code == (BPF_JMP32 | BPF_JA) || uxdp_insn_is_call(insn) ||
	    uxdp_insn_is_pseudo_func(insn))
		return (int64_t)idx + 1 + insn->imm;
	return (int64_t)idx + 1 + insn->off;
}

/* Bytes a load or store of this opcode moves. */
static inline unsigned int
uxdp_insn_mem_size(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return 1;
	case BPF_H:
		return 2;
	case BPF_W:
		return 4;
	default:
		return 8;
	}
}

/* Successors of instruction i inside its function (jump targets were
 * checked by an earlier pass); returns how many (0 after an exit). */
static inline int
uxdp_insn_successors(const struct uxdp_cfg *cfg, uint32_t i, uint32_t next[2])
{
	const struct bpf_insn *insn = &cfg->insns[i];

	if (uxdp_insn_is_exit(insn))
		return 0;
	if (uxdp_insn_is_ja(insn)) {
		next[0] = (uint32_t)uxdp_insn_target(insn, i);
		return 1;
	}
	if (uxdp_insn_is_cond_jump(insn)) {
		next[0] = (uint32_t)uxdp_insn_target(insn, i);
		next[1] = i + 1;
		return 2;
	}
	next[0] = i + (uxdp_insn_is_ld_imm64(insn) ? 2 : 1);
	return 1;
}

/* Writes "insn <idx>: <reason>" into err; returns -EINVAL. */
/* What a memory instruction needs at run time under UXDP_VERIFY_SANDBOX
 * (uxdp_prog.mem_guard). Zero is the safe default: a program whose
 * analysis did not run has every access checked. */
enum uxdp_mem_guard {
	/* Not proven: check against every region of the run. */
	UXDP_GUARD_ANY = 0,
	/* Proven in bounds at load time: no check. */
	UXDP_GUARD_NONE,
	/* A packet pointer with an unproven offset: check against the
	 * packet [data_meta, data_end) only. */
	UXDP_GUARD_PACKET,
	/* A stack pointer with an unproven offset: check against the run's
	 * stack frames only. */
	UXDP_GUARD_STACK,
};

/* Mark the first instruction of every basic block (function starts,
 * jump targets, instructions after a jump) in is_leader (n_insns bytes,
 * zeroed) and number them in leader_idx; returns how many. For the
 * passes that keep one abstract state per block (check_ctx.c,
 * check_types.c). */
uint32_t uxdp_cfg_find_leaders(const struct uxdp_cfg *cfg, uint8_t *is_leader,
			       uint32_t *leader_idx);

int uxdp_check_refuse(char *err, size_t err_len, uint32_t idx,
		      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Find which loads read the ctx and rewrite them from struct xdp_md to
 * struct uxdp_xdp_buff offsets; refuses ambiguous or invalid ctx use. */
int uxdp_check_ctx(const struct uxdp_cfg *cfg, char *err, size_t err_len);

/* Every helper call has its arguments r1..rn set on every path
 * (check_args.c). */
int uxdp_check_helper_args(const struct uxdp_cfg *cfg, char *err,
			   size_t err_len);

/* Callback addresses reach only the callback argument of bpf_loop and
 * bpf_for_each_map_elem, for_each names a map it can iterate, callbacks
 * return 0 or 1 where known; fills cfg->callback_of
 * (check_callback.c). */
int uxdp_check_callbacks(const struct uxdp_cfg *cfg,
			 const struct uxdp_obj *obj, char *err,
			 size_t err_len);

struct uxdp_prog;

/* UXDP_VERIFY_SANDBOX: the pointer and range analysis
 * (check_types.c) fills prog->mem_guard, refusing what is wrong on every
 * path with "insn N: why"; run after the ctx rewrite. */
int uxdp_check_types(const struct uxdp_cfg *cfg, struct uxdp_prog *prog,
		     char *err, size_t err_len);

/* For tests and fuzzers: the checks and, under UXDP_VERIFY_SANDBOX, the
 * analysis again over a checked program's instructions (changed in
 * place), without the ctx rewrite they already had. */
int uxdp_prog_reanalyse(struct uxdp_prog *prog, char *err, size_t err_len);

#endif /* UXDP_CHECK_H */
