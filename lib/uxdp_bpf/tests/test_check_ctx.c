/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The ctx rewrite: programs that read struct xdp_md through r1, through a
 * copy, a stack spill, a subprogram argument or ctx + constant must see
 * the uxdp_xdp_buff fields; ambiguous or invalid ctx use is refused with
 * the instruction named.
 */

#include <errno.h>

#include "test_interp_insn.h"

enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

#define PKT_LEN 64
#define META_LEN 8
#define IFINDEX 7
#define RXQ 3
#define EGRESS 9

struct rewrite_case {
	const char *name;
	const struct bpf_insn *insns;
	uint32_t n_insns;
	uint64_t expect;
	/* One rewritten load to inspect: index, expected code and off. */
	uint32_t at;
	uint8_t code;
	int16_t off;
};

#define PROG(...) \
	.insns = (const struct bpf_insn[]){ __VA_ARGS__ }, \
	.n_insns = sizeof((const struct bpf_insn[]){ __VA_ARGS__ }) / \
		sizeof(struct bpf_insn)

#define REWRITE(nm, exp, i, c, o, ...) { .name = (nm), .expect = (exp), \
	.at = (i), .code = (c), .off = (o), PROG(__VA_ARGS__) }

#define PTR (BPF_LDX | BPF_DW | BPF_MEM)
#define U32 (BPF_LDX | BPF_W | BPF_MEM)

