/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The sandbox (doc/sandbox.md) in one engine (--engine jit|interp): every
 * hostile program of test_sandbox.bpf.c, loaded without verification and
 * then switched to UXDP_VERIFY_SANDBOX with no analysis (the contract's
 * test hook: mem_guard NULL, every access checked), ends as XDP_ABORTED
 * with exactly one fault counted, and the memory around its regions is
 * intact: the frame outside the packet, the packet, the other map
 * entries, a canary in this process that the wild pointers aim at. The
 * well-behaved program gives the verdict, bytes and map contents of an
 * unchecked run, with no fault, with mem_guard NULL and all NONE; a
 * per-instruction guard of PACKET still catches the packet over-read.
 */

#include <errno.h>

#include <rte_common.h>

#include "test_interp_insn.h"
#include "check.h"
#include "uxdp_map.h"

struct val {
	uint64_t arr[4];
	uint64_t ptr;
};

/* What the wild pointers aim at; must never change. */
static uint64_t canary[4] = {
	0x1111111111111111ull, 0x2222222222222222ull,
	0x3333333333333333ull, 0x4444444444444444ull,
};
#define CANARY0 0x1111111111111111ull

#define N_HASH_KEYS 6
#define PKT_LEN 128

static struct t_frame frame;
static struct t_frame expect_frame;

static struct uxdp_map *
map(struct uxdp_obj *obj, const char *name)
{
	struct uxdp_map *m = uxdp_obj_map_by_name(obj, name);

	if (m == NULL) {
		printf("FAIL: no map %s\n", name);
		exit(1);
	}
	return m;
}

/* Maps as the hostile programs find them: vals[0].ptr = wild, the hash
 * holds keys 0..N_HASH_KEYS-1 with value key * 100. */
static void
maps_init(struct uxdp_obj *obj, uint64_t wild)
{
	struct val v = { .arr = { 0, 0, 0, 0 }, .ptr = wild };
	struct val v1 = { .arr = { 7, 7, 7, 7 }, .ptr = 7 };
	uint32_t k;

	k = 0;
	uxdp_map_update(map(obj, "vals"), &k, &v, BPF_ANY);
	k = 1;
	uxdp_map_update(map(obj, "vals"), &k, &v1, BPF_ANY);
	for (k = 0; k < N_HASH_KEYS; k++) {
		uint64_t x = k * 100;

		uxdp_map_update(map(obj, "h"), &k, &x, BPF_ANY);
	}
}

/* The maps a hostile program may not have changed. */
static void
maps_intact(struct uxdp_obj *obj, const char *who)
{
	struct val v1;
	uint32_t k = 1;
	uint32_t *lock;

	T_CHECK(uxdp_map_lookup_copy(map(obj, "vals"), &k, &v1) == 0 &&
		v1.arr[0] == 7 && v1.arr[3] == 7 && v1.ptr == 7,
		"%s: vals[1] changed", who);
	for (k = 0; k < N_HASH_KEYS; k++) {
		uint64_t x = 0;

		T_CHECK(uxdp_map_lookup_copy(map(obj, "h"), &k, &x) == 0 &&
			x == k * 100,
			"%s: hash key %u lost or changed (%d, %" PRIu64 ")",
			who, k, uxdp_map_lookup_copy(map(obj, "h"), &k, &x), x);
	}
	T_EQ_U64(uxdp_map_count(map(obj, "h")), N_HASH_KEYS, "hash count");
	/* The raw lock word (copies hide it): a program must not hold it. */
	k = 0;
	lock = uxdp_map_lookup(map(obj, "locked"), &k);
	T_CHECK(lock != NULL && *lock == 0, "%s: spin lock word taken", who);
}

static void
packet_init(uint16_t index)
{
	uint8_t pkt[PKT_LEN];
	unsigned int i;

	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(0x30 + i);
	memcpy(pkt, &index, sizeof(index));
	t_frame_init(&frame, pkt, sizeof(pkt));
	memcpy(&expect_frame, &frame, sizeof(frame));
}

static int
use_engine(struct uxdp_prog *prog)
{
	char err[UXDP_ERR_MAX] = "";
	int ret = uxdp_prog_set_engine(prog, t_engine, err, sizeof(err));

	if (ret < 0)
		printf("FAIL %s: engine (%d): %s\n", uxdp_prog_name(prog),
		       ret, err);
	return ret;
}

struct hostile {
	const char *name;
	uint16_t index;  /* the packet's first two bytes */
	uint64_t wild;   /* vals[0].ptr */
};

