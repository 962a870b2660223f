/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_loop and bpf_for_each_map_elem in one engine (--engine jit|interp):
 * test_callback.bpf.c iterates what a command names and reports what its
 * callback saw. Checked: the order (arrays by index), early stops and
 * their count, flags, values written and elements deleted from inside
 * the callback, this CPU's value of per-CPU maps, an empty map, nested
 * bpf_loop, the instruction budget ending runaway loops as XDP_ABORTED,
 * and the load-time refusal of a map type the kernel cannot iterate.
 *
 * Usage: test_callback [--engine jit] OBJ.o BAD_MAP_TYPE_OBJ.o
 */

#include <errno.h>

#include "test_interp_insn.h"
#include "test_jit_ir.h"
#include "uxdp_map.h"

enum {
	OP_ARRAY, OP_PERCPU_ARRAY, OP_HASH, OP_LRU_HASH, OP_PERCPU_HASH,
	OP_LRU_PERCPU_HASH, OP_EMPTY, OP_LOOP, OP_NESTED, OP_LOOP_RUNAWAY,
	OP_NESTED_RUNAWAY,
};

#define MAX_SEEN 16
#define NO_STOP 1000

struct cmd {
	uint32_t op;
	uint32_t arg;
	uint64_t flags;
	uint32_t update;
	uint32_t delete;
	uint32_t stop;
	uint32_t pad;
};

struct out {
	int64_t ret;
	uint64_t visited;
	uint64_t sum;
	uint32_t seen[MAX_SEEN];
};

static struct uxdp_obj *obj;
static struct uxdp_prog *prog;
static struct t_frame frame;
static struct out o;
static uint32_t verdict;

static struct uxdp_map *
map(const char *name)
{
	struct uxdp_map *m = uxdp_obj_map_by_name(obj, name);

	if (m == NULL) {
		printf("FAIL: no map %s\n", name);
		exit(1);
	}
	return m;
}

/* One run with cmd; o gets what the program reported. */
static void
run_stop(uint32_t op, uint32_t arg, uint64_t flags, uint32_t update,
	 uint32_t delete, uint32_t stop)
{
	struct cmd c = { op, arg, flags, update, delete, stop, 0 };
	uint32_t zero = 0;
	uint8_t pkt[64] = { 0 };

	memset(&o, 0, sizeof(o));
	uxdp_map_update(map("out"), &zero, &o, BPF_ANY);
	uxdp_map_update(map("cmd"), &zero, &c, BPF_ANY);
	t_frame_init(&frame, pkt, sizeof(pkt));
	verdict = (uint32_t)t_run(prog, &frame.buff);
	uxdp_map_lookup_copy(map("out"), &zero, &o);
}

static void
run(uint32_t op, uint32_t arg, uint64_t flags, uint32_t update,
    uint32_t delete)
{
	run_stop(op, arg, flags, update, delete, NO_STOP);
}

/* bpf_loop(nr_loops, callback stopping at index stop, flags) */
static void
loop(uint32_t nr_loops, uint32_t stop, uint64_t flags)
{
	run_stop(OP_LOOP, nr_loops, flags, 0, 0, stop);
}

static void
fill(const char *name, uint32_t n, uint64_t base)
{
	struct uxdp_map *m = map(name);
	unsigned int cpus = uxdp_map_type_is_percpu(
		uxdp_map_get_def(m)->type) ? uxdp_map_nr_cpus() : 1;
	uint64_t *v = calloc(cpus, sizeof(*v));
	uint32_t k;
	unsigned int c;

	for (k = 0; k < n; k++) {
		/* CPU c holds base + 100 * c + key */
		for (c = 0; c < cpus; c++)
			v[c] = base + 100 * c + k;
		T_CHECK(uxdp_map_update(m, &k, v, BPF_ANY) == 0,
			"%s: fill key %u", name, k);
	}
	free(v);
}

static uint64_t
value_of(const char *name, uint32_t key)
{
	struct uxdp_map *m = map(name);
	unsigned int cpus = uxdp_map_type_is_percpu(
		uxdp_map_get_def(m)->type) ? uxdp_map_nr_cpus() : 1;
	uint64_t *v = calloc(cpus, sizeof(*v)), r = UINT64_MAX;

	if (uxdp_map_lookup_copy(m, &key, v) == 0)
		r = v[uxdp_map_this_cpu()];
	free(v);
	return r;
}

/* Sum the program must see over keys 0..n-1 filled with fill(). */
static uint64_t
want_sum(uint32_t n, uint64_t base)
{
	uint64_t s = 0;
	uint32_t k;

	for (k = 0; k < n; k++)
		s += k * 1000 + base + 100 * uxdp_map_this_cpu() + k;
	return s;
}

