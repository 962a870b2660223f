/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The kernel as the oracle. Raw-instruction XDP programs run both in the
 * kernel (bpf_prog_load + BPF_PROG_TEST_RUN) and in uxdp on the same
 * packet; their verdicts and output packets must match byte for byte.
 *
 * Most programs compute many values and store each as a 64-bit word into
 * the packet, so one run compares hundreds of results:
 *   - every ALU/ALU64 operation, register and immediate forms, over edge
 *     operands (zero, -1, INT_MIN, shift counts around the width, ...);
 *   - sign-extending moves, negation, byte swaps;
 *   - every conditional jump, 64- and 32-bit, register and immediate;
 *   - atomics with and without fetch, xchg, cmpxchg hit and miss;
 *   - loads of every size, zero- and sign-extending;
 *   - bpf_csum_diff on random buffers and bpf_trace_printk's return values;
 *   - bpf_xdp_adjust_head/meta/tail at and past their limits;
 *   - bpf_loop: no, one and many calls, early stops, bad flags, the
 *     nr_loops limit and its upper half, nested loops.
 * Skips (exit 77) with the reason when the kernel refuses to load or run
 * BPF programs (no root, no BPF).
 */

#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <rte_common.h>
#include <rte_log.h>

#include "test_interp_insn.h"

enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

#define SKIP 77
#define MAX_INSNS 8192
#define MAX_WORDS 440 /* 3520 bytes: the most a 4 KiB test frame holds */

/* One generated program and what each stored word means. */
struct gen {
	struct bpf_insn insns[MAX_INSNS];
	uint32_t n;
	bool overflow;
	uint32_t n_words;
	uint32_t bounds_jump;
	char what[MAX_WORDS][80];
};

static char verifier_log[1 << 16];

static void
emit_insn(struct gen *g, struct bpf_insn insn)
{
	if (g->n < MAX_INSNS)
		g->insns[g->n++] = insn;
	else
		g->overflow = true;
}

#define emit(g, ...) emit_insn((g), T_INSN(__VA_ARGS__))

static void
emit_ld64(struct gen *g, uint8_t reg, uint64_t v)
{
	const struct bpf_insn ld[] = { LD_IMM64(reg, v) };

	emit_insn(g, ld[0]);
	emit_insn(g, ld[1]);
}

/* r6 = ctx, r7 = data; the packet must hold max_words words, else the
 * program returns XDP_DROP. */
static void
gen_begin(struct gen *g, uint32_t max_words)
{
	g->n = 0;
	g->n_words = 0;
	g->overflow = false;
	emit(g, MOV64_REG(R6, R1));
	emit(g, LDX(W, R7, R6, 0));
	emit(g, LDX(W, R8, R6, 4));
	emit(g, MOV64_REG(R2, R7));
	emit(g, ALU64_IMM(ADD, R2, max_words * 8));
	g->bounds_jump = g->n;
	emit(g, JMP_REG(JGT, R2, R8, 0));
}

