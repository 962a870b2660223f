/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The loader finds a struct bpf_spin_lock in a map's value type (BTF)
 * and says where it is in the map's definition, so that the maps copy
 * around it and take it for BPF_F_LOCK (maps_spin_lock compares those
 * semantics with the kernel's).
 *
 * Usage: test_loader_spin_lock helper_misc.o
 * (its `counters` array holds struct { struct bpf_spin_lock lock; ... }).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_bpf.h"
#include "uxdp_map.h"
#include "test_loader_util.h"

int
main(int argc, char **argv)
{
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	const struct uxdp_map_def *def;
	struct uxdp_map *counters;
	uint8_t value[64];
	uint32_t key = 0;
	unsigned int i, n_locked = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s helper_misc.o\n", argv[0]);
		return 2;
	}
	if (uxdp_obj_load(argv[1], NULL, &obj, err, sizeof(err)) < 0) {
		printf("FAIL: cannot load %s: %s\n", argv[1], err);
		return 1;
	}
	counters = uxdp_obj_map_by_name(obj, "counters");
	CHECK(counters != NULL, "no map 'counters'");
	for (i = 0; i < uxdp_obj_map_count(obj); i++) {
		struct uxdp_map *m = uxdp_obj_map_at(obj, i);

		def = uxdp_map_get_def(m);
		if (def->has_spin_lock)
			n_locked++;
		if (m != counters && def->value_size <= sizeof(value)) {
			memset(value, 0, sizeof(value));
			/* no lock in this value: BPF_F_LOCK is refused */
			CHECK(uxdp_map_update(m, &key, value, BPF_F_LOCK) ==
			      -EINVAL || def->key_size != sizeof(key),
			      "BPF_F_LOCK accepted on %s", uxdp_map_name(m));
		}
	}
	CHECK(n_locked == 1, "%u maps with a lock, want 1", n_locked);
	if (counters != NULL) {
		def = uxdp_map_get_def(counters);
		CHECK(def->has_spin_lock && def->spin_lock_off == 0,
		      "counters: has_spin_lock %u, offset %u", def->has_spin_lock,
		      def->spin_lock_off);
		memset(value, 0xff, sizeof(value));
		CHECK(uxdp_map_update(counters, &key, value, BPF_F_LOCK) == 0,
		      "BPF_F_LOCK update of counters refused");
		memset(value, 0x55, sizeof(value));
		CHECK(uxdp_map_lookup_copy(counters, &key, value) == 0 &&
		      value[0] == 0 && value[3] == 0 && value[4] == 0xff,
		      "lock word not hidden or value not written");
	}
	uxdp_obj_close(obj);
	return test_summary();
}