static void
test_arrays(void)
{
	uint32_t k;

	fill("arr", 6, 10);
	run(OP_ARRAY, NO_STOP, 0, 0, 0);
	T_EQ_U64(verdict, UXDP_PASS, "array: verdict");
	T_EQ_U64(o.ret, 6, "array: every element visited");
	for (k = 0; k < 6; k++)
		T_EQ_U64(o.seen[k], k, "array: index order");
	T_EQ_U64(o.sum, want_sum(6, 10), "array: keys and values");
	run(OP_ARRAY, 2, 0, 1, 0);
	T_EQ_U64(o.ret, 3, "array: a stop at index 2 counts 3");
	T_EQ_U64(o.visited, 3, "array: callback calls up to the stop");
	T_EQ_U64(value_of("arr", 2), 13, "array: value written by the callback");
	T_EQ_U64(value_of("arr", 3), 13, "array: after the stop, untouched");
	run(OP_ARRAY, 0, 1, 0, 0);
	T_EQ_U64(o.ret, -EINVAL, "array: flags 1");
	T_EQ_U64(o.visited, 0, "array: flags 1 calls nothing");
	run(OP_ARRAY, 0, 1ull << 40, 0, 0);
	T_EQ_U64(o.ret, -EINVAL, "array: flags 1 << 40");
	/* deleting from an array fails, the walk goes on */
	run(OP_ARRAY, NO_STOP, 0, 0, 1);
	T_EQ_U64(o.ret, 6, "array: delete in the callback (refused) keeps walking");

	fill("pcpu_arr", 4, 20);
	run(OP_PERCPU_ARRAY, NO_STOP, 0, 1, 0);
	T_EQ_U64(o.ret, 4, "percpu array: visited");
	T_EQ_U64(o.sum, want_sum(4, 20), "percpu array: this CPU's values");
	T_EQ_U64(value_of("pcpu_arr", 3), 20 + 100 * uxdp_map_this_cpu() + 3 + 1,
		 "percpu array: this CPU's value written");
}

static void
test_hash(const char *name, uint32_t op)
{
	char what[64];
	uint32_t k, seen_mask = 0;

	snprintf(what, sizeof(what), "%s", name);
	fill(name, 10, 30);
	run(op, NO_STOP, 0, 1, 0);
	T_EQ_U64(o.ret, 10, "hash: every element visited");
	T_EQ_U64(o.visited, 10, "hash: callback calls");
	for (k = 0; k < 10; k++)
		seen_mask |= 1u << o.seen[k];
	T_EQ_U64(seen_mask, 0x3ff, "hash: each key once");
	T_EQ_U64(o.sum, want_sum(10, 30), "hash: keys and this CPU's values");
	T_EQ_U64(value_of(name, 7), 30 + 100 * uxdp_map_this_cpu() + 7 + 1,
		 "hash: value written in the callback");
	/* stop at the third element seen */
	run(op, o.seen[2], 0, 0, 0);
	T_EQ_U64(o.ret, 3, "hash: early stop counts the stopping element");
	run(op, NO_STOP, 0, 0, 1);
	T_EQ_U64(o.ret, 10, "hash: deleting the current element keeps walking");
	T_EQ_U64(uxdp_map_count(map(name)), 5, "hash: even keys deleted");
	run(op, NO_STOP, 0, 0, 0);
	T_EQ_U64(o.ret, 5, "hash: the odd keys remain");
	run(op, NO_STOP, 2, 0, 0);
	T_EQ_U64(o.ret, -EINVAL, "hash: flags 2");
	printf("%s checked\n", what);
}