static void
gen_store(struct gen *g, uint8_t reg, const char *fmt, ...)
{
	va_list ap;

	if (g->n_words >= MAX_WORDS) {
		g->overflow = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(g->what[g->n_words], sizeof(g->what[0]), fmt, ap);
	va_end(ap);
	emit(g, STX(DW, R7, reg, g->n_words * 8));
	g->n_words++;
}

static void
gen_end(struct gen *g)
{
	emit(g, MOV64_IMM(R0, UXDP_PASS));
	emit(g, EXIT());
	g->insns[g->bounds_jump].off = g->n - g->bounds_jump - 1;
	emit(g, MOV64_IMM(R0, UXDP_DROP));
	emit(g, EXIT());
}

/* ---- running one program both ways ---- */

struct result {
	uint32_t retval;
	uint8_t out[UXDP_XDP_FRAME_SIZE]; /* data_meta .. data_end */
	uint32_t out_len;
};

/* The kernel wants BTF func_info for programs with callbacks: one
 * static function per subprogram (main and every call or callback
 * target), typed "long f(void)". Returns the BTF fd, or -errno; 0 when
 * the program needs none. */
static struct bpf_func_info func_info[64];

static int
load_func_btf(const struct bpf_insn *insns, uint32_t n, uint32_t *n_funcs,
	      struct btf **out)
{
	bool start[MAX_INSNS] = { true };
	bool callbacks = false;
	struct btf *btf;
	int long_id, proto, ret;
	uint32_t i;

	*n_funcs = 0;
	for (i = 0; i < n; i++) {
		const struct bpf_insn *in = &insns[i];

		if (in->code == (BPF_LD | BPF_DW | BPF_IMM)) {
			if (in->src_reg == BPF_PSEUDO_FUNC) {
				start[i + 1 + in->imm] = true;
				callbacks = true;
			}
			i++;
		} else if (in->code == (BPF_JMP | BPF_CALL) &&
			   in->src_reg == BPF_PSEUDO_CALL) {
			start[i + 1 + in->imm] = true;
		}
	}
	if (!callbacks)
		return 0;
	btf = btf__new_empty();
	if (btf == NULL)
		return -errno;
	long_id = btf__add_int(btf, "long", 8, BTF_INT_SIGNED);
	proto = btf__add_func_proto(btf, long_id);
	for (i = 0; i < n && *n_funcs < RTE_DIM(func_info); i++) {
		char name[32];

		if (!start[i])
			continue;
		snprintf(name, sizeof(name), "f%u", i);
		func_info[*n_funcs].insn_off = i;
		func_info[*n_funcs].type_id =
			btf__add_func(btf, name, BTF_FUNC_STATIC, proto);
		(*n_funcs)++;
	}
	ret = btf__load_into_kernel(btf);
	if (ret < 0) {
		btf__free(btf);
		return ret;
	}
	*out = btf;
	return btf__fd(btf);
}

static int
kernel_run(const struct bpf_insn *insns, uint32_t n, const uint8_t *pkt,
	   uint32_t len, struct result *res, char *why, size_t why_len)
{
	struct btf *btf = NULL;
	uint32_t n_funcs;
	int btf_fd = load_func_btf(insns, n, &n_funcs, &btf);

	LIBBPF_OPTS(bpf_prog_load_opts, load_opts,
		    .log_buf = verifier_log, .log_size = sizeof(verifier_log),
		    .log_level = 0); /* libbpf retries with a log on failure */
	LIBBPF_OPTS(bpf_test_run_opts, run_opts,
		    .data_in = pkt, .data_size_in = len,
		    .data_out = res->out, .data_size_out = sizeof(res->out),
		    .repeat = 1);
	int fd, ret;

	if (btf_fd < 0) {
		snprintf(why, why_len, "BTF load: %s", strerror(-btf_fd));
		return btf_fd;
	}
	if (btf_fd > 0) {
		load_opts.prog_btf_fd = btf_fd;
		load_opts.func_info = func_info;
		load_opts.func_info_cnt = n_funcs;
		load_opts.func_info_rec_size = sizeof(func_info[0]);
	}
	verifier_log[0] = '\0';
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "uxdp_xcheck", "GPL", insns, n,
			   &load_opts);
	btf__free(btf);
	if (fd < 0) {
		snprintf(why, why_len, "bpf_prog_load: %s", strerror(-fd));
		return fd;
	}
	ret = bpf_prog_test_run_opts(fd, &run_opts);
	close(fd);
	if (ret < 0) {
		snprintf(why, why_len, "BPF_PROG_TEST_RUN: %s", strerror(-ret));
		return ret;
	}
	res->retval = run_opts.retval;
	res->out_len = run_opts.data_size_out;
	return 0;
}

/* The frame BPF_PROG_TEST_RUN builds: zeroed, 256 B headroom, 320 B of
 * tail reserved in 4 KiB. */
static struct t_frame frame;

static int
uxdp_run(const struct bpf_insn *insns, uint32_t n, const uint8_t *pkt,
	 uint32_t len, struct result *res, char *why, size_t why_len)
{
	struct uxdp_obj *obj = NULL;
	int ret;

	ret = uxdp_obj_from_insns("xcheck", insns, n, &obj, why, why_len);
	if (ret < 0)
		return ret;
	t_frame_init(&frame, pkt, len);
	memset(frame.mem, 0, UXDP_XDP_HEADROOM);
	memset(frame.mem + UXDP_XDP_HEADROOM + len, 0,
	       sizeof(frame.mem) - UXDP_XDP_HEADROOM - len);
	if (t_use_engine(uxdp_obj_prog_at(obj, 0)) < 0) {
		uxdp_obj_close(obj);
		return uxdp_set_err(why, why_len, EINVAL, "engine refused");
	}
	res->retval = uxdp_prog_run(uxdp_obj_prog_at(obj, 0), &frame.buff);
	res->out_len = (uint8_t *)frame.buff.data_end -
		(uint8_t *)frame.buff.data_meta;
	memcpy(res->out, frame.buff.data_meta, res->out_len);
	uxdp_obj_close(obj);
	return 0;
}

static unsigned int n_programs, n_words;

static struct result k_res, u_res;

/* Run g both ways and compare verdict, length and every stored word. */
static void
compare(const struct gen *g, const char *family, uint32_t pkt_len)
{
	static uint8_t pkt[UXDP_XDP_FRAME_SIZE];
	char why[UXDP_ERR_MAX];
	uint32_t i;

	if (g->overflow) {
		T_CHECK(0, "%s: generator overflow", family);
		return;
	}
	for (i = 0; i < pkt_len; i++)
		pkt[i] = (uint8_t)(i * 7 + 1);
	if (kernel_run(g->insns, g->n, pkt, pkt_len, &k_res, why,
		       sizeof(why)) < 0) {
		T_CHECK(0, "%s: kernel: %s\n%s", family, why, verifier_log);
		return;
	}
	if (uxdp_run(g->insns, g->n, pkt, pkt_len, &u_res, why,
		     sizeof(why)) < 0) {
		T_CHECK(0, "%s: uxdp refused: %s", family, why);
		return;
	}
	n_programs++;
	T_CHECK(k_res.retval == u_res.retval, "%s: verdict kernel %u uxdp %u",
		family, k_res.retval, u_res.retval);
	T_CHECK(k_res.out_len == u_res.out_len,
		"%s: output length kernel %u uxdp %u", family, k_res.out_len,
		u_res.out_len);
	for (i = 0; i < g->n_words; i++) {
		uint64_t k, u;

		memcpy(&k, k_res.out + i * 8, 8);
		memcpy(&u, u_res.out + i * 8, 8);
		T_CHECK(k == u, "%s: %s: kernel 0x%" PRIx64 " uxdp 0x%" PRIx64,
			family, g->what[i], k, u);
		n_words++;
	}
	if (g->n_words == 0)
		T_CHECK(k_res.out_len == u_res.out_len &&
			memcmp(k_res.out, u_res.out, k_res.out_len) == 0,
			"%s: output bytes differ", family);
}