static const struct hostile hostile[] = {
	{ "bad_pkt_overread", 0, 0 },
	{ "bad_null_write", 0, 0 },
	{ "bad_wild_ptr", 0, (uintptr_t)canary },
	{ "bad_wild_ptr", 0, 0x1000 },
	{ "bad_stack_var", 600, 0 },
	{ "bad_rodata_store", 0, 0 },
	{ "bad_value_overrun", 60000, 0 },
	{ "bad_hash_overrun", 1, 0 },
	{ "bad_helper_key", 0, 0x1000 },
	{ "bad_helper_key", 0, (uintptr_t)canary },
	{ "bad_helper_short", 64, 0 },
	{ "bad_ringbuf_submit", 0, (uintptr_t)&canary[2] },
	{ "bad_lock_write", 0, 0 },
	{ "bad_endless", 0, 0 },
};

static void
run_hostile(struct uxdp_obj *obj, const struct hostile *h)
{
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_prog *prog = uxdp_obj_find_prog(obj, h->name, err,
						    sizeof(err));
	uint64_t before;
	uint32_t verdict;
	uint32_t k = 0;
	struct val v0;

	if (prog == NULL) {
		T_CHECK(0, "%s: %s", h->name, err);
		return;
	}
	/* The contract's test hook: no analysis, every access checked. */
	prog->verify = UXDP_VERIFY_SANDBOX;
	if (use_engine(prog) < 0) {
		t_failed++;
		return;
	}
	maps_init(obj, h->wild);
	packet_init(h->index);
	before = uxdp_prog_sandbox_faults(prog);
	verdict = uxdp_prog_run(prog, &frame.buff);
	T_EQ_U64(verdict, UXDP_ABORTED, h->name);
	T_EQ_U64(uxdp_prog_sandbox_faults(prog) - before, 1, h->name);
	T_CHECK(memcmp(frame.mem, expect_frame.mem, sizeof(frame.mem)) == 0,
		"%s: frame memory changed", h->name);
	T_CHECK(frame.buff.data == expect_frame.buff.data &&
		frame.buff.data_end == expect_frame.buff.data_end,
		"%s: packet bounds changed", h->name);
	T_CHECK(canary[0] == CANARY0 && canary[2] == 0x3333333333333333ull,
		"%s: canary changed", h->name);
	maps_intact(obj, h->name);
	T_CHECK(uxdp_map_lookup_copy(map(obj, "vals"), &k, &v0) == 0 &&
		v0.ptr == h->wild && v0.arr[0] == 0 && v0.arr[2] == 0 &&
		v0.arr[3] == 0, "%s: vals[0] changed", h->name);
	printf("%-20s wild=%-#14" PRIx64 " -> %s, faults %" PRIu64 "\n",
	       h->name, h->wild, uxdp_action_name(verdict),
	       uxdp_prog_sandbox_faults(prog));
}

/* What ok_all leaves: verdict, packet, maps. */
struct ok_result {
	uint32_t verdict;
	uint8_t pkt[PKT_LEN];
	uint64_t counter;  /* vals[0].arr[2] */
	uint64_t hash2;    /* h[2] */
	uint64_t locked_x; /* locked[0].x */
	int records;       /* ring buffer records consumed */
	uint64_t faults;
};

static int
count_record(void *ctx, const void *data, uint32_t size)
{
	uint32_t cfg;

	if (size >= sizeof(cfg)) {
		memcpy(&cfg, data, sizeof(cfg));
		T_EQ_U64(cfg, 5, "ring buffer record");
	}
	(*(int *)ctx)++;
	return 0;
}

static struct ok_result
run_ok(const char *path, enum uxdp_verify verify, uint8_t guard_all)
{
	struct uxdp_obj_opts opts = { .verify = UXDP_VERIFY_NONE };
	struct ok_result r = { .verdict = 0xff };
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	struct uxdp_prog *prog;
	uint32_t k = 0;
	struct val v;
	int i;

	if (uxdp_obj_load(path, &opts, &obj, err, sizeof(err)) < 0) {
		T_CHECK(0, "load %s: %s", path, err);
		return r;
	}
	prog = uxdp_obj_find_prog(obj, "ok_all", err, sizeof(err));
	prog->verify = verify;
	if (guard_all != UXDP_GUARD_ANY) {
		prog->mem_guard = malloc(prog->n_insns);
		memset(prog->mem_guard, guard_all, prog->n_insns);
	}
	if (use_engine(prog) < 0) {
		t_failed++;
		uxdp_obj_close(obj);
		return r;
	}
	maps_init(obj, 0);
	for (i = 0; i < 3; i++) {
		packet_init(0x0102);
		r.verdict = uxdp_prog_run(prog, &frame.buff);
	}
	memcpy(r.pkt, frame.buff.data, PKT_LEN);
	uxdp_map_lookup_copy(map(obj, "vals"), &k, &v);
	r.counter = v.arr[2];
	k = 2;
	uxdp_map_lookup_copy(map(obj, "h"), &k, &r.hash2);
	k = 0;
	{
		uint64_t lv[2];

		uxdp_map_lookup_copy(map(obj, "locked"), &k, lv);
		r.locked_x = lv[1];
	}
	uxdp_ringbuf_consume(map(obj, "rb"), count_record, &r.records);
	r.faults = uxdp_prog_sandbox_faults(prog);
	uxdp_obj_close(obj);
	return r;
}

