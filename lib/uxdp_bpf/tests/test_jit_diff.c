/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Differential test of the JIT against the interpreter (the reference):
 * random well-formed XDP programs from fixed seeds, run by both engines on
 * the same packet; r0 and the packet bytes must be identical. Where the
 * kernel verifier accepts a program and BPF_PROG_TEST_RUN works, the
 * kernel must agree too.
 *
 * Program shape: r6 = ctx, r7 = data (128 bytes guaranteed), the scalar
 * registers r0-r5, r8, r9 and eight stack slots start with random values;
 * a random body of ALU/ALU32 ops (div/mod/sdiv/smod, shifts with any
 * count, movsx, byte swaps), packet loads (also sign-extending) and
 * stores to bytes 64..127, stack accesses, atomics on the stack, forward
 * jumps (JMP and JMP32) and sometimes a bpf-to-bpf call; at the end every
 * scalar register is stored to packet bytes 0..63 and r0 & 3 returned.
 *
 * With --sandbox both engines run the programs under UXDP_VERIFY_SANDBOX
 * (no guards: every access checked), and one packet access in 16 gets an
 * offset up to 576, past the 128-byte packet: both engines must stop at
 * the same access, with the same r0 (XDP_ABORTED), packet bytes and
 * fault count.
 */

#include <errno.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "test_interp_insn.h"

enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

#define N_PROGS 600
#define PKT_LEN 128
#define MAX_PROG 256

static const uint8_t scalar_regs[] = { R0, R1, R2, R3, R4, R5, R8, R9 };

struct gen {
	uint64_t rng;
	struct bpf_insn insns[MAX_PROG];
	uint32_t n;
};

static uint64_t
rnd(struct gen *g)
{
	/* xorshift64* */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dull;
}

static uint32_t
pick(struct gen *g, uint32_t n)
{
	return (uint32_t)(rnd(g) % n);
}

static uint8_t
scalar(struct gen *g)
{
	return scalar_regs[pick(g, sizeof(scalar_regs))];
}

/* Immediates biased towards the edge cases of the ISA. */
static int32_t
imm(struct gen *g)
{
	static const int32_t edges[] = {
		0, 1, -1, 2, 7, 8, 15, 16, 31, 32, 63, 64, INT32_MIN,
		INT32_MAX, 0xff, 0xffff, -0x8000,
	};

	if (pick(g, 3) == 0)
		return edges[pick(g, sizeof(edges) / sizeof(edges[0]))];
	return (int32_t)rnd(g);
}

static void
put(struct gen *g, struct bpf_insn insn)
{
	if (g->n < MAX_PROG)
		g->insns[g->n++] = insn;
}

static void
put_ld64(struct gen *g, uint8_t reg, uint64_t v)
{
	const struct bpf_insn ld[] = { LD_IMM64(reg, v) };

	put(g, ld[0]);
	put(g, ld[1]);
}

static const uint8_t alu_ops[] = {
	BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_OR, BPF_AND, BPF_XOR,
	BPF_LSH, BPF_RSH, BPF_ARSH, BPF_NEG, BPF_MOV,
};

static struct bpf_insn
gen_alu(struct gen *g)
{
	uint8_t cls = pick(g, 2) ? BPF_ALU64 : BPF_ALU;
	uint8_t op = alu_ops[pick(g, sizeof(alu_ops))];
	uint8_t src = pick(g, 2) ? BPF_X : BPF_K;
	int16_t off = 0;
	int32_t k = imm(g);

	if (pick(g, 12) == 0) { /* byte order / bswap */
		static const int32_t widths[] = { 16, 32, 64 };

		return (struct bpf_insn)INSN(cls | BPF_END |
			(cls == BPF_ALU && pick(g, 2) ? BPF_TO_BE : BPF_TO_LE),
			scalar(g), 0, 0, widths[pick(g, 3)]);
	}
	if ((op == BPF_DIV || op == BPF_MOD) && pick(g, 2))
		off = 1;
	if (op == BPF_MOV && src == BPF_X && pick(g, 3) == 0) {
		static const int16_t sx[] = { 8, 16, 32 };

		off = sx[pick(g, cls == BPF_ALU64 ? 3 : 2)];
	}
	if ((op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) && pick(g, 4))
		k &= cls == BPF_ALU64 ? 63 : 31;
	if (op == BPF_NEG)
		src = BPF_K, k = 0;
	return (struct bpf_insn)INSN(cls | op | src, scalar(g),
		src == BPF_X ? scalar(g) : 0, off, src == BPF_X ? 0 : k);
}

