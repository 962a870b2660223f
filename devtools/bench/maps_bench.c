/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Driver of the map benchmark: loads maps_bench.bpf.o once in uxdp (JIT,
 * heap maps) and once in the kernel (libbpf), fills both sets of maps with
 * the same entries through the control-plane calls (a million updates are
 * seconds with these, hours with uxdp-run --map-update), then times every
 * program: uxdp by running it in a loop on one frame, the kernel with
 * BPF_PROG_TEST_RUN's repeat, both on the same pinned CPU. Prints one JSON
 * object per program and side; devtools/bench-maps.py makes the table.
 *
 *   maps-bench [--no-kernel] [--trials N] [--ms M] OBJ.o
 */

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "uxdp_bpf.h"
#include "uxdp_map.h"
#include "maps_bench.h"

#define MAX_TRIALS 15
#define PKT_LEN 64

static const char *const progs[] = {
	"base", "hash_lookup", "hash_update", "lru_lookup", "lru_update",
	"lpm_lookup", "lpm_update",
};
#define N_PROGS (sizeof(progs) / sizeof(progs[0]))

static unsigned int trials = 5;
static unsigned int target_ms = 200;

/* Insert the benchmark's entries through one side's update call. */
typedef int (*update_fn)(void *map, const void *key, const void *value);

static int
fill(void *hash, void *lru, void *lpm, update_fn update)
{
	struct bench_lpm_key lk;
	uint64_t v;
	uint32_t k;

	for (k = 0; k < BENCH_HASH_ENTRIES; k++) {
		v = k;
		if (update(hash, &k, &v) < 0)
			return -1;
	}
	for (k = 0; k < BENCH_LRU_FILL; k++) {
		v = k;
		if (update(lru, &k, &v) < 0)
			return -1;
	}
	for (k = 0; k < BENCH_LPM_PREFIXES; k++) {
		lk = bench_prefix(k);
		v = k;
		if (update(lpm, &lk, &v) < 0)
			return -1;
	}
	return 0;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median over trials of ns per run; each trial lasts ~target_ms. */
typedef int (*time_fn)(void *prog, uint32_t repeat, double *ns_per_run);

static int
measure(void *prog, time_fn time_runs, double *median)
{
	double ns[MAX_TRIALS], first;
	uint32_t repeat;
	unsigned int t;

	/* Calibrate: a few runs give the repeat count of one trial. */
	if (time_runs(prog, 64, &first) < 0)
		return -1;
	if (first < 1)
		first = 1;
	repeat = (uint32_t)(target_ms * 1e6 / first);
	if (repeat < 64)
		repeat = 64;
	for (t = 0; t < trials; t++)
		if (time_runs(prog, repeat, &ns[t]) < 0)
			return -1;
	qsort(ns, trials, sizeof(ns[0]), cmp_double);
	*median = ns[trials / 2];
	return 0;
}

/* uxdp: the JIT'd program on one frame, as uxdp-run --repeat does. */
static uint8_t frame[4096];

static int
uxdp_time(void *p, uint32_t repeat, double *ns_per_run)
{
	struct uxdp_xdp_buff buff = {
		.data_hard_start = frame,
		.data = frame + 256,
		.data_meta = frame + 256,
		.data_end = frame + 256 + PKT_LEN,
		.data_hard_end = frame + sizeof(frame) - 320,
	};
	uint64_t t0;
	uint32_t i;

	t0 = now_ns();
	for (i = 0; i < repeat; i++)
		uxdp_prog_run(p, &buff);
	*ns_per_run = (double)(now_ns() - t0) / repeat;
	return 0;
}

static int
uxdp_update(void *map, const void *key, const void *value)
{
	return uxdp_map_update(map, key, value, BPF_ANY);
}

static int
bench_uxdp(const char *path)
{
	char err[UXDP_ERR_MAX];
	struct uxdp_obj_opts opts = { .map_mem = UXDP_MEM_HEAP };
	struct uxdp_obj *obj;
	struct uxdp_prog *prog;
	uint64_t t0 = now_ns();
	double ns;
	unsigned int i;

	if (uxdp_obj_load(path, &opts, &obj, err, sizeof(err)) < 0) {
		fprintf(stderr, "uxdp: %s\n", err);
		return -1;
	}
	if (fill(uxdp_obj_map_by_name(obj, "bench_hash"),
		 uxdp_obj_map_by_name(obj, "bench_lru"),
		 uxdp_obj_map_by_name(obj, "bench_lpm"), uxdp_update) < 0) {
		fprintf(stderr, "uxdp: filling the maps failed\n");
		return -1;
	}
	fprintf(stderr, "uxdp: maps filled in %.1f s\n",
		(now_ns() - t0) / 1e9);
	for (i = 0; i < N_PROGS; i++) {
		prog = uxdp_obj_find_prog(obj, progs[i], err, sizeof(err));
		if (prog == NULL ||
		    uxdp_prog_set_engine(prog, UXDP_ENGINE_JIT, err,
					 sizeof(err)) < 0 ||
		    measure(prog, uxdp_time, &ns) < 0) {
			fprintf(stderr, "uxdp %s: %s\n", progs[i], err);
			return -1;
		}
		printf("{\"side\": \"uxdp\", \"prog\": \"%s\", \"ns_per_run\": %.1f, \"ops\": %d}\n",
		       progs[i], ns, BENCH_OPS);
		fflush(stdout);
	}
	uxdp_obj_close(obj);
	return 0;
}

/* The kernel: BPF_PROG_TEST_RUN, whose duration is ns per run. */
static int
kernel_time(void *p, uint32_t repeat, double *ns_per_run)
{
	uint8_t pkt[PKT_LEN] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = pkt,
		.data_size_in = sizeof(pkt),
		.repeat = repeat,
	);
	int ret;

	ret = bpf_prog_test_run_opts(bpf_program__fd(p), &opts);
	if (ret < 0)
		return ret;
	*ns_per_run = opts.duration;
	return 0;
}