static struct gen g;

/* ---- ALU ---- */

static const uint64_t operands[] = {
	0, 1, 2, 7, 31, 32, 33, 63, 64,
	0xffffffffffffffffull, 0xfffffffffffffffeull, 0xfffffffffffffff9ull,
	0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000005ull,
	0x7fffffffffffffffull, 0x8000000000000000ull, 0xdeadbeefcafebabeull,
	0xffffffff80000000ull,
};
#define N_OPERANDS (sizeof(operands) / sizeof(operands[0]))

static const struct {
	const char *name;
	uint8_t op;
	int16_t off;
} alu_ops[] = {
	{ "add", BPF_ADD, 0 }, { "sub", BPF_SUB, 0 }, { "mul", BPF_MUL, 0 },
	{ "div", BPF_DIV, 0 }, { "sdiv", BPF_DIV, 1 }, { "mod", BPF_MOD, 0 },
	{ "smod", BPF_MOD, 1 }, { "or", BPF_OR, 0 }, { "and", BPF_AND, 0 },
	{ "lsh", BPF_LSH, 0 }, { "rsh", BPF_RSH, 0 }, { "arsh", BPF_ARSH, 0 },
	{ "xor", BPF_XOR, 0 }, { "mov", BPF_MOV, 0 },
};

/* Immediates the kernel verifier accepts for op at this width. */
static bool
imm_allowed(uint8_t op, bool is64, uint64_t v)
{
	if ((int64_t)v != (int32_t)v)
		return false;
	if ((op == BPF_DIV || op == BPF_MOD) && v == 0)
		return false;
	if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
		return (int64_t)v >= 0 && v < (is64 ? 64u : 32u);
	return true;
}

/* One program: op at one width and form over every operand pair. */
static void
alu_program(size_t o, bool is64, bool reg)
{
	uint8_t code = (is64 ? BPF_ALU64 : BPF_ALU) | alu_ops[o].op |
		(reg ? BPF_X : BPF_K);
	int16_t off = alu_ops[o].off;
	char family[64];
	size_t a, b;

	snprintf(family, sizeof(family), "%s%d %s", alu_ops[o].name,
		 is64 ? 64 : 32, reg ? "reg" : "imm");
	gen_begin(&g, MAX_WORDS);
	for (a = 0; a < N_OPERANDS; a++) {
		for (b = 0; b < N_OPERANDS; b++) {
			uint64_t va = operands[a], vb = operands[b];

			if (!reg && !imm_allowed(alu_ops[o].op, is64, vb))
				continue;
			emit_ld64(&g, R0, va);
			if (reg) {
				emit_ld64(&g, R3, vb);
				emit(&g, INSN(code, R0, R3, off, 0));
			} else {
				emit(&g, INSN(code, R0, 0, off, (int32_t)vb));
			}
			gen_store(&g, R0, "0x%" PRIx64 " %s 0x%" PRIx64, va,
				  family, vb);
		}
	}
	gen_end(&g);
	compare(&g, family, MAX_WORDS * 8);
}

static void
test_alu(void)
{
	size_t o;

	for (o = 0; o < sizeof(alu_ops) / sizeof(alu_ops[0]); o++) {
		alu_program(o, false, true);
		alu_program(o, false, false);
		alu_program(o, true, true);
		alu_program(o, true, false);
	}
}

/* Unary operations on every operand. */
static void
test_unary(void)
{
	static const struct {
		const char *name;
		struct bpf_insn insn; /* dst r0, source r3 where used */
	} ops[] = {
		{ "neg64", NEG64(R0) }, { "neg32", NEG32(R0) },
		{ "movsx64 8", MOVSX64(R0, R3, 8) },
		{ "movsx64 16", MOVSX64(R0, R3, 16) },
		{ "movsx64 32", MOVSX64(R0, R3, 32) },
		{ "movsx32 8", MOVSX32(R0, R3, 8) },
		{ "movsx32 16", MOVSX32(R0, R3, 16) },
		{ "mov32 reg", MOV32_REG(R0, R3) },
		{ "le16", TO_LE(R0, 16) }, { "le32", TO_LE(R0, 32) },
		{ "le64", TO_LE(R0, 64) }, { "be16", TO_BE(R0, 16) },
		{ "be32", TO_BE(R0, 32) }, { "be64", TO_BE(R0, 64) },
		{ "bswap16", BSWAP(R0, 16) }, { "bswap32", BSWAP(R0, 32) },
		{ "bswap64", BSWAP(R0, 64) },
	};
	size_t o, a;

	gen_begin(&g, MAX_WORDS);
	for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		for (a = 0; a < N_OPERANDS; a++) {
			emit_ld64(&g, R0, operands[a]);
			emit(&g, MOV64_REG(R3, R0));
			emit(&g, ops[o].insn);
			gen_store(&g, R0, "%s 0x%" PRIx64, ops[o].name,
				  operands[a]);
		}
	}
	gen_end(&g);
	compare(&g, "unary", MAX_WORDS * 8);
}

