/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The negative corpus (negative_corpus.h) under the sandbox alone: each
 * program the own analysis refuses is loaded with UXDP_VERIFY_NONE and
 * then run with prog->verify = UXDP_VERIFY_SANDBOX and no guard table
 * (every access checked), on a packet that makes its bad access happen.
 *
 * What each must give is written per case: most end as XDP_ABORTED with
 * one fault counted. A few stay inside memory the run owns, which the
 * sandbox contains without a fault: a read of stack nothing wrote (the
 * run's own frames), a read just above the program's frame (the entry
 * frame is the lowest of the run's frame block, the callees' frames are
 * above it: still the run's own stack), a read past a map value (inside
 * the map's block: reads there are allowed, writes are held to the value
 * bytes) and a ringbuf record used without a NULL check when the
 * reservation succeeded. For those, the run ends normally with no
 * fault. Either way the frame around the packet and a host canary are
 * untouched. Arguments: [--engine jit] NAME=OBJECT for the map cases.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "test_interp_insn.h"
#include "negative_corpus.h"
#include "uxdp_map.h"

enum outcome { FAULT, CONTAINED };

struct expect {
	const char *name;      /* a case of negative_corpus.h */
	uint32_t pkt_len;      /* the packet that makes the access happen */
	bool fill_key0;        /* hmap holds key 0 (rx_queue_index 0) */
	enum outcome outcome;
};

static const struct expect expects[] = {
	{ "packet read without a bounds check", 0, false, FAULT },
	{ "packet read past the checked 14 bytes", 14, false, FAULT },
	{ "packet write past a data_end < check", 10, false, FAULT },
	{ "metadata read without a check against data", 0, false, FAULT },
	{ "dereference of data_end", 60, false, FAULT },
	{ "dereference of a scalar", 60, false, FAULT },
	{ "store through a computed scalar", 60, false, FAULT },
	{ "stack store below the frame through a copy of r10", 60, false,
	  FAULT },
	{ "stack read above the frame through a copy of r10", 60, false,
	  CONTAINED },
	{ "read of uninitialised stack", 60, false, CONTAINED },
	{ "read of stack written on no path", 60, false, CONTAINED },
	{ "null_deref", 60, false, FAULT },
	{ "null_check_other", 60, true, FAULT },
	{ "ringbuf_null", 60, false, CONTAINED },
	{ "rodata_store", 60, false, FAULT },
	{ "map_value_oob", 60, true, CONTAINED },
};

static const uint64_t canary_init[4] = {
	0x1111111111111111ull, 0x2222222222222222ull,
	0x3333333333333333ull, 0x4444444444444444ull,
};
static uint64_t canary[4];

static struct t_frame frame, expect_frame;

static const struct expect *
expect_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(expects); i++)
		if (strcmp(expects[i].name, name) == 0)
			return &expects[i];
	return NULL;
}

static void
run_case(const char *name, struct uxdp_obj *obj)
{
	const struct expect *e = expect_of(name);
	struct uxdp_prog *prog = uxdp_obj_prog_at(obj, 0);
	uint8_t pkt[64];
	uint64_t before, faults;
	uint32_t verdict;

	if (e == NULL) {
		T_CHECK(0, "%s: no expectation written for this case", name);
		return;
	}
	if (e->fill_key0) {
		struct uxdp_map *m = uxdp_obj_map_by_name(obj, "hmap");
		uint32_t key = 0;
		uint64_t val = 7;

		T_CHECK(m != NULL && uxdp_map_update(m, &key, &val, 0) == 0,
			"%s: filling hmap", name);
	}
	/* The contract's test hook: no analysis, every access checked. */
	prog->verify = UXDP_VERIFY_SANDBOX;
	if (t_use_engine(prog) < 0)
		return;
	memset(pkt, 0x5a, sizeof(pkt));
	t_frame_init(&frame, pkt, e->pkt_len);
	memcpy(&expect_frame, &frame, sizeof(frame));
	memcpy(canary, canary_init, sizeof(canary));

	before = uxdp_prog_sandbox_faults(prog);
	verdict = uxdp_prog_run(prog, &frame.buff);
	faults = uxdp_prog_sandbox_faults(prog) - before;
	if (e->outcome == FAULT) {
		T_EQ_U64(verdict, UXDP_ABORTED, name);
		T_EQ_U64(faults, 1, name);
	} else {
		T_EQ_U64(faults, 0, name);
	}
	/* Writes the program may make stay in the packet bytes; none of
	 * the corpus writes the packet where it may. */
	T_CHECK(memcmp(frame.mem, expect_frame.mem, sizeof(frame.mem)) == 0,
		"%s: frame memory changed", name);
	T_CHECK(memcmp(canary, canary_init, sizeof(canary)) == 0,
		"%s: host canary changed", name);
	printf("%-52s len %2u -> %-12s faults %" PRIu64 "\n", name,
	       e->pkt_len, uxdp_action_name(verdict), faults);
}

int
main(int argc, char **argv)
{
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj;
	unsigned int i;
	int a, ret;

	t_parse_engine(argc, argv);
	for (i = 0; i < RTE_DIM(uxdp_negative_raw); i++) {
		const struct uxdp_negative_case *c = &uxdp_negative_raw[i];

		obj = NULL;
		err[0] = '\0';
		ret = uxdp_obj_from_insns_verify("neg", c->insns, c->n_insns,
						 UXDP_VERIFY_NONE, &obj, err,
						 sizeof(err));
		T_CHECK(ret == 0, "%s: load under none: %s", c->name, err);
		if (ret == 0)
			run_case(c->name, obj);
		uxdp_obj_close(obj);
	}
	for (i = 0; i < RTE_DIM(uxdp_negative_objs); i++) {
		const struct uxdp_negative_obj_case *c = &uxdp_negative_objs[i];
		size_t len = strlen(c->name);
		const char *path = NULL;

		for (a = 1; a < argc; a++)
			if (strncmp(argv[a], c->name, len) == 0 &&
			    argv[a][len] == '=')
				path = argv[a] + len + 1;
		T_CHECK(path != NULL, "%s: no object given", c->name);
		if (path == NULL)
			continue;
		obj = NULL;
		err[0] = '\0';
		ret = uxdp_obj_load(path, NULL, &obj, err, sizeof(err));
		T_CHECK(ret == 0, "%s: load under none: %s", c->name, err);
		if (ret == 0)
			run_case(c->name, obj);
		uxdp_obj_close(obj);
	}
	return t_summary();
}
