/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * libFuzzer target over the ELF loader: every input is a BPF object in
 * memory. A load must either succeed or fail with a message and no object;
 * a loaded object's programs are looked up by name and by section, those
 * whose run cannot touch memory outside the interpreter's own stack are
 * run once over a fixed packet, and everything is closed (ASan's leak
 * check sees what was not freed). Heap maps only: no EAL.
 *
 * Why only some programs run: the checks do not prove memory safety yet
 * (check.c), so an accepted program may dereference any value, and the
 * interpreter follows host pointers as told. A crash there would be the
 * program's, not uxdp's. Programs whose loads and stores all go through
 * r10 (bounded by the checks) and whose helper calls take no pointers are
 * safe to run whatever they compute, and still drive the ALU, jumps,
 * bpf-to-bpf calls and the instruction budget of the interpreter.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>
#include <rte_log.h>

/* The relocated code of a program (struct uxdp_prog). */
#include "uxdp_bpf_internal.h"
#include "fuzz_common.h"

/* Heap maps are anonymous mappings sized by the object (lib/uxdp_maps),
 * and a hash map touches all of its memory when created: an input asking
 * for 150M entries takes gigabytes and a minute. The kernel refuses such
 * maps when the memory cgroup is exhausted; this harness plays that part
 * by failing large anonymous mappings with ENOMEM, so that the loader's
 * refusal path gets fuzzed instead of the machine's memory. ASan's own
 * mappings use raw syscalls and are not affected. */
#define FUZZ_MAP_MEM_MAX (64ul << 20)

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if ((flags & MAP_ANONYMOUS) && len > FUZZ_MAP_MEM_MAX) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

/* A small UDP/IPv4 frame, as a test packet generator would make. */
static const uint8_t fixed_pkt[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x2e, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11,
	0x66, 0xbc, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0x04, 0xd2,
	0x16, 0x2e, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
	0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11,
};

static int
quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* UXDP_FUZZ_STATS=1: one line per input saying how far it went, to see
 * what a corpus exercises (fuzz_loader -runs=0 CORPUS). */
static int print_stats;
/* UXDP_FUZZ_JIT=1: also compile each runnable program that calls no
 * helper with the JIT and compare its r0 with the interpreter's (LLVM
 * compiles cost milliseconds, so this is opt-in). */
static int jit_diff;
/* UXDP_FUZZ_SANDBOX=1: see load_sandboxed(). */
static int sandbox;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	print_stats = getenv("UXDP_FUZZ_STATS") != NULL;
	jit_diff = getenv("UXDP_FUZZ_JIT") != NULL;
	sandbox = getenv("UXDP_FUZZ_SANDBOX") != NULL;
	/* Broken BTF makes libbpf print warnings, and bpf_trace_printk
	 * logs on uxdp.bpf: noise that slows the run down. */
	libbpf_set_print(quiet_libbpf);
	rte_log_set_global_level(RTE_LOG_EMERG);
	return 0;
}

static uint32_t
run_on_fixed_packet(struct uxdp_prog *prog)
{
	static struct fuzz_frame frame;

	fuzz_frame_init(&frame, fixed_pkt, sizeof(fixed_pkt));
	return uxdp_prog_run(prog, &frame.buff);
}

static int
run_once(struct uxdp_prog *prog)
{
	char err[UXDP_ERR_MAX];
	uint32_t r_interp, r_jit;

	if (!fuzz_safe_to_run(prog->insns, prog->n_insns))
		return 0;
	r_interp = run_on_fixed_packet(prog);
	if (!jit_diff || fuzz_calls_helper(prog->insns, prog->n_insns))
		return 1;
	if (uxdp_prog_set_engine(prog, UXDP_ENGINE_JIT, err, sizeof(err)) < 0) {
		fprintf(stderr, "JIT refused a checked program: %s\n", err);
		abort();
	}
	r_jit = run_on_fixed_packet(prog);
	if (r_jit != r_interp) {
		fprintf(stderr, "program '%s': interpreter r0 %u, JIT r0 %u\n",
			prog->name, r_interp, r_jit);
		abort();
	}
	return 1;
}

/* The program uxdp_obj_find_prog(obj, NULL) must pick: the first one a
 * device can run (devmap and cpumap programs run only from map entries),
 * else the first program; none in an object without programs. */