/* ---- jumps: store 1 when taken, 0 when not ---- */

static const struct { const char *name; uint8_t op; } jmp_ops[] = {
	{ "jeq", BPF_JEQ }, { "jne", BPF_JNE }, { "jgt", BPF_JGT },
	{ "jge", BPF_JGE }, { "jlt", BPF_JLT }, { "jle", BPF_JLE },
	{ "jset", BPF_JSET }, { "jsgt", BPF_JSGT }, { "jsge", BPF_JSGE },
	{ "jslt", BPF_JSLT }, { "jsle", BPF_JSLE },
};

static void
jump_program(size_t o, bool is64, bool reg)
{
	uint8_t code = (is64 ? BPF_JMP : BPF_JMP32) | jmp_ops[o].op |
		(reg ? BPF_X : BPF_K);
	char family[64];
	size_t a, b;

	snprintf(family, sizeof(family), "%s%s %s", jmp_ops[o].name,
		 is64 ? "" : "32", reg ? "reg" : "imm");
	gen_begin(&g, MAX_WORDS);
	for (a = 0; a < N_OPERANDS; a++) {
		for (b = 0; b < N_OPERANDS; b++) {
			uint64_t va = operands[a], vb = operands[b];

			if (!reg && (int64_t)vb != (int32_t)vb)
				continue;
			emit_ld64(&g, R3, va);
			if (reg)
				emit_ld64(&g, R4, vb);
			emit(&g, MOV64_IMM(R0, 1));
			if (reg)
				emit(&g, INSN(code, R3, R4, 1, 0));
			else
				emit(&g, INSN(code, R3, 0, 1, (int32_t)vb));
			emit(&g, MOV64_IMM(R0, 0));
			gen_store(&g, R0, "0x%" PRIx64 " %s 0x%" PRIx64, va,
				  family, vb);
		}
	}
	gen_end(&g);
	compare(&g, family, MAX_WORDS * 8);
}

static void
test_jumps(void)
{
	size_t o;

	for (o = 0; o < sizeof(jmp_ops) / sizeof(jmp_ops[0]); o++) {
		jump_program(o, false, true);
		jump_program(o, false, false);
		jump_program(o, true, true);
		jump_program(o, true, false);
	}
}

/* ---- atomics on the stack: store memory, src and r0 afterwards ---- */

static void
test_atomics(void)
{
	static const uint64_t vals[] = {
		0, 1, 0xffffffffffffffffull, 0x7fffffffull, 0x80000000ull,
		0xffffffffull, 0x100000005ull, 0xdeadbeefcafebabeull,
	};
	static const struct { const char *name; int32_t imm; int cmp; } ops[] = {
		{ "add", BPF_ADD, 0 }, { "fetch_add", BPF_ADD | BPF_FETCH, 0 },
		{ "and", BPF_AND, 0 }, { "fetch_and", BPF_AND | BPF_FETCH, 0 },
		{ "or", BPF_OR, 0 }, { "fetch_or", BPF_OR | BPF_FETCH, 0 },
		{ "xor", BPF_XOR, 0 }, { "fetch_xor", BPF_XOR | BPF_FETCH, 0 },
		{ "xchg", BPF_XCHG, 0 },
		{ "cmpxchg hit", BPF_CMPXCHG, 1 },
		{ "cmpxchg miss", BPF_CMPXCHG, 2 },
		{ "cmpxchg upper-half differs", BPF_CMPXCHG, 3 },
	};
	const size_t n = sizeof(vals) / sizeof(vals[0]);
	size_t o, a, b;
	int size;

	for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		for (size = 0; size < 2; size++) {
			uint8_t sz = size == 0 ? BPF_W : BPF_DW;
			char family[64];

			snprintf(family, sizeof(family), "atomic %s%s",
				 ops[o].name, size == 0 ? "32" : "64");
			gen_begin(&g, 3 * n * n);
			for (a = 0; a < n; a++) {
				for (b = 0; b < n; b++) {
					uint64_t cmp = vals[a];

					if (ops[o].cmp == 2)
						cmp ^= 1;
					else if (ops[o].cmp == 3)
						cmp ^= 0xffffffff00000000ull;
					emit_ld64(&g, R0, vals[a]);
					emit(&g, STX(DW, R10, R0, -8));
					emit_ld64(&g, R3, vals[b]);
					emit_ld64(&g, R0, cmp);
					emit(&g, INSN(BPF_STX | sz | BPF_ATOMIC, R10,
						      R3, -8, ops[o].imm));
					emit(&g, LDX(DW, R4, R10, -8));
					gen_store(&g, R4, "%s mem 0x%" PRIx64 " src 0x%"
						  PRIx64 ": memory", family, vals[a], vals[b]);
					gen_store(&g, R3, "%s mem 0x%" PRIx64 " src 0x%"
						  PRIx64 ": src", family, vals[a], vals[b]);
					gen_store(&g, R0, "%s mem 0x%" PRIx64 " src 0x%"
						  PRIx64 ": r0", family, vals[a], vals[b]);
				}
			}
			gen_end(&g);
			compare(&g, family, 3 * n * n * 8);
		}
	}
}

