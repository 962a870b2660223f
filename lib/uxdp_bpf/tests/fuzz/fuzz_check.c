/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * libFuzzer target over the load-time checks (and the analysis when
 * verify=sandbox): every input is a raw instruction stream, 8 bytes per
 * instruction, loaded with uxdp_obj_from_insns_verify() under
 * UXDP_VERIFY_SANDBOX and under UXDP_VERIFY_NONE. Each load must succeed
 * or fail with a message and no object; never crash, hang or leak.
 *
 * Invariants asserted on top of "no crash":
 * - what verify=sandbox accepts, verify=none accepts too (the analysis
 *   only adds refusals);
 * - the ctx rewrite keeps instruction indexes (the mem_guard table of
 *   the sandbox is indexed by them): n_insns is unchanged;
 * - a mem_guard table, when the analysis made one, holds known guards;
 * - programs that cannot leave the interpreter's stack (fuzz_common.h)
 *   are run once over a fixed packet and, with UXDP_FUZZ_JIT=1, compiled
 *   by the JIT and must give the interpreter's r0 when they call no
 *   helper. With UXDP_FUZZ_SANDBOX_RUN=1 every program verify=sandbox
 *   accepts is run, whatever it touches, in the interpreter (and the JIT
 *   with UXDP_FUZZ_JIT=1, same r0 when no helper is called): for builds
 *   whose sandbox contains every access.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_log.h>

#include "check.h"
#include "fuzz_common.h"

/* Longer streams only slow the search down: the checks are linear. */
#define FUZZ_MAX_INSNS 4096

static int jit_diff;
static int sandbox_run;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	jit_diff = getenv("UXDP_FUZZ_JIT") != NULL;
	sandbox_run = getenv("UXDP_FUZZ_SANDBOX_RUN") != NULL;
	rte_log_set_global_level(RTE_LOG_EMERG);
	return 0;
}

static const uint8_t fixed_pkt[64] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x2e, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11,
	0x66, 0xbc, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0x04, 0xd2,
	0x16, 0x2e, 0x00, 0x1a,
};

/* One run with the program's current engine. */
static uint64_t
run_once(const struct uxdp_prog *prog)
{
	static struct fuzz_frame frame;

	fuzz_frame_init(&frame, fixed_pkt, sizeof(fixed_pkt));
	/* The public entry point: it sets up the run state (the frame and
	 * stack bounds helpers and the sandbox check against). */
	return uxdp_prog_run_r0(prog, &frame.buff);
}

static void
exercise(struct uxdp_prog *prog, uint32_t n_in)
{
	char err[UXDP_ERR_MAX];
	uint64_t r_interp, r_jit;
	uint32_t i;
	int safe, contained;

	if (prog->n_insns != n_in) {
		fprintf(stderr, "check changed the length: %u -> %u\n", n_in,
			prog->n_insns);
		abort();
	}
	if (prog->mem_guard != NULL)
		for (i = 0; i < prog->n_insns; i++)
			if (prog->mem_guard[i] > UXDP_GUARD_STACK) {
				fprintf(stderr, "insn %u: mem_guard %u\n", i,
					prog->mem_guard[i]);
				abort();
			}
	safe = fuzz_safe_to_run(prog->insns, prog->n_insns);
	contained = sandbox_run && prog->verify == UXDP_VERIFY_SANDBOX;
	if (!safe && !contained)
		return;
	r_interp = run_once(prog);
	if (!jit_diff)
		return;
	/* Compiling is safe for every checked program; running only for
	 * the safe ones, or under the sandbox. */
	if (uxdp_prog_set_engine(prog, UXDP_ENGINE_JIT, err, sizeof(err)) < 0) {
		fprintf(stderr, "JIT refused a checked program: %s\n", err);
		abort();
	}
	if (!safe && !contained)
		return;
	r_jit = run_once(prog);
	if (fuzz_calls_helper(prog->insns, prog->n_insns))
		return;
	if (r_jit != r_interp) {
		fprintf(stderr, "interpreter r0 0x%llx, JIT r0 0x%llx\n",
			(unsigned long long)r_interp,
			(unsigned long long)r_jit);
		abort();
	}
}

/* Load under one mode: 1 accepted, 0 refused (with a message). */
static int
load(const struct bpf_insn *insns, uint32_t n, enum uxdp_verify verify)
{
	struct uxdp_obj *obj = (struct uxdp_obj *)&obj; /* not NULL */
	char err[UXDP_ERR_MAX];
	int ret;

	err[0] = '\0';
	ret = uxdp_obj_from_insns_verify("fuzz", insns, n, verify, &obj, err,
					 sizeof(err));
	if (ret < 0) {
		if (obj != NULL || err[0] == '\0') {
			fprintf(stderr, "refusal %d without %s: '%s'\n", ret,
				obj != NULL ? "a NULL object" : "a message",
				err);
			abort();
		}
		return 0;
	}
	if (ret != 0 || obj == NULL || uxdp_obj_prog_count(obj) != 1)
		abort();
	exercise(uxdp_obj_prog_at(obj, 0), n);
	uxdp_obj_close(obj);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpf_insn *insns;
	uint32_t n = size / sizeof(struct bpf_insn);
	int sandbox_ok, none_ok;

	if (n == 0 || n > FUZZ_MAX_INSNS)
		return 0;
	/* A copy of exactly the instructions: ASan sees reads past them. */
	insns = malloc(n * sizeof(*insns));
	if (insns == NULL)
		return 0;
	memcpy(insns, data, n * sizeof(*insns));
	sandbox_ok = load(insns, n, UXDP_VERIFY_SANDBOX);
	none_ok = load(insns, n, UXDP_VERIFY_NONE);
	free(insns);
	if (sandbox_ok && !none_ok) {
		fprintf(stderr, "verify=sandbox accepted what verify=none refused\n");
		abort();
	}
	return 0;
}
