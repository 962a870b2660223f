/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_tail_call and the loader's initial values of prog arrays and maps
 * of maps (test_loader_tailcall.bpf.c):
 * - a program that tail-calls itself stops at the kernel's limit: the
 *   chain runs 33 times, then the last link goes on after the failed call;
 *   the count starts again with every run; the kernel (BPF_PROG_TEST_RUN
 *   on the same object through libbpf) gives the same verdict, bytes and
 *   counter;
 * - uxdp_tail_call() itself: out-of-range index, empty slot, wrong map,
 *   the limit;
 * - the initial values: program ids in the prog array, the inner map in
 *   the map of maps;
 * - objects the loader refuses, each with a message naming the problem.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "uxdp_bpf_internal.h"
#include "test_loader_util.h"

#define KERNEL_MAX_TAIL_CALLS 33
#define PKT_LEN 64

struct frame {
	uint8_t mem[UXDP_XDP_FRAME_SIZE];
	struct uxdp_xdp_buff buff;
};

static void
frame_init(struct frame *f, const uint8_t *pkt, uint32_t len)
{
	memset(f->mem, 0, sizeof(f->mem));
	memcpy(f->mem + UXDP_XDP_HEADROOM, pkt, len);
	f->buff.data_hard_start = f->mem;
	f->buff.data = f->mem + UXDP_XDP_HEADROOM;
	f->buff.data_meta = f->buff.data;
	f->buff.data_end = f->mem + UXDP_XDP_HEADROOM + len;
	f->buff.data_hard_end = f->mem + UXDP_XDP_FRAME_SIZE -
				UXDP_XDP_TAILROOM;
}

static uint64_t
loops_value(struct uxdp_obj *obj)
{
	uint32_t zero = 0;
	uint64_t v = 0;

	uxdp_map_lookup_copy(uxdp_obj_map_by_name(obj, "loops"), &zero, &v);
	return v;
}

/* The kernel's answer for the same object and packet; -errno when the
 * kernel cannot run it (reason in why). */
static int
kernel_loop(const char *path, const uint8_t *pkt, uint32_t *verdict,
	    uint8_t *out, uint64_t *loops, char *why, size_t why_len)
{
	uint32_t out_len = PKT_LEN, zero = 0;
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt,
		    .data_size_in = PKT_LEN, .data_out = out,
		    .data_size_out = PKT_LEN, .repeat = 1);
	struct bpf_object *obj;
	struct bpf_program *prog;
	int ret;

	obj = bpf_object__open_file(path, NULL);
	if (obj == NULL) {
		snprintf(why, why_len, "libbpf cannot open %s", path);
		return -EINVAL;
	}
	ret = bpf_object__load(obj);
	if (ret < 0) {
		snprintf(why, why_len, "bpf_object__load: %s", strerror(-ret));
		goto out;
	}
	prog = bpf_object__find_program_by_name(obj, "tc_entry");
	ret = prog != NULL ? bpf_prog_test_run_opts(bpf_program__fd(prog),
						    &run) : -ENOENT;
	if (ret < 0) {
		snprintf(why, why_len, "BPF_PROG_TEST_RUN: %s", strerror(-ret));
		goto out;
	}
	*verdict = run.retval;
	out_len = run.data_size_out;
	ret = bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj,
			"loops")), &zero, loops);
	if (out_len != PKT_LEN)
		ret = -EMSGSIZE;
out:
	bpf_object__close(obj);
	return ret;
}

