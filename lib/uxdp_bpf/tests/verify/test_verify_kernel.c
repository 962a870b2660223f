/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * verify=kernel and verify=auto (lib/uxdp_bpf/verify*.c) against the
 * running kernel: programs the verifier refuses are refused with its
 * reason in the error and its log in opts.verify_log, and load under
 * none; the fixed program loads; every XDP program of an object is
 * judged; `volatile const` settings reach the kernel's .rodata; raw
 * instructions are judged too; real network functions (CO-RE, global
 * data, many maps) pass. The reason extraction is also checked on
 * verifier logs written out here. Last, the load time with and without
 * the kernel is printed (measured, not asserted).
 *
 * Needs the bpf() syscall: without it the test says why and exits 77.
 *
 * Usage: test_verify_kernel --ok O --pkt O --lookup O --second O [NF.o...]
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>

#include "uxdp_bpf_internal.h"
#include "verify.h"
#include "test_loader_util.h"

#define LOG_SIZE (1u << 20)
#define TIMED_LOADS 21

struct paths {
	const char *ok;
	const char *pkt;
	const char *lookup;
	const char *second;
	char **nfs;
	int n_nfs;
};

static char vlog[LOG_SIZE];

static int
load(const char *path, enum uxdp_verify mode, const struct uxdp_const_set *sets,
     unsigned int n, struct uxdp_obj **obj, char *err)
{
	struct uxdp_obj_opts opts = {
		.verify = mode,
		.consts = sets,
		.n_consts = n,
		.verify_log = vlog,
		.verify_log_size = sizeof(vlog),
	};

	err[0] = '\0';
	vlog[0] = 'x';
	*obj = NULL;
	return uxdp_obj_load(path, &opts, obj, err, UXDP_ERR_MAX);
}

/* The mode every program of a loaded object got. */
static bool
all_progs(struct uxdp_obj *obj, enum uxdp_verify mode)
{
	unsigned int i;

	for (i = 0; i < uxdp_obj_prog_count(obj); i++)
		if (uxdp_prog_verify(uxdp_obj_prog_at(obj, i)) != mode)
			return false;
	return uxdp_obj_prog_count(obj) > 0;
}

static void
expect_loads(const char *path, enum uxdp_verify asked, enum uxdp_verify got)
{
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj;
	int ret;

	ret = load(path, asked, NULL, 0, &obj, err);
	CHECK(ret == 0, "%s under verify=%s: %d %s", path,
	      uxdp_verify_name(asked), ret, err);
	if (ret == 0) {
		CHECK(all_progs(obj, got), "%s under verify=%s: programs did not get %s",
		      path, uxdp_verify_name(asked), uxdp_verify_name(got));
		CHECK(vlog[0] == '\0', "%s: a log after an accepted load: %.80s",
		      path, vlog);
	}
	uxdp_obj_close(obj);
}

/* Refused with -EACCES, the error naming program and reason, the log
 * holding the verifier's whole story. */
static void
expect_refused(const char *path, enum uxdp_verify mode,
	       const struct uxdp_const_set *sets, unsigned int n,
	       const char *prog, const char *reason)
{
	char err[UXDP_ERR_MAX], want[128];
	struct uxdp_obj *obj;
	int ret;

	ret = load(path, mode, sets, n, &obj, err);
	CHECK(ret == -EACCES, "%s under verify=%s: want -EACCES, got %d (%s)",
	      path, uxdp_verify_name(mode), ret, err);
	CHECK(obj == NULL, "%s: an object after a refusal", path);
	snprintf(want, sizeof(want), "the kernel verifier refused program '%s': insn ",
		 prog);
	CHECK(strstr(err, want) != NULL, "%s: error lacks \"%s\": %s", path,
	      want, err);
	CHECK(strstr(err, reason) != NULL, "%s: error lacks \"%s\": %s", path,
	      reason, err);
	CHECK(strlen(err) < UXDP_ERR_MAX - 1 || err[UXDP_ERR_MAX - 2] != '\0',
	      "%s: error not terminated", path);
	snprintf(want, sizeof(want), "-- kernel verifier log of program '%s' --",
		 prog);
	CHECK(strstr(vlog, want) != NULL, "%s: log lacks \"%s\"", path, want);
	CHECK(strstr(vlog, reason) != NULL && strstr(vlog, "processed ") != NULL,
	      "%s: log lacks the reason or the summary: %.200s", path, vlog);
	CHECK(strstr(vlog, "BPF program load failed") != NULL,
	      "%s: log lacks libbpf's message", path);
	uxdp_obj_close(obj);
}