/* ---- loads of every size and extension ----
 * From the patterned packet tail (past the stored words) at every byte
 * offset: the kernel refuses misaligned stack accesses but not packet
 * ones. */

#define LOAD_AREA 3200

static void
test_loads(void)
{
	static const struct { const char *name; uint8_t code; } loads[] = {
		{ "ldxb", BPF_LDX | BPF_B | BPF_MEM },
		{ "ldxh", BPF_LDX | BPF_H | BPF_MEM },
		{ "ldxw", BPF_LDX | BPF_W | BPF_MEM },
		{ "ldxdw", BPF_LDX | BPF_DW | BPF_MEM },
		{ "ldxsb", BPF_LDX | BPF_B | BPF_MEMSX },
		{ "ldxsh", BPF_LDX | BPF_H | BPF_MEMSX },
		{ "ldxsw", BPF_LDX | BPF_W | BPF_MEMSX },
	};
	size_t l;
	int off;

	gen_begin(&g, MAX_WORDS);
	for (l = 0; l < sizeof(loads) / sizeof(loads[0]); l++) {
		for (off = 0; off < 24; off++) {
			emit(&g, INSN(loads[l].code, R0, R7, LOAD_AREA + off, 0));
			gen_store(&g, R0, "%s data+%d", loads[l].name,
				  LOAD_AREA + off);
		}
	}
	/* Stores of each size at odd offsets, read back whole. */
	emit_ld64(&g, R3, 0x0102030405060708ull);
	emit(&g, STX(B, R7, R3, LOAD_AREA + 33));
	emit(&g, STX(H, R7, R3, LOAD_AREA + 35));
	emit(&g, STX(W, R7, R3, LOAD_AREA + 37));
	emit(&g, STX(DW, R7, R3, LOAD_AREA + 43));
	emit(&g, ST(H, R7, LOAD_AREA + 51, -2));
	emit(&g, ST(B, R7, LOAD_AREA + 54, 0x7f));
	emit(&g, ST(W, R7, LOAD_AREA + 55, -3));
	emit(&g, ST(DW, R7, LOAD_AREA + 59, -4));
	for (off = 32; off < 72; off += 8) {
		emit(&g, LDX(DW, R0, R7, LOAD_AREA + off));
		gen_store(&g, R0, "after stores, data+%d", LOAD_AREA + off);
	}
	/* The same on the stack, aligned as the kernel demands. */
	emit(&g, STX(DW, R10, R3, -16));
	emit(&g, STX(B, R10, R3, -15));
	emit(&g, STX(H, R10, R3, -14));
	emit(&g, STX(W, R10, R3, -12));
	emit(&g, ST(W, R10, -8, -5));
	emit(&g, ST(H, R10, -4, -6));
	emit(&g, ST(B, R10, -2, 0x55));
	emit(&g, ST(B, R10, -1, -7));
	emit(&g, LDX(DW, R0, R10, -16));
	gen_store(&g, R0, "stack stores, low word");
	emit(&g, LDXSX(W, R0, R10, -8));
	gen_store(&g, R0, "stack ldxsw");
	emit(&g, LDXSX(H, R0, R10, -4));
	gen_store(&g, R0, "stack ldxsh");
	emit(&g, LDXSX(B, R0, R10, -1));
	gen_store(&g, R0, "stack ldxsb");
	emit(&g, LDX(DW, R0, R10, -8));
	gen_store(&g, R0, "stack stores, high word");
	gen_end(&g);
	compare(&g, "loads", MAX_WORDS * 8);
}

/* ---- helpers ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Reports whether the kernel folds bpf_csum_diff to 16 bits (current
 * kernels, and uxdp) rather than returning the old 32-bit sum. */
