/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * What bpf_redirect() and bpf_redirect_map() record in the run's buff
 * (the target the PMD resolves after the run), which the kernel oracle
 * cannot see: its test run only reports the verdict. Programs of raw
 * instructions call the helpers on heap devmaps through uxdp_prog_run(),
 * in the engine given with --engine (interp by default).
 */

#include <errno.h>
#include <string.h>

#include "test_interp_insn.h"

#ifndef BPF_F_BROADCAST
#define BPF_F_BROADCAST (1ULL << 3)
#define BPF_F_EXCLUDE_INGRESS (1ULL << 4)
#endif

static unsigned int passed, failed;

#define CHECK(cond, ...) do { \
	if (cond) { \
		passed++; \
	} else { \
		failed++; \
		printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

static enum uxdp_engine engine = UXDP_ENGINE_INTERP;

/* Run "r0 = helper(a1, a2, a3); exit" and return the verdict; *ri is the
 * record the run left in its buff. */
static uint32_t
run_call(uint32_t helper, uint64_t a1, uint64_t a2, uint64_t a3,
	 struct uxdp_redirect *ri)
{
	const struct bpf_insn prog[] = {
		LD_IMM64(1, a1),
		LD_IMM64(2, a2),
		LD_IMM64(3, a3),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, (int32_t)helper),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	uint8_t frame[512];
	struct uxdp_xdp_buff buff;
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj;
	struct uxdp_prog *p;
	uint32_t ret;

	if (uxdp_obj_from_insns("redirect", prog, sizeof(prog) / sizeof(prog[0]), &obj, err,
				sizeof(err)) < 0) {
		CHECK(0, "load: %s", err);
		return UINT32_MAX;
	}
	p = uxdp_obj_prog_at(obj, 0);
	if (uxdp_prog_set_engine(p, engine, err, sizeof(err)) < 0) {
		CHECK(0, "engine: %s", err);
		uxdp_obj_close(obj);
		return UINT32_MAX;
	}
	memset(&buff, 0, sizeof(buff));
	/* Stale state must not survive into the run. */
	memset(&buff.redirect, 0xa5, sizeof(buff.redirect));
	buff.data_hard_start = frame;
	buff.data = frame + 256;
	buff.data_meta = buff.data;
	buff.data_end = frame + 320;
	buff.data_hard_end = frame + sizeof(frame);
	ret = uxdp_prog_run(p, &buff);
	*ri = buff.redirect;
	uxdp_obj_close(obj);
	return ret;
}

static struct uxdp_map *
devmap(uint32_t type, uint32_t value_size)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = 4, .value_size = value_size,
		.max_entries = 8,
	};
	struct uxdp_map *m = NULL;

	CHECK(uxdp_map_create("dm", &def, UXDP_MEM_HEAP, &m) == 0,
	      "create devmap type %u", type);
	return m;
}

static void
put(struct uxdp_map *m, uint32_t key, uint32_t ifindex)
{
	uint32_t val[2] = { ifindex, 0 };

	CHECK(uxdp_map_update(m, &key, val, 0) == 0, "update key %u", key);
}

static void
test_redirect(void)
{
	struct uxdp_redirect ri;

	CHECK(run_call(BPF_FUNC_redirect, 7, 0, 0, &ri) == UXDP_REDIRECT &&
	      ri.kind == UXDP_REDIRECT_IFINDEX && ri.ifindex == 7 &&
	      ri.tgt_index == 7 && ri.map == NULL,
	      "bpf_redirect(7, 0): kind %u ifindex %u", ri.kind, ri.ifindex);
	CHECK(run_call(BPF_FUNC_redirect, 7, 1, 0, &ri) == UXDP_ABORTED &&
	      ri.kind == UXDP_REDIRECT_NONE,
	      "bpf_redirect(7, 1): XDP_ABORTED, nothing recorded (kind %u)",
	      ri.kind);
}

static void
test_redirect_map(uint32_t type, uint32_t value_size)
{
	struct uxdp_map *m = devmap(type, value_size);
	uint64_t mp = (uintptr_t)m;
	struct uxdp_redirect ri;
	uint32_t ret;

	if (m == NULL)
		return;
	put(m, 1, 11);
	put(m, 3, 13);
	ret = run_call(BPF_FUNC_redirect_map, mp, 3, 0, &ri);
	CHECK(ret == UXDP_REDIRECT && ri.kind == UXDP_REDIRECT_DEVMAP &&
	      ri.ifindex == 13 && ri.tgt_index == 3,
	      "type %u key 3: ret %u kind %u ifindex %u", type, ret, ri.kind,
	      ri.ifindex);
	/* A failed lookup: the fallback verdict, and the ifindex redirect
	 * to tgt_index (none yet in this run: 0, no device) armed. */
	ret = run_call(BPF_FUNC_redirect_map, mp, 5, UXDP_TX, &ri);
	CHECK(ret == UXDP_TX && ri.kind == UXDP_REDIRECT_IFINDEX &&
	      ri.ifindex == 0,
	      "type %u key 5 fallback XDP_TX: ret %u kind %u ifindex %u",
	      type, ret, ri.kind, ri.ifindex);
	ret = run_call(BPF_FUNC_redirect_map, mp, 5, BPF_F_BROADCAST |
		       BPF_F_EXCLUDE_INGRESS, &ri);
	CHECK(ret == UXDP_REDIRECT && ri.kind == UXDP_REDIRECT_MULTI &&
	      ri.map == m && ri.flags == BPF_F_EXCLUDE_INGRESS,
	      "type %u broadcast: ret %u kind %u flags %#x", type, ret,
	      ri.kind, ri.flags);
	ret = run_call(BPF_FUNC_redirect_map, mp, 1, 4, &ri);
	CHECK(ret == UXDP_ABORTED && ri.kind == UXDP_REDIRECT_NONE,
	      "type %u flags 4: ret %u kind %u", type, ret, ri.kind);
	ret = run_call(BPF_FUNC_redirect_map, mp, 1, BPF_F_EXCLUDE_INGRESS |
		       UXDP_PASS, &ri);
	CHECK(ret == UXDP_REDIRECT && ri.kind == UXDP_REDIRECT_DEVMAP &&
	      ri.ifindex == 11,
	      "type %u EXCLUDE_INGRESS alone is accepted: ret %u", type, ret);
	uxdp_map_destroy(m);
}

static void
test_not_devmap(void)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
		.max_entries = 4,
	};
	struct uxdp_redirect ri;
	struct uxdp_map *m = NULL;

	CHECK(uxdp_map_create("arr", &def, UXDP_MEM_HEAP, &m) == 0, "array");
	if (m == NULL)
		return;
	CHECK(run_call(BPF_FUNC_redirect_map, (uintptr_t)m, 0, UXDP_PASS,
		       &ri) == UXDP_ABORTED,
	      "bpf_redirect_map on an array: XDP_ABORTED");
	uxdp_map_destroy(m);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--engine") == 0 &&
	    strcmp(argv[2], "jit") == 0)
		engine = UXDP_ENGINE_JIT;
	test_redirect();
	test_redirect_map(BPF_MAP_TYPE_DEVMAP, 4);
	test_redirect_map(BPF_MAP_TYPE_DEVMAP_HASH, 8);
	test_not_devmap();
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0 || passed == 0;
}