static void
test_modes(const struct paths *p)
{
	char why[UXDP_ERR_MAX];
	enum uxdp_verify m;

	CHECK(uxdp_verify_kernel_available(why, sizeof(why)) == 1,
	      "kernel verifier unavailable: %s", why);
	CHECK(uxdp_verify_parse("auto", &m) == 0 && m == UXDP_VERIFY_AUTO, "auto");
	CHECK(uxdp_verify_parse("kernel", &m) == 0 && m == UXDP_VERIFY_KERNEL, "kernel");
	CHECK(uxdp_verify_parse("sandbox", &m) == 0 && m == UXDP_VERIFY_SANDBOX, "sandbox");
	CHECK(uxdp_verify_parse("none", &m) == 0 && m == UXDP_VERIFY_NONE, "none");
	CHECK(uxdp_verify_parse("Kernel", &m) == -EINVAL, "Kernel");
	CHECK(uxdp_verify_parse("", &m) == -EINVAL, "empty");
	CHECK(strcmp(uxdp_verify_name(UXDP_VERIFY_KERNEL), "kernel") == 0, "name");
	CHECK(strcmp(uxdp_verify_name((enum uxdp_verify)42), "unknown") == 0,
	      "unknown name");

	/* AUTO resolves to KERNEL here; the others are kept. */
	expect_loads(p->ok, UXDP_VERIFY_AUTO, UXDP_VERIFY_KERNEL);
	expect_loads(p->ok, UXDP_VERIFY_KERNEL, UXDP_VERIFY_KERNEL);
	expect_loads(p->ok, UXDP_VERIFY_NONE, UXDP_VERIFY_NONE);
	expect_loads(p->ok, UXDP_VERIFY_SANDBOX, UXDP_VERIFY_SANDBOX);
}

static void
test_refusals(const struct paths *p)
{
	static const enum uxdp_verify modes[] = {
		UXDP_VERIFY_KERNEL, UXDP_VERIFY_AUTO,
	};
	struct uxdp_const_set far = { .name = "read_far", .value = "1" };
	struct uxdp_const_set near = { .name = "read_far", .value = "0" };
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		expect_refused(p->pkt, modes[i], NULL, 0, "verify_prog",
			       "invalid access to packet");
		expect_refused(p->lookup, modes[i], NULL, 0, "verify_prog",
			       "invalid mem access 'map_value_or_null'");
		/* Not the program a port would pick: all are judged. */
		expect_refused(p->second, modes[i], NULL, 0, "second",
			       "invalid access to packet");
		/* The kernel sees .rodata as uxdp runs it. */
		expect_refused(p->ok, modes[i], &far, 1, "verify_prog",
			       "off=100");
	}
	/* The mistakes load when nobody verifies (and the sandbox's own
	 * analysis is another room's: not asserted here). */
	expect_loads(p->pkt, UXDP_VERIFY_NONE, UXDP_VERIFY_NONE);
	expect_loads(p->lookup, UXDP_VERIFY_NONE, UXDP_VERIFY_NONE);
	expect_loads(p->second, UXDP_VERIFY_NONE, UXDP_VERIFY_NONE);
	{
		char err[UXDP_ERR_MAX];
		struct uxdp_obj *obj;
		int ret = load(p->ok, UXDP_VERIFY_KERNEL, &near, 1, &obj, err);

		CHECK(ret == 0, "read_far=0 under verify=kernel: %d %s", ret, err);
		uxdp_obj_close(obj);
	}
}

