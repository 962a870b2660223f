/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * libFuzzer target: the JIT against the interpreter (the reference) on
 * programs that are safe by construction, generated from the fuzz input.
 * Each input is read as a stream of choices (zeros once it runs out), so
 * every input is a program and small mutations make small changes.
 *
 * Program shape (PKT_LEN bytes of packet, guaranteed by a data_end check
 * that drops shorter packets):
 *   prologue: r7 = data, bounds check, r0-r6, r8, r9 set from the input,
 *             eight stack slots (-64..-1) written;
 *   body:     ALU and ALU64 over every op (div/mod and their signed
 *             forms, shifts by any amount, neg, mov and movsx, byte
 *             order and bswap), loads of any size (also sign-extending)
 *             from the packet at constant and at masked register offsets,
 *             stores to the packet's scratch area, stack loads and stores
 *             of any size inside the written slots, atomics on the stack,
 *             forward JMP/JMP32 over every condition and ja/gotol,
 *             counted loops (a back edge on a reserved counter) and a
 *             bpf-to-bpf call;
 *   epilogue: every scalar register stored to packet bytes 0..71, the
 *             stack slots copied to bytes 72..135, r0 returned.
 * Both engines run on the same packet; r0 and the whole frame (headroom,
 * packet, tailroom) must be identical.
 *
 * One LLVM compile per input dominates the cost (milliseconds): programs
 * stay short (MAX_BODY operations).
 *
 * UXDP_FUZZ_SANDBOX=1: also load the program with verify=sandbox and run
 * it in both engines; a safe program must give the same results under
 * the sandbox (a refusal by the analysis is allowed and counted).
 * UXDP_FUZZ_PRINT=1: print each program (to see what the corpus makes).
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_log.h>

#include "fuzz_common.h"

enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

#define PKT_LEN 200
/* Body stores go here; the epilogue overwrites 0..135. */
#define PKT_SCRATCH 136
#define N_SLOTS 8
#define MAX_BODY 48
#define MAX_PROG 512
#define MAX_LOOP_BODY 6
#define MAX_LOOP_COUNT 16

/* r7 holds data and r10 the frame; the rest carry values. */
static const uint8_t scalar_regs[] = { R0, R1, R2, R3, R4, R5, R6, R8, R9 };
#define N_SCALARS (sizeof(scalar_regs) / sizeof(scalar_regs[0]))

struct gen {
	const uint8_t *in;
	size_t len;
	size_t pos;
	struct bpf_insn insns[MAX_PROG];
	uint32_t n;
	/* a register the body must leave alone (a loop counter), or -1 */
	int reserved;
};

static uint8_t
byte(struct gen *g)
{
	return g->pos < g->len ? g->in[g->pos++] : 0;
}

static uint32_t
pick(struct gen *g, uint32_t n)
{
	return n <= 256 ? byte(g) % n :
		(uint32_t)((byte(g) << 8 | byte(g)) % n);
}

static uint8_t
scalar(struct gen *g)
{
	uint8_t r;

	do
		r = scalar_regs[pick(g, N_SCALARS)];
	while (r == g->reserved && g->pos < g->len);
	/* Out of input: a fixed register that is never the counter. */
	return r == g->reserved ? R0 : r;
}

/* Immediates biased towards the edges of the ISA. */
static int32_t
imm(struct gen *g)
{
	static const int32_t edges[] = {
		0, 1, -1, 2, 7, 8, 15, 16, 31, 32, 63, 64, INT32_MIN,
		INT32_MAX, 0xff, 0xffff, -0x8000, 0x7fff, -2,
	};
	uint8_t b = byte(g);

	if (b < 128)
		return edges[b % (sizeof(edges) / sizeof(edges[0]))];
	if (b < 192)
		return (int8_t)byte(g);
	return (int32_t)((uint32_t)byte(g) | (uint32_t)byte(g) << 8 |
			 (uint32_t)byte(g) << 16 | (uint32_t)byte(g) << 24);
}