static bool
kernel_csum_is_folded(void)
{
	gen_begin(&g, 1);
	emit(&g, ST(W, R10, -8, 0x04030201));
	emit(&g, ST(W, R10, -4, 0x0d0c0b0a));
	emit(&g, MOV64_REG(R1, R10));
	emit(&g, ALU64_IMM(ADD, R1, -8));
	emit(&g, MOV64_IMM(R2, 4));
	emit(&g, MOV64_REG(R3, R10));
	emit(&g, ALU64_IMM(ADD, R3, -4));
	emit(&g, MOV64_IMM(R4, 4));
	emit(&g, MOV64_IMM(R5, 0));
	emit(&g, CALL_HELPER(BPF_FUNC_csum_diff));
	gen_store(&g, R0, "probe");
	gen_end(&g);
	if (kernel_run(g.insns, g.n, (uint8_t[64]){ 0 }, 64, &k_res,
		       (char[UXDP_ERR_MAX]){ 0 }, UXDP_ERR_MAX) < 0)
		return false;
	return k_res.out[0] == 0x12 && k_res.out[1] == 0x12 &&
		k_res.out[2] == 0;
}

static void
test_csum_diff(void)
{
	int prog, v, w;

	if (!kernel_csum_is_folded()) {
		printf("SKIP csum_diff cross-check: this kernel returns the "
		       "unfolded 32-bit sum of older kernels; uxdp follows "
		       "current kernels (16-bit folded)\n");
		return;
	}
	for (prog = 0; prog < 8; prog++) {
		gen_begin(&g, 16);
		for (v = 0; v < 16; v++) {
			uint32_t from_off = next_rand() % 8, to_off = next_rand() % 8;
			uint32_t from_size = next_rand() % 41;
			uint32_t to_size = next_rand() % 41;
			uint32_t seed = (uint32_t)next_rand();

			if (v % 4 == 0) /* whole words, the common case */
				from_size &= ~3u, to_size &= ~3u;
			if (v == 5)
				from_size = 0;
			if (v == 6)
				to_size = 0;
			for (w = 0; w < 24; w++)
				emit(&g, ST(W, R10, -96 + 4 * w,
					    (int32_t)next_rand()));
			emit(&g, MOV64_REG(R1, R10));
			emit(&g, ALU64_IMM(ADD, R1, -96 + (int32_t)from_off));
			emit(&g, MOV64_IMM(R2, from_size));
			emit(&g, MOV64_REG(R3, R10));
			emit(&g, ALU64_IMM(ADD, R3, -48 + (int32_t)to_off));
			emit(&g, MOV64_IMM(R4, to_size));
			emit_ld64(&g, R5, seed);
			emit(&g, CALL_HELPER(BPF_FUNC_csum_diff));
			gen_store(&g, R0, "csum_diff(from+%u, %u, to+%u, %u, 0x%x)",
				  from_off, from_size, to_off, to_size, seed);
		}
		gen_end(&g);
		compare(&g, "csum_diff", 16 * 8);
	}
}

static void
test_trace_printk(void)
{
	static const struct {
		const char *fmt;
		uint64_t a, b, c;
	} cases[] = {
		{ "x=%d\n", 42, 0, 0 },
		{ "%d", 0xffffffffull, 0, 0 },
		{ "%ld", 0xffffffffull, 0, 0 },
		{ "%lld %llu", (uint64_t)-1, (uint64_t)-1, 0 },
		{ "%x %X %lx", 0xdeadbeef, 0xab, 0x100000000ull },
		{ "%i %u %li", (uint64_t)-5, 2, 3 },
		{ "%5d|%-3d|%03x", 42, 7, 10 },
		{ "%c%c", 'o', 'k', 0 },
		{ "100%%", 0, 0, 0 },
		{ "%i %u %li %lu", 1, 2, 3 },
		{ "%q", 0, 0, 0 },
		{ "%lll", 0, 0, 0 },
		{ "%", 0, 0, 0 },
		{ "bell\a", 0, 0, 0 },
		{ "%+d % d", 5, 5, 0 },
		{ "%s|%5s|%pks|%pus", 0, 0, 0 },
		{ "%pI4 %pi4 %pI6", 0, 0, 0 },
		{ "%px %pK", 0x1234, 0, 0 },
		{ "%sx", 0, 0, 0 },
		{ "%.2d", 0, 0, 0 },
		{ "%hd", 0, 0, 0 },
		{ "%pZ", 0, 0, 0 },
		{ "%2000d", 1, 0, 0 },
	};
	size_t c, i;

	gen_begin(&g, sizeof(cases) / sizeof(cases[0]));
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t len = strlen(cases[c].fmt) + 1;

		for (i = 0; i < len; i++)
			emit(&g, ST(B, R10, -32 + (int16_t)i,
				    (uint8_t)cases[c].fmt[i]));
		emit(&g, MOV64_REG(R1, R10));
		emit(&g, ALU64_IMM(ADD, R1, -32));
		emit(&g, MOV64_IMM(R2, len));
		emit_ld64(&g, R3, cases[c].a);
		emit_ld64(&g, R4, cases[c].b);
		emit_ld64(&g, R5, cases[c].c);
		emit(&g, CALL_HELPER(BPF_FUNC_trace_printk));
		gen_store(&g, R0, "trace_printk(\"%s\")", cases[c].fmt);
	}
	gen_end(&g);
	compare(&g, "trace_printk", 64 * 8);
}

/* bpf_xdp_adjust_*: verdict = (buff length << 8) | (u8)helper result; the
 * output packet (metadata included) must match too. */