static void
test_ok(const char *path)
{
	struct ok_result plain = run_ok(path, UXDP_VERIFY_NONE, UXDP_GUARD_ANY);
	static const struct {
		const char *what;
		uint8_t guard;
	} modes[] = {
		{ "sandbox, every access checked", UXDP_GUARD_ANY },
		{ "sandbox, every access proven", UXDP_GUARD_NONE },
	};
	unsigned int m;

	T_EQ_U64(plain.verdict, UXDP_TX, "ok_all unchecked verdict");
	T_EQ_U64(plain.counter, 3, "ok_all unchecked counter");
	T_EQ_U64(plain.records, 3, "ok_all unchecked records");
	T_EQ_U64(plain.locked_x, 3, "ok_all unchecked locked counter");
	for (m = 0; m < RTE_DIM(modes); m++) {
		struct ok_result sb = run_ok(path, UXDP_VERIFY_SANDBOX,
					     modes[m].guard);

		printf("ok_all, %s: %s, counter %" PRIu64 ", faults %" PRIu64
		       "\n", modes[m].what, uxdp_action_name(sb.verdict),
		       sb.counter, sb.faults);
		T_EQ_U64(sb.verdict, plain.verdict, modes[m].what);
		T_CHECK(memcmp(sb.pkt, plain.pkt, PKT_LEN) == 0,
			"%s: packet differs", modes[m].what);
		T_EQ_U64(sb.counter, plain.counter, modes[m].what);
		T_EQ_U64(sb.hash2, plain.hash2, modes[m].what);
		T_EQ_U64(sb.locked_x, plain.locked_x, modes[m].what);
		T_EQ_U64(sb.records, plain.records, modes[m].what);
		T_EQ_U64(sb.faults, 0, modes[m].what);
	}
}

/* A guard of PACKET on the over-read: still refused (the frame around
 * the packet is not the packet). */
static void
test_packet_guard(struct uxdp_obj *obj)
{
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_prog *prog = uxdp_obj_find_prog(obj, "bad_pkt_overread",
						    err, sizeof(err));
	uint32_t i, n_guarded = 0;
	uint64_t before;

	prog->mem_guard = calloc(prog->n_insns, 1);
	for (i = 0; i < prog->n_insns; i++) {
		const struct bpf_insn *insn = &prog->insns[i];

		if (BPF_CLASS(insn->code) == BPF_LDX && insn->off == 2000) {
			prog->mem_guard[i] = UXDP_GUARD_PACKET;
			n_guarded++;
		}
	}
	T_EQ_U64(n_guarded, 1, "over-read instructions found");
	/* A fresh compile sees the guards. */
	uxdp_jit_release(prog);
	if (use_engine(prog) < 0) {
		t_failed++;
		return;
	}
	packet_init(0);
	before = uxdp_prog_sandbox_faults(prog);
	T_EQ_U64(uxdp_prog_run(prog, &frame.buff), UXDP_ABORTED,
		 "GUARD_PACKET over-read");
	T_EQ_U64(uxdp_prog_sandbox_faults(prog) - before, 1,
		 "GUARD_PACKET fault");
}

int
main(int argc, char **argv)
{
	struct uxdp_obj_opts opts = { .verify = UXDP_VERIFY_NONE };
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	const char *path;
	unsigned int i;

	t_parse_engine(argc, argv);
	if (argc < 2) {
		printf("usage: %s [--engine jit|interp] test_sandbox.o\n",
		       argv[0]);
		return 2;
	}
	path = argv[argc - 1];
	if (uxdp_obj_load(path, &opts, &obj, err, sizeof(err)) < 0) {
		printf("FAIL load %s: %s\n", path, err);
		return 1;
	}
	for (i = 0; i < RTE_DIM(hostile); i++)
		run_hostile(obj, &hostile[i]);
	test_packet_guard(obj);
	uxdp_obj_close(obj);
	test_ok(path);
	return t_summary();
}
