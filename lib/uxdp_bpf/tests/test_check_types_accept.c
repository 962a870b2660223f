/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The own analysis accepts what the kernel accepts: every object given
 * on the command line (the xdp_progs at -mcpu=v1/v3/v4 and the test
 * objects) is loaded under UXDP_VERIFY_SANDBOX; where the kernel verifier
 * loads the object too (libbpf, as root), a refusal by uxdp is a failure.
 * Prints, per program, the share of memory instructions the analysis
 * proves (UXDP_GUARD_NONE: no run-time check), and the analysis time on
 * the object named by --time.
 */

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "test_interp_insn.h"
#include "check.h"

static int
kernel_load(const char *path)
{
	struct bpf_object *obj;
	int ret;

	libbpf_set_print(NULL);
	obj = bpf_object__open_file(path, NULL);
	if (obj == NULL)
		return -errno;
	ret = bpf_object__load(obj);
	bpf_object__close(obj);
	return ret;
}

static bool
is_mem(const struct bpf_insn *insn)
{
	uint8_t cls = BPF_CLASS(insn->code);

	return cls == BPF_LDX || cls == BPF_ST || cls == BPF_STX;
}

static unsigned int total_mem, total_proven;

static void
report(const char *path, const struct uxdp_prog *prog)
{
	unsigned int n = 0, none = 0, pkt = 0, stk = 0, i;
	const char *base = strrchr(path, '/');

	for (i = 0; i < prog->n_insns; i++) {
		if (i > 0 && uxdp_insn_is_ld_imm64(&prog->insns[i - 1]))
			continue;
		if (!is_mem(&prog->insns[i]))
			continue;
		n++;
		none += prog->mem_guard[i] == UXDP_GUARD_NONE;
		pkt += prog->mem_guard[i] == UXDP_GUARD_PACKET;
		stk += prog->mem_guard[i] == UXDP_GUARD_STACK;
	}
	total_mem += n;
	total_proven += none;
	printf("%-28s %-22s proven %4u/%-4u (%5.1f%%) packet-checked %u stack-checked %u\n",
	       base != NULL ? base + 1 : path, prog->name, none, n,
	       n > 0 ? 100.0 * none / n : 100.0, pkt, stk);
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Mean time of the checks over prog's instructions, with and without the
 * analysis (verify), in microseconds. */
static double
check_time(struct uxdp_prog *prog, enum uxdp_verify verify, int rounds)
{
	enum uxdp_verify was = prog->verify;
	char err[UXDP_ERR_MAX];
	double t0;
	int i;

	prog->verify = verify;
	t0 = now_us();
	for (i = 0; i < rounds; i++)
		if (uxdp_prog_reanalyse(prog, err, sizeof(err)) < 0)
			break;
	prog->verify = was;
	return i == rounds ? (now_us() - t0) / rounds : -1;
}

/* Mean load time of path under verify, in microseconds. */
static double
load_time(const char *path, enum uxdp_verify verify, int rounds)
{
	struct uxdp_obj_opts opts = { .verify = verify };
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj;
	double t0 = now_us();
	int i;

	for (i = 0; i < rounds; i++) {
		if (uxdp_obj_load(path, &opts, &obj, err, sizeof(err)) < 0)
			return -1;
		uxdp_obj_close(obj);
	}
	return (now_us() - t0) / rounds;
}

int
main(int argc, char **argv)
{
	struct uxdp_obj_opts opts = { .verify = UXDP_VERIFY_SANDBOX };
	const char *time_obj = NULL;
	bool have_kernel = geteuid() == 0;
	int i, n_objs = 0, n_kernel = 0;
	unsigned int p;

	for (i = 1; i < argc; i++) {
		char err[UXDP_ERR_MAX] = "";
		struct uxdp_obj *obj = NULL;
		int kret = 1, ret;

		if (strcmp(argv[i], "--time") == 0 && i + 1 < argc) {
			time_obj = argv[++i];
			continue;
		}
		n_objs++;
		ret = uxdp_obj_load(argv[i], &opts, &obj, err, sizeof(err));
		if (have_kernel)
			kret = kernel_load(argv[i]);
		n_kernel += kret == 0;
		if (ret < 0) {
			T_CHECK(kret != 0,
				"%s: the kernel accepts it, the analysis refuses: %s",
				argv[i], err);
			printf("%s: refused by uxdp (%s) and %s\n", argv[i],
			       err, kret == 1 ? "not tried in the kernel" :
			       "by the kernel");
			continue;
		}
		for (p = 0; p < obj->n_progs; p++) {
			T_CHECK(obj->progs[p]->mem_guard != NULL,
				"%s: %s has no guard table", argv[i],
				obj->progs[p]->name);
			if (obj->progs[p]->mem_guard != NULL)
				report(argv[i], obj->progs[p]);
		}
		uxdp_obj_close(obj);
	}
	if (!have_kernel)
		printf("SKIP kernel comparison: not root, the kernel verifier is not asked\n");
	printf("objects %d (kernel loads %d), memory instructions proven %u/%u (%.1f%%)\n",
	       n_objs, n_kernel, total_proven, total_mem,
	       total_mem > 0 ? 100.0 * total_proven / total_mem : 0.0);
	if (time_obj != NULL) {
		double none = load_time(time_obj, UXDP_VERIFY_NONE, 20);
		double sb = load_time(time_obj, UXDP_VERIFY_SANDBOX, 20);

		T_CHECK(none > 0 && sb > 0, "timing loads of %s failed",
			time_obj);
		struct uxdp_obj *obj = NULL;
		char err[UXDP_ERR_MAX];

		printf("load time of %s: %.0f us without the analysis, %.0f us with it\n",
		       time_obj, none, sb);
		if (uxdp_obj_load(time_obj, &opts, &obj, err, sizeof(err)) == 0) {
			struct uxdp_prog *prog = obj->progs[0];
			double c0 = check_time(prog, UXDP_VERIFY_NONE, 200);
			double c1 = check_time(prog, UXDP_VERIFY_SANDBOX, 200);

			T_CHECK(c0 >= 0 && c1 >= 0, "timing the checks failed");
			printf("checks of %s (%u instructions): %.1f us, with the analysis %.1f us: the analysis takes %.1f us\n",
			       prog->name, prog->n_insns, c0, c1, c1 - c0);
			uxdp_obj_close(obj);
		}
	}
	return t_summary();
}
