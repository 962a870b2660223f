/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The JIT's inlined map helpers (jit_bitcode.c, jit_map_inline.c):
 *
 * - test_jit_inline.bpf.c, loaded twice, runs the same packets in the
 *   interpreter and in the JIT: verdicts, packet bytes and the final map
 *   contents must be identical, for every key size and hash variant, and
 *   for lookups through maps of maps into inner maps of three types;
 * - the optimised IR proves the inlining: a call to
 *   bpf_map_lookup_elem's helper is a call through its address as a
 *   constant, and that constant must be absent from the IR of the test
 *   object and of the xdp_progs given (demo_nf, map_in_map) while bpf_map_update_elem's is present (so the
 *   search itself works), and present again with UXDP_JIT_NO_BITCODE=1
 *   (so this check can fail).
 *
 * Usage: test_jit_inline TEST_OBJ.o DEMO_NF.o...
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uxdp_bpf_internal.h"
#include "test_loader_util.h"
#include "test_jit_ir.h"

#define N_PKTS 2000
#define PKT_LEN 64
#define VALUE_MAX (64u << 10)

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

/* Compile prog with the JIT and return its optimised IR (malloc'd). */
static char *
jit_ir(struct uxdp_prog *prog, int no_bitcode)
{
	char err[UXDP_ERR_MAX] = "";
	char *ir = t_jit_ir(prog, no_bitcode, err, sizeof(err));

	CHECK(ir != NULL, "JIT compile: %s", err);
	return ir;
}

/* Whether ir calls the helper id through its address. */
static int
calls_helper(const char *ir, uint32_t id)
{
	char needle[64];

	snprintf(needle, sizeof(needle), "call i64 inttoptr (i64 %" PRIu64
		 " to ptr)(", (uint64_t)(uintptr_t)uxdp_helper_get(id)->fn);
	return strstr(ir, needle) != NULL;
}

static struct uxdp_prog *
load(const char *path, struct uxdp_obj **obj)
{
	char err[UXDP_ERR_MAX];
	struct uxdp_prog *prog;

	if (uxdp_obj_load(path, NULL, obj, err, sizeof(err)) != 0) {
		CHECK(0, "%s: %s", path, err);
		return NULL;
	}
	prog = uxdp_obj_find_prog(*obj, NULL, err, sizeof(err));
	CHECK(prog != NULL, "%s: %s", path, err);
	return prog;
}

static void
check_inlined(const char *path)
{
	struct uxdp_obj *obj, *obj_off;
	struct uxdp_prog *prog, *prog_off;
	char *ir, *ir_off;

	prog = load(path, &obj);
	prog_off = load(path, &obj_off);
	if (prog == NULL || prog_off == NULL)
		goto out;
	ir = jit_ir(prog, 0);
	ir_off = jit_ir(prog_off, 1);
	CHECK(ir != NULL && ir_off != NULL, "%s: no IR dump", path);
	if (ir != NULL && ir_off != NULL) {
		CHECK(!calls_helper(ir, BPF_FUNC_map_lookup_elem),
		      "%s: bpf_map_lookup_elem not inlined", path);
		CHECK(calls_helper(ir, BPF_FUNC_map_update_elem),
		      "%s: no bpf_map_update_elem call found: the search is broken",
		      path);
		CHECK(calls_helper(ir_off, BPF_FUNC_map_lookup_elem),
		      "%s: UXDP_JIT_NO_BITCODE=1 still inlines", path);
		/* The hash's first multiplier, 0x9e3779b97f4a7c15 as LLVM
		 * prints an i64: the hash itself is in the program. */
		CHECK(strstr(ir, "-7046029254386353131") != NULL &&
		      strstr(ir_off, "-7046029254386353131") == NULL,
		      "%s: the inlined hash function is not in the IR", path);
	}
	/* For the record (doc/engine.md), not checked: the cost of parsing,
	 * linking and optimising the bitcode. */
	printf("%s: JIT compile %.1f ms with the helper bitcode, "
	       "%.1f ms without\n", path, uxdp_prog_jit_ns(prog) / 1e6,
	       uxdp_prog_jit_ns(prog_off) / 1e6);
	free(ir);
	free(ir_off);
out:
	uxdp_obj_close(obj);
	uxdp_obj_close(obj_off);
}

