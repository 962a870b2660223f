/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/* BPF_MAP_TYPE_ARRAY in heap memory: every rule of the kernel's array map. */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/bpf.h>

#include "uxdp_map.h"
#include "uxdp_map_impl.h"
#include "map_test.h"

static struct uxdp_map *
new_array(uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = 4,
		.value_size = value_size, .max_entries = max_entries,
		.map_flags = flags,
	};
	struct uxdp_map *map = NULL;

	CHECK_EQ(uxdp_map_create("arr", &def, UXDP_MEM_HEAP, &map), 0);
	CHECK(map != NULL);
	return map;
}

static int
create_rc(uint32_t type, uint32_t key_size, uint32_t value_size,
	  uint32_t max_entries, uint32_t flags)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max_entries, .map_flags = flags,
	};
	struct uxdp_map *map = (struct uxdp_map *)&def; /* must be reset */
	int ret;

	ret = uxdp_map_create("x", &def, UXDP_MEM_HEAP, &map);
	if (ret == 0) {
		CHECK(map != NULL);
		CHECK_EQ(uxdp_map_get_def(map)->map_flags, flags);
		uxdp_map_destroy(map);
	} else {
		CHECK(map == NULL);
	}
	return ret;
}

static void
test_create_rules(void)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
		.max_entries = 1,
	};
	struct uxdp_map *map;

	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 1, 1, 0), 0);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 0, 4, 4, 0), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 3, 4, 4, 0), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 8, 4, 4, 0), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 0, 4, 0), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 0, 0), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 0x80000000u, 1, 0), -E2BIG);

	/* Flags: what global data sections and access control use is
	 * accepted and kept; contradictions and hash-only flags are not. */
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4,
			   BPF_F_RDONLY_PROG | BPF_F_MMAPABLE), 0);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_MMAPABLE), 0);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_RDONLY), 0);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_WRONLY), 0);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_WRONLY_PROG), 0);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_INNER_MAP), 0);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4,
			   BPF_F_RDONLY | BPF_F_WRONLY), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4,
			   BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_NO_PREALLOC),
		 -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_ZERO_SEED),
		 -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_PRESERVE_ELEMS),
		 -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 1u << 30), -EINVAL);

	/* Types: unknown numbers are invalid, known but absent ones are not
	 * supported. */
	CHECK_EQ(create_rc(BPF_MAP_TYPE_UNSPEC, 4, 4, 4, 0), -EINVAL);
	CHECK_EQ(create_rc(1000, 4, 4, 4, 0), -EINVAL);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_CPUMAP, 4, 4, 4, 0), -ENOTSUP);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_XSKMAP, 4, 4, 4, 0), -ENOTSUP);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_STACK_TRACE, 4, 8, 4, 0), -ENOTSUP);
	CHECK_EQ(create_rc(BPF_MAP_TYPE_USER_RINGBUF, 0, 0, 4096, 0), -ENOTSUP);

	/* Bad arguments. */
	CHECK_EQ(uxdp_map_create("x", NULL, UXDP_MEM_HEAP, &map), -EINVAL);
	CHECK_EQ(uxdp_map_create("x", &def, UXDP_MEM_HEAP, NULL), -EINVAL);
	CHECK_EQ(uxdp_map_create("x", &def, (enum uxdp_mem_kind)7, &map),
		 -EINVAL);
}

static void
test_names(void)
{
	char long_name[100];
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
		.max_entries = 2,
	};
	struct uxdp_map *map;

	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	CHECK_EQ(uxdp_map_create(long_name, &def, UXDP_MEM_HEAP, &map), 0);
	CHECK_EQ(strlen(uxdp_map_name(map)), UXDP_MAP_NAME_MAX - 1);
	CHECK(strncmp(uxdp_map_name(map), long_name, UXDP_MAP_NAME_MAX - 1) == 0);
	uxdp_map_destroy(map);

	CHECK_EQ(uxdp_map_create(NULL, &def, UXDP_MEM_HEAP, &map), 0);
	CHECK(strcmp(uxdp_map_name(map), "") == 0);
	CHECK(memcmp(uxdp_map_get_def(map), &def, sizeof(def)) == 0);
	uxdp_map_destroy(map);

	map = new_array(4, 2, 0);
	CHECK(strcmp(uxdp_map_name(map), "arr") == 0);
	uxdp_map_destroy(map);
	CHECK(uxdp_map_name(NULL) == NULL);
	CHECK(uxdp_map_get_def(NULL) == NULL);
}

