/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Two processes and three threads on the same maps for a bounded time,
 * then every invariant checked:
 *  - counters: both lcores of the primary and the secondary add 1 to
 *    random ARRAY values (the atomic add of a program); each value must
 *    equal the sum of the increments the three report for it;
 *  - churn: primary lcore 1 and the secondary insert, replace and delete
 *    keys of a HASH whose values carry a checksum, while the primary's
 *    main lcore and the secondary read them; no read may see a torn value
 *    or another key's value, and the final count must equal the
 *    successful inserts minus deletes of both processes;
 *  - ringbuf: primary lcore 1 produces numbered records, the secondary
 *    consumes them; it must get every one produced, in order.
 * The maps also carry the processes' handshake (the "mpc_ctl" array).
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>

#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "uxdp_map.h"
#include "map_test.h"
#include "mp_env.h"

#define RUN_MS 1500
#define N_CTR 16
#define N_CHURN_KEYS 96   /* more keys than elements: inserts can fail */
#define CHURN_MAX 64

/* The control array: a phase word and the secondary's report. */
enum {
	CTL_PHASE,       /* below */
	CTL_RB_PRODUCED, /* records the primary produced, once stopped */
	CTL_SEC_INS,
	CTL_SEC_DEL,
	CTL_SEC_READS,
	CTL_SEC_HITS,
	CTL_SEC_BAD,
	CTL_SEC_RB_GOT,
	CTL_SEC_RB_BAD,
	CTL_N,
};

enum {
	PH_CREATED, PH_ATTACHED, PH_GO, PH_STOP, PH_PRODUCED,
};

struct churn_val {
	uint32_t key;
	uint32_t gen;
	uint64_t a;
	uint64_t b;
	uint64_t check;
};

struct rb_rec {
	uint64_t seq;
	uint64_t inv;
};

struct maps {
	struct uxdp_map *ctl, *counters, *sec_counts, *churn, *rb;
};

/* What one thread did. */
struct tally {
	uint64_t inc[N_CTR];
	uint64_t ins, del, reads, hits, bad;
	uint64_t produced;
	uint64_t rng;
};

static struct maps m;

static uint64_t
checksum(const struct churn_val *v)
{
	uint64_t x = ((uint64_t)v->key << 32 | v->gen) ^ v->a * 3 ^ v->b * 5;

	x ^= x >> 29;
	return x * 0xbf58476d1ce4e5b9ull;
}

static volatile uint64_t *
ctl(uint32_t idx)
{
	return uxdp_map_lookup(m.ctl, &idx);
}

static uint64_t
phase(void)
{
	return __atomic_load_n(ctl(CTL_PHASE), __ATOMIC_ACQUIRE);
}

static void
set_phase(uint64_t ph)
{
	__atomic_store_n(ctl(CTL_PHASE), ph, __ATOMIC_RELEASE);
}

