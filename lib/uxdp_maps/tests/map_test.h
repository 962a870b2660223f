/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_MAP_TEST_H
#define UXDP_MAP_TEST_H

/* The tests' tiny assertion kit: stop at the first failure, naming it. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "uxdp_map.h"

static unsigned int checks_passed;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", \
			__FILE__, __LINE__, #cond); \
		exit(1); \
	} \
	checks_passed++; \
} while (0)

/* Integer equality, printing both sides on failure. */
#define CHECK_EQ(actual, expected) do { \
	long long a_ = (long long)(actual); \
	long long e_ = (long long)(expected); \
	if (a_ != e_) { \
		fprintf(stderr, "%s:%d: check failed: %s == %s (%lld != %lld)\n", \
			__FILE__, __LINE__, #actual, #expected, a_, e_); \
		exit(1); \
	} \
	checks_passed++; \
} while (0)

static inline int
checks_summary(void)
{
	printf("%u passed, 0 failed\n", checks_passed);
	return 0;
}

/* Create a process-private map from these fields: uxdp_map_create()'s
 * result, the map in *out, or destroyed at once when out is NULL (tests of
 * refused definitions). */
static inline int
map_test_create(uint32_t type, uint32_t key_size, uint32_t value_size,
		uint32_t max, uint32_t flags, uint64_t extra,
		struct uxdp_map **out)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max, .map_flags = flags, .map_extra = extra,
	};
	struct uxdp_map *map = NULL;
	int ret = uxdp_map_create("test", &def, UXDP_MEM_HEAP, &map);

	if (out != NULL)
		*out = map;
	else
		uxdp_map_destroy(map);
	return ret;
}

/* xorshift64*: a small seeded generator so every run is reproducible. */
static inline uint64_t
test_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

#endif /* UXDP_MAP_TEST_H */
