/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * PROG_ARRAY, ARRAY_OF_MAPS and HASH_OF_MAPS against the kernel's rules
 * (map_fd_array.c, map_prog_array.c, map_of_maps.c) and the id registry.
 * Programs are stand-ins registered under UXDP_ID_PROG: this library
 * knows programs only by their ids. test_map_fd_kernel_diff.c compares
 * the same error codes with the kernel's.
 */

#include <errno.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map.h"
#include "map_test.h"

static struct uxdp_map *
make(uint32_t type, uint32_t key_size, uint32_t value_size,
     uint32_t max_entries, uint32_t flags, uint32_t inner_id, int *ret)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max_entries, .map_flags = flags,
		.inner_map_id = inner_id,
	};
	struct uxdp_map *map = NULL;

	*ret = uxdp_map_create("fd_test", &def, UXDP_MEM_HEAP, &map);
	return map;
}

static void
test_registry(void)
{
	int a, b;
	uint32_t ida, idb;

	CHECK_EQ(uxdp_id_alloc(UXDP_ID_PROG, &a, &ida), 0);
	CHECK_EQ(uxdp_id_alloc(UXDP_ID_MAP, &b, &idb), 0);
	CHECK(ida != 0 && idb != 0 && ida != idb);
	CHECK(uxdp_id_lookup(ida, UXDP_ID_PROG) == &a);
	CHECK(uxdp_id_lookup(ida, UXDP_ID_MAP) == NULL);
	CHECK_EQ(uxdp_id_kind_of(idb), UXDP_ID_MAP);
	uxdp_id_release(ida);
	CHECK(uxdp_id_lookup(ida, UXDP_ID_PROG) == NULL);
	CHECK_EQ(uxdp_id_kind_of(ida), UXDP_ID_NONE);
	CHECK_EQ(uxdp_id_kind_of(0), UXDP_ID_NONE);
	CHECK_EQ(uxdp_id_alloc(UXDP_ID_NONE, &a, &ida), -EINVAL);
	uxdp_id_release(idb);
}