static int
wait_phase(uint64_t ph, unsigned int timeout_ms)
{
	struct timespec t = { .tv_nsec = 1000 * 1000 };
	unsigned int ms;

	for (ms = 0; ms < timeout_ms; ms++) {
		if (phase() >= ph)
			return 0;
		nanosleep(&t, NULL);
	}
	return -1;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
count_once(struct tally *t)
{
	uint32_t k = test_rand(&t->rng) % N_CTR;
	uint64_t *p = uxdp_map_lookup(m.counters, &k);

	__atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
	t->inc[k]++;
}

static void
churn_write_once(struct tally *t, uint32_t writer)
{
	uint64_t r = test_rand(&t->rng);
	uint32_t k = r % N_CHURN_KEYS;
	struct churn_val v = {
		.key = k, .gen = (uint32_t)(r >> 32) | writer,
		.a = r * 7, .b = ~r,
	};

	v.check = checksum(&v);
	switch ((r >> 16) % 3) {
	case 0:
		if (uxdp_map_update(m.churn, &k, &v, BPF_NOEXIST) == 0)
			t->ins++;
		break;
	case 1:
		if (uxdp_map_delete(m.churn, &k) == 0)
			t->del++;
		break;
	default:
		uxdp_map_update(m.churn, &k, &v, BPF_EXIST);
		break;
	}
}

static int
churn_val_ok(const struct churn_val *v, uint32_t key)
{
	return v->key == key && v->check == checksum(v);
}

static void
churn_read_once(struct tally *t)
{
	uint32_t k = test_rand(&t->rng) % N_CHURN_KEYS;
	struct churn_val v;

	t->reads++;
	if (uxdp_map_lookup_copy(m.churn, &k, &v) != 0)
		return;
	t->hits++;
	if (!churn_val_ok(&v, k))
		t->bad++;
}

static void
produce_once(struct tally *t)
{
	struct rb_rec r = { .seq = t->produced, .inv = ~t->produced };

	if (uxdp_ringbuf_output(m.rb, &r, sizeof(r), 0) == 0)
		t->produced++;
}

/* Primary lcore 1: counters, churn writes and the ringbuf producer. */
static int
primary_writer(void *arg)
{
	struct tally *t = arg;

	while (phase() == PH_GO) {
		count_once(t);
		churn_write_once(t, 0);
		produce_once(t);
	}
	return 0;
}

struct rb_consumer {
	uint64_t next;
	uint64_t bad;
};

static int
consume_cb(void *ctx, const void *data, uint32_t size)
{
	struct rb_consumer *c = ctx;
	struct rb_rec r;

	if (size != sizeof(r)) {
		c->bad++;
		return 0;
	}
	memcpy(&r, data, sizeof(r));
	if (r.seq != c->next || r.inv != ~r.seq)
		c->bad++;
	c->next++;
	return 0;
}

static struct uxdp_map *
attach(const char *name)
{
	struct uxdp_map *map = NULL;

	CHECK_EQ(uxdp_map_attach(name, &map), 0);
	return map;
}

/* The secondary: counters, churn writes and reads, ringbuf consumer. */
static int
run_secondary(int argc, char **argv)
{
	struct tally t = { .rng = 0x5ec0 };
	struct rb_consumer c = { 0 };
	uint64_t produced, t0;
	uint32_t k;

	if (mp_env_eal_init(argc, argv, "2@(0,1)") < 0)
		return 1;
	m.ctl = attach("mpc_ctl");
	m.counters = attach("mpc_counters");
	m.sec_counts = attach("mpc_sec_counts");
	m.churn = attach("mpc_churn");
	m.rb = attach("mpc_rb");
	set_phase(PH_ATTACHED);
	CHECK_EQ(wait_phase(PH_GO, 10000), 0);

	while (phase() == PH_GO) {
		count_once(&t);
		churn_write_once(&t, 1);
		churn_read_once(&t);
		uxdp_ringbuf_consume(m.rb, consume_cb, &c);
	}
	/* The rest of the records, up to the count the primary posts. */
	CHECK_EQ(wait_phase(PH_PRODUCED, 10000), 0);
	produced = *ctl(CTL_RB_PRODUCED);
	for (t0 = now_ms(); c.next < produced && now_ms() - t0 < 5000;)
		uxdp_ringbuf_consume(m.rb, consume_cb, &c);

	for (k = 0; k < N_CTR; k++)
		CHECK_EQ(uxdp_map_update(m.sec_counts, &k, &t.inc[k], BPF_ANY),
			 0);
	*ctl(CTL_SEC_INS) = t.ins;
	*ctl(CTL_SEC_DEL) = t.del;
	*ctl(CTL_SEC_READS) = t.reads;
	*ctl(CTL_SEC_HITS) = t.hits;
	*ctl(CTL_SEC_BAD) = t.bad;
	*ctl(CTL_SEC_RB_GOT) = c.next;
	*ctl(CTL_SEC_RB_BAD) = c.bad;
	rte_eal_cleanup();
	return 0;
}

static struct uxdp_map *
create(const char *name, uint32_t type, uint32_t key_size,
       uint32_t value_size, uint32_t max)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max,
	};
	struct uxdp_map *map;

	CHECK_EQ(uxdp_map_create(name, &def, UXDP_MEM_SHARED, &map), 0);
	return map;
}