/* Packet byte i is 0x10 + i. */
static const struct rewrite_case rewrites[] = {
	REWRITE("data via r1", 0x15, 0, PTR, 0,
		LDX(W, R2, R1, 0), LDX(B, R0, R2, 5), EXIT()),
	REWRITE("data_end - data", PKT_LEN, 1, PTR, 8,
		LDX(W, R2, R1, 0), LDX(W, R3, R1, 4), ALU64_REG(SUB, R3, R2),
		MOV64_REG(R0, R3), EXIT()),
	REWRITE("data - data_meta", META_LEN, 0, PTR, 16,
		LDX(W, R2, R1, 8), LDX(W, R3, R1, 0), ALU64_REG(SUB, R3, R2),
		MOV64_REG(R0, R3), EXIT()),
	REWRITE("ingress_ifindex", IFINDEX, 0, U32, 40,
		LDX(W, R0, R1, 12), EXIT()),
	REWRITE("rx_queue_index", RXQ, 0, U32, 44,
		LDX(W, R0, R1, 16), EXIT()),
	REWRITE("the packet load itself is untouched", 0x13121110, 1, U32, 0,
		LDX(W, R2, R1, 0), LDX(W, R0, R2, 0), EXIT()),
	REWRITE("copy in r6 across a helper call", 0x11, 2, PTR, 0,
		MOV64_REG(R6, R1), CALL_HELPER(BPF_FUNC_ktime_get_ns),
		LDX(W, R2, R6, 0), LDX(B, R0, R2, 1), EXIT()),
	REWRITE("stack spill and fill", PKT_LEN, 3, PTR, 8,
		STX(DW, R10, R1, -16), MOV64_IMM(R1, 0), LDX(DW, R7, R10, -16),
		LDX(W, R2, R7, 4), LDX(W, R3, R7, 0), MOV64_REG(R0, R2),
		ALU64_REG(SUB, R0, R3), EXIT()),
	REWRITE("spill through a copy of r10", IFINDEX, 4, U32, 40,
		MOV64_REG(R8, R10), ALU64_IMM(ADD, R8, -24),
		STX(DW, R8, R1, 8), LDX(DW, R7, R10, -16),
		LDX(W, R0, R7, 12), EXIT()),
	REWRITE("fetched back by xchg", IFINDEX, 4, U32, 40,
		STX(DW, R10, R1, -8), MOV64_IMM(R1, 0), MOV64_IMM(R2, 0),
		ATOMIC(DW, R10, R2, -8, BPF_XCHG),
		LDX(W, R0, R2, 12), EXIT()),
	REWRITE("subprogram argument", 0x12, 3, PTR, 0,
		CALL_LOCAL(1), EXIT(),
		/* f(ctx) */
		MOV64_IMM(R0, 0), LDX(W, R2, R1, 0), LDX(B, R0, R2, 2), EXIT()),
	REWRITE("subprogram called twice with the ctx", 2 * IFINDEX, 7, U32, 40,
		MOV64_REG(R6, R1), CALL_LOCAL(5), MOV64_REG(R7, R0),
		MOV64_REG(R1, R6), CALL_LOCAL(2), ALU64_REG(ADD, R0, R7), EXIT(),
		/* f(ctx) */
		LDX(W, R0, R1, 12), EXIT()),
	REWRITE("ctx as the second argument", IFINDEX + 5, 6, U32, 40,
		MOV64_REG(R2, R1), MOV64_IMM(R1, 5), CALL_LOCAL(1), EXIT(),
		/* f(n, ctx) */
		MOV64_REG(R0, R1), MOV64_REG(R3, R2),
		LDX(W, R3, R3, 12), ALU64_REG(ADD, R0, R3), EXIT()),
	REWRITE("subprogram returns the ctx", RXQ, 1, U32, 44,
		CALL_LOCAL(2), LDX(W, R0, R0, 16), EXIT(),
		/* f(ctx) returns ctx */
		MOV64_REG(R0, R1), EXIT()),
	/* clang's layout: spill slots below the locals a pointer reaches. */
	REWRITE("ctx spilled below a local handed to a callee",
		2 * 7 + IFINDEX, 6, U32, 40,
		STX(DW, R10, R1, -72), ST(DW, R10, -32, 7), MOV64_REG(R1, R10),
		ALU64_IMM(ADD, R1, -32), CALL_LOCAL(4),
		LDX(DW, R2, R10, -72), LDX(W, R3, R2, 12),
		ALU64_REG(ADD, R0, R3), EXIT(),
		/* f(&seven): doubles it in place */
		LDX(DW, R0, R1, 0), ALU64_IMM(MUL, R0, 2), STX(DW, R1, R0, 0),
		EXIT()),
	REWRITE("ctx spilled below an array written at a variable index",
		IFINDEX, 10, U32, 40,
		STX(DW, R10, R1, -64), MOV64_REG(R2, R10), ALU64_IMM(ADD, R2, -32),
		LDX(W, R3, R1, 16), ALU64_IMM(AND, R3, 3), ALU64_IMM(LSH, R3, 3),
		ALU64_REG(ADD, R2, R3), ST(DW, R2, 0, 9), MOV64_IMM(R1, 0),
		LDX(DW, R4, R10, -64), LDX(W, R0, R4, 12), EXIT()),
	REWRITE("ctx plus constant", IFINDEX, 3, U32, 40 - 12,
		ALU64_IMM(ADD, R1, 4), LDX(W, R2, R1, 0),
		/* now ctx + 12 */ ALU64_IMM(ADD, R1, 8), LDX(W, R0, R1, 0), EXIT()),
	REWRITE("ctx plus constant, data_end", PKT_LEN, 2, PTR, 8 - 4,
		LDX(W, R3, R1, 0), ALU64_IMM(ADD, R1, 4), LDX(W, R2, R1, 0),
		ALU64_REG(SUB, R2, R3), MOV64_REG(R0, R2), EXIT()),
	REWRITE("ctx plus constant register", RXQ, 2, U32, 44 - 20,
		MOV64_IMM(R2, 20), ALU64_REG(ADD, R1, R2),
		LDX(W, R0, R1, -4), EXIT()),
	REWRITE("ctx minus constant", RXQ, 1, U32, 44 - 4,
		ALU64_IMM(SUB, R1, -4), LDX(W, R0, R1, 12), EXIT()),
	REWRITE("ctx kept through a loop", 3 * IFINDEX, 4, U32, 40,
		MOV64_REG(R6, R1), MOV64_IMM(R7, 3), MOV64_IMM(R0, 0),
		/* loop */ MOV64_IMM(R2, 0), LDX(W, R2, R6, 12),
		ALU64_REG(ADD, R0, R2), ALU64_IMM(SUB, R7, 1),
		JMP_IMM(JNE, R7, 0, -5), EXIT()),
	REWRITE("ctx on both branches", IFINDEX, 4, U32, 40,
		MOV64_REG(R6, R1), JMP_IMM(JEQ, R2, 0, 1), MOV64_REG(R6, R1),
		MOV64_IMM(R1, 0), LDX(W, R0, R6, 12), EXIT()),
	REWRITE("ctx passed to bpf_xdp_adjust_head", 0x14 + PKT_LEN - 4,
		6, PTR, 8,
		MOV64_REG(R6, R1), MOV64_IMM(R2, 4),
		CALL_HELPER(BPF_FUNC_xdp_adjust_head),
		JMP_IMM(JNE, R0, 0, 5),
		LDX(W, R2, R6, 0), LDX(B, R0, R2, 0),
		LDX(W, R3, R6, 4), ALU64_REG(SUB, R3, R2),
		ALU64_REG(ADD, R0, R3), EXIT()),
};