/* New arrays read as zeros; values sit at round_up(value_size, 8). */
static void
test_zero_fill_and_stride(uint32_t value_size)
{
	const uint32_t max = 37;
	struct uxdp_map *map = new_array(value_size, max, 0);
	uint8_t zero[72] = { 0 };
	uint8_t got[72];
	uint32_t i;

	for (i = 0; i < max; i++) {
		uint8_t *v = uxdp_map_lookup(map, &i);

		CHECK(v != NULL);
		CHECK_EQ((uintptr_t)v % 8, 0);
		CHECK(memcmp(v, zero, value_size) == 0);
		memset(got, 0xa5, sizeof(got));
		CHECK_EQ(uxdp_map_lookup_copy(map, &i, got), 0);
		CHECK(memcmp(got, zero, value_size) == 0);
		CHECK_EQ(got[value_size], 0xa5); /* copies value_size bytes only */
		if (i > 0)
			CHECK_EQ(v - (uint8_t *)uxdp_map_lookup(map, &(uint32_t){ i - 1 }),
				 (value_size + 7) / 8 * 8);
	}
	CHECK_EQ(uxdp_map_count(map), max);
	uxdp_map_destroy(map);
}

static void
test_update_rules(uint32_t value_size)
{
	const uint32_t max = 16;
	struct uxdp_map *map = new_array(value_size, max, 0);
	uint8_t val[64], got[64], zero[64] = { 0 };
	uint32_t i, idx;

	for (i = 0; i < value_size; i++)
		val[i] = (uint8_t)(0x11 * (i + 1));

	idx = 3;
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_ANY), 0);
	CHECK_EQ(uxdp_map_lookup_copy(map, &idx, got), 0);
	CHECK(memcmp(got, val, value_size) == 0);
	CHECK(memcmp(uxdp_map_lookup(map, &idx), val, value_size) == 0);
	/* The neighbours did not move, not even for a 1-byte value. */
	idx = 2;
	CHECK_EQ(uxdp_map_lookup_copy(map, &idx, got), 0);
	CHECK(memcmp(got, zero, value_size) == 0);
	idx = 4;
	CHECK_EQ(uxdp_map_lookup_copy(map, &idx, got), 0);
	CHECK(memcmp(got, zero, value_size) == 0);

	idx = 3;
	val[0] ^= 0xff;
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_EXIST), 0);
	CHECK_EQ(uxdp_map_lookup_copy(map, &idx, got), 0);
	CHECK(memcmp(got, val, value_size) == 0);

	/* Every index exists. */
	val[0] ^= 0xff;
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_NOEXIST), -EEXIST);
	CHECK_EQ(uxdp_map_lookup_copy(map, &idx, got), 0);
	CHECK(got[0] != val[0]); /* the refused update changed nothing */

	/* Bad flags: BPF_F_LOCK needs a spin lock in the value. */
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_EXIST + 1), -EINVAL);
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_F_LOCK), -EINVAL);
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_F_LOCK | BPF_EXIST),
		 -EINVAL);
	CHECK_EQ(uxdp_map_update(map, &idx, val, 1ull << 40), -EINVAL);

	/* Out of range: -E2BIG on update (before the NOEXIST rule), -ENOENT
	 * and NULL on lookup. */
	idx = max;
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_ANY), -E2BIG);
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_NOEXIST), -E2BIG);
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_EXIST), -E2BIG);
	CHECK(uxdp_map_lookup(map, &idx) == NULL);
	CHECK_EQ(uxdp_map_lookup_copy(map, &idx, got), -ENOENT);
	idx = UINT32_MAX;
	CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_ANY), -E2BIG);
	CHECK(uxdp_map_lookup(map, &idx) == NULL);

	/* No deletes, in range or not. */
	idx = 3;
	CHECK_EQ(uxdp_map_delete(map, &idx), -EINVAL);
	CHECK_EQ(uxdp_map_lookup_copy(map, &idx, got), 0);
	idx = max + 5;
	CHECK_EQ(uxdp_map_delete(map, &idx), -EINVAL);

	/* A write through the lookup pointer (what a program does) is what
	 * the control plane then reads. */
	idx = 7;
	memset(uxdp_map_lookup(map, &idx), 0x5a, value_size);
	CHECK_EQ(uxdp_map_lookup_copy(map, &idx, got), 0);
	CHECK_EQ(got[value_size - 1], 0x5a);
	CHECK_EQ(uxdp_map_count(map), max);
	uxdp_map_destroy(map);
}

/* Keys need not be aligned: programs pass stack pointers of any offset. */
static void
test_unaligned_key(void)
{
	struct uxdp_map *map = new_array(8, 300, 0);
	uint8_t buf[16];
	uint32_t idx = 258;
	uint64_t val = 0x0102030405060708ull, got = 0;

	memcpy(buf + 1, &idx, sizeof(idx));
	CHECK_EQ(uxdp_map_update(map, buf + 1, &val, BPF_ANY), 0);
	CHECK_EQ(uxdp_map_lookup_copy(map, &idx, &got), 0);
	CHECK_EQ(got, val);
	uxdp_map_destroy(map);
}