static const uint8_t sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
static bool sandbox;
static const int size_bytes[] = { 1, 2, 4, 8 };

static struct bpf_insn
gen_mem(struct gen *g)
{
	unsigned int s = pick(g, 4);
	int16_t pkt_off = 64 + pick(g, 64 - size_bytes[s] + 1);
	/* Under the sandbox, some accesses past the packet's end. */
	if (sandbox && pick(g, 16) == 0)
		pkt_off = 64 + pick(g, 512);
	int16_t slot = -8 * (int16_t)(1 + pick(g, 8));
	uint8_t sx = s < 3 && pick(g, 3) == 0 ? BPF_MEMSX : BPF_MEM;

	switch (pick(g, 5)) {
	case 0:
		return (struct bpf_insn)INSN(BPF_LDX | sizes[s] | sx,
			scalar(g), R7, pkt_off, 0);
	case 1:
		return (struct bpf_insn)INSN(BPF_STX | sizes[s] | BPF_MEM,
			R7, scalar(g), pkt_off, 0);
	case 2:
		return (struct bpf_insn)INSN(BPF_ST | sizes[s] | BPF_MEM,
			R7, 0, pkt_off, imm(g));
	case 3: /* whole stack slots stay initialised */
		return (struct bpf_insn)INSN(BPF_STX | BPF_DW | BPF_MEM,
			R10, scalar(g), slot, 0);
	default:
		return (struct bpf_insn)INSN(BPF_LDX | sizes[s] | sx,
			scalar(g), R10, slot, 0);
	}
}

static struct bpf_insn
gen_atomic(struct gen *g)
{
	static const int32_t ops[] = {
		BPF_ADD, BPF_AND, BPF_OR, BPF_XOR, BPF_ADD | BPF_FETCH,
		BPF_AND | BPF_FETCH, BPF_OR | BPF_FETCH, BPF_XOR | BPF_FETCH,
		BPF_XCHG, BPF_CMPXCHG,
	};
	uint8_t size = pick(g, 2) ? BPF_DW : BPF_W;

	return (struct bpf_insn)INSN(BPF_STX | size | BPF_ATOMIC, R10,
		scalar(g), -8 * (int16_t)(1 + pick(g, 8)),
		ops[pick(g, sizeof(ops) / sizeof(ops[0]))]);
}

static const uint8_t jmp_ops[] = {
	BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE, BPF_JSET,
	BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE, BPF_JA,
};

static struct bpf_insn
gen_jump(struct gen *g, uint32_t left)
{
	uint8_t cls = pick(g, 2) ? BPF_JMP : BPF_JMP32;
	uint8_t op = jmp_ops[pick(g, sizeof(jmp_ops))];
	uint8_t src = pick(g, 2) ? BPF_X : BPF_K;
	int16_t skip = (int16_t)pick(g, 5);

	if (skip > (int16_t)left)
		skip = (int16_t)left;
	if (op == BPF_JA)
		return cls == BPF_JMP32 ?
			(struct bpf_insn)INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, skip) :
			(struct bpf_insn)INSN(BPF_JMP | BPF_JA, 0, 0, skip, 0);
	return (struct bpf_insn)INSN(cls | op | src, scalar(g),
		src == BPF_X ? scalar(g) : 0, skip, src == BPF_X ? 0 : imm(g));
}

/* A callee: random ALU over r0-r5, r8, r9 (it may read the caller's
 * values; the caller gets its r6-r9 back and the callee's r1-r5). */
static void
gen_callee(struct gen *g)
{
	uint32_t i, n = 2 + pick(g, 6);

	put(g, T_INSN(MOV64_REG(R0, R1)));
	for (i = 0; i < n; i++)
		put(g, gen_alu(g));
	put(g, T_INSN(EXIT()));
}