static void
test_prog_array(void)
{
	int prog_a, prog_b, ret;
	uint32_t pa, pb, k, v, next, map_id;
	struct uxdp_map *m, *other;

	/* create rules */
	CHECK(make(BPF_MAP_TYPE_PROG_ARRAY, 8, 4, 4, 0, 0, &ret) == NULL);
	CHECK_EQ(ret, -EINVAL);
	CHECK(make(BPF_MAP_TYPE_PROG_ARRAY, 4, 8, 4, 0, 0, &ret) == NULL);
	CHECK_EQ(ret, -EINVAL);
	CHECK(make(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 0, 0, 0, &ret) == NULL);
	CHECK_EQ(ret, -EINVAL);
	CHECK(make(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, BPF_F_RDONLY_PROG, 0,
		   &ret) == NULL);
	CHECK_EQ(ret, -EINVAL);
	CHECK(make(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, BPF_F_MMAPABLE, 0,
		   &ret) == NULL);
	CHECK_EQ(ret, -EINVAL);
	m = make(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, 0, &ret);
	CHECK_EQ(ret, 0);
	other = make(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, 0, &ret);
	CHECK_EQ(ret, 0);
	map_id = uxdp_map_id(other);
	CHECK(map_id != 0 && uxdp_map_by_id(map_id) == other);
	CHECK_EQ(uxdp_id_alloc(UXDP_ID_PROG, &prog_a, &pa), 0);
	CHECK_EQ(uxdp_id_alloc(UXDP_ID_PROG, &prog_b, &pb), 0);

	/* update: BPF_ANY only, index, what the id is */
	k = 1;
	CHECK_EQ(uxdp_map_update(m, &k, &pa, BPF_ANY), 0);
	CHECK_EQ(uxdp_map_update(m, &k, &pb, BPF_NOEXIST), -EINVAL);
	CHECK_EQ(uxdp_map_update(m, &k, &pb, BPF_EXIST), -EINVAL);
	CHECK_EQ(uxdp_map_update(m, &k, &map_id, BPF_ANY), -EINVAL);
	v = 0x7fffffff;
	CHECK_EQ(uxdp_map_update(m, &k, &v, BPF_ANY), -EBADF);
	k = 4;
	CHECK_EQ(uxdp_map_update(m, &k, &pa, BPF_ANY), -E2BIG);
	CHECK_EQ(uxdp_map_update(m, &k, &pa, BPF_NOEXIST), -EINVAL);

	/* reads: ids back, empty and out of range are -ENOENT */
	k = 1;
	CHECK_EQ(uxdp_map_lookup_copy(m, &k, &v), 0);
	CHECK_EQ(v, pa);
	CHECK_EQ(uxdp_map_slot_id(m, 1), pa);
	CHECK_EQ(uxdp_map_slot_id(m, 0), 0);
	CHECK_EQ(uxdp_map_slot_id(m, 4), 0);
	CHECK(uxdp_map_lookup(m, &k) == NULL); /* programs cannot read it */
	k = 0;
	CHECK_EQ(uxdp_map_lookup_copy(m, &k, &v), -ENOENT);
	k = 9;
	CHECK_EQ(uxdp_map_lookup_copy(m, &k, &v), -ENOENT);
	CHECK_EQ(uxdp_map_count(m), 4);

	/* walk: every index, as plain arrays */
	CHECK_EQ(uxdp_map_get_next_key(m, NULL, &next), 0);
	CHECK_EQ(next, 0);
	k = 2;
	CHECK_EQ(uxdp_map_get_next_key(m, &k, &next), 0);
	CHECK_EQ(next, 3);
	k = 3;
	CHECK_EQ(uxdp_map_get_next_key(m, &k, &next), -ENOENT);
	k = 77;
	CHECK_EQ(uxdp_map_get_next_key(m, &k, &next), 0);
	CHECK_EQ(next, 0);

	/* delete works, unlike plain arrays */
	k = 1;
	CHECK_EQ(uxdp_map_delete(m, &k), 0);
	CHECK_EQ(uxdp_map_delete(m, &k), -ENOENT);
	CHECK_EQ(uxdp_map_lookup_copy(m, &k, &v), -ENOENT);
	k = 4;
	CHECK_EQ(uxdp_map_delete(m, &k), -E2BIG);

	/* a program that goes away leaves an empty-reading slot */
	k = 2;
	CHECK_EQ(uxdp_map_update(m, &k, &pb, BPF_ANY), 0);
	uxdp_id_release(pb);
	CHECK_EQ(uxdp_map_lookup_copy(m, &k, &v), -ENOENT);
	CHECK(uxdp_id_lookup(uxdp_map_slot_id(m, 2), UXDP_ID_PROG) == NULL);

	uxdp_id_release(pa);
	uxdp_map_destroy(other);
	CHECK(uxdp_map_by_id(map_id) == NULL);
	uxdp_map_destroy(m);
}