static void
test_xdp_adjust(void)
{
	static const struct {
		uint32_t helper;
		int32_t delta;
		int32_t pre_meta; /* adjust_meta first, when non-zero */
	} cases[] = {
		{ BPF_FUNC_xdp_adjust_head, -216, 0 },
		{ BPF_FUNC_xdp_adjust_head, -217, 0 },
		{ BPF_FUNC_xdp_adjust_head, 50, 0 },
		{ BPF_FUNC_xdp_adjust_head, 51, 0 },
		{ BPF_FUNC_xdp_adjust_head, 0, 0 },
		{ BPF_FUNC_xdp_adjust_head, -1, 0 },
		{ BPF_FUNC_xdp_adjust_head, -208, -8 },
		{ BPF_FUNC_xdp_adjust_head, -209, -8 },
		{ BPF_FUNC_xdp_adjust_head, 20, -8 },
		{ BPF_FUNC_xdp_adjust_meta, -4, 0 },
		{ BPF_FUNC_xdp_adjust_meta, -32, 0 },
		{ BPF_FUNC_xdp_adjust_meta, -36, 0 },
		{ BPF_FUNC_xdp_adjust_meta, -216, 0 },
		{ BPF_FUNC_xdp_adjust_meta, -220, 0 },
		{ BPF_FUNC_xdp_adjust_meta, -2, 0 },
		{ BPF_FUNC_xdp_adjust_meta, 4, 0 },
		{ BPF_FUNC_xdp_adjust_meta, 4, -8 },
		{ BPF_FUNC_xdp_adjust_meta, 8, -8 },
		{ BPF_FUNC_xdp_adjust_meta, 12, -8 },
		{ BPF_FUNC_xdp_adjust_tail, -50, 0 },
		{ BPF_FUNC_xdp_adjust_tail, -51, 0 },
		{ BPF_FUNC_xdp_adjust_tail, 3456, 0 },
		{ BPF_FUNC_xdp_adjust_tail, 3457, 0 },
		{ BPF_FUNC_xdp_adjust_tail, 100, -8 },
	};
	size_t c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char family[64];

		snprintf(family, sizeof(family), "helper %u delta %d meta %d",
			 cases[c].helper, cases[c].delta, cases[c].pre_meta);
		g.n = 0;
		g.n_words = 0;
		g.overflow = false;
		emit(&g, MOV64_REG(R6, R1));
		if (cases[c].pre_meta != 0) {
			emit(&g, MOV64_IMM(R2, cases[c].pre_meta));
			emit(&g, CALL_HELPER(BPF_FUNC_xdp_adjust_meta));
			emit(&g, MOV64_REG(R1, R6));
		}
		emit(&g, MOV64_IMM(R2, cases[c].delta));
		emit(&g, CALL_HELPER(cases[c].helper));
		emit(&g, MOV64_REG(R7, R0));
		emit(&g, MOV64_REG(R1, R6));
		emit(&g, CALL_HELPER(BPF_FUNC_xdp_get_buff_len));
		emit(&g, ALU64_IMM(LSH, R0, 8));
		emit(&g, ALU64_IMM(AND, R7, 0xff));
		emit(&g, ALU64_REG(OR, R0, R7));
		emit(&g, EXIT());
		compare(&g, family, 64);
	}
}

/* ---- bpf_loop: the helper's edges, as the kernel runs them ---- */

/* ld_imm64 BPF_PSEUDO_FUNC; the offset is patched once the callback's
 * place is known. */
static uint32_t
emit_ld_func(struct gen *gen, uint8_t reg)
{
	uint32_t at = gen->n;

	emit(gen, INSN(BPF_LD | BPF_DW | BPF_IMM, reg, BPF_PSEUDO_FUNC, 0, 0));
	emit(gen, INSN(0, 0, 0, 0, 0));
	return at;
}

static void
patch_ld_func(struct gen *gen, uint32_t at, uint32_t target)
{
	gen->insns[at].imm = (int32_t)(target - at - 1);
}

/* Callback over the caller's ctx block {sum, stop_at, calls}: adds the
 * index to sum, counts the call, returns 1 when index == stop_at. With
 * inner != 0 it first runs bpf_loop(inner, inner callback, ctx) and adds
 * that result to sum (the inner callback is this one without nesting). */
static void
emit_loop_callback(struct gen *gen, uint32_t inner, uint32_t *inner_ld)
{
	if (inner != 0) {
		emit(gen, MOV64_REG(R6, R1));
		emit(gen, MOV64_REG(R7, R2));
		emit(gen, MOV64_IMM(R1, (int32_t)inner));
		*inner_ld = emit_ld_func(gen, R2);
		emit(gen, MOV64_REG(R3, R7));
		emit(gen, MOV64_IMM(R4, 0));
		emit(gen, CALL_HELPER(BPF_FUNC_loop));
		emit(gen, LDX(DW, R3, R7, 0));
		emit(gen, ALU64_REG(ADD, R3, R0));
		emit(gen, STX(DW, R7, R3, 0));
		emit(gen, MOV64_REG(R1, R6));
		emit(gen, MOV64_REG(R2, R7));
	}
	emit(gen, LDX(DW, R3, R2, 16));
	emit(gen, ALU64_IMM(ADD, R3, 1));
	emit(gen, STX(DW, R2, R3, 16));
	emit(gen, LDX(DW, R3, R2, 0));
	emit(gen, ALU64_REG(ADD, R3, R1));
	emit(gen, STX(DW, R2, R3, 0));
	emit(gen, LDX(DW, R4, R2, 8));
	emit(gen, MOV64_IMM(R0, 0));
	emit(gen, JMP_REG(JNE, R1, R4, 1));
	emit(gen, MOV64_IMM(R0, 1));
	emit(gen, EXIT());
}