static void
run_rewrite(const struct rewrite_case *c)
{
	uint8_t pkt[PKT_LEN];
	struct t_frame *f = malloc(sizeof(*f));
	struct uxdp_obj *obj;
	const struct bpf_insn *insn;
	struct uxdp_prog *prog;
	uint64_t r0;
	int i;

	obj = t_load(c->name, c->insns, c->n_insns);
	T_CHECK(obj != NULL, "%s: accepted", c->name);
	if (obj == NULL || f == NULL) {
		free(f);
		uxdp_obj_close(obj);
		return;
	}
	prog = uxdp_obj_prog_at(obj, 0);
	insn = &prog->insns[c->at];
	T_CHECK(insn->code == c->code && insn->off == c->off,
		"%s: insn %u is 0x%02x off %d, want 0x%02x off %d", c->name,
		c->at, insn->code, insn->off, c->code, c->off);

	for (i = 0; i < PKT_LEN; i++)
		pkt[i] = 0x10 + i;
	/* Once through the interpreter, once through the run API. */
	for (i = 0; i < 2; i++) {
		t_frame_init(f, pkt, sizeof(pkt));
		f->buff.data_meta = (uint8_t *)f->buff.data - META_LEN;
		f->buff.ingress_ifindex = IFINDEX;
		f->buff.rx_queue_index = RXQ;
		f->buff.egress_ifindex = EGRESS;
		r0 = i == 0 ? uxdp_interp_run(prog, &f->buff) :
			uxdp_prog_run(prog, &f->buff);
		T_EQ_U64(r0, i == 0 ? c->expect : (uint32_t)c->expect,
			 c->name);
	}
	uxdp_obj_close(obj);
	free(f);
}

struct refusal {
	const char *name;
	const struct bpf_insn *insns;
	uint32_t n_insns;
	uint32_t idx;
	const char *reason;
};

#define REFUSE(nm, i, why, ...) { .name = (nm), .idx = (i), \
	.reason = (why), PROG(__VA_ARGS__) }

