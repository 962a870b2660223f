/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The load-time checks: one refused program per check class, each with
 * the instruction the message must name and a phrase of the reason, and
 * programs at the edge of each limit that must be accepted.
 */

#include <errno.h>

#include "test_interp_insn.h"

enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11 };

struct refusal {
	const char *name;
	const struct bpf_insn *insns;
	uint32_t n_insns;
	uint32_t idx;       /* "insn <idx>: " */
	const char *reason; /* a phrase of the message */
};

#define PROG(...) \
	.insns = (const struct bpf_insn[]){ __VA_ARGS__ }, \
	.n_insns = sizeof((const struct bpf_insn[]){ __VA_ARGS__ }) / \
		sizeof(struct bpf_insn)

#define REFUSE(nm, i, why, ...) { .name = (nm), .idx = (i), \
	.reason = (why), PROG(__VA_ARGS__) }

/* Eight frames: main, then f1..f7 each calling the next (see ISA test);
 * NESTED9 adds one more level. */
#define CALLER() CALL_LOCAL(2), ALU64_IMM(ADD, R0, 1), EXIT()

static const struct refusal refusals[] = {
	/* ---- unknown opcodes and encodings ---- */
	REFUSE("unknown ALU op", 1, "unknown ALU operation",
	       MOV64_IMM(R0, 0), INSN(BPF_ALU64 | 0xe0 | BPF_K, R0, 0, 0, 0),
	       EXIT()),
	REFUSE("unknown jump op (may_goto)", 0, "unknown jump operation",
	       INSN(BPF_JMP | 0xe0, 0, 0, 0, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("jmp32 call", 0, "unknown call encoding",
	       INSN(BPF_JMP32 | BPF_CALL, 0, 0, 0, 5), EXIT()),
	REFUSE("callx", 0, "unknown call encoding",
	       INSN(BPF_JMP | BPF_CALL | BPF_X, 0, 0, 0, 0), EXIT()),
	REFUSE("jmp32 exit", 1, "exit uses reserved fields",
	       MOV64_IMM(R0, 0), INSN(BPF_JMP32 | BPF_EXIT, 0, 0, 0, 0)),
	REFUSE("exit with imm", 1, "exit uses reserved fields",
	       MOV64_IMM(R0, 0), INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 1)),
	REFUSE("alu reg with imm", 0, "non-zero immediate",
	       INSN(BPF_ALU64 | BPF_ADD | BPF_X, R0, R1, 0, 3), EXIT()),
	REFUSE("alu imm with src_reg", 0, "non-zero src_reg",
	       INSN(BPF_ALU64 | BPF_ADD | BPF_K, R0, R1, 0, 3), EXIT()),
	REFUSE("add with offset", 0, "non-zero offset",
	       INSN(BPF_ALU | BPF_ADD | BPF_K, R0, 0, 1, 3), EXIT()),
	REFUSE("div with offset 2", 0, "division offset 2",
	       INSN(BPF_ALU64 | BPF_DIV | BPF_K, R0, 0, 2, 3), EXIT()),
	REFUSE("mov imm with offset", 0, "mov immediate with non-zero offset",
	       INSN(BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 8, 3), EXIT()),
	REFUSE("movsx32 with width 32", 0, "sign-extension width 32",
	       MOVSX32(R0, R1, 32), EXIT()),
	REFUSE("movsx64 with width 24", 0, "sign-extension width 24",
	       MOVSX64(R0, R1, 24), EXIT()),
	REFUSE("neg with a register source", 0, "neg uses reserved fields",
	       INSN(BPF_ALU64 | BPF_NEG | BPF_X, R0, R1, 0, 0), EXIT()),
	REFUSE("byte swap of 8 bits", 0, "byte swap width 8",
	       INSN(BPF_ALU | BPF_END | BPF_TO_BE, R0, 0, 0, 8), EXIT()),
	REFUSE("64-bit byte swap with TO_BE", 0, "BPF_TO_LE",
	       INSN(BPF_ALU64 | BPF_END | BPF_TO_BE, R0, 0, 0, 16), EXIT()),
	REFUSE("byte swap with src_reg", 0, "byte swap uses reserved fields",
	       INSN(BPF_ALU | BPF_END | BPF_TO_LE, R0, R1, 0, 16), EXIT()),
	REFUSE("ja with imm", 0, "ja uses reserved fields",
	       INSN(BPF_JMP | BPF_JA, 0, 0, 0, 1), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("ja32 with off", 0, "ja uses reserved fields",
	       INSN(BPF_JMP32 | BPF_JA, 0, 0, 1, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("jump reg with imm", 1, "register-source jump",
	       MOV64_IMM(R0, 0), INSN(BPF_JMP | BPF_JEQ | BPF_X, R0, R1, 0, 1),
	       EXIT()),
	REFUSE("jump imm with src_reg", 1, "immediate-source jump",
	       MOV64_IMM(R0, 0), INSN(BPF_JMP32 | BPF_JEQ | BPF_K, R0, R1, 0, 1),
	       EXIT()),
	REFUSE("call with offset", 0, "call uses reserved fields",
	       INSN(BPF_JMP | BPF_CALL, 0, 0, 1, BPF_FUNC_ktime_get_ns), EXIT()),
	REFUSE("register r11", 0, "invalid register r11",
	       MOV64_IMM(R11, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("source register r11", 0, "invalid register r11",
	       MOV64_REG(R0, R11), EXIT()),

	/* ---- bad sizes and modes ---- */
	REFUSE("ldxsx of 8 bytes", 0, "sign-extending load of 8 bytes",
	       INSN(BPF_LDX | BPF_DW | BPF_MEMSX, R0, R10, -8, 0), EXIT()),
	REFUSE("ldx with imm", 0, "load with non-zero immediate",
	       INSN(BPF_LDX | BPF_W | BPF_MEM, R0, R10, -8, 1), EXIT()),
	REFUSE("ldx mode abs", 0, "unknown load mode",
	       INSN(BPF_LDX | BPF_W | BPF_ABS, R0, R10, -8, 0), EXIT()),
	REFUSE("atomic on a byte", 1, "atomic operation on 1 bytes",
	       MOV64_IMM(R2, 1), ATOMIC(B, R10, R2, -8, BPF_ADD),
	       MOV64_IMM(R0, 0), EXIT()),
	REFUSE("atomic on a half word", 1, "atomic operation on 2 bytes",
	       MOV64_IMM(R2, 1), ATOMIC(H, R10, R2, -8, BPF_ADD),
	       MOV64_IMM(R0, 0), EXIT()),
	REFUSE("atomic sub", 1, "unknown atomic operation 0x10",
	       MOV64_IMM(R2, 1), ATOMIC(DW, R10, R2, -8, BPF_SUB),
	       MOV64_IMM(R0, 0), EXIT()),
	REFUSE("st atomic", 0, "unknown store mode",
	       INSN(BPF_ST | BPF_DW | BPF_ATOMIC, R10, 0, -8, BPF_ADD),
	       MOV64_IMM(R0, 0), EXIT()),
	REFUSE("stx mode abs", 0, "unknown store mode",
	       INSN(BPF_STX | BPF_W | BPF_ABS, R10, R0, -8, 0),
	       MOV64_IMM(R0, 0), EXIT()),
	REFUSE("st with src_reg", 0, "immediate store with non-zero src_reg",
	       INSN(BPF_ST | BPF_DW | BPF_MEM, R10, R1, -8, 0),
	       MOV64_IMM(R0, 0), EXIT()),
	REFUSE("stx with imm", 1, "register store with non-zero immediate",
	       MOV64_IMM(R0, 0), INSN(BPF_STX | BPF_DW | BPF_MEM, R10, R0, -8, 1),
	       EXIT()),
	REFUSE("legacy BPF_ABS", 0, "legacy packet load",
	       INSN(BPF_LD | BPF_ABS | BPF_W, 0, 0, 0, 0), EXIT()),
	REFUSE("legacy BPF_IND", 0, "legacy packet load",
	       INSN(BPF_LD | BPF_IND | BPF_B, 0, R2, 0, 0), EXIT()),
	REFUSE("ld mode mem", 0, "unknown load",
	       INSN(BPF_LD | BPF_MEM | BPF_W, R0, 0, 0, 0), EXIT()),

	/* ---- ld_imm64 forms ---- */
	REFUSE("unresolved map fd", 0, "unresolved map reference",
	       INSN(BPF_LD | BPF_DW | BPF_IMM, R1, BPF_PSEUDO_MAP_FD, 0, 3),
	       INSN(0, 0, 0, 0, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("unresolved map value", 0, "unresolved map reference",
	       INSN(BPF_LD | BPF_DW | BPF_IMM, R1, BPF_PSEUDO_MAP_IDX_VALUE, 0, 0),
	       INSN(0, 0, 0, 0, 8), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("pseudo func second half", 1, "second half of a callback ld_imm64",
	       INSN(BPF_LD | BPF_DW | BPF_IMM, R2, BPF_PSEUDO_FUNC, 0, 3),
	       INSN(0, 0, 0, 0, 1), MOV64_IMM(R0, 0), EXIT(),
	       MOV64_IMM(R0, 0), EXIT()),
	REFUSE("btf id", 0, "kernel symbol references",
	       INSN(BPF_LD | BPF_DW | BPF_IMM, R2, BPF_PSEUDO_BTF_ID, 0, 3),
	       INSN(0, 0, 0, 0, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("unknown ld_imm64 src", 0, "unknown ld_imm64 src_reg 7",
	       INSN(BPF_LD | BPF_DW | BPF_IMM, R2, 7, 0, 3),
	       INSN(0, 0, 0, 0, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("ld_imm64 second half used", 2, "second half of ld_imm64",
	       MOV64_IMM(R0, 0), INSN(BPF_LD | BPF_DW | BPF_IMM, R2, 0, 0, 3),
	       INSN(0, R1, 0, 0, 0), EXIT()),
	REFUSE("ld_imm64 with offset", 0, "ld_imm64 with non-zero offset",
	       INSN(BPF_LD | BPF_DW | BPF_IMM, R2, 0, 4, 3),
	       INSN(0, 0, 0, 0, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("ld_imm64 cut short", 1, "ld_imm64 cut short",
	       MOV64_IMM(R0, 0), INSN(BPF_LD | BPF_DW | BPF_IMM, R2, 0, 0, 3)),

	/* ---- control flow ---- */
	REFUSE("jump past the end", 1, "jump out of range (target 7",
	       MOV64_IMM(R0, 0), JA(5), EXIT()),
	REFUSE("jump before the start", 0, "jump out of range (target -2",
	       JA(-3), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("jump into ld_imm64", 0, "into the middle of ld_imm64 at insn 1",
	       JMP_IMM(JEQ, R1, 0, 1), LD_IMM64(R0, 1), EXIT()),
	REFUSE("call past the end", 0, "call out of range",
	       CALL_LOCAL(10), EXIT()),
	REFUSE("call into ld_imm64", 1, "call into the middle of ld_imm64",
	       MOV64_IMM(R0, 0), CALL_LOCAL(1), LD_IMM64(R0, 1), EXIT()),
	REFUSE("jump out of its function", 3, "leaves its function",
	       MOV64_IMM(R0, 0), CALL_LOCAL(1), EXIT(),
	       JA(-2), EXIT()),
	REFUSE("program without exit at the end", 1, "falls through past the end of the program",
	       MOV64_IMM(R0, 0), MOV64_IMM(R0, 1)),
	REFUSE("conditional jump at the end", 1, "falls through past the end",
	       MOV64_IMM(R0, 0), JMP_IMM(JEQ, R0, 0, -2)),
	REFUSE("ld_imm64 at the end", 2, "falls through past the end",
	       MOV64_IMM(R0, 0), LD_IMM64(R0, 1)),
	REFUSE("function falls into the next", 4, "falls through past the end of the function",
	       CALL_LOCAL(2), CALL_LOCAL(3), EXIT(),
	       MOV64_IMM(R0, 1), MOV64_IMM(R0, 2),
	       EXIT()),
	REFUSE("exit unreachable", 0, "exit unreachable",
	       MOV64_IMM(R0, 0), JA(-1), EXIT()),
	REFUSE("function never returns", 2, "exit unreachable: the function",
	       CALL_LOCAL(1), EXIT(), JA(-1)),

	/* ---- r10 ---- */
	REFUSE("mov to r10", 0, "write to r10",
	       MOV64_IMM(R10, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("add to r10", 0, "write to r10",
	       ALU64_IMM(ADD, R10, -8), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("bswap r10", 0, "write to r10",
	       BSWAP(R10, 16), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("load into r10", 0, "write to r10",
	       LDX(DW, R10, R1, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("ld_imm64 into r10", 0, "write to r10",
	       LD_IMM64(R10, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("atomic fetch into r10", 0, "write to r10",
	       ATOMIC(DW, R10, R10, -8, BPF_ADD | BPF_FETCH),
	       MOV64_IMM(R0, 0), EXIT()),

	/* ---- stack bounds ---- */
	REFUSE("store below the frame", 0, "r10-520 (8 bytes) outside",
	       ST(DW, R10, -520, 0), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("byte below the frame", 0, "r10-513 (1 bytes) outside",
	       LDX(B, R0, R10, -513), EXIT()),
	REFUSE("load at r10", 0, "r10+0 (8 bytes) outside",
	       LDX(DW, R0, R10, 0), EXIT()),
	REFUSE("store across the top", 1, "r10-4 (8 bytes) outside",
	       MOV64_IMM(R0, 0), STX(DW, R10, R0, -4), EXIT()),
	REFUSE("atomic below the frame", 1, "outside the 512-byte frame",
	       MOV64_IMM(R0, 0), ATOMIC(W, R10, R0, -516, BPF_ADD), EXIT()),

	/* ---- helpers and calls ---- */
	REFUSE("unknown helper named by the uapi", 1,
	       "insn 1: unknown helper 35 (bpf_get_current_task)",
	       MOV64_IMM(R0, 0), CALL_HELPER(35), EXIT()),
	REFUSE("unknown helper past the uapi", 0, "unknown helper 100000",
	       CALL_HELPER(100000), EXIT()),
	REFUSE("kfunc call", 0, "kfunc calls are not supported",
	       INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 7), EXIT()),
	REFUSE("call with unknown src_reg", 0, "call with unknown src_reg 3",
	       INSN(BPF_JMP | BPF_CALL, 0, 3, 0, 7), EXIT()),
	REFUSE("recursion", 3, "recursive call",
	       MOV64_IMM(R0, 0), CALL_LOCAL(1), EXIT(),
	       CALL_LOCAL(-1), EXIT()),
	REFUSE("mutual recursion", 5, "recursive call",
	       MOV64_IMM(R0, 0), CALL_LOCAL(1), EXIT(),
	       CALL_LOCAL(1), EXIT(),
	       CALL_LOCAL(-3), EXIT()),
	/* ---- helper arguments (check_args.c) ---- */
	REFUSE("lookup without a key", 2,
	       "bpf_map_lookup_elem takes 2 arguments but r2 is not set",
	       MOV64_IMM(R1, 0), MOV64_IMM(R0, 0),
	       CALL_HELPER(BPF_FUNC_map_lookup_elem), EXIT()),
	/* r2..r5 are clobbered by the first call */
	REFUSE("args clobbered by a call", 3,
	       "bpf_xdp_adjust_head takes 2 arguments but r2 is not set",
	       MOV64_IMM(R2, 4), CALL_HELPER(BPF_FUNC_ktime_get_ns),
	       MOV64_IMM(R1, 0), CALL_HELPER(BPF_FUNC_xdp_adjust_head),
	       EXIT()),
	/* r4 set on one path only */
	REFUSE("arg set on one path", 6,
	       "bpf_map_update_elem takes 4 arguments but r4 is not set",
	       MOV64_IMM(R2, 0), MOV64_IMM(R3, 0),
	       JMP_IMM(JEQ, R1, 0, 1), MOV64_IMM(R4, 0),
	       MOV64_IMM(R1, 0), MOV64_IMM(R0, 0),
	       CALL_HELPER(BPF_FUNC_map_update_elem), EXIT()),
	REFUSE("tail call without index", 1,
	       "bpf_tail_call takes 3 arguments but r3 is not set",
	       MOV64_IMM(R2, 0), CALL_HELPER(BPF_FUNC_tail_call),
	       MOV64_IMM(R0, 2), EXIT()),
	/* the callee's r1..r5 are its arguments, but a helper call in main
	 * after the bpf-to-bpf call finds them clobbered */
	REFUSE("args clobbered by a local call", 3,
	       "bpf_xdp_adjust_tail takes 2 arguments but r2 is not set",
	       MOV64_IMM(R2, 1), CALL_LOCAL(3), MOV64_IMM(R1, 0),
	       CALL_HELPER(BPF_FUNC_xdp_adjust_tail), EXIT(),
	       MOV64_REG(R0, R2), EXIT()),
	REFUSE("nine frames", 21, "call nesting exceeds 8 frames",
	       MOV64_IMM(R0, 1), CALL_LOCAL(1), EXIT(),
	       CALLER(), CALLER(), CALLER(), CALLER(), CALLER(), CALLER(),
	       CALLER(),
	       ALU64_IMM(ADD, R0, 1), EXIT()),
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

/* Programs exactly at a limit, or legal but unusual: all accepted. */
static void
check_accepted(void)
{
	const struct bpf_insn bounds[] = {
		ST(DW, R10, -512, 1), LDX(B, R0, R10, -1),
		STX(W, R10, R0, -4), ATOMIC(DW, R10, R0, -512, BPF_ADD),
		EXIT(),
	};
	const struct bpf_insn div_by_imm_zero[] = {
		MOV64_IMM(R0, 1), ALU64_IMM(DIV, R0, 0), ALU32_IMM(MOD, R0, 0),
		ALU64_IMM(LSH, R0, 64), EXIT(),
	};
	const struct bpf_insn known_helpers[] = {
		CALL_HELPER(BPF_FUNC_ktime_get_ns),
		CALL_HELPER(BPF_FUNC_ktime_get_boot_ns),
		CALL_HELPER(BPF_FUNC_ktime_get_coarse_ns),
		CALL_HELPER(BPF_FUNC_get_prandom_u32),
		CALL_HELPER(BPF_FUNC_get_smp_processor_id),
		EXIT(),
	};
	const struct bpf_insn ja_last[] = {
		MOV64_IMM(R0, 2), JA(1), JA(-2), EXIT(),
	};
	const struct bpf_insn unreachable_tail[] = {
		MOV64_IMM(R0, 2), EXIT(), MOV64_IMM(R0, 3), EXIT(),
	};
	/* Arguments set on every path, by every kind of write; a helper
	 * in a subprogram may use the subprogram's own r1..r5. */
	const struct bpf_insn helper_args[] = {
		MOV64_IMM(R2, 0), JMP_IMM(JEQ, R1, 0, 2),
		LDX(W, R3, R1, 0), JA(2), LD_IMM64(R3, 7),
		MOV64_IMM(R4, 0), ATOMIC(DW, R10, R4, -8, BPF_XCHG),
		MOV64_IMM(R1, 0), CALL_HELPER(BPF_FUNC_map_update_elem),
		MOV64_IMM(R1, 0), MOV64_IMM(R2, 0),
		CALL_HELPER(BPF_FUNC_trace_printk),
		CALL_LOCAL(1), EXIT(),
		CALL_HELPER(BPF_FUNC_csum_diff), EXIT(),
	};
	const struct bpf_insn loop_with_exit[] = {
		MOV64_IMM(R0, 0), JMP_IMM(JEQ, R0, 1, 1), JA(-2), EXIT(),
	};
	const struct {
		const char *name;
		const struct bpf_insn *insns;
		uint32_t n;
	} ok[] = {
		{ "stack bounds", bounds, N_INSNS(bounds) },
		{ "division by imm 0", div_by_imm_zero, N_INSNS(div_by_imm_zero) },
		{ "helpers", known_helpers, N_INSNS(known_helpers) },
		{ "ja as last insn", ja_last, N_INSNS(ja_last) },
		{ "unreachable code", unreachable_tail, N_INSNS(unreachable_tail) },
		{ "loop with an exit", loop_with_exit, N_INSNS(loop_with_exit) },
		{ "helper arguments", helper_args, N_INSNS(helper_args) },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct uxdp_obj *obj = t_load(ok[i].name, ok[i].insns, ok[i].n);

		T_CHECK(obj != NULL, "%s accepted", ok[i].name);
		uxdp_obj_close(obj);
	}
}

static void
check_bad_arguments(void)
{
	const struct bpf_insn prog[] = { MOV64_IMM(R0, 2), EXIT() };
	char long_name[100], err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	struct uxdp_prog bare = { .insns = NULL, .n_insns = 0 };

	T_EQ_U64(uxdp_obj_from_insns("e", prog, 0, &obj, err, sizeof(err)),
		 (uint64_t)-EINVAL, "no instructions");
	T_CHECK(strstr(err, "no instructions") != NULL, "message: %s", err);
	T_EQ_U64(uxdp_obj_from_insns("e", NULL, 2, &obj, err, sizeof(err)),
		 (uint64_t)-EINVAL, "NULL instructions");
	T_EQ_U64(uxdp_obj_from_insns("e", prog, UXDP_MAX_INSNS + 1, &obj, err,
				     sizeof(err)),
		 (uint64_t)-E2BIG, "too many instructions");
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	T_EQ_U64(uxdp_obj_from_insns(long_name, prog, 2, &obj, err,
				     sizeof(err)),
		 (uint64_t)-ENAMETOOLONG, "long name");
	T_CHECK(obj == NULL, "no object on error");
	T_EQ_U64(uxdp_prog_check(&bare, err, sizeof(err)), (uint64_t)-EINVAL,
		 "check of an empty program");
	/* A NULL err buffer is fine. */
	T_EQ_U64(uxdp_obj_from_insns("e", prog, 1, &obj, NULL, 0),
		 (uint64_t)-EINVAL, "refusal without an err buffer");
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		check_refusal(&refusals[i]);
	check_accepted();
	check_bad_arguments();
	return t_summary();
}
