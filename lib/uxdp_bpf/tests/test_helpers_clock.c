/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The helpers whose results differ from run to run, checked against the
 * kernel where they read the same clock and for their properties where
 * they cannot be compared:
 *   - bpf_ktime_get_ns/_boot_ns/_coarse_ns: a uxdp run between two kernel
 *     runs (BPF_PROG_TEST_RUN) reads a value between theirs;
 *   - bpf_jiffies64: within a second of the kernel's jiffies, and never
 *     going back;
 *   - bpf_get_numa_node_id: the kernel's node for the same CPU (the test
 *     pins itself to one CPU);
 *   - bpf_get_prandom_u32: 32-bit values whose every bit is set about
 *     half of the time;
 *   - bpf_get_smp_processor_id: 0 off EAL lcores (uxdp's lcore id);
 *   - bpf_spin_lock/unlock: threads incrementing a plain counter under
 *     the lock lose no increment;
 *   - bpf_probe_read_kernel outside a run refuses even a valid pointer.
 * Without bpf() (no root) the kernel comparisons are skipped, the
 * property checks still run.
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "test_interp_insn.h"

enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

/* r0 = helper(); stored as the packet's first 8 bytes; XDP_PASS. */
#define VALUE_PROG(id) { \
	MOV64_REG(R6, R1), \
	CALL_HELPER(id), \
	LDX(W, R2, R6, 0), \
	LDX(W, R3, R6, 4), \
	MOV64_REG(R4, R2), \
	ALU64_IMM(ADD, R4, 8), \
	JMP_REG(JGT, R4, R3, 1), \
	STX(DW, R2, R0, 0), \
	MOV64_IMM(R0, 2), \
	EXIT(), \
}

static uint8_t pkt[64];
static struct t_frame frame;

/* The kernel's value, or false when the kernel cannot run programs. */
static bool
kernel_value(int fd, uint64_t *v)
{
	uint8_t out[sizeof(pkt)];
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .data_in = pkt, .data_size_in = sizeof(pkt),
		    .data_out = out, .data_size_out = sizeof(out),
		    .repeat = 1);

	if (fd < 0 || bpf_prog_test_run_opts(fd, &opts) != 0)
		return false;
	memcpy(v, out, sizeof(*v));
	return true;
}

static uint64_t
uxdp_value(struct uxdp_prog *prog)
{
	uint64_t v;

	t_frame_init(&frame, pkt, sizeof(pkt));
	uxdp_prog_run(prog, &frame.buff);
	memcpy(&v, frame.buff.data, sizeof(v));
	return v;
}

struct value_test {
	const char *name;
	uint32_t id;
	struct uxdp_obj *obj;
	struct uxdp_prog *prog;
	int fd;
};

static int
value_test_open(struct value_test *t, const struct bpf_insn *insns,
		uint32_t n)
{
	t->obj = t_load(t->name, insns, n);
	if (t->obj == NULL)
		return -1;
	t->prog = uxdp_obj_prog_at(t->obj, 0);
	if (t_use_engine(t->prog) < 0)
		return -1;
	t->fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "uxdp_clock", "GPL", insns,
			      n, NULL);
	if (t->fd < 0)
		printf("%s: kernel comparison skipped: bpf_prog_load: %s\n",
		       t->name, strerror(-t->fd));
	return 0;
}

static void
value_test_close(struct value_test *t)
{
	if (t->fd >= 0)
		close(t->fd);
	uxdp_obj_close(t->obj);
}

/* Same clock: kernel before <= uxdp <= kernel after. */
static void
test_same_clock(struct value_test *t)
{
	uint64_t k1, u, k2;
	int i;

	for (i = 0; i < 100; i++) {
		if (!kernel_value(t->fd, &k1))
			return;
		u = uxdp_value(t->prog);
		kernel_value(t->fd, &k2);
		T_CHECK(k1 <= u && u <= k2, "%s: kernel %" PRIu64
			" then uxdp %" PRIu64 " then kernel %" PRIu64,
			t->name, k1, u, k2);
	}
}

static void
test_jiffies(struct value_test *t)
{
	struct timespec res;
	uint64_t hz, k, u, prev = 0;
	int i;

	clock_getres(CLOCK_MONOTONIC_COARSE, &res);
	hz = 1000000000ull / res.tv_nsec;
	for (i = 0; i < 1000; i++) {
		u = uxdp_value(t->prog);
		T_CHECK(u >= prev, "jiffies64 went back: %" PRIu64 " after %"
			PRIu64, u, prev);
		prev = u;
	}
	T_CHECK(u > (1ull << 32) - 300 * hz, "jiffies64 %" PRIu64
		" below INITIAL_JIFFIES at HZ %" PRIu64, u, hz);
	if (!kernel_value(t->fd, &k))
		return;
	T_CHECK(u + hz >= k && k + hz >= u, "jiffies64: uxdp %" PRIu64
		", kernel %" PRIu64 " (HZ %" PRIu64 ")", u, k, hz);
}

static void
test_numa(struct value_test *t)
{
	uint64_t k;

	if (!kernel_value(t->fd, &k)) {
		T_CHECK(uxdp_value(t->prog) < 4096, "numa node");
		return;
	}
	T_EQ_U64(uxdp_value(t->prog), k, "numa node of this CPU");
}