static void
test_limit(const char *path)
{
	char err[UXDP_ERR_MAX], why[128];
	uint8_t pkt[PKT_LEN] = { 0 }; /* byte 0: slot 0, byte 1: counter */
	uint8_t kout[PKT_LEN];
	static struct frame f;
	struct uxdp_obj *obj = NULL;
	struct uxdp_prog *entry;
	uint32_t verdict, kverdict;
	uint64_t kloops;
	int ret;

	ret = uxdp_obj_load(path, NULL, &obj, err, sizeof(err));
	CHECK(ret == 0, "load %s: %s", path, err);
	if (ret < 0)
		return;
	entry = uxdp_obj_find_prog(obj, "tc_entry", err, sizeof(err));
	CHECK(entry != NULL, "no tc_entry: %s", err);

	frame_init(&f, pkt, sizeof(pkt));
	verdict = uxdp_prog_run(entry, &f.buff);
	CHECK(verdict == UXDP_DROP, "chain verdict %u, want XDP_DROP", verdict);
	CHECK(f.mem[UXDP_XDP_HEADROOM + 1] == KERNEL_MAX_TAIL_CALLS,
	      "chain ran %u times, want %d", f.mem[UXDP_XDP_HEADROOM + 1],
	      KERNEL_MAX_TAIL_CALLS);
	CHECK(loops_value(obj) == KERNEL_MAX_TAIL_CALLS, "loops %llu",
	      (unsigned long long)loops_value(obj));
	/* a second run counts from zero again */
	verdict = uxdp_prog_run(entry, &f.buff);
	CHECK(verdict == UXDP_DROP && f.mem[UXDP_XDP_HEADROOM + 1] ==
	      2 * KERNEL_MAX_TAIL_CALLS, "second run: verdict %u, counter %u",
	      verdict, f.mem[UXDP_XDP_HEADROOM + 1]);

	/* slot 1 ends in tc_pass; slot 2 is empty and slot 9 out of range:
	 * the entry goes on and returns XDP_TX */
	pkt[0] = 1;
	frame_init(&f, pkt, sizeof(pkt));
	CHECK(uxdp_prog_run(entry, &f.buff) == UXDP_PASS, "slot 1");
	pkt[0] = 2;
	frame_init(&f, pkt, sizeof(pkt));
	CHECK(uxdp_prog_run(entry, &f.buff) == UXDP_TX, "empty slot 2");
	pkt[0] = 9;
	frame_init(&f, pkt, sizeof(pkt));
	CHECK(uxdp_prog_run(entry, &f.buff) == UXDP_TX, "slot 9");

	/* the kernel, same object, same packet */
	pkt[0] = 0;
	ret = kernel_loop(path, pkt, &kverdict, kout, &kloops, why,
			  sizeof(why));
	if (ret == -EPERM || ret == -EACCES || ret == -ENOSYS) {
		printf("kernel comparison skipped: %s\n", why);
	} else {
		CHECK(ret == 0, "kernel run: %s", why);
		frame_init(&f, pkt, sizeof(pkt));
		verdict = uxdp_prog_run(entry, &f.buff);
		CHECK(ret != 0 || kverdict == verdict,
		      "kernel verdict %u, uxdp %u", kverdict, verdict);
		CHECK(ret != 0 || memcmp(kout, f.mem + UXDP_XDP_HEADROOM,
					 PKT_LEN) == 0,
		      "kernel and uxdp bytes differ (kernel counter %u)",
		      kout[1]);
		CHECK(ret != 0 || kloops == KERNEL_MAX_TAIL_CALLS,
		      "kernel loops %llu", (unsigned long long)kloops);
	}
	uxdp_obj_close(obj);
}

static void
test_api_and_values(const char *path)
{
	char err[UXDP_ERR_MAX];
	uint8_t pkt[PKT_LEN] = { 0 };
	static struct frame f;
	struct uxdp_map *progs, *outer, *inner, *loops;
	struct uxdp_prog *pass;
	struct uxdp_obj *obj = NULL;
	uint32_t k, v, i;
	uint64_t r0;
	int ret;

	ret = uxdp_obj_load(path, NULL, &obj, err, sizeof(err));
	CHECK(ret == 0, "load %s: %s", path, err);
	if (ret < 0)
		return;
	progs = uxdp_obj_map_by_name(obj, "progs");
	outer = uxdp_obj_map_by_name(obj, "outer");
	inner = uxdp_obj_map_by_name(obj, "inner_ok");
	loops = uxdp_obj_map_by_name(obj, "loops");
	pass = uxdp_obj_find_prog(obj, "tc_pass", err, sizeof(err));
	CHECK(progs && outer && inner && loops && pass, "maps or program missing");
	CHECK(uxdp_obj_map_by_name(obj, "outer.inner") == NULL,
	      "the inner template is not one of the object's maps");

	/* initial values */
	k = 1;
	CHECK(uxdp_map_lookup_copy(progs, &k, &v) == 0 && v == pass->id,
	      "progs[1] holds tc_pass's id");
	k = 2;
	CHECK(uxdp_map_lookup_copy(progs, &k, &v) == -ENOENT, "progs[2] empty");
	k = 1;
	CHECK(uxdp_map_lookup(outer, &k) == inner, "outer[1] is inner_ok");
	CHECK(uxdp_map_lookup_copy(outer, &k, &v) == 0 &&
	      v == uxdp_map_id(inner), "outer[1] holds inner_ok's id");
	k = 0;
	CHECK(uxdp_map_lookup(outer, &k) == NULL, "outer[0] empty");

	/* the call itself */
	frame_init(&f, pkt, sizeof(pkt));
	uxdp_tail_call_reset();
	CHECK(uxdp_tail_call(&f.buff, progs, 4, &r0) == -ENOENT, "index 4");
	CHECK(uxdp_tail_call(&f.buff, progs, 2, &r0) == -ENOENT, "empty slot");
	CHECK(uxdp_tail_call(&f.buff, loops, 0, &r0) == -EINVAL, "not a prog array");
	/* one attempt counted so far: the empty slot counts, as in the
	 * kernel, the out-of-range index does not; 32 more succeed, then
	 * the limit */
	for (i = 0; i < KERNEL_MAX_TAIL_CALLS - 1; i++) {
		r0 = 0;
		ret = uxdp_tail_call(&f.buff, progs, 1, &r0);
		if (ret != 0 || r0 != UXDP_PASS)
			break;
	}
	CHECK(i == KERNEL_MAX_TAIL_CALLS - 1, "tail call %u failed", i);
	CHECK(uxdp_tail_call(&f.buff, progs, 1, &r0) == -ENOENT,
	      "34th tail call must fail");
	uxdp_tail_call_reset();
	CHECK(uxdp_tail_call(&f.buff, progs, 1, &r0) == 0 && r0 == UXDP_PASS,
	      "after a reset");
	/* a deleted slot is empty for the data path at once */
	k = 1;
	CHECK(uxdp_map_delete(progs, &k) == 0, "delete progs[1]");
	CHECK(uxdp_tail_call(&f.buff, progs, 1, &r0) == -ENOENT,
	      "deleted slot");
	uxdp_obj_close(obj);
}