static void
gen_program(struct gen *g)
{
	uint32_t body = 10 + pick(g, 50), i, drop_jump, call_at = UINT32_MAX;
	unsigned int r;

	g->n = 0;
	put(g, T_INSN(LDX(W, R7, R1, 0)));
	put(g, T_INSN(LDX(W, R8, R1, 4)));
	put(g, T_INSN(MOV64_REG(R2, R7)));
	put(g, T_INSN(ALU64_IMM(ADD, R2, PKT_LEN)));
	drop_jump = g->n;
	put(g, T_INSN(JMP_REG(JGT, R2, R8, 0)));
	put(g, T_INSN(MOV64_REG(R6, R1)));
	for (r = 0; r < sizeof(scalar_regs); r++) {
		if (pick(g, 2))
			put_ld64(g, scalar_regs[r], rnd(g));
		else
			put(g, T_INSN(MOV64_IMM(scalar_regs[r], imm(g))));
	}
	for (r = 1; r <= 8; r++)
		put(g, T_INSN(STX(DW, R10, scalar_regs[r - 1], -8 * (int)r)));
	if (pick(g, 4) == 0)
		call_at = pick(g, body);
	for (i = 0; i < body; i++) {
		uint32_t kind = pick(g, 16);

		if (i == call_at)
			put(g, T_INSN(CALL_LOCAL(0))); /* patched below */
		else if (kind < 8)
			put(g, gen_alu(g));
		else if (kind < 12)
			put(g, gen_mem(g));
		else if (kind < 13)
			put(g, gen_atomic(g));
		else
			put(g, gen_jump(g, body - i - 1));
	}
	for (r = 0; r < sizeof(scalar_regs); r++)
		put(g, T_INSN(STX(DW, R7, scalar_regs[r], 8 * (int)r)));
	put(g, T_INSN(ALU64_IMM(AND, R0, 3)));
	put(g, T_INSN(EXIT()));
	g->insns[drop_jump].off = (int16_t)(g->n - drop_jump - 1);
	put(g, T_INSN(MOV64_IMM(R0, UXDP_DROP)));
	put(g, T_INSN(EXIT()));
	if (call_at != UINT32_MAX) {
		for (i = 0; i < g->n; i++)
			if (g->insns[i].code == (BPF_JMP | BPF_CALL) &&
			    g->insns[i].src_reg == BPF_PSEUDO_CALL)
				g->insns[i].imm = (int32_t)(g->n - i - 1);
		gen_callee(g);
	}
}

/* ---- running ---- */

static uint64_t jit_ns_total;

struct outcome {
	uint64_t r0;
	uint8_t pkt[PKT_LEN];
	uint64_t faults;
};

static unsigned int sandbox_faulted;

static int
engine_run(struct uxdp_obj *obj, enum uxdp_engine engine, const uint8_t *pkt,
	   struct outcome *out)
{
	static struct t_frame frame;
	struct uxdp_prog *prog = uxdp_obj_prog_at(obj, 0);
	char err[UXDP_ERR_MAX] = "";

	/* Before the JIT compiles: it reads the mode then. */
	if (sandbox)
		prog->verify = UXDP_VERIFY_SANDBOX;
	if (uxdp_prog_set_engine(prog, engine, err, sizeof(err)) < 0) {
		printf("FAIL %s: engine %d refused: %s\n", uxdp_prog_name(prog),
		       (int)engine, err);
		return -1;
	}
	if (engine == UXDP_ENGINE_JIT)
		jit_ns_total += uxdp_prog_jit_ns(prog);
	t_frame_init(&frame, pkt, PKT_LEN);
	if (sandbox) {
		/* A hook's run: the sandbox reads the packet from it. */
		out->r0 = uxdp_prog_run_r0(prog, &frame.buff);
		out->faults = uxdp_prog_sandbox_faults(prog);
		memcpy(out->pkt, frame.buff.data, PKT_LEN);
		return 0;
	}
	out->faults = 0;
	out->r0 = engine == UXDP_ENGINE_JIT ? prog->jit_fn(&frame.buff) :
		uxdp_interp_run(prog, &frame.buff);
	memcpy(out->pkt, frame.buff.data, PKT_LEN);
	return 0;
}

static bool kernel_ok = true;
static unsigned int kernel_accepted, kernel_refused;