static const struct refusal refusals[] = {
	REFUSE("store to ctx", 0, "store to ctx",
	       ST(W, R1, 12, 5), MOV64_IMM(R0, 0), EXIT()),
	REFUSE("register store to a ctx copy", 2, "store to ctx",
	       MOV64_REG(R6, R1), MOV64_IMM(R2, 1), STX(W, R6, R2, 16),
	       MOV64_IMM(R0, 0), EXIT()),
	REFUSE("atomic on ctx", 1, "store to ctx",
	       MOV64_IMM(R2, 1), ATOMIC(W, R1, R2, 12, BPF_ADD),
	       MOV64_IMM(R0, 0), EXIT()),
	REFUSE("ctx on one path only", 2, "ctx pointer ambiguous",
	       JMP_IMM(JEQ, R2, 0, 1), MOV64_REG(R1, R10),
	       LDX(W, R0, R1, 0), EXIT()),
	REFUSE("ctx or scalar", 3, "ctx pointer ambiguous (r6",
	       MOV64_REG(R6, R1), JMP_IMM(JEQ, R2, 0, 1), MOV64_IMM(R6, 0),
	       LDX(W, R0, R6, 12), EXIT()),
	REFUSE("subprogram argument ctx at one call site only", 6,
	       "ctx pointer ambiguous (r1",
	       MOV64_REG(R6, R1), CALL_LOCAL(4), MOV64_REG(R1, R10),
	       ALU64_IMM(ADD, R1, -8), CALL_LOCAL(1), EXIT(),
	       /* f(p) */ LDX(W, R0, R1, 0), EXIT()),
	REFUSE("variable offset", 2, "ctx access with a variable offset",
	       LDX(W, R2, R1, 12), ALU64_REG(ADD, R1, R2), LDX(W, R0, R1, 0),
	       EXIT()),
	REFUSE("offsets differ by path", 4, "variable offset",
	       JMP_IMM(JEQ, R2, 0, 2), ALU64_IMM(ADD, R1, 4), JA(1),
	       ALU64_IMM(ADD, R1, 8), LDX(W, R0, R1, 0), EXIT()),
	REFUSE("past the end of xdp_md", 0, "offset 24 is outside struct xdp_md",
	       LDX(W, R0, R1, 24), EXIT()),
	REFUSE("before xdp_md", 1, "offset -4 is outside",
	       ALU64_IMM(ADD, R1, -8), LDX(W, R0, R1, 4), EXIT()),
	REFUSE("narrow load of ifindex", 0, "ctx load of 1 bytes at offset 12",
	       LDX(B, R0, R1, 12), EXIT()),
	REFUSE("half of rx_queue_index", 0, "ctx load of 2 bytes at offset 18",
	       LDX(H, R0, R1, 18), EXIT()),
	REFUSE("8-byte load of data", 0, "ctx load of 8 bytes at offset 0",
	       LDX(DW, R0, R1, 0), EXIT()),
	REFUSE("misaligned load", 0, "ctx load of 4 bytes at offset 2",
	       LDX(W, R0, R1, 2), EXIT()),
	REFUSE("sign-extending ctx load", 0, "sign-extending load from ctx",
	       LDXSX(W, R0, R1, 12), EXIT()),
	/* The kernel lets only devmap programs read egress_ifindex; these
	 * are plain XDP programs (test_devmap_prog covers the devmap side). */
	REFUSE("egress_ifindex outside a devmap program", 0,
	       "invalid bpf_context access: egress_ifindex",
	       LDX(W, R0, R1, 20), EXIT()),
	REFUSE("egress_ifindex through ctx minus constant", 1,
	       "invalid bpf_context access: egress_ifindex",
	       ALU64_IMM(SUB, R1, -4), LDX(W, R0, R1, 16), EXIT()),
	/* The ld_imm64 stands for any memory uxdp does not track (a map
	 * value, say); the program is refused, so it never runs. */
	REFUSE("ctx stored in untracked memory", 4, "ctx pointer ambiguous",
	       LD_IMM64(R2, 0), STX(DW, R2, R1, 0), LDX(DW, R3, R2, 0),
	       LDX(W, R0, R3, 12), EXIT()),
	REFUSE("ctx read through a pointer to the caller's frame", 6,
	       "ctx pointer ambiguous",
	       STX(DW, R10, R1, -8), MOV64_REG(R1, R10), ALU64_IMM(ADD, R1, -8),
	       CALL_LOCAL(1), EXIT(),
	       /* f(&spilled ctx) */
	       LDX(DW, R2, R1, 0), LDX(W, R0, R2, 12), EXIT()),
	/* The kernel accepts these two; uxdp does not follow writes through
	 * pointers into another frame and refuses rather than guess. */
	REFUSE("ctx spilled while a frame pointer goes to a callee", 6,
	       "ctx pointer ambiguous (r2",
	       STX(DW, R10, R1, -8), ST(DW, R10, -16, 5), MOV64_REG(R1, R10),
	       ALU64_IMM(ADD, R1, -16), CALL_LOCAL(4),
	       LDX(DW, R2, R10, -8), LDX(W, R3, R2, 12), ALU64_REG(ADD, R0, R3),
	       EXIT(),
	       /* f(&five) */
	       LDX(DW, R0, R1, 0), ALU64_IMM(MUL, R0, 2), EXIT()),
	REFUSE("ctx spilled above an array written at a variable index", 9,
	       "ctx pointer ambiguous (r4",
	       STX(DW, R10, R1, -8), MOV64_REG(R2, R10), ALU64_IMM(ADD, R2, -32),
	       LDX(W, R3, R1, 16), ALU64_IMM(AND, R3, 3), ALU64_IMM(LSH, R3, 3),
	       ALU64_REG(ADD, R2, R3), ST(DW, R2, 0, 9),
	       LDX(DW, R4, R10, -8), LDX(W, R0, R4, 12), EXIT()),
	REFUSE("callee stores the ctx into its caller's frame", 6,
	       "ctx pointer ambiguous",
	       MOV64_REG(R6, R1), MOV64_REG(R1, R10), ALU64_IMM(ADD, R1, -8),
	       MOV64_REG(R2, R6), CALL_LOCAL(3), LDX(DW, R3, R10, -8),
	       LDX(W, R0, R3, 12), EXIT(),
	       /* f(&slot, ctx) */
	       STX(DW, R1, R2, 0), EXIT()),
};

static void
check_refusal(const struct refusal *r)
{
	char err[UXDP_ERR_MAX] = "", want[32];
	struct uxdp_obj *obj = NULL;
	int ret;

	ret = uxdp_obj_from_insns(r->name, r->insns, r->n_insns, &obj, err,
				  sizeof(err));
	T_CHECK(ret == -EINVAL, "%s: returned %d (%s)", r->name, ret, err);
	snprintf(want, sizeof(want), "insn %u: ", r->idx);
	T_CHECK(strncmp(err, want, strlen(want)) == 0 &&
		strstr(err, r->reason) != NULL,
		"%s: want \"%s...%s\", got: %s", r->name, want, r->reason, err);
	uxdp_obj_close(obj);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(rewrites) / sizeof(rewrites[0]); i++)
		run_rewrite(&rewrites[i]);
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		check_refusal(&refusals[i]);
	return t_summary();
}
