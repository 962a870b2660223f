/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/* DEVMAP and DEVMAP_HASH: the kernel's value layouts (4 and 8 bytes),
 * ifindex 0, program ids, and what programs' lookups see. */

#include <errno.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "uxdp_map.h"
#include "map_test.h"

static void
test_type(uint32_t type)
{
	int hash = type == BPF_MAP_TYPE_DEVMAP_HASH;
	struct uxdp_map *map;
	uint32_t val[2], out[2];
	uint32_t key, next;
	uint32_t *p;

	CHECK_EQ(map_test_create(type, 4, 6, 4, 0, 0, NULL), -EINVAL);
	CHECK_EQ(map_test_create(type, 8, 4, 4, 0, 0, NULL), -EINVAL);
	CHECK_EQ(map_test_create(type, 4, 4, 0, 0, 0, NULL), -EINVAL);
	CHECK_EQ(map_test_create(type, 4, 4, 4, BPF_F_RDONLY_PROG, 0, NULL), -EINVAL);
	CHECK_EQ(map_test_create(type, 4, 4, 4, 0, 0, NULL), 0);
	CHECK_EQ(map_test_create(type, 4, 8, 4, 0, 0, &map), 0);
	CHECK(uxdp_map_get_def(map)->map_flags & BPF_F_RDONLY_PROG);

	key = 2;
	CHECK(uxdp_map_lookup(map, &key) == NULL);
	CHECK_EQ(uxdp_map_lookup_copy(map, &key, out), -ENOENT);
	val[0] = 3;
	val[1] = 0;
	CHECK_EQ(uxdp_map_update(map, &key, val, 4), -EINVAL);
	CHECK_EQ(uxdp_map_update(map, &key, val, BPF_ANY), 0);
	p = uxdp_map_lookup(map, &key);
	CHECK(p != NULL && p[0] == 3 && p[1] == 0);
	out[1] = 99;
	CHECK_EQ(uxdp_map_lookup_copy(map, &key, out), 0);
	CHECK(out[0] == 3 && out[1] == 0);
	CHECK_EQ(uxdp_map_update(map, &key, val, BPF_NOEXIST), -EEXIST);
	val[1] = 7; /* names no devmap program (test_devmap_prog has them) */
	CHECK_EQ(uxdp_map_update(map, &key, val, BPF_ANY), -EINVAL);
	val[1] = (uint32_t)-1; /* fd -1: no program */
	CHECK_EQ(uxdp_map_update(map, &key, val, BPF_ANY), 0);
	val[0] = 0;
	val[1] = 0;
	if (hash) {
		CHECK_EQ(uxdp_map_update(map, &key, val, BPF_ANY), -EINVAL);
		CHECK_EQ(uxdp_map_get_next_key(map, NULL, &next), 0);
		CHECK_EQ(next, 2);
		CHECK_EQ(uxdp_map_delete(map, &key), 0);
		CHECK_EQ(uxdp_map_delete(map, &key), -ENOENT);
		key = 100;
		val[0] = 1;
		CHECK_EQ(uxdp_map_update(map, &key, val, BPF_EXIST), 0);
	} else {
		/* ifindex 0 empties the slot. */
		CHECK_EQ(uxdp_map_update(map, &key, val, BPF_ANY), 0);
		CHECK(uxdp_map_lookup(map, &key) == NULL);
		CHECK_EQ(uxdp_map_delete(map, &key), 0);
		key = 4;
		CHECK_EQ(uxdp_map_update(map, &key, val, BPF_ANY), -E2BIG);
		CHECK_EQ(uxdp_map_delete(map, &key), -EINVAL);
		CHECK_EQ(uxdp_map_get_next_key(map, NULL, &next), 0);
		CHECK_EQ(next, 0);
	}
	uxdp_map_destroy(map);
}

int
main(void)
{
	test_type(BPF_MAP_TYPE_DEVMAP);
	test_type(BPF_MAP_TYPE_DEVMAP_HASH);
	return checks_summary();
}