static int
kernel_update(void *map, const void *key, const void *value)
{
	return bpf_map__update_elem(map, key, bpf_map__key_size(map), value,
				    sizeof(uint64_t), BPF_ANY);
}

static int
bench_kernel(const char *path)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	uint64_t t0;
	double ns;
	unsigned int i;

	obj = bpf_object__open_file(path, NULL);
	if (obj == NULL || bpf_object__load(obj) < 0) {
		fprintf(stderr, "kernel: cannot load %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	t0 = now_ns();
	if (fill(bpf_object__find_map_by_name(obj, "bench_hash"),
		 bpf_object__find_map_by_name(obj, "bench_lru"),
		 bpf_object__find_map_by_name(obj, "bench_lpm"),
		 kernel_update) < 0) {
		fprintf(stderr, "kernel: filling the maps failed: %s\n",
			strerror(errno));
		return -1;
	}
	fprintf(stderr, "kernel: maps filled in %.1f s\n",
		(now_ns() - t0) / 1e9);
	for (i = 0; i < N_PROGS; i++) {
		prog = bpf_object__find_program_by_name(obj, progs[i]);
		if (prog == NULL || measure(prog, kernel_time, &ns) < 0) {
			fprintf(stderr, "kernel %s: test run failed\n",
				progs[i]);
			return -1;
		}
		printf("{\"side\": \"kernel\", \"prog\": \"%s\", \"ns_per_run\": %.1f, \"ops\": %d}\n",
		       progs[i], ns, BENCH_OPS);
		fflush(stdout);
	}
	bpf_object__close(obj);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *path = NULL;
	int kernel = 1;
	cpu_set_t cpus;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-kernel") == 0)
			kernel = 0;
		else if (strcmp(argv[i], "--trials") == 0 && i + 1 < argc)
			trials = (unsigned int)atoi(argv[++i]);
		else if (strcmp(argv[i], "--ms") == 0 && i + 1 < argc)
			target_ms = (unsigned int)atoi(argv[++i]);
		else
			path = argv[i];
	}
	if (path == NULL || trials == 0 || trials > MAX_TRIALS ||
	    target_ms == 0) {
		fprintf(stderr, "usage: maps-bench [--no-kernel] [--trials 1..%d] [--ms M] OBJ.o\n",
			MAX_TRIALS);
		return 2;
	}
	/* One CPU for both sides: the kernel's test run runs on the
	 * caller's CPU, so the two measure the same core. */
	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);

	if (bench_uxdp(path) < 0)
		return 1;
	if (kernel && bench_kernel(path) < 0)
		return 1;
	return 0;
}
