/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/* LPM_TRIE: create rules, longest-prefix match, update/delete rules and
 * the kernel's walk order (longer prefixes before the ones covering them,
 * a 0 bit before a 1 bit). The kernel itself is compared in
 * test_map_kernel_diff_types.c. */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map.h"
#include "map_test.h"

struct v4_key {
	uint32_t prefixlen;
	uint8_t addr[4];
};

static struct v4_key
k4(uint32_t plen, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct v4_key k = { plen, { a, b, c, d } };

	return k;
}

static int
create_rc(uint32_t key_size, uint32_t value_size, uint32_t max,
	  uint32_t flags)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_LPM_TRIE, .key_size = key_size,
		.value_size = value_size, .max_entries = max,
		.map_flags = flags,
	};
	struct uxdp_map *map = NULL;
	int ret = uxdp_map_create("lpm", &def, UXDP_MEM_HEAP, &map);

	uxdp_map_destroy(map);
	return ret;
}

static uint32_t
match(struct uxdp_map *map, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct v4_key k = k4(32, a, b, c, d);
	uint32_t *v = uxdp_map_lookup(map, &k);

	return v != NULL ? *v : 0;
}

int
main(void)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_LPM_TRIE, .key_size = 8, .value_size = 4,
		.max_entries = 8, .map_flags = BPF_F_NO_PREALLOC,
	};
	struct v4_key keys[] = {
		k4(8, 10, 0, 0, 0), k4(16, 10, 1, 0, 0), k4(24, 10, 1, 2, 0),
		k4(0, 0, 0, 0, 0), k4(16, 10, 128, 0, 0), k4(32, 10, 1, 2, 3),
		k4(1, 128, 0, 0, 0),
	};
	/* The kernel's post-order walk of those prefixes. */
	static const unsigned int walk[] = { 5, 2, 1, 4, 0, 6, 3 };
	struct uxdp_map *map = NULL;
	struct v4_key k, next;
	uint32_t v, out;
	unsigned int i;

	CHECK_EQ(create_rc(8, 4, 8, 0), -EINVAL); /* needs NO_PREALLOC */
	CHECK_EQ(create_rc(4, 4, 8, BPF_F_NO_PREALLOC), -EINVAL);
	CHECK_EQ(create_rc(261, 4, 8, BPF_F_NO_PREALLOC), -EINVAL);
	CHECK_EQ(create_rc(260, 4, 8, BPF_F_NO_PREALLOC), 0);
	CHECK_EQ(create_rc(8, 0, 8, BPF_F_NO_PREALLOC), -EINVAL);
	CHECK_EQ(create_rc(8, 4, 0, BPF_F_NO_PREALLOC), -EINVAL);
	CHECK_EQ(create_rc(8, 4, 8, BPF_F_NO_PREALLOC | BPF_F_ZERO_SEED),
		 -EINVAL);

	CHECK_EQ(uxdp_map_create("lpm", &def, UXDP_MEM_HEAP, &map), 0);
	CHECK_EQ(uxdp_map_get_next_key(map, NULL, &next), -ENOENT);
	CHECK_EQ(match(map, 10, 1, 2, 3), 0);
	for (i = 0; i < (sizeof(keys) / sizeof(keys[0])); i++) {
		v = 100 + i;
		CHECK_EQ(uxdp_map_update(map, &keys[i], &v, BPF_NOEXIST), 0);
	}
	CHECK_EQ(uxdp_map_count(map), 7);

	CHECK_EQ(match(map, 10, 1, 2, 3), 105);
	CHECK_EQ(match(map, 10, 1, 2, 4), 102);
	CHECK_EQ(match(map, 10, 1, 3, 4), 101);
	CHECK_EQ(match(map, 10, 2, 3, 4), 100);
	CHECK_EQ(match(map, 10, 128, 3, 4), 104);
	CHECK_EQ(match(map, 10, 200, 3, 4), 100);
	CHECK_EQ(match(map, 11, 0, 0, 1), 103);
	CHECK_EQ(match(map, 200, 0, 0, 1), 106);
	/* The key's own prefixlen limits the match. */
	k = k4(20, 10, 1, 2, 3);
	CHECK_EQ(*(uint32_t *)uxdp_map_lookup(map, &k), 101);
	CHECK_EQ(uxdp_map_lookup_copy(map, &k, &out), 0);
	CHECK_EQ(out, 101);

	/* Walk order. */
	CHECK_EQ(uxdp_map_get_next_key(map, NULL, &next), 0);
	for (i = 0; i < (sizeof(walk) / sizeof(walk[0])); i++) {
		CHECK_EQ(next.prefixlen, keys[walk[i]].prefixlen);
		CHECK(memcmp(next.addr, keys[walk[i]].addr, 4) == 0);
		k = next;
		if (i + 1 < (sizeof(walk) / sizeof(walk[0])))
			CHECK_EQ(uxdp_map_get_next_key(map, &k, &next), 0);
	}
	CHECK_EQ(uxdp_map_get_next_key(map, &k, &next), -ENOENT);
	/* An absent key restarts the walk. */
	k = k4(9, 10, 0, 0, 0);
	CHECK_EQ(uxdp_map_get_next_key(map, &k, &next), 0);
	CHECK_EQ(next.prefixlen, 32);

	/* Update rules. */
	v = 7;
	k = k4(33, 10, 0, 0, 0);
	CHECK_EQ(uxdp_map_update(map, &k, &v, BPF_ANY), -EINVAL);
	CHECK_EQ(uxdp_map_delete(map, &k), -EINVAL);
	k = k4(8, 10, 99, 99, 99); /* bits past the prefix do not count */
	CHECK_EQ(uxdp_map_update(map, &k, &v, BPF_NOEXIST), -EEXIST);
	CHECK_EQ(uxdp_map_update(map, &k, &v, BPF_EXIST), 0);
	CHECK_EQ(match(map, 10, 2, 3, 4), 7);
	CHECK_EQ(uxdp_map_update(map, &k, &v, 4), -EINVAL);
	k = k4(12, 10, 0, 0, 0);
	CHECK_EQ(uxdp_map_update(map, &k, &v, BPF_EXIST), -ENOENT);
	CHECK_EQ(uxdp_map_update(map, &k, &v, BPF_ANY), 0); /* 8th */
	k = k4(13, 10, 0, 0, 0);
	CHECK_EQ(uxdp_map_update(map, &k, &v, BPF_ANY), -ENOSPC);

	/* Delete: exact prefixes only. */
	k = k4(24, 10, 1, 2, 0);
	CHECK_EQ(uxdp_map_delete(map, &k), 0);
	CHECK_EQ(uxdp_map_delete(map, &k), -ENOENT);
	CHECK_EQ(match(map, 10, 1, 2, 4), 101);
	CHECK_EQ(match(map, 10, 1, 2, 3), 105);
	CHECK_EQ(uxdp_map_update(map, &k, &v, BPF_ANY), 0);
	CHECK_EQ(uxdp_map_count(map), 8);
	uxdp_map_destroy(map);
	return checks_summary();
}