#define FLAGS_UNKNOWN_ZERO 0x7fff

static void
test_bpf_loop(void)
{
	static const struct {
		uint64_t nr_loops;
		int32_t flags;
		int32_t stop_at; /* -1: never */
		uint32_t inner;  /* nested bpf_loop trip count, 0: none */
	} cases[] = {
		{ 0, 0, -1, 0 }, { 1, 0, -1, 0 }, { 7, 0, -1, 0 },
		{ 7, 0, 0, 0 }, { 7, 0, 3, 0 }, { 7, 0, 6, 0 },
		{ 7, 1, -1, 0 }, { 0, 1, -1, 0 }, { 7, -1, -1, 0 },
		{ 1u << 23, 0, 0, 0 }, { (1u << 23) + 1, 0, 0, 0 },
		{ UINT32_MAX, 0, 0, 0 }, { (1u << 23) + 1, 4, 0, 0 },
		{ 5, 0, -1, 3 }, { 5, 0, 2, 4 }, { 3, 0, -1, 0x800001 },
		{ 0x100000003ull, 0, -1, 0 }, { 0x100000003ull, 2, -1, 0 },
		{ 0x100000003ull, FLAGS_UNKNOWN_ZERO, -1, 0 },
		{ (1u << 23) + 1, FLAGS_UNKNOWN_ZERO, 0, 0 },
		{ 4, FLAGS_UNKNOWN_ZERO, 1, 0 },
	};
	size_t c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char family[96];
		uint32_t ld, inner_ld = 0, cb;

		snprintf(family, sizeof(family),
			 "bpf_loop nr %#" PRIx64 " flags %d stop %d inner %u",
			 cases[c].nr_loops, cases[c].flags, cases[c].stop_at,
			 cases[c].inner);
		gen_begin(&g, 4);
		/* ctx block at r10-24: sum, stop_at, calls */
		emit(&g, ST(DW, R10, -24, 0));
		emit(&g, ST(DW, R10, -16, cases[c].stop_at));
		emit(&g, ST(DW, R10, -8, 0));
		emit_ld64(&g, R1, cases[c].nr_loops);
		ld = emit_ld_func(&g, R2);
		emit(&g, MOV64_REG(R3, R10));
		emit(&g, ALU64_IMM(ADD, R3, -24));
		if (cases[c].flags == FLAGS_UNKNOWN_ZERO) {
			/* packet byte 0 is 1: flags 0 that the kernel's
			 * verifier cannot see, so it calls the helper */
			emit(&g, LDX(B, R4, R7, 0));
			emit(&g, ALU64_IMM(SUB, R4, 1));
		} else {
			emit(&g, MOV64_IMM(R4, cases[c].flags));
		}
		emit(&g, CALL_HELPER(BPF_FUNC_loop));
		gen_store(&g, R0, "r0");
		emit(&g, LDX(DW, R1, R10, -24));
		gen_store(&g, R1, "sum");
		emit(&g, LDX(DW, R1, R10, -8));
		gen_store(&g, R1, "calls");
		gen_end(&g);
		cb = g.n;
		patch_ld_func(&g, ld, cb);
		emit_loop_callback(&g, cases[c].inner, &inner_ld);
		if (cases[c].inner != 0) {
			patch_ld_func(&g, inner_ld, g.n);
			emit_loop_callback(&g, 0, NULL);
		}
		compare(&g, family, 64);
	}
}

int
main(int argc, char **argv)
{
	struct bpf_insn probe[] = { MOV64_IMM(R0, UXDP_PASS), EXIT() };
	char why[UXDP_ERR_MAX];

	/* Keep bpf_trace_printk's output out of the test log. */
	rte_log_set_level(uxdp_bpf_logtype, RTE_LOG_WARNING);
	t_parse_engine(argc, argv);

	if (kernel_run(probe, N_INSNS(probe), (uint8_t[64]){ 0 }, 64, &k_res,
		       why, sizeof(why)) < 0) {
		printf("SKIP: the kernel cannot run BPF programs here (%s); "
		       "needs root and BPF_PROG_TEST_RUN\n", why);
		return SKIP;
	}
	test_alu();
	test_unary();
	test_jumps();
	test_atomics();
	test_loads();
	test_csum_diff();
	test_trace_printk();
	test_xdp_adjust();
	test_bpf_loop();
	printf("%u programs, %u stored words compared with the kernel\n",
	       n_programs, n_words);
	return t_summary();
}