static void
test_raw(void)
{
	/* r0 = XDP_PASS; exit */
	const struct bpf_insn good[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 2 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	/* r2 = ctx->data; r0 = *(u8 *)(r2 + 0); exit: no bounds check */
	const struct bpf_insn bad[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 2, .src_reg = 1 },
		{ .code = BPF_LDX | BPF_MEM | BPF_B, .dst_reg = 0, .src_reg = 2 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj = NULL;
	int ret;

	ret = uxdp_obj_from_insns_verify("raw good", good, 2,
					 UXDP_VERIFY_KERNEL, &obj, err,
					 sizeof(err));
	CHECK(ret == 0, "raw good under kernel: %d %s", ret, err);
	if (ret == 0)
		CHECK(all_progs(obj, UXDP_VERIFY_KERNEL), "raw good: mode");
	uxdp_obj_close(obj);
	obj = NULL;
	ret = uxdp_obj_from_insns_verify("raw_bad", bad, 3, UXDP_VERIFY_AUTO,
					 &obj, err, sizeof(err));
	CHECK(ret == -EACCES && obj == NULL, "raw bad under auto: %d", ret);
	CHECK(strstr(err, "refused program 'raw_bad': insn 1: r0 = *(u8 *)(r2 +0): invalid access to packet") != NULL,
	      "raw bad: %s", err);
	ret = uxdp_obj_from_insns_verify("raw_bad", bad, 3, UXDP_VERIFY_NONE,
					 &obj, err, sizeof(err));
	CHECK(ret == 0, "raw bad under none: %d %s", ret, err);
	if (ret == 0)
		CHECK(all_progs(obj, UXDP_VERIFY_NONE), "raw bad: mode");
	uxdp_obj_close(obj);
}

/* uxdp_obj_load_mem() takes the same path: the caller's bytes reach the
 * kernel as they were given. */
static void
test_load_mem(const struct paths *p)
{
	struct uxdp_obj_opts opts = { .verify = UXDP_VERIFY_KERNEL };
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj = NULL;
	uint8_t *bytes = NULL;
	long size;
	FILE *f;
	int ret;

	f = fopen(p->pkt, "rb");
	if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (bytes = malloc(size)) != NULL &&
	    fread(bytes, 1, size, f) == (size_t)size) {
		ret = uxdp_obj_load_mem(bytes, size, "pkt.o", &opts, &obj, err,
					sizeof(err));
		CHECK(ret == -EACCES && obj == NULL &&
		      strstr(err, "pkt.o: the kernel verifier refused program 'verify_prog'") != NULL,
		      "load_mem under kernel: %d %s", ret, err);
		opts.verify = UXDP_VERIFY_NONE;
		ret = uxdp_obj_load_mem(bytes, size, "pkt.o", &opts, &obj, err,
					sizeof(err));
		CHECK(ret == 0, "load_mem under none: %d %s", ret, err);
		uxdp_obj_close(obj);
	} else {
		CHECK(false, "cannot read %s", p->pkt);
	}
	free(bytes);
	if (f != NULL)
		fclose(f);
}

/* The reason line of logs as kernels write them. */
static void
test_reason(void)
{
	static const struct {
		const char *log;
		const char *want;
	} cases[] = {
		{ "0: R1=ctx() R10=fp0\n"
		  "; int f(struct xdp_md *ctx) @ a.c:3\n"
		  "0: (61) r2 = *(u32 *)(r1 +0)          ; R1=ctx() R2_w=pkt(r=0)\n"
		  "1: (71) r0 = *(u8 *)(r2 +0)\n"
		  "invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)\n"
		  "R2 offset is outside of the packet\n"
		  "processed 2 insns (limit 1000000) max_states_per_insn 0\n",
		  "insn 1: r0 = *(u8 *)(r2 +0): invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0); R2 offset is outside of the packet" },
		{ "last insn is not an exit or jmp\n"
		  "processed 0 insns (limit 1000000)\n",
		  "last insn is not an exit or jmp" },
		{ "", "" },
		{ "\n\n\n", "" },
		{ "7: (85) call bpf_xyz#999\n", "" },
		{ "12: (bf) r1 = r0 ; R0=1\nR1 !read_ok\n",
		  "insn 12: r1 = r0: R1 !read_ok" },
		{ "garbage without newline", "garbage without newline" },
	};
	char out[UXDP_ERR_MAX], tiny[8];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uxdp_verify_log_reason(cases[i].log, out, sizeof(out));
		CHECK(strcmp(out, cases[i].want) == 0, "reason %u: \"%s\"", i, out);
	}
	uxdp_verify_log_reason(cases[0].log, tiny, sizeof(tiny));
	CHECK(strcmp(tiny, "insn 1:") == 0, "tiny: \"%s\"", tiny);
	uxdp_verify_log_reason(NULL, out, sizeof(out));
	CHECK(out[0] == '\0', "NULL log");
	uxdp_verify_log_put(tiny, sizeof(tiny), "0123456789");
	CHECK(strcmp(tiny, "3456789") == 0, "tail: \"%s\"", tiny);
}