int
main(int argc, char **argv)
{
	struct tally reader = { .rng = 0x11 }, writer = { .rng = 0x22 };
	uint64_t total = 0, sum, got, t0, sec_inc;
	struct churn_val v;
	uint32_t k, walked;
	unsigned int lcore;
	pid_t pid;
	int ret;

	if (mp_env_is_secondary(argc, argv))
		return run_secondary(argc, argv);
	ret = mp_env_setup("mpc");
	if (ret != 0)
		return ret;
	if (mp_env_eal_init(argc, argv, "0-1") < 0)
		return 1;
	lcore = rte_get_next_lcore(-1, 1, 0);
	CHECK(lcore < RTE_MAX_LCORE);

	m.ctl = create("mpc_ctl", BPF_MAP_TYPE_ARRAY, 4, 8, CTL_N);
	m.counters = create("mpc_counters", BPF_MAP_TYPE_ARRAY, 4, 8, N_CTR);
	m.sec_counts = create("mpc_sec_counts", BPF_MAP_TYPE_ARRAY, 4, 8,
			      N_CTR);
	m.churn = create("mpc_churn", BPF_MAP_TYPE_HASH, 4,
			 sizeof(struct churn_val), CHURN_MAX);
	m.rb = create("mpc_rb", BPF_MAP_TYPE_RINGBUF, 0, 0, 64 << 10);

	pid = mp_env_spawn_secondary();
	CHECK(pid > 0);
	if (wait_phase(PH_ATTACHED, 15000) < 0) {
		fprintf(stderr, "the secondary never attached\n");
		mp_env_wait(pid, 1);
		return 1;
	}
	set_phase(PH_GO);
	CHECK_EQ(rte_eal_remote_launch(primary_writer, &writer, lcore), 0);
	for (t0 = now_ms(); now_ms() - t0 < RUN_MS;) {
		count_once(&reader);
		churn_read_once(&reader);
	}
	set_phase(PH_STOP);
	CHECK_EQ(rte_eal_wait_lcore(lcore), 0);
	*ctl(CTL_RB_PRODUCED) = writer.produced;
	set_phase(PH_PRODUCED);
	CHECK_EQ(mp_env_wait(pid, 20), 0);

	/* Counters: no increment lost, none counted twice. */
	for (k = 0; k < N_CTR; k++) {
		CHECK_EQ(uxdp_map_lookup_copy(m.counters, &k, &got), 0);
		CHECK_EQ(uxdp_map_lookup_copy(m.sec_counts, &k, &sec_inc), 0);
		sum = reader.inc[k] + writer.inc[k] + sec_inc;
		CHECK_EQ(got, sum);
		CHECK(reader.inc[k] > 0 && writer.inc[k] > 0 && sec_inc > 0);
		total += got;
	}
	/* Churn: no torn or foreign value on either side, counts add up. */
	CHECK_EQ(reader.bad, 0);
	CHECK_EQ(*ctl(CTL_SEC_BAD), 0);
	CHECK(reader.hits > 0 && *ctl(CTL_SEC_HITS) > 0);
	CHECK_EQ(uxdp_map_count(m.churn),
		 writer.ins - writer.del + *ctl(CTL_SEC_INS) -
		 *ctl(CTL_SEC_DEL));
	walked = 0;
	for (ret = uxdp_map_get_next_key(m.churn, NULL, &k); ret == 0;
	     ret = uxdp_map_get_next_key(m.churn, &k, &k)) {
		CHECK_EQ(uxdp_map_lookup_copy(m.churn, &k, &v), 0);
		CHECK(churn_val_ok(&v, k));
		walked++;
	}
	CHECK_EQ(walked, uxdp_map_count(m.churn));
	/* Ringbuf: every record, in order. */
	CHECK(writer.produced > 0);
	CHECK_EQ(*ctl(CTL_SEC_RB_GOT), writer.produced);
	CHECK_EQ(*ctl(CTL_SEC_RB_BAD), 0);

	printf("%d ms: %llu increments; churn: primary %llu inserts %llu "
	       "deletes, secondary %llu/%llu, reads %llu + %llu (hits %llu + "
	       "%llu); ringbuf %llu records\n", RUN_MS,
	       (unsigned long long)total, (unsigned long long)writer.ins,
	       (unsigned long long)writer.del,
	       (unsigned long long)*ctl(CTL_SEC_INS),
	       (unsigned long long)*ctl(CTL_SEC_DEL),
	       (unsigned long long)reader.reads,
	       (unsigned long long)*ctl(CTL_SEC_READS),
	       (unsigned long long)reader.hits,
	       (unsigned long long)*ctl(CTL_SEC_HITS),
	       (unsigned long long)writer.produced);
	uxdp_map_destroy(m.ctl);
	uxdp_map_destroy(m.counters);
	uxdp_map_destroy(m.sec_counts);
	uxdp_map_destroy(m.churn);
	uxdp_map_destroy(m.rb);
	rte_eal_cleanup();
	return checks_summary();
}