static void
test_array_of_maps(void)
{
	struct uxdp_map *tmpl, *outer, *in1, *in2, *in_big, *in_hash, *pa;
	struct uxdp_map *tmpl_inner, *outer2, *in_small;
	uint32_t k, v, id1, prog_id;
	int prog, ret;

	/* the template decides */
	CHECK(make(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0, 0, &ret) == NULL);
	CHECK_EQ(ret, -EBADF);
	CHECK_EQ(uxdp_id_alloc(UXDP_ID_PROG, &prog, &prog_id), 0);
	CHECK(make(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0, prog_id,
		   &ret) == NULL);
	CHECK_EQ(ret, -EINVAL);
	tmpl = make(BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0, 0, &ret);
	CHECK_EQ(ret, 0);
	CHECK(make(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 8, 4, 0,
		   uxdp_map_id(tmpl), &ret) == NULL);
	CHECK_EQ(ret, -EINVAL); /* value is an id: 4 bytes */
	outer = make(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0,
		     uxdp_map_id(tmpl), &ret);
	CHECK_EQ(ret, 0);
	CHECK_EQ(uxdp_map_get_def(outer)->inner_map_id, 0);
	/* one level only; prog arrays cannot be inner maps */
	CHECK(make(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0, uxdp_map_id(outer),
		   &ret) == NULL);
	CHECK_EQ(ret, -EINVAL);
	pa = make(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, 0, &ret);
	CHECK(make(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0, uxdp_map_id(pa),
		   &ret) == NULL);
	CHECK_EQ(ret, -524);
	/* the template may go: its definition was copied */
	uxdp_map_destroy(tmpl);

	in1 = make(BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0, 0, &ret);
	in2 = make(BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0, 0, &ret);
	in_big = make(BPF_MAP_TYPE_ARRAY, 4, 8, 3, 0, 0, &ret);
	in_hash = make(BPF_MAP_TYPE_HASH, 4, 8, 2, 0, 0, &ret);
	CHECK(in1 && in2 && in_big && in_hash);
	id1 = uxdp_map_id(in1);
	k = 0;
	CHECK_EQ(uxdp_map_update(outer, &k, &id1, BPF_ANY), 0);
	CHECK_EQ(uxdp_map_update(outer, &k, &id1, BPF_NOEXIST), -EINVAL);
	v = uxdp_map_id(in_big);
	CHECK_EQ(uxdp_map_update(outer, &k, &v, BPF_ANY), -EINVAL);
	v = uxdp_map_id(in_hash);
	CHECK_EQ(uxdp_map_update(outer, &k, &v, BPF_ANY), -EINVAL);
	CHECK_EQ(uxdp_map_update(outer, &k, &prog_id, BPF_ANY), -EINVAL);
	v = 0x7ffffff0;
	CHECK_EQ(uxdp_map_update(outer, &k, &v, BPF_ANY), -EBADF);
	k = 4;
	CHECK_EQ(uxdp_map_update(outer, &k, &id1, BPF_ANY), -E2BIG);

	/* a program's lookup gets the inner map itself */
	k = 0;
	CHECK(uxdp_map_lookup(outer, &k) == in1);
	k = 1;
	CHECK(uxdp_map_lookup(outer, &k) == NULL);
	k = 0;
	CHECK_EQ(uxdp_map_lookup_copy(outer, &k, &v), 0);
	CHECK_EQ(v, id1);
	k = 2;
	v = uxdp_map_id(in2);
	CHECK_EQ(uxdp_map_update(outer, &k, &v, BPF_ANY), 0);
	CHECK_EQ(uxdp_map_delete(outer, &k), 0);
	CHECK_EQ(uxdp_map_delete(outer, &k), -ENOENT);
	/* an inner map that is destroyed is no longer found */
	uxdp_map_destroy(in1);
	k = 0;
	CHECK(uxdp_map_lookup(outer, &k) == NULL);
	CHECK_EQ(uxdp_map_lookup_copy(outer, &k, &v), -ENOENT);

	/* BPF_F_INNER_MAP: arrays of any size, flags must still match */
	tmpl_inner = make(BPF_MAP_TYPE_ARRAY, 4, 8, 2, BPF_F_INNER_MAP, 0,
			  &ret);
	outer2 = make(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 2, 0,
		      uxdp_map_id(tmpl_inner), &ret);
	CHECK_EQ(ret, 0);
	in_small = make(BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_INNER_MAP, 0, &ret);
	v = uxdp_map_id(in_small);
	k = 1;
	CHECK_EQ(uxdp_map_update(outer2, &k, &v, BPF_ANY), 0);
	v = uxdp_map_id(in_big);
	CHECK_EQ(uxdp_map_update(outer2, &k, &v, BPF_ANY), -EINVAL);

	uxdp_id_release(prog_id);
	uxdp_map_destroy(outer2);
	uxdp_map_destroy(tmpl_inner);
	uxdp_map_destroy(in_small);
	uxdp_map_destroy(in2);
	uxdp_map_destroy(in_big);
	uxdp_map_destroy(in_hash);
	uxdp_map_destroy(pa);
	uxdp_map_destroy(outer);
}

