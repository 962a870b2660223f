/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef TEST_LOADER_UTIL_H
#define TEST_LOADER_UTIL_H

/*
 * Counting assertions for the loader tests: a failed CHECK reports where
 * and why and the test goes on, so one run shows every failure. Each test
 * program includes this once and ends with test_summary().
 */

#include <stdio.h>

static unsigned int test_passed;
static unsigned int test_failed;

#define CHECK(cond, ...) do { \
	if (cond) { \
		test_passed++; \
	} else { \
		test_failed++; \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

static inline int
test_summary(void)
{
	printf("%u passed, %u failed\n", test_passed, test_failed);
	return test_failed == 0 && test_passed > 0 ? 0 : 1;
}

#endif /* TEST_LOADER_UTIL_H */