/* Every key of a must be in b with the same value (all slots), and the
 * counts equal; bucket order differs (each map has its own seed). */
static void
compare_maps(struct uxdp_map *a, struct uxdp_map *b, const char *name)
{
	static uint8_t va[VALUE_MAX], vb[VALUE_MAX];
	uint8_t key[64], next[64];
	unsigned int n_a = 0, n_b = 0;
	void *prev = NULL;

	while (uxdp_map_get_next_key(a, prev, next) == 0) {
		memcpy(key, next, sizeof(key));
		prev = key;
		n_a++;
		memset(va, 0, sizeof(va));
		memset(vb, 0, sizeof(vb));
		CHECK(uxdp_map_lookup_copy(a, key, va) == 0 &&
		      uxdp_map_lookup_copy(b, key, vb) == 0 &&
		      memcmp(va, vb, sizeof(va)) == 0,
		      "map %s: a key differs between interpreter and JIT", name);
		if (n_a > 1000)
			break;
	}
	prev = NULL;
	while (uxdp_map_get_next_key(b, prev, next) == 0 && n_b <= 1000) {
		memcpy(key, next, sizeof(key));
		prev = key;
		n_b++;
	}
	CHECK(n_a == n_b && n_a > 0, "map %s: %u keys interpreted, %u JIT",
	      name, n_a, n_b);
}

static bool
holds_ids(struct uxdp_map *map)
{
	uint32_t type = uxdp_map_get_def(map)->type;

	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static void
check_same_as_interp(const char *path)
{
	static struct frame fi, fj;
	struct uxdp_obj *obj_i = NULL, *obj_j = NULL;
	struct uxdp_prog *pi, *pj;
	uint8_t pool[40][PKT_LEN], pkt[PKT_LEN];
	char err[UXDP_ERR_MAX];
	unsigned int i, j, mismatches = 0;
	uint32_t vi, vj;

	pi = load(path, &obj_i);
	pj = load(path, &obj_j);
	if (pi == NULL || pj == NULL)
		goto out;
	CHECK(uxdp_prog_set_engine(pj, UXDP_ENGINE_JIT, err, sizeof(err)) == 0,
	      "JIT: %s", err);
	/* Bytes from a small alphabet so that short keys repeat; whole
	 * packets from a small pool so that long keys repeat too. */
	srandom(4);
	for (i = 0; i < 40; i++)
		for (j = 0; j < PKT_LEN; j++)
			pool[i][j] = random() % 3;
	for (i = 0; i < N_PKTS; i++) {
		if (random() % 2)
			memcpy(pkt, pool[random() % 40], PKT_LEN);
		else
			for (j = 0; j < PKT_LEN; j++)
				pkt[j] = random() % 4;
		frame_init(&fi, pkt, PKT_LEN);
		frame_init(&fj, pkt, PKT_LEN);
		vi = uxdp_prog_run(pi, &fi.buff);
		vj = uxdp_prog_run(pj, &fj.buff);
		if (vi != vj || memcmp(fi.mem, fj.mem, sizeof(fi.mem)) != 0)
			mismatches++;
	}
	CHECK(mismatches == 0, "%u of %u runs differ", mismatches, N_PKTS);
	/* Maps of maps hold ids, which differ between the two objects;
	 * their inner maps are compared. */
	for (i = 0; i < uxdp_obj_map_count(obj_i); i++)
		if (!holds_ids(uxdp_obj_map_at(obj_i, i)))
			compare_maps(uxdp_obj_map_at(obj_i, i),
				     uxdp_obj_map_at(obj_j, i),
				     uxdp_map_name(uxdp_obj_map_at(obj_i, i)));
out:
	uxdp_obj_close(obj_i);
	uxdp_obj_close(obj_j);
}

int
main(int argc, char **argv)
{
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s TEST_OBJ.o DEMO_NF.o...\n", argv[0]);
		return 2;
	}
	check_same_as_interp(argv[1]);
	for (i = 1; i < argc; i++)
		check_inlined(argv[i]);
	return test_summary();
}