static void
test_hash_of_maps(void)
{
	struct uxdp_map *tmpl, *outer, *in1, *in2, *in_arr;
	uint64_t key, next;
	uint32_t v, id1, id2;
	int ret, n;

	tmpl = make(BPF_MAP_TYPE_HASH, 4, 8, 16, 0, 0, &ret);
	CHECK(make(BPF_MAP_TYPE_HASH_OF_MAPS, 8, 8, 4, 0, uxdp_map_id(tmpl),
		   &ret) == NULL);
	CHECK_EQ(ret, -EINVAL);
	outer = make(BPF_MAP_TYPE_HASH_OF_MAPS, 8, 4, 2, 0,
		     uxdp_map_id(tmpl), &ret);
	CHECK_EQ(ret, 0);
	/* hash inner maps may differ in max_entries */
	in1 = make(BPF_MAP_TYPE_HASH, 4, 8, 4, 0, 0, &ret);
	in2 = make(BPF_MAP_TYPE_HASH, 4, 8, 99, 0, 0, &ret);
	in_arr = make(BPF_MAP_TYPE_ARRAY, 4, 8, 16, 0, 0, &ret);
	id1 = uxdp_map_id(in1);
	id2 = uxdp_map_id(in2);

	key = 10;
	CHECK_EQ(uxdp_map_update(outer, &key, &id1, BPF_EXIST), -ENOENT);
	CHECK_EQ(uxdp_map_update(outer, &key, &id1, BPF_NOEXIST), 0);
	CHECK_EQ(uxdp_map_update(outer, &key, &id2, BPF_NOEXIST), -EEXIST);
	CHECK_EQ(uxdp_map_update(outer, &key, &id2, BPF_EXIST), 0);
	v = uxdp_map_id(in_arr);
	CHECK_EQ(uxdp_map_update(outer, &key, &v, BPF_ANY), -EINVAL);
	v = 0x7ffffff1;
	/* the id is checked before the flags, as the kernel checks the fd */
	CHECK_EQ(uxdp_map_update(outer, &key, &v, BPF_NOEXIST), -EBADF);
	CHECK(uxdp_map_lookup(outer, &key) == in2);
	CHECK_EQ(uxdp_map_lookup_copy(outer, &key, &v), 0);
	CHECK_EQ(v, id2);
	key = 11;
	CHECK_EQ(uxdp_map_update(outer, &key, &id1, BPF_ANY), 0);
	key = 12;
	CHECK_EQ(uxdp_map_update(outer, &key, &id1, BPF_ANY), -E2BIG);
	CHECK_EQ(uxdp_map_count(outer), 2);
	n = 0;
	for (ret = uxdp_map_get_next_key(outer, NULL, &next); ret == 0;
	     ret = uxdp_map_get_next_key(outer, &key, &next)) {
		key = next;
		n++;
	}
	CHECK_EQ(ret, -ENOENT);
	CHECK_EQ(n, 2);
	key = 10;
	CHECK_EQ(uxdp_map_delete(outer, &key), 0);
	CHECK_EQ(uxdp_map_delete(outer, &key), -ENOENT);
	CHECK(uxdp_map_lookup(outer, &key) == NULL);

	uxdp_map_destroy(in1);
	uxdp_map_destroy(in2);
	uxdp_map_destroy(in_arr);
	uxdp_map_destroy(outer);
	uxdp_map_destroy(tmpl);
}

int
main(void)
{
	test_registry();
	test_prog_array();
	test_array_of_maps();
	test_hash_of_maps();
	return checks_summary();
}