static void
test_get_next_key(void)
{
	const uint32_t max = 10;
	struct uxdp_map *map = new_array(4, max, 0);
	uint8_t seen[10] = { 0 };
	uint32_t key, next, steps = 0;
	int ret;

	CHECK_EQ(uxdp_map_get_next_key(map, NULL, &next), 0);
	CHECK_EQ(next, 0);
	key = max;
	next = 99;
	CHECK_EQ(uxdp_map_get_next_key(map, &key, &next), 0);
	CHECK_EQ(next, 0);
	key = UINT32_MAX;
	next = 99;
	CHECK_EQ(uxdp_map_get_next_key(map, &key, &next), 0);
	CHECK_EQ(next, 0);
	key = 4;
	CHECK_EQ(uxdp_map_get_next_key(map, &key, &next), 0);
	CHECK_EQ(next, 5);
	key = max - 1;
	next = 99;
	CHECK_EQ(uxdp_map_get_next_key(map, &key, &next), -ENOENT);
	CHECK_EQ(next, 99);

	/* A walk from NULL visits every index once, in order. */
	for (ret = uxdp_map_get_next_key(map, NULL, &key); ret == 0;
	     ret = uxdp_map_get_next_key(map, &key, &key)) {
		CHECK(key < max);
		CHECK_EQ(key, steps);
		seen[key]++;
		steps++;
		CHECK(steps <= max);
	}
	CHECK_EQ(ret, -ENOENT);
	CHECK_EQ(steps, max);
	for (key = 0; key < max; key++)
		CHECK_EQ(seen[key], 1);

	/* A one-entry array: the only key is also the last. */
	uxdp_map_destroy(map);
	map = new_array(4, 1, 0);
	CHECK_EQ(uxdp_map_get_next_key(map, NULL, &next), 0);
	CHECK_EQ(next, 0);
	CHECK_EQ(uxdp_map_get_next_key(map, &next, &next), -ENOENT);
	uxdp_map_destroy(map);
}

static void
test_null_arguments(void)
{
	struct uxdp_map *map = new_array(4, 4, 0);
	uint32_t key = 0, val = 0;

	CHECK(uxdp_map_lookup(NULL, &key) == NULL);
	CHECK(uxdp_map_lookup(map, NULL) == NULL);
	CHECK_EQ(uxdp_map_update(NULL, &key, &val, 0), -EINVAL);
	CHECK_EQ(uxdp_map_update(map, NULL, &val, 0), -EINVAL);
	CHECK_EQ(uxdp_map_update(map, &key, NULL, 0), -EINVAL);
	CHECK_EQ(uxdp_map_delete(NULL, &key), -EINVAL);
	CHECK_EQ(uxdp_map_delete(map, NULL), -EINVAL);
	CHECK_EQ(uxdp_map_get_next_key(NULL, NULL, &key), -EINVAL);
	CHECK_EQ(uxdp_map_get_next_key(map, &key, NULL), -EINVAL);
	CHECK_EQ(uxdp_map_lookup_copy(NULL, &key, &val), -EINVAL);
	CHECK_EQ(uxdp_map_lookup_copy(map, NULL, &val), -EINVAL);
	CHECK_EQ(uxdp_map_lookup_copy(map, &key, NULL), -EINVAL);
	CHECK_EQ(uxdp_map_count(NULL), 0);
	uxdp_map_destroy(NULL);
	uxdp_map_destroy(map);
}

/*
 * The map must hold no pointer: a byte copy of the block at another
 * address is a working, independent map (what a secondary process relies
 * on, since it maps the same bytes).
 */
static void
test_position_independent(void)
{
	struct uxdp_map *map = new_array(12, 20, 0);
	struct uxdp_map *copy;
	uint8_t val[12], got[12];
	uint32_t idx, next;

	for (idx = 0; idx < 20; idx++) {
		memset(val, (int)idx + 1, sizeof(val));
		CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_ANY), 0);
	}
	copy = mmap(NULL, map->total_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(copy != MAP_FAILED);
	memcpy(copy, map, map->total_size);
	/* Change, then free the original: the copy must not notice. */
	memset(val, 0xee, sizeof(val));
	for (idx = 0; idx < 20; idx++)
		CHECK_EQ(uxdp_map_update(map, &idx, val, BPF_ANY), 0);
	uxdp_map_destroy(map);

	for (idx = 0; idx < 20; idx++) {
		uint8_t *v = uxdp_map_lookup(copy, &idx);

		CHECK(v >= (uint8_t *)copy &&
		      v < (uint8_t *)copy + copy->total_size);
		CHECK_EQ(uxdp_map_lookup_copy(copy, &idx, got), 0);
		CHECK_EQ(got[11], idx + 1);
	}
	idx = 5;
	CHECK_EQ(uxdp_map_get_next_key(copy, &idx, &next), 0);
	CHECK_EQ(next, 6);
	CHECK(strcmp(uxdp_map_name(copy), "arr") == 0);
	munmap(copy, copy->total_size);
}

int
main(void)
{
	static const uint32_t value_sizes[] = { 1, 3, 4, 8, 13, 24, 64 };
	size_t i;

	test_create_rules();
	test_names();
	for (i = 0; i < sizeof(value_sizes) / sizeof(value_sizes[0]); i++) {
		test_zero_fill_and_stride(value_sizes[i]);
		test_update_rules(value_sizes[i]);
	}
	test_unaligned_key();
	test_get_next_key();
	test_null_arguments();
	test_position_independent();
	return checks_summary();
}
