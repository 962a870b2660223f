/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/* BLOOM_FILTER (no false negatives, few false positives, create rules)
 * and PERF_EVENT_ARRAY (accepted, every slot empty). */

#include <errno.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "uxdp_map.h"
#include "map_test.h"

static void
test_bloom(uint64_t extra)
{
	struct uxdp_map *map;
	unsigned int false_pos = 0;
	uint64_t v;

	CHECK_EQ(map_test_create(BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 1000, 0, extra,
			   &map), 0);
	for (v = 0; v < 1000; v++)
		CHECK_EQ(uxdp_map_push(map, &v, BPF_ANY), 0);
	for (v = 0; v < 1000; v++) {
		CHECK_EQ(uxdp_map_peek(map, &v), 0);
		CHECK_EQ(uxdp_map_lookup_copy(map, NULL, &v), 0);
	}
	for (v = 1000000; v < 1010000; v++)
		false_pos += uxdp_map_peek(map, &v) == 0;
	/* About 3% with 5 hashes at this size; far below 20% in any case. */
	CHECK(false_pos < 2000);
	CHECK_EQ(uxdp_map_push(map, &v, BPF_EXIST), -EINVAL);
	CHECK_EQ(uxdp_map_pop(map, &v), -EOPNOTSUPP);
	CHECK_EQ(uxdp_map_get_next_key(map, NULL, &v), -EOPNOTSUPP);
	uxdp_map_destroy(map);
}

static void
test_perf_event_array(void)
{
	struct uxdp_map *map;
	uint32_t key = 0, fd = 3;
	uint8_t data[4] = { 0 };

	CHECK_EQ(map_test_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 8, 4, 0, 0, NULL),
		 -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4,
			   BPF_F_RDONLY_PROG, 0, NULL), -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, 0, 0, &map),
		 0);
	CHECK_EQ(uxdp_map_update(map, &key, &fd, BPF_ANY), -EOPNOTSUPP);
	CHECK_EQ(uxdp_map_delete(map, &key), -ENOENT);
	CHECK_EQ(uxdp_perf_event_output(map, 0, data, 4), -ENOENT);
	CHECK_EQ(uxdp_perf_event_output(map, BPF_F_CURRENT_CPU, data, 4),
		 -ENOENT);
	CHECK_EQ(uxdp_perf_event_output(map, 4, data, 4), -E2BIG);
	CHECK_EQ(uxdp_perf_event_output(map, 1ull << 60, data, 4), -EINVAL);
	uxdp_map_destroy(map);
}

int
main(void)
{
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_BLOOM_FILTER, 4, 8, 10, 0, 0, NULL),
		 -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_BLOOM_FILTER, 0, 0, 10, 0, 0, NULL),
		 -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 0, 0, 0, NULL),
		 -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 10, 0, 16, NULL),
		 -EINVAL);
	/* map_extra belongs to bloom filters only, as in the kernel */
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_HASH, 4, 8, 10, 0, 3, NULL), -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_ARRAY, 4, 8, 10, 0, 1, NULL), -EINVAL);
	test_bloom(0);
	test_bloom(3);
	test_bloom(15);
	test_perf_event_array();
	return checks_summary();
}