static void
test_prandom(struct value_test *t)
{
	unsigned int bits[32] = { 0 }, i, b;
	const unsigned int n = 4096;

	for (i = 0; i < n; i++) {
		uint64_t v = uxdp_value(t->prog);

		T_CHECK(v >> 32 == 0, "prandom_u32 returned %" PRIx64, v);
		for (b = 0; b < 32; b++)
			bits[b] += (v >> b) & 1;
	}
	for (b = 0; b < 32; b++)
		T_CHECK(bits[b] > n * 4 / 10 && bits[b] < n * 6 / 10,
			"prandom bit %u set %u times in %u", b, bits[b], n);
}

/* ---- bpf_spin_lock across threads ---- */

#define LOCK_THREADS 4
#define LOCK_ITERS 200000

static struct {
	uint32_t lock;
	uint64_t count; /* plain: only the lock keeps increments whole */
} shared;

static void *
lock_worker(void *arg)
{
	uxdp_helper_fn lock = uxdp_helper_get(BPF_FUNC_spin_lock)->fn;
	uxdp_helper_fn unlock = uxdp_helper_get(BPF_FUNC_spin_unlock)->fn;
	int i;

	(void)arg;
	for (i = 0; i < LOCK_ITERS; i++) {
		lock((uintptr_t)&shared.lock, 0, 0, 0, 0);
		*(volatile uint64_t *)&shared.count += 1;
		unlock((uintptr_t)&shared.lock, 0, 0, 0, 0);
	}
	return NULL;
}

static void
test_spin_lock(void)
{
	pthread_t th[LOCK_THREADS];
	int i;

	for (i = 0; i < LOCK_THREADS; i++)
		pthread_create(&th[i], NULL, lock_worker, NULL);
	for (i = 0; i < LOCK_THREADS; i++)
		pthread_join(th[i], NULL);
	T_EQ_U64(shared.count, (uint64_t)LOCK_THREADS * LOCK_ITERS,
		 "increments under bpf_spin_lock");
	T_EQ_U64(shared.lock, 0, "lock free at the end");
}

static void
test_probe_outside_run(void)
{
	uxdp_helper_fn probe = uxdp_helper_get(BPF_FUNC_probe_read_kernel)->fn;
	uint64_t src = 42, dst = 7;

	T_EQ_U64(probe((uintptr_t)&dst, 8, (uintptr_t)&src, 0, 0),
		 (uint64_t)-ERANGE, "probe_read_kernel outside a run");
	T_EQ_U64(dst, 0, "destination zeroed");
}

int
main(int argc, char **argv)
{
	static const struct bpf_insn ktime[] = VALUE_PROG(BPF_FUNC_ktime_get_ns);
	static const struct bpf_insn boot[] =
		VALUE_PROG(BPF_FUNC_ktime_get_boot_ns);
	static const struct bpf_insn coarse[] =
		VALUE_PROG(BPF_FUNC_ktime_get_coarse_ns);
	static const struct bpf_insn jiffies[] = VALUE_PROG(BPF_FUNC_jiffies64);
	static const struct bpf_insn numa[] =
		VALUE_PROG(BPF_FUNC_get_numa_node_id);
	static const struct bpf_insn rnd[] =
		VALUE_PROG(BPF_FUNC_get_prandom_u32);
	static const struct bpf_insn cpu[] =
		VALUE_PROG(BPF_FUNC_get_smp_processor_id);
	struct {
		struct value_test t;
		const struct bpf_insn *insns;
		uint32_t n;
		void (*check)(struct value_test *t);
	} tests[] = {
		{ { .name = "ktime_get_ns" }, ktime, N_INSNS(ktime),
		  test_same_clock },
		{ { .name = "ktime_get_boot_ns" }, boot, N_INSNS(boot),
		  test_same_clock },
		{ { .name = "ktime_get_coarse_ns" }, coarse, N_INSNS(coarse),
		  test_same_clock },
		{ { .name = "jiffies64" }, jiffies, N_INSNS(jiffies),
		  test_jiffies },
		{ { .name = "get_numa_node_id" }, numa, N_INSNS(numa),
		  test_numa },
		{ { .name = "get_prandom_u32" }, rnd, N_INSNS(rnd),
		  test_prandom },
		{ { .name = "get_smp_processor_id" }, cpu, N_INSNS(cpu), NULL },
	};
	cpu_set_t set;
	unsigned int i;

	t_parse_engine(argc, argv);
	/* One CPU: the kernel's and uxdp's NUMA node must then agree. */
	CPU_ZERO(&set);
	CPU_SET(sched_getcpu(), &set);
	sched_setaffinity(0, sizeof(set), &set);

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		struct value_test *t = &tests[i].t;

		if (value_test_open(t, tests[i].insns, tests[i].n) < 0) {
			t_failed++;
			continue;
		}
		if (tests[i].check != NULL)
			tests[i].check(t);
		else
			T_EQ_U64(uxdp_value(t->prog), 0,
				 "smp_processor_id off an EAL lcore");
		value_test_close(t);
	}
	test_spin_lock();
	test_probe_outside_run();
	return t_summary();
}