static void
test_loops(void)
{
	uint32_t k;

	loop(0, NO_STOP, 0);
	T_EQ_U64(o.ret, 0, "bpf_loop 0: returns 0");
	T_EQ_U64(o.visited, 0, "bpf_loop 0: no call");
	loop(10, NO_STOP, 0);
	T_EQ_U64(o.ret, 10, "bpf_loop 10: 10");
	T_EQ_U64(o.sum, 45, "bpf_loop 10: indexes 0..9");
	loop(10, 9, 0);
	T_EQ_U64(o.ret, 10, "bpf_loop 10 stopping at 9 (the last): 10");
	loop(10, 4, 0);
	T_EQ_U64(o.ret, 5, "bpf_loop stopping at index 4: 5 calls");
	T_EQ_U64(o.visited, 5, "bpf_loop stopping at index 4: callback calls");
	for (k = 0; k < 5; k++)
		T_EQ_U64(o.seen[k], k, "bpf_loop: indexes");
	loop(10, 4, 3);
	T_EQ_U64(o.ret, -EINVAL, "bpf_loop flags 3: -EINVAL");
	T_EQ_U64(o.visited, 0, "bpf_loop flags 3: no call");
	/* flags come from a map here, so this is the helper's -E2BIG */
	loop((1u << 23) + 1, 0, 0);
	T_EQ_U64(o.ret, -E2BIG, "bpf_loop past 1 << 23: -E2BIG");
	T_EQ_U64(o.visited, 0, "bpf_loop past 1 << 23: no call");
	loop(1u << 23, 0, 0);
	T_EQ_U64(o.ret, 1, "bpf_loop 1 << 23 stopping at once: 1");
	run(OP_NESTED, 0, 0, 0, 0);
	T_EQ_U64(o.ret, 3, "nested bpf_loop: outer count");
	T_EQ_U64(o.visited, 12, "nested bpf_loop: 3 x 4 inner calls");
	T_EQ_U64(o.sum, 3 * (0 + 1 + 2 + 3) + 3 * 4 * 100,
		 "nested bpf_loop: inner indexes and results");
	run_stop(OP_NESTED, 0, 0, 0, 0, 1);
	T_EQ_U64(o.ret, 3, "nested bpf_loop, inner stops: outer count");
	T_EQ_U64(o.visited, 6, "nested bpf_loop, inner stops at 1: 3 x 2");
	T_EQ_U64(o.sum, 3 * 1 + 3 * 2 * 100,
		 "nested bpf_loop, inner stops: results");
	run(OP_LOOP_RUNAWAY, 0, 0, 0, 0);
	T_EQ_U64(verdict, UXDP_ABORTED, "bpf_loop of 1 << 23 calls: budget, aborted");
	T_EQ_U64(o.ret, 0, "aborted run: nothing written after the loop");
	run(OP_NESTED_RUNAWAY, 0, 0, 0, 0);
	T_EQ_U64(verdict, UXDP_ABORTED, "nested 2000 x 2000 calls: aborted");
	loop(3, NO_STOP, 0);
	T_EQ_U64(verdict, UXDP_PASS, "the next run has its whole budget");
	T_EQ_U64(o.ret, 3, "the next run works");
}

/* The JIT turns bpf_loop into a loop around a direct call of the
 * callback (which LLVM may inline): no call through a register is left
 * in the optimised IR. */
static void
test_jit_direct_calls(const char *path)
{
	struct uxdp_obj *o2 = NULL;
	char err[UXDP_ERR_MAX] = "";
	char *ir;

	if (t_engine != UXDP_ENGINE_JIT)
		return;
	if (uxdp_obj_load(path, NULL, &o2, err, sizeof(err)) < 0) {
		T_CHECK(0, "%s: %s", path, err);
		return;
	}
	ir = t_jit_ir(uxdp_obj_prog_at(o2, 0), 0, err, sizeof(err));
	T_CHECK(ir != NULL, "JIT IR: %s", err);
	if (ir != NULL) {
		T_CHECK(strstr(ir, "define") != NULL, "the IR was captured");
		T_CHECK(strstr(ir, "call i64 %") == NULL,
			"no indirect call left in the optimised IR");
		free(ir);
	}
	uxdp_obj_close(o2);
}

static void
test_bad_map_type(const char *path)
{
	struct uxdp_obj *bad = NULL;
	char err[UXDP_ERR_MAX] = "";
	int ret = uxdp_obj_load(path, NULL, &bad, err, sizeof(err));

	T_CHECK(ret < 0 && bad == NULL, "LPM trie in for_each refused (%d)", ret);
	T_CHECK(strstr(err, "bpf_for_each_map_elem cannot iterate a map of type lpm_trie") != NULL,
		"refusal names the type: %s", err);
	if (bad != NULL)
		uxdp_obj_close(bad);
}

int
main(int argc, char **argv)
{
	char err[UXDP_ERR_MAX] = "";
	int first = 1;

	t_parse_engine(argc, argv);
	if (argc >= 3 && strcmp(argv[1], "--engine") == 0)
		first = 3;
	if (argc < first + 2) {
		printf("usage: %s [--engine jit] OBJ.o BAD_OBJ.o\n", argv[0]);
		return 2;
	}
	if (uxdp_obj_load(argv[first], NULL, &obj, err, sizeof(err)) < 0) {
		printf("FAIL: %s: %s\n", argv[first], err);
		return 1;
	}
	prog = uxdp_obj_prog_at(obj, 0);
	test_arrays();
	test_hash("hash", OP_HASH);
	test_hash("lru", OP_LRU_HASH);
	test_hash("pcpu_hash", OP_PERCPU_HASH);
	test_hash("lru_pcpu", OP_LRU_PERCPU_HASH);
	run(OP_EMPTY, NO_STOP, 0, 0, 0);
	T_EQ_U64(o.ret, 0, "empty map: 0 visited");
	T_EQ_U64(o.visited, 0, "empty map: no call");
	test_loops();
	test_jit_direct_calls(argv[first]);
	test_bad_map_type(argv[first + 1]);
	uxdp_obj_close(obj);
	return t_summary();
}
