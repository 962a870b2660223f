/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Load-time checks of callbacks (check_callback.c, check.c): each refusal
 * names its instruction and reason; legal shapes load, the call depth
 * counts a callback's frame, and bpf_loop calls with a known flags 0 are
 * marked as the kernel's inlined form.
 */

#include <errno.h>

#include "test_interp_insn.h"
#include "callback.h"

enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

#define LD_FUNC(d, rel) \
	INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_FUNC, 0, rel), \
	INSN(0, 0, 0, 0, 0)
/* bpf_loop(1, callback at rel from the ld_imm64, NULL, 0) */
#define LOOP_ONCE(rel) \
	MOV64_IMM(R1, 1), LD_FUNC(R2, rel), MOV64_IMM(R3, 0), \
	MOV64_IMM(R4, 0), CALL_HELPER(BPF_FUNC_loop)
#define RET(v) MOV64_IMM(R0, v), EXIT()

struct refusal {
	const char *name;
	const struct bpf_insn *insns;
	uint32_t n_insns;
	uint32_t idx;
	const char *reason;
};

#define PROG(...) .insns = (const struct bpf_insn[]){ __VA_ARGS__ }, \
	.n_insns = sizeof((const struct bpf_insn[]){ __VA_ARGS__ }) / \
		sizeof(struct bpf_insn)
#define REFUSE(nm, i, why, ...) { .name = (nm), .idx = (i), \
	.reason = (why), PROG(__VA_ARGS__) }

/* A callback that runs bpf_loop with the next function as its callback:
 * seven of them after main's call make nine frames. */
#define NESTER() LOOP_ONCE(6), RET(0)

