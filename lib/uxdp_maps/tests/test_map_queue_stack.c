/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/* QUEUE and STACK: create rules, FIFO/LIFO order, full and empty, and
 * BPF_EXIST dropping the oldest element of a full map. */

#include <errno.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "uxdp_map.h"
#include "map_test.h"

static void
test_rules(uint32_t type)
{
	CHECK_EQ(map_test_create(type, 4, 4, 4, 0, 0, NULL), -EINVAL);
	CHECK_EQ(map_test_create(type, 0, 0, 4, 0, 0, NULL), -EINVAL);
	CHECK_EQ(map_test_create(type, 0, 4, 0, 0, 0, NULL), -EINVAL);
	CHECK_EQ(map_test_create(type, 0, 4, 4, BPF_F_NO_PREALLOC, 0, NULL), -EINVAL);
	CHECK_EQ(map_test_create(type, 0, 4, 4, BPF_F_RDONLY_PROG, 0, NULL), 0);
}

static void
test_order(uint32_t type)
{
	int stack = type == BPF_MAP_TYPE_STACK;
	struct uxdp_map *map;
	uint32_t v, out;
	uint32_t key = 0;

	CHECK_EQ(map_test_create(type, 0, 4, 3, 0, 0, &map), 0);
	CHECK_EQ(uxdp_map_pop(map, &out), -ENOENT);
	CHECK_EQ(uxdp_map_peek(map, &out), -ENOENT);
	CHECK_EQ(uxdp_map_lookup_copy(map, NULL, &out), -ENOENT);
	for (v = 1; v <= 3; v++)
		CHECK_EQ(uxdp_map_push(map, &v, BPF_ANY), 0);
	CHECK_EQ(uxdp_map_push(map, &v, BPF_ANY), -E2BIG);
	CHECK_EQ(uxdp_map_push(map, &v, BPF_NOEXIST), -EINVAL);
	CHECK_EQ(uxdp_map_push(map, &v, 4), -EINVAL);
	CHECK_EQ(uxdp_map_count(map), 3);
	/* Full with BPF_EXIST: 1, the oldest, goes. */
	v = 4;
	CHECK_EQ(uxdp_map_update(map, NULL, &v, BPF_EXIST), 0);
	CHECK_EQ(uxdp_map_peek(map, &out), 0);
	CHECK_EQ(out, stack ? 4 : 2);
	CHECK_EQ(uxdp_map_pop(map, &out), 0);
	CHECK_EQ(out, stack ? 4 : 2);
	CHECK_EQ(uxdp_map_pop(map, &out), 0);
	CHECK_EQ(out, 3);
	CHECK_EQ(uxdp_map_pop(map, &out), 0);
	CHECK_EQ(out, stack ? 2 : 4);
	CHECK_EQ(uxdp_map_pop(map, &out), -ENOENT);
	/* The syscall's other element commands. */
	CHECK(uxdp_map_lookup(map, &key) == NULL);
	CHECK_EQ(uxdp_map_delete(map, &key), -EINVAL);
	CHECK_EQ(uxdp_map_get_next_key(map, NULL, &out), -EINVAL);
	/* Wrap around many times. */
	for (v = 0; v < 100; v++) {
		CHECK_EQ(uxdp_map_push(map, &v, BPF_ANY), 0);
		CHECK_EQ(uxdp_map_pop(map, &out), 0);
		CHECK_EQ(out, v);
	}
	uxdp_map_destroy(map);
}

int
main(void)
{
	struct uxdp_map *hash;
	uint32_t v = 0;

	test_rules(BPF_MAP_TYPE_QUEUE);
	test_rules(BPF_MAP_TYPE_STACK);
	test_order(BPF_MAP_TYPE_QUEUE);
	test_order(BPF_MAP_TYPE_STACK);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_HASH, 4, 4, 4, 0, 0, &hash), 0);
	CHECK_EQ(uxdp_map_push(hash, &v, 0), -ENOTSUP);
	CHECK_EQ(uxdp_map_pop(hash, &v), -ENOTSUP);
	uxdp_map_destroy(hash);
	return checks_summary();
}