/* CO-RE, global data, maps of every kind: real NFs pass the kernel. */
static void
test_nfs(const struct paths *p)
{
	int i;

	for (i = 0; i < p->n_nfs; i++)
		expect_loads(p->nfs[i], UXDP_VERIFY_KERNEL, UXDP_VERIFY_KERNEL);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
median_load_ns(const char *path, enum uxdp_verify mode)
{
	uint64_t t[TIMED_LOADS];
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj;
	int i;

	for (i = 0; i < TIMED_LOADS; i++) {
		uint64_t start = now_ns();

		if (load(path, mode, NULL, 0, &obj, err) < 0)
			return 0;
		t[i] = now_ns() - start;
		uxdp_obj_close(obj);
	}
	qsort(t, TIMED_LOADS, sizeof(t[0]), cmp_u64);
	return t[TIMED_LOADS / 2];
}

/* Informational: what the kernel's judgement adds to a load. */
static void
print_load_times(const struct paths *p)
{
	int i;

	for (i = 0; i < p->n_nfs; i++) {
		uint64_t none = median_load_ns(p->nfs[i], UXDP_VERIFY_NONE);
		uint64_t kern = median_load_ns(p->nfs[i], UXDP_VERIFY_KERNEL);

		printf("load time %s: none %.3f ms, kernel %.3f ms (+%.3f ms), median of %d\n",
		       p->nfs[i], none / 1e6, kern / 1e6,
		       ((double)kern - (double)none) / 1e6, TIMED_LOADS);
	}
}

int
main(int argc, char **argv)
{
	struct paths p = { 0 };
	char why[UXDP_ERR_MAX];
	int i;

	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--ok") == 0)
			p.ok = argv[i + 1];
		else if (strcmp(argv[i], "--pkt") == 0)
			p.pkt = argv[i + 1];
		else if (strcmp(argv[i], "--lookup") == 0)
			p.lookup = argv[i + 1];
		else if (strcmp(argv[i], "--second") == 0)
			p.second = argv[i + 1];
		else
			break;
	}
	p.nfs = argv + i;
	p.n_nfs = argc - i;
	if (p.ok == NULL || p.pkt == NULL || p.lookup == NULL ||
	    p.second == NULL) {
		fprintf(stderr, "usage: %s --ok O --pkt O --lookup O --second O [NF.o...]\n",
			argv[0]);
		return 2;
	}
	test_reason();
	if (!uxdp_verify_kernel_available(why, sizeof(why))) {
		printf("SKIP: %s\n", why);
		return 77;
	}
	test_modes(&p);
	test_refusals(&p);
	test_raw();
	test_load_mem(&p);
	test_nfs(&p);
	print_load_times(&p);
	return test_summary();
}