static const struct refusal refusals[] = {
	REFUSE("callback is main", 0, "callback is the program's entry",
	       LD_FUNC(R2, -1), RET(0)),
	REFUSE("callback out of range", 0, "callback out of range",
	       LD_FUNC(R2, 100), RET(0)),
	REFUSE("callback inside a function", 0,
	       "callback at insn 4 is not the start of a function (insn 3 runs into it)",
	       LD_FUNC(R2, 3), MOV64_IMM(R1, 1), MOV64_IMM(R0, 0),
	       MOV64_IMM(R0, 1), EXIT()),
	REFUSE("callback into an ld_imm64", 0, "into the middle of ld_imm64",
	       LD_FUNC(R2, 4), RET(0), LD_IMM64(R0, 1), EXIT()),
	REFUSE("bpf_loop without a callback", 4,
	       "bpf_loop: r2 must hold a callback",
	       MOV64_IMM(R1, 1), MOV64_IMM(R2, 0), MOV64_IMM(R3, 0),
	       MOV64_IMM(R4, 0), CALL_HELPER(BPF_FUNC_loop), RET(0)),
	REFUSE("callback lost in a join", 7,
	       "bpf_loop: r2 must hold a callback",
	       MOV64_IMM(R2, 0), JMP_IMM(JEQ, R1, 0, 2), LD_FUNC(R2, 7),
	       MOV64_IMM(R1, 1), MOV64_IMM(R3, 0), MOV64_IMM(R4, 0),
	       CALL_HELPER(BPF_FUNC_loop), RET(0), RET(0)),
	REFUSE("callback in the ctx argument", 5, "r3 holds a callback address",
	       MOV64_IMM(R1, 1), LD_FUNC(R3, 6), MOV64_IMM(R2, 0),
	       MOV64_IMM(R4, 0), CALL_HELPER(BPF_FUNC_loop), RET(0), RET(0)),
	REFUSE("callback to another helper", 4, "r2 holds a callback address",
	       MOV64_REG(R1, R10), LD_FUNC(R2, 5), MOV64_IMM(R3, 8),
	       CALL_HELPER(BPF_FUNC_get_prandom_u32), RET(0), RET(0)),
	REFUSE("callback stored", 2, "r2 holds a callback address",
	       LD_FUNC(R2, 4), STX(DW, R10, R2, -8), RET(0), RET(0)),
	REFUSE("callback computed with", 2, "r2 holds a callback address",
	       LD_FUNC(R2, 4), ALU64_IMM(ADD, R2, 8), RET(0), RET(0)),
	REFUSE("callback compared", 2, "r2 holds a callback address",
	       LD_FUNC(R2, 4), JMP_IMM(JEQ, R2, 0, 0), RET(0), RET(0)),
	REFUSE("callback returned", 2, "r0 holds a callback address",
	       LD_FUNC(R0, 2), EXIT(), RET(0)),
	REFUSE("callback moved 32-bit", 2, "r2 holds a callback address",
	       LD_FUNC(R2, 4), MOV32_REG(R3, R2), RET(0), RET(0)),
	REFUSE("callback returns 2", 9,
	       "callback returns 2; a callback of bpf_loop or bpf_for_each_map_elem must return 0 or 1",
	       LOOP_ONCE(6), RET(0), MOV64_IMM(R0, 2), EXIT()),
	REFUSE("callback returns -1", 10, "callback returns -1",
	       LOOP_ONCE(6), RET(0), JMP_IMM(JEQ, R1, 0, 2), MOV64_IMM(R0, -1),
	       EXIT(), RET(1)),
	REFUSE("bpf_loop without flags", 4,
	       "bpf_loop takes 4 arguments but r4 is not set",
	       MOV64_IMM(R1, 1), LD_FUNC(R2, 5), MOV64_IMM(R3, 0),
	       CALL_HELPER(BPF_FUNC_loop), RET(0), RET(0)),
	REFUSE("recursive callback", 9, "recursive callback of the function at insn 8",
	       LOOP_ONCE(6), RET(0), LOOP_ONCE(-2), RET(0)),
	REFUSE("for_each without a map", 5,
	       "bpf_for_each_map_elem: r1 is a constant that is not a map of the program",
	       MOV64_IMM(R1, 0), LD_FUNC(R2, 6), MOV64_IMM(R3, 0),
	       MOV64_IMM(R4, 0), CALL_HELPER(BPF_FUNC_for_each_map_elem),
	       RET(0), RET(0)),
	/* the ctx reached through callback_ctx in the caller's frame: the
	 * ctx analysis cannot rewrite that load, so it refuses (the kernel
	 * tracks the caller's frame and would accept) rather than leaving
	 * an xdp_md load unrewritten */
	REFUSE("ctx read through callback_ctx", 11,
	       "ctx pointer ambiguous (r1 is the ctx on some paths only)",
	       STX(DW, R10, R1, -8), MOV64_IMM(R1, 1), LD_FUNC(R2, 7),
	       MOV64_REG(R3, R10), ALU64_IMM(ADD, R3, -8), MOV64_IMM(R4, 0),
	       CALL_HELPER(BPF_FUNC_loop), RET(0),
	       LDX(DW, R1, R2, 0), LDX(W, R0, R1, 0), MOV64_IMM(R0, 0),
	       EXIT()),
	/* main + 7 nesting callbacks + 1: nine frames */
	REFUSE("nine frames through callbacks", 57,
	       "call nesting exceeds 8 frames",
	       NESTER(), NESTER(), NESTER(), NESTER(), NESTER(), NESTER(),
	       NESTER(), NESTER(), RET(0)),
};

static void
check_refusal(const struct refusal *r)
{
	char err[UXDP_ERR_MAX] = "", want[64];
	struct uxdp_obj *obj = (struct uxdp_obj *)&obj;
	int ret;

	ret = uxdp_obj_from_insns(r->name, r->insns, r->n_insns, &obj, err,
				  sizeof(err));
	T_CHECK(ret == -EINVAL, "%s: returned %d (%s)", r->name, ret, err);
	T_CHECK(obj == NULL, "%s: no object on refusal", r->name);
	snprintf(want, sizeof(want), "insn %u: ", r->idx);
	T_CHECK(strncmp(err, want, strlen(want)) == 0,
		"%s: message should start with \"%s\": %s", r->name, want, err);
	T_CHECK(strstr(err, r->reason) != NULL,
		"%s: message should contain \"%s\": %s", r->name, r->reason,
		err);
	if (ret == 0)
		uxdp_obj_close(obj);
}