/* The same chain with every program compiled by the JIT, and with the
 * entry alone compiled (targets keep the interpreter): each link runs
 * with its own engine, the limit is the same. */
static void
test_engines(const char *path)
{
	char err[UXDP_ERR_MAX];
	uint8_t pkt[PKT_LEN] = { 0 };
	static struct frame f;
	struct uxdp_obj *obj = NULL;
	unsigned int i, pass;
	uint32_t verdict;
	int ret;

	for (pass = 0; pass < 2; pass++) {
		ret = uxdp_obj_load(path, NULL, &obj, err, sizeof(err));
		CHECK(ret == 0, "load %s: %s", path, err);
		if (ret < 0)
			return;
		for (i = 0; i < uxdp_obj_prog_count(obj); i++) {
			struct uxdp_prog *p = uxdp_obj_prog_at(obj, i);

			if (pass == 1 && strcmp(uxdp_prog_name(p), "tc_entry"))
				continue;
			ret = uxdp_prog_set_engine(p, UXDP_ENGINE_JIT, err,
						   sizeof(err));
			if (ret == -ENOTSUP) {
				printf("JIT checks skipped: %s\n", err);
				uxdp_obj_close(obj);
				return;
			}
			CHECK(ret == 0, "JIT %s: %s", uxdp_prog_name(p), err);
		}
		frame_init(&f, pkt, sizeof(pkt));
		verdict = uxdp_prog_run(uxdp_obj_find_prog(obj, "tc_entry",
							   err, sizeof(err)),
					&f.buff);
		CHECK(verdict == UXDP_DROP &&
		      f.mem[UXDP_XDP_HEADROOM + 1] == KERNEL_MAX_TAIL_CALLS &&
		      loops_value(obj) == KERNEL_MAX_TAIL_CALLS,
		      "JIT (%s): verdict %u, chain ran %u times",
		      pass == 0 ? "all programs" : "entry only", verdict,
		      f.mem[UXDP_XDP_HEADROOM + 1]);
		uxdp_obj_close(obj);
		obj = NULL;
	}
}

static void
test_refusals(char **argv, int argc)
{
	static const struct { const char *suffix, *want; } cases[] = {
		{ "_not_xdp.o", "not an XDP program" },
		{ "_index.o", "beyond max_entries" },
		{ "_inner.o", "does not match the inner map definition" },
		{ "_unknown.o", "does not define" },
	};
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj;
	int i, c, ret;

	for (i = 2; i < argc; i++) {
		for (c = 0; c < (int)(sizeof(cases) / sizeof(cases[0])); c++) {
			size_t n = strlen(argv[i]), s = strlen(cases[c].suffix);

			if (n < s || strcmp(argv[i] + n - s, cases[c].suffix))
				continue;
			obj = NULL;
			err[0] = '\0';
			ret = uxdp_obj_load(argv[i], NULL, &obj, err,
					    sizeof(err));
			CHECK(ret < 0 && obj == NULL &&
			      strstr(err, cases[c].want) != NULL,
			      "%s: want a refusal saying '%s', got %d '%s'",
			      argv[i], cases[c].want, ret, err);
			uxdp_obj_close(obj);
		}
	}
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s OK.o [BAD_*.o...]\n", argv[0]);
		return 1;
	}
	test_limit(argv[1]);
	test_api_and_values(argv[1]);
	test_engines(argv[1]);
	test_refusals(argv, argc);
	return test_summary();
}