/* 1 when the kernel ran it, 0 when refused or unavailable. */
static int
kernel_run(const struct gen *g, const uint8_t *pkt, struct outcome *out)
{
	uint8_t data_out[PKT_LEN + 64];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt,
		    .data_size_in = PKT_LEN, .data_out = data_out,
		    .data_size_out = sizeof(data_out), .repeat = 1);
	int fd, ret;

	if (!kernel_ok)
		return 0;
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "jit_diff", "GPL", g->insns,
			   g->n, NULL);
	if (fd < 0) {
		kernel_refused++;
		return 0;
	}
	ret = bpf_prog_test_run_opts(fd, &opts);
	close(fd);
	if (ret < 0 || opts.data_size_out != PKT_LEN)
		return 0;
	kernel_accepted++;
	out->r0 = opts.retval;
	memcpy(out->pkt, data_out, PKT_LEN);
	return 1;
}

static void
report_diff(const char *what, unsigned int seed, const struct gen *g,
	    const struct outcome *a, const struct outcome *b)
{
	uint32_t i;

	t_failed++;
	printf("FAIL seed %u: %s differ: r0 0x%" PRIx64 " vs 0x%" PRIx64
	       ", faults %" PRIu64 " vs %" PRIu64 "\n",
	       seed, what, a->r0, b->r0, a->faults, b->faults);
	for (i = 0; i < PKT_LEN; i++)
		if (a->pkt[i] != b->pkt[i]) {
			printf("  first packet difference at byte %u\n", i);
			break;
		}
	for (i = 0; i < g->n; i++)
		printf("  %3u: code %02x dst %u src %u off %d imm %d\n", i,
		       g->insns[i].code, g->insns[i].dst_reg,
		       g->insns[i].src_reg, g->insns[i].off, g->insns[i].imm);
}

static void
run_seed(unsigned int seed)
{
	struct gen g = { .rng = 0x9e3779b97f4a7c15ull * (seed + 1) };
	struct outcome interp, jit, kern;
	uint8_t pkt[PKT_LEN];
	struct uxdp_obj *obj;
	char name[32];
	uint32_t i;

	gen_program(&g);
	for (i = 0; i < PKT_LEN; i++)
		pkt[i] = (uint8_t)rnd(&g);
	snprintf(name, sizeof(name), "diff_%u", seed);
	obj = t_load(name, g.insns, g.n);
	if (obj == NULL) {
		t_failed++;
		printf("FAIL seed %u: the checks refused a generated program\n",
		       seed);
		return;
	}
	if (engine_run(obj, UXDP_ENGINE_INTERP, pkt, &interp) < 0 ||
	    engine_run(obj, UXDP_ENGINE_JIT, pkt, &jit) < 0) {
		t_failed++;
		uxdp_obj_close(obj);
		return;
	}
	uxdp_obj_close(obj);
	/* Both engines ran the same program: its count is cumulative. */
	jit.faults -= interp.faults;
	sandbox_faulted += interp.faults != 0;
	if (interp.r0 != jit.r0 || memcmp(interp.pkt, jit.pkt, PKT_LEN) != 0 ||
	    interp.faults != jit.faults)
		report_diff("interp and jit", seed, &g, &interp, &jit);
	else
		t_passed++;
	if (kernel_run(&g, pkt, &kern) == 1) {
		if ((uint32_t)interp.r0 != kern.r0 ||
		    memcmp(interp.pkt, kern.pkt, PKT_LEN) != 0)
			report_diff("interp and kernel", seed, &g, &interp, &kern);
		else
			t_passed++;
	}
}

int
main(int argc, char **argv)
{
	const struct bpf_insn probe[] = { MOV64_IMM(R0, UXDP_PASS), EXIT() };
	unsigned int seed;
	int fd;

	sandbox = argc > 1 && strcmp(argv[1], "--sandbox") == 0;
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "jit_probe", "GPL", probe, 2, NULL);
	if (fd < 0) {
		kernel_ok = false;
		printf("kernel comparison off: bpf_prog_load: %s\n",
		       strerror(errno));
	} else {
		close(fd);
	}
	for (seed = 0; seed < N_PROGS; seed++)
		run_seed(seed);
	printf("%u programs; the kernel accepted %u and refused %u; "
	       "mean JIT compile time %.2f ms\n", N_PROGS, kernel_accepted,
	       kernel_refused, jit_ns_total / 1e6 / N_PROGS);
	if (sandbox)
		printf("sandbox: %u programs faulted (same access, r0 and "
		       "packet in both engines)\n", sandbox_faulted);
	return t_summary();
}