static struct uxdp_obj *
load_ok(const char *name, const struct bpf_insn *insns, uint32_t n)
{
	struct uxdp_obj *obj = t_load(name, insns, n);

	T_CHECK(obj != NULL, "%s: accepted", name);
	return obj;
}

static void
check_accepted(void)
{
	/* eight frames: main and seven nested callbacks */
	const struct bpf_insn eight[] = {
		NESTER(), NESTER(), NESTER(), NESTER(), NESTER(), NESTER(),
		NESTER(), RET(0),
	};
	/* callback address copied through r6 and across a helper call;
	 * the callback's r0 is computed (not checked) */
	const struct bpf_insn copied[] = {
		LD_FUNC(R6, 10), CALL_HELPER(BPF_FUNC_get_prandom_u32),
		MOV64_REG(R2, R6), MOV64_IMM(R1, 3), MOV64_IMM(R3, 0),
		MOV64_REG(R4, R3), CALL_HELPER(BPF_FUNC_loop), EXIT(),
		RET(0),
		MOV64_REG(R0, R1), ALU64_IMM(AND, R0, 1), EXIT(),
	};
	/* the same callback on both paths; flags not a constant */
	const struct bpf_insn joined[] = {
		JMP_IMM(JEQ, R1, 0, 3), LD_FUNC(R2, 9), JA(2),
		LD_FUNC(R2, 6), MOV64_IMM(R1, 1), MOV64_IMM(R3, 0),
		LDX(B, R4, R10, -1), CALL_HELPER(BPF_FUNC_loop), EXIT(),
		RET(1),
	};
	/* two callbacks for one call (clang merges such calls): legal,
	 * and not the kernel's inlined form */
	const struct bpf_insn two[] = {
		LD_FUNC(R2, 10), JMP_IMM(JEQ, R1, 0, 2), LD_FUNC(R2, 9),
		MOV64_IMM(R1, 1), MOV64_IMM(R3, 0), MOV64_IMM(R4, 0),
		CALL_HELPER(BPF_FUNC_loop), RET(0), RET(0), RET(1),
	};
	/* an unused callback address is legal */
	const struct bpf_insn unused[] = { LD_FUNC(R2, 3), RET(0), RET(0) };
	struct uxdp_obj *obj;
	struct uxdp_prog *prog;

	obj = load_ok("eight frames through callbacks", eight, N_INSNS(eight));
	uxdp_obj_close(obj);
	obj = load_ok("callback copied", copied, N_INSNS(copied));
	if (obj != NULL) {
		prog = uxdp_obj_prog_at(obj, 0);
		T_EQ_U64(prog->insns[7].off, UXDP_LOOP_INLINED,
			 "flags copied from a 0: the kernel's inlined form");
		uxdp_obj_close(obj);
	}
	obj = load_ok("one callback on two paths", joined, N_INSNS(joined));
	if (obj != NULL) {
		prog = uxdp_obj_prog_at(obj, 0);
		T_EQ_U64(prog->insns[9].off, 0,
			 "flags from memory: the helper's form");
		uxdp_obj_close(obj);
	}
	obj = load_ok("two callbacks for one call", two, N_INSNS(two));
	if (obj != NULL) {
		prog = uxdp_obj_prog_at(obj, 0);
		T_EQ_U64(prog->insns[8].off, 0,
			 "two callbacks: the helper's form");
		uxdp_obj_close(obj);
	}
	obj = load_ok("unused callback address", unused, N_INSNS(unused));
	uxdp_obj_close(obj);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		check_refusal(&refusals[i]);
	check_accepted();
	return t_summary();
}