static struct uxdp_prog *
first_device_prog(struct uxdp_obj *obj)
{
	unsigned int i;

	for (i = 0; i < uxdp_obj_prog_count(obj); i++)
		if (uxdp_prog_attach_type(uxdp_obj_prog_at(obj, i)) == BPF_XDP)
			return uxdp_obj_prog_at(obj, i);
	return uxdp_obj_prog_count(obj) > 0 ? uxdp_obj_prog_at(obj, 0) : NULL;
}

static void
exercise(struct uxdp_obj *obj)
{
	unsigned int i, n = uxdp_obj_prog_count(obj), ran = 0;

	if (uxdp_obj_find_prog(obj, NULL, NULL, 0) != first_device_prog(obj))
		abort();
	for (i = 0; i < n; i++) {
		struct uxdp_prog *prog = uxdp_obj_prog_at(obj, i);
		struct uxdp_prog *by_name;

		/* Two programs may share a name only in a broken object;
		 * either way the lookup must give a program of that name.
		 * An unnamed function symbol makes a program that only its
		 * section selects, as libbpf accepts it ("" picks the
		 * first program). */
		by_name = uxdp_obj_find_prog(obj, uxdp_prog_name(prog), NULL, 0);
		if (uxdp_prog_name(prog)[0] != '\0' &&
		    (by_name == NULL ||
		     strcmp(uxdp_prog_name(by_name), uxdp_prog_name(prog)) != 0))
			abort();
		if (uxdp_obj_find_prog(obj, uxdp_prog_section(prog), NULL,
				       0) == NULL)
			abort();
		if (uxdp_prog_insn_count(prog) == 0)
			abort();
		ran += run_once(prog);
	}
	for (i = 0; i < uxdp_obj_map_count(obj); i++) {
		struct uxdp_map *map = uxdp_obj_map_at(obj, i);

		if (uxdp_obj_map_by_name(obj, uxdp_map_name(map)) == NULL)
			abort();
	}
	if (print_stats)
		fprintf(stderr, "fuzz_loader: loaded, %u programs, %u maps, %u run\n",
			n, uxdp_obj_map_count(obj), ran);
}

/* UXDP_FUZZ_SANDBOX=1: load each input a second time with
 * verify=sandbox, which adds the own analysis (with maps, BTF and helper
 * calls of real objects) to the path: it must refuse with a message or
 * accept, and accept nothing verify=none refuses. */
static int
load_sandboxed(const uint8_t *data, size_t size, int none_ok)
{
	struct uxdp_obj_opts opts = { .verify = UXDP_VERIFY_SANDBOX };
	struct uxdp_obj *obj = NULL;
	char err[UXDP_ERR_MAX] = "";
	int ret;

	ret = uxdp_obj_load_mem(data, size, "fuzz.o", &opts, &obj, err,
				sizeof(err));
	if (ret < 0) {
		if (obj != NULL || err[0] == '\0') {
			fprintf(stderr, "sandbox refusal %d without %s: '%s'\n",
				ret, obj != NULL ? "a NULL object" : "a message",
				err);
			abort();
		}
		return 0;
	}
	if (!none_ok) {
		fprintf(stderr, "verify=sandbox accepted what verify=none refused\n");
		abort();
	}
	uxdp_obj_close(obj);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uxdp_obj *obj = NULL;
	char err[UXDP_ERR_MAX];
	int ret;

	err[0] = '\0';
	ret = uxdp_obj_load_mem(data, size, "fuzz.o", NULL, &obj, err,
				sizeof(err));
	if (ret < 0) {
		/* Every refusal names what is wrong, and leaves nothing. */
		if (obj != NULL || err[0] == '\0') {
			fprintf(stderr, "refusal %d without %s: '%s'\n", ret,
				obj != NULL ? "a NULL object" : "a message",
				err);
			abort();
		}
		if (print_stats)
			fprintf(stderr, "fuzz_loader: refused: %s\n", err);
		if (sandbox)
			load_sandboxed(data, size, 0);
		return 0;
	}
	if (ret != 0 || obj == NULL)
		abort();
	exercise(obj);
	uxdp_obj_close(obj);
	if (sandbox)
		load_sandboxed(data, size, 1);
	return 0;
}