static void
put(struct gen *g, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
    int32_t k)
{
	if (g->n >= MAX_PROG)
		return;
	g->insns[g->n++] = (struct bpf_insn){ .code = code, .dst_reg = dst,
		.src_reg = src, .off = off, .imm = k };
}

static void
put_ld64(struct gen *g, uint8_t reg, uint64_t v)
{
	put(g, BPF_LD | BPF_IMM | BPF_DW, reg, 0, 0, (int32_t)(uint32_t)v);
	put(g, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

static const uint8_t alu_ops[] = {
	BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_OR, BPF_AND, BPF_XOR,
	BPF_LSH, BPF_RSH, BPF_ARSH, BPF_NEG, BPF_MOV,
};

static void
gen_alu(struct gen *g)
{
	uint8_t cls = pick(g, 2) ? BPF_ALU64 : BPF_ALU;
	uint8_t op = alu_ops[pick(g, sizeof(alu_ops))];
	uint8_t src = pick(g, 2) ? BPF_X : BPF_K;
	uint8_t dst = scalar(g);
	int16_t off = 0;
	int32_t k = imm(g);

	switch (pick(g, 10)) {
	case 0: { /* byte order (ALU) and unconditional bswap (ALU64) */
		static const int32_t widths[] = { 16, 32, 64 };

		put(g, cls | BPF_END | (cls == BPF_ALU && pick(g, 2) ?
			BPF_TO_BE : BPF_TO_LE), dst, 0, 0, widths[pick(g, 3)]);
		return;
	}
	case 1: /* movsx */
		if (src == BPF_X) {
			static const int16_t widths[] = { 8, 16, 32 };

			put(g, cls | BPF_MOV | BPF_X, dst, scalar(g),
			    widths[pick(g, cls == BPF_ALU64 ? 3 : 2)], 0);
			return;
		}
		break;
	default:
		break;
	}
	/* ISA v4 sdiv/smod */
	if ((op == BPF_DIV || op == BPF_MOD) && pick(g, 2))
		off = 1;
	/* The checks refuse constant shifts past the width, as the kernel
	 * does; register shifts are masked at run time. */
	if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
		k &= cls == BPF_ALU64 ? 63 : 31;
	if (op == BPF_NEG) {
		put(g, cls | BPF_NEG | BPF_K, dst, 0, 0, 0);
		return;
	}
	if (src == BPF_X)
		put(g, cls | op | BPF_X, dst, scalar(g), off, 0);
	else
		put(g, cls | op | BPF_K, dst, 0, off, k);
}

static const uint8_t sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
static const int size_bytes[] = { 1, 2, 4, 8 };

static void
gen_mem(struct gen *g)
{
	unsigned int s = pick(g, 4);
	int bytes = size_bytes[s];
	uint8_t mode = s < 3 && pick(g, 3) == 0 ? BPF_MEMSX : BPF_MEM;
	/* aligned, as the kernel wants stack accesses */
	int16_t stack_off = -(int16_t)bytes *
			    (int16_t)(1 + pick(g, N_SLOTS * 8 / bytes));
	int16_t pkt_off = (int16_t)pick(g, PKT_LEN - bytes + 1);
	int16_t scratch_off = PKT_SCRATCH +
		(int16_t)pick(g, PKT_LEN - PKT_SCRATCH - bytes + 1);
	uint8_t r = scalar(g), t;

	switch (pick(g, 7)) {
	case 0:
		put(g, BPF_LDX | sizes[s] | mode, r, R7, pkt_off, 0);
		break;
	case 1:
		put(g, BPF_STX | sizes[s] | BPF_MEM, R7, r, scratch_off, 0);
		break;
	case 2:
		put(g, BPF_ST | sizes[s] | BPF_MEM, R7, 0, scratch_off, imm(g));
		break;
	case 3:
		put(g, BPF_STX | sizes[s] | BPF_MEM, R10, r, stack_off, 0);
		break;
	case 4:
		put(g, BPF_ST | sizes[s] | BPF_MEM, R10, 0, stack_off, imm(g));
		break;
	case 5:
		put(g, BPF_LDX | sizes[s] | mode, r, R10, stack_off, 0);
		break;
	default:
		/* A packet load at a register offset: t = data + (x & 63),
		 * within the checked PKT_LEN bytes. t is a scalar register,
		 * so it must not be the loop counter. */
		t = scalar(g);
		if (t == r)
			t = t == R0 ? R1 : R0;
		if (t == g->reserved)
			break;
		put(g, BPF_ALU64 | BPF_MOV | BPF_X, t, r, 0, 0);
		put(g, BPF_ALU64 | BPF_AND | BPF_K, t, 0, 0, 63);
		put(g, BPF_ALU64 | BPF_ADD | BPF_X, t, R7, 0, 0);
		put(g, BPF_LDX | sizes[s] | mode, r, t, (int16_t)pick(g,
			PKT_LEN - 63 - bytes + 1), 0);
		break;
	}
}

static void
gen_atomic(struct gen *g)
{
	static const int32_t ops[] = {
		BPF_ADD, BPF_AND, BPF_OR, BPF_XOR, BPF_ADD | BPF_FETCH,
		BPF_AND | BPF_FETCH, BPF_OR | BPF_FETCH, BPF_XOR | BPF_FETCH,
		BPF_XCHG, BPF_CMPXCHG,
	};
	uint8_t size = pick(g, 2) ? BPF_DW : BPF_W;
	int32_t op = ops[pick(g, sizeof(ops) / sizeof(ops[0]))];
	int16_t off = -(int16_t)(size == BPF_DW ? 8 : 4) *
		      (int16_t)(1 + pick(g, size == BPF_DW ? N_SLOTS :
					 2 * N_SLOTS));

	/* cmpxchg writes r0: not when r0 is the loop counter (it never
	 * is, but keep the rule local). */
	if (op == BPF_CMPXCHG && g->reserved == R0)
		return;
	put(g, BPF_STX | size | BPF_ATOMIC, R10, scalar(g), off, op);
}

static const uint8_t jmp_ops[] = {
	BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE, BPF_JSET,
	BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE, BPF_JA,
};

/* A forward jump over skip instructions; fix_forward_jumps() moves its
 * target onto an operation start once the body is known. */
static void
gen_jump(struct gen *g, int16_t skip)
{
	uint8_t cls = pick(g, 2) ? BPF_JMP : BPF_JMP32;
	uint8_t op = jmp_ops[pick(g, sizeof(jmp_ops))];

	if (op == BPF_JA) {
		if (cls == BPF_JMP32)
			put(g, BPF_JMP32 | BPF_JA, 0, 0, 0, skip);
		else
			put(g, BPF_JMP | BPF_JA, 0, 0, skip, 0);
		return;
	}
	if (pick(g, 2))
		put(g, cls | op | BPF_X, scalar(g), scalar(g), skip, 0);
	else
		put(g, cls | op | BPF_K, scalar(g), 0, skip, imm(g));
}

static bool
is_cond_or_ja(const struct bpf_insn *insn)
{
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL &&
		op != BPF_EXIT;
}

/* Where an operation starts: jumps may only land on those (never inside
 * an ld_imm64 or the middle of a masked packet load, whose register must
 * be masked before it is used). */
struct op_marks {
	bool start[MAX_PROG + 1];
	/* the loop an instruction belongs to, 0: the main body */
	uint16_t loop[MAX_PROG + 1];
	uint16_t n_loops;
};

static void gen_ops(struct gen *g, struct op_marks *m, uint32_t count,
		    bool in_loop);

/* A counted loop: counter = 1..MAX_LOOP_COUNT; body; counter -= 1;
 * if counter != 0 goto body. The body leaves the counter alone and its
 * forward jumps land inside the body or on the decrement. */
static void
gen_loop(struct gen *g, struct op_marks *m)
{
	uint8_t counter = scalar(g);
	int saved = g->reserved;
	uint32_t top, i;

	if (counter == R0)
		counter = R9;
	put(g, BPF_ALU64 | BPF_MOV | BPF_K, counter, 0, 0,
	    1 + (int32_t)pick(g, MAX_LOOP_COUNT));
	g->reserved = counter;
	top = g->n;
	m->start[top] = true;
	gen_ops(g, m, 1 + pick(g, MAX_LOOP_BODY), true);
	m->start[g->n] = true;
	put(g, BPF_ALU64 | BPF_SUB | BPF_K, counter, 0, 0, 1);
	put(g, (pick(g, 2) ? BPF_JMP : BPF_JMP32) | BPF_JNE | BPF_K, counter,
	    0, (int16_t)(top - g->n - 1), 0);
	g->reserved = saved;
	/* Jumps from outside must not land inside: the counter would be
	 * whatever the register holds. */
	m->n_loops++;
	for (i = top; i < g->n; i++)
		m->loop[i] = m->n_loops;
}

static void
gen_ops(struct gen *g, struct op_marks *m, uint32_t count, bool in_loop)
{
	uint32_t i;

	for (i = 0; i < count && g->n < MAX_PROG - 40; i++) {
		uint32_t kind = pick(g, 20);

		m->start[g->n] = true;
		if (kind < 9)
			gen_alu(g);
		else if (kind < 14)
			gen_mem(g);
		else if (kind < 15)
			gen_atomic(g);
		else if (kind < 18)
			/* the target is fixed up once the body is known */
			gen_jump(g, (int16_t)(1 + pick(g, 6)));
		else if (kind < 19 && !in_loop)
			gen_loop(g, m);
		else if (!in_loop)
			put_ld64(g, scalar(g), (uint64_t)imm(g) << 32 ^
				 (uint32_t)imm(g));
		else
			gen_alu(g);
	}
}

/*
 * Make every forward jump of [from, to) land on an operation start of its
 * own loop (or of the main body) no later than limit: a loop body keeps
 * its jumps inside (limit = its decrement), the main body may reach its
 * end and jumps over whole loops.
 */
static void
fix_forward_jumps(struct gen *g, const struct op_marks *m, uint32_t from,
		  uint32_t to, uint32_t limit)
{
	uint32_t i;

	for (i = from; i < to; i++) {
		struct bpf_insn *insn = &g->insns[i];
		bool gotol = insn->code == (BPF_JMP32 | BPF_JA);
		int32_t skip = gotol ? insn->imm : insn->off;
		uint32_t target;

		/* a loop's back edge is negative and stays */
		if (!m->start[i] || !is_cond_or_ja(insn) || skip < 0)
			continue;
		target = i + 1 + (uint32_t)skip;
		if (target > limit)
			target = limit;
		while (target > i + 1 &&
		       (!m->start[target] || m->loop[target] != m->loop[i]))
			target--;
		if (gotol)
			insn->imm = (int32_t)(target - i - 1);
		else
			insn->off = (int16_t)(target - i - 1);
	}
}

static void
gen_program(struct gen *g)
{
	static struct op_marks m;
	uint32_t drop_jump, body_start, i, r, call_at;
	bool with_call;

	memset(&m, 0, sizeof(m));
	g->n = 0;
	g->reserved = -1;
	put(g, BPF_LDX | BPF_W | BPF_MEM, R7, R1, 0, 0);
	put(g, BPF_LDX | BPF_W | BPF_MEM, R8, R1, 4, 0);
	put(g, BPF_ALU64 | BPF_MOV | BPF_X, R2, R7, 0, 0);
	put(g, BPF_ALU64 | BPF_ADD | BPF_K, R2, 0, 0, PKT_LEN);
	drop_jump = g->n;
	put(g, BPF_JMP | BPF_JGT | BPF_X, R2, R8, 0, 0);
	for (r = 0; r < N_SCALARS; r++) {
		if (pick(g, 4) == 0)
			put_ld64(g, scalar_regs[r], (uint64_t)imm(g) << 32 ^
				 (uint32_t)imm(g));
		else
			put(g, BPF_ALU64 | BPF_MOV | BPF_K, scalar_regs[r], 0,
			    0, imm(g));
	}
	for (r = 1; r <= N_SLOTS; r++)
		put(g, BPF_STX | BPF_DW | BPF_MEM, R10,
		    scalar_regs[(r - 1) % N_SCALARS], -8 * (int16_t)r, 0);
	body_start = g->n;
	with_call = pick(g, 4) == 0;
	call_at = g->n;
	gen_ops(g, &m, 1 + pick(g, MAX_BODY), false);
	if (with_call) {
		/* after the body, so that no jump lands in the middle of
		 * the call's setup: r1..r5 are the arguments */
		call_at = g->n;
		m.start[g->n] = true;
		put(g, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0);
	}
	m.start[g->n] = true;
	/* Every forward jump onto an operation of its own loop or body:
	 * inside a loop no further than its decrement (the instruction
	 * before the only backward jump). */
	for (i = body_start; i < g->n; i++) {
		const struct bpf_insn *insn = &g->insns[i];

		if (is_cond_or_ja(insn) && insn->off < 0 &&
		    insn->code != (BPF_JMP32 | BPF_JA)) {
			uint32_t top = i + 1 + insn->off;

			fix_forward_jumps(g, &m, top, i - 1, i - 1);
		}
	}
	fix_forward_jumps(g, &m, body_start, g->n, g->n);
	/* epilogue: registers to 0..71, stack to 72..135 */
	for (r = 0; r < N_SCALARS; r++)
		put(g, BPF_STX | BPF_DW | BPF_MEM, R7, scalar_regs[r],
		    8 * (int16_t)r, 0);
	for (r = 1; r <= N_SLOTS; r++) {
		put(g, BPF_LDX | BPF_DW | BPF_MEM, R1, R10, -8 * (int16_t)r, 0);
		put(g, BPF_STX | BPF_DW | BPF_MEM, R7, R1,
		    (int16_t)(72 + 8 * (r - 1)), 0);
	}
	put(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	g->insns[drop_jump].off = (int16_t)(g->n - drop_jump - 1);
	put(g, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, UXDP_DROP);
	put(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	if (with_call) {
		/* the callee: ALU over its arguments and r0 (the caller's
		 * r6-r9 come back; r1-r5 are clobbered as the ABI says) */
		g->insns[call_at].imm = (int32_t)(g->n - call_at - 1);
		put(g, BPF_ALU64 | BPF_MOV | BPF_X, R0, R1, 0, 0);
		for (i = 0; i < 1 + pick(g, 6); i++) {
			uint8_t op = alu_ops[pick(g, sizeof(alu_ops) - 2)];
			uint8_t a = R0 + pick(g, 6), b = R0 + pick(g, 6);

			if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
				put(g, BPF_ALU64 | op | BPF_K, a, 0, 0,
				    pick(g, 64));
			else
				put(g, (pick(g, 2) ? BPF_ALU64 : BPF_ALU) | op |
				    BPF_X, a, b, 0, 0);
		}
		put(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
}

/* ---- running ---- */

struct outcome {
	uint64_t r0;
	uint8_t frame[UXDP_XDP_FRAME_SIZE];
};

static int print_progs;
static int with_sandbox;
static unsigned long n_programs, n_sandbox_refused;
/* The first refusal, to show the analysis room what it cannot prove. */
static char first_refusal[UXDP_ERR_MAX];

static void
print_totals(void)
{
	fprintf(stderr, "fuzz_jit_diff: %lu programs", n_programs);
	if (with_sandbox)
		fprintf(stderr, "; verify=sandbox refused %lu%s%s", n_sandbox_refused,
			n_sandbox_refused ? ", first: " : "", first_refusal);
	fprintf(stderr, "\n");
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	print_progs = getenv("UXDP_FUZZ_PRINT") != NULL;
	with_sandbox = getenv("UXDP_FUZZ_SANDBOX") != NULL;
	rte_log_set_global_level(RTE_LOG_EMERG);
	atexit(print_totals);
	return 0;
}

/* One run with the program's current engine, through the public entry
 * point (it sets up the run state the sandbox checks against). */
static void
run(const struct uxdp_prog *prog, const uint8_t *pkt, struct outcome *out)
{
	static struct fuzz_frame frame;

	fuzz_frame_init(&frame, pkt, PKT_LEN);
	out->r0 = uxdp_prog_run_r0(prog, &frame.buff);
	memcpy(out->frame, frame.bytes, sizeof(out->frame));
}

static void
print_program(const struct gen *g)
{
	uint32_t i;

	for (i = 0; i < g->n; i++)
		fprintf(stderr, "  %3u: code %02x dst %u src %u off %d imm %d\n",
			i, g->insns[i].code, g->insns[i].dst_reg,
			g->insns[i].src_reg, g->insns[i].off, g->insns[i].imm);
}

static void
compare(const char *what, const struct gen *g, const struct outcome *a,
	const struct outcome *b)
{
	size_t i;

	if (a->r0 == b->r0 && memcmp(a->frame, b->frame, sizeof(a->frame)) == 0)
		return;
	fprintf(stderr, "%s differ: r0 0x%" PRIx64 " vs 0x%" PRIx64 "\n",
		what, a->r0, b->r0);
	for (i = 0; i < sizeof(a->frame); i++)
		if (a->frame[i] != b->frame[i]) {
			fprintf(stderr, "first frame difference at byte %zu (packet offset %ld)\n",
				i, (long)i - UXDP_XDP_HEADROOM);
			break;
		}
	print_program(g);
	abort();
}

/* Load the program, run it in both engines: 1 done, 0 refused (only
 * allowed under the sandbox). */
static int
run_both(const struct gen *g, enum uxdp_verify verify, const uint8_t *pkt,
	 struct outcome *interp, struct outcome *jit)
{
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj;
	struct uxdp_prog *prog;

	if (uxdp_obj_from_insns_verify("jit_diff", g->insns, g->n, verify,
				       &obj, err, sizeof(err)) < 0) {
		if (verify == UXDP_VERIFY_SANDBOX) {
			if (n_sandbox_refused++ == 0)
				snprintf(first_refusal, sizeof(first_refusal),
					 "%s", err);
			return 0;
		}
		fprintf(stderr, "the checks refused a generated program: %s\n",
			err);
		print_program(g);
		abort();
	}
	prog = uxdp_obj_prog_at(obj, 0);
	run(prog, pkt, interp);
	if (uxdp_prog_set_engine(prog, UXDP_ENGINE_JIT, err, sizeof(err)) < 0) {
		fprintf(stderr, "the JIT refused a checked program: %s\n", err);
		print_program(g);
		abort();
	}
	run(prog, pkt, jit);
	uxdp_obj_close(obj);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gen g;
	static struct outcome interp, jit, s_interp, s_jit;
	uint8_t pkt[PKT_LEN];
	uint64_t x;
	uint32_t i;

	memset(&g, 0, sizeof(g));
	g.in = data;
	g.len = size;
	/* The packet comes from a generator seeded by the first bytes, so
	 * that the rest of the input is all program. */
	x = 0x9e3779b97f4a7c15ull;
	for (i = 0; i < 8; i++)
		x = (x ^ byte(&g)) * 0x100000001b3ull;
	for (i = 0; i < PKT_LEN; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		pkt[i] = (uint8_t)((x * 0x2545f4914f6cdd1dull) >> 56);
	}
	gen_program(&g);
	if (print_progs)
		print_program(&g);
	n_programs++;
	run_both(&g, UXDP_VERIFY_NONE, pkt, &interp, &jit);
	compare("interpreter and JIT", &g, &interp, &jit);
	if (with_sandbox &&
	    run_both(&g, UXDP_VERIFY_SANDBOX, pkt, &s_interp, &s_jit) == 1) {
		compare("interpreter and sandboxed interpreter", &g, &interp,
			&s_interp);
		compare("JIT and sandboxed JIT", &g, &jit, &s_jit);
	}
	return 0;
}
