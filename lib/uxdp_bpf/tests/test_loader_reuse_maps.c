/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp_obj_opts.reuse_maps_from (the hot swap's map sharing): a second
 * load of an object shares the first one's user maps of the same name and
 * definition, creates its global data maps fresh, and after
 * uxdp_obj_take_maps() the shared maps outlive the first object.
 *
 * Usage: test_loader_reuse_maps flow_filter.o demo_nf.o
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_bpf.h"
#include "uxdp_map.h"
#include "test_loader_util.h"

static struct uxdp_obj *
load(const char *path, struct uxdp_obj *reuse)
{
	struct uxdp_obj_opts opts = { .reuse_maps_from = reuse };
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;

	if (uxdp_obj_load(path, &opts, &obj, err, sizeof(err)) < 0)
		fprintf(stderr, "FAIL: cannot load %s: %s\n", path, err);
	return obj;
}

static int
map_index(struct uxdp_obj *obj, const char *name)
{
	unsigned int i;

	for (i = 0; i < uxdp_obj_map_count(obj); i++)
		if (strcmp(uxdp_map_name(uxdp_obj_map_at(obj, i)), name) == 0)
			return (int)i;
	return -1;
}

/* Two loads of the same object: every user map shared, global data not. */
static void
check_same_object(const char *path)
{
	struct uxdp_obj *a = load(path, NULL), *b, *c;
	uint8_t key[12] = { 1, 2, 3, 4 }, value[16] = { 1 }, out[16];
	unsigned int i;

	CHECK(a != NULL, "first load of %s", path);
	if (a == NULL)
		return;
	CHECK(uxdp_map_update(uxdp_obj_map_by_name(a, "flows"), key, value,
			      BPF_ANY) == 0, "flows update");
	b = load(path, a);
	CHECK(b != NULL, "second load of %s", path);
	if (b == NULL) {
		uxdp_obj_close(a);
		return;
	}
	for (i = 0; i < uxdp_obj_map_count(b); i++) {
		struct uxdp_map *m = uxdp_obj_map_at(b, i);

		CHECK(uxdp_obj_map_by_name(a, uxdp_map_name(m)) == m &&
		      uxdp_obj_map_is_borrowed(b, i),
		      "%s: not shared", uxdp_map_name(m));
		CHECK(!uxdp_obj_map_is_borrowed(a, map_index(a, uxdp_map_name(m))),
		      "%s: borrowed by its creator before take", uxdp_map_name(m));
	}
	/* A failed load sharing a's maps leaves them alone. */
	{
		struct uxdp_obj_opts opts = { .reuse_maps_from = a };
		char err[UXDP_ERR_MAX];

		c = NULL;
		CHECK(uxdp_obj_load("/nonexistent/uxdp.o", &opts, &c, err,
				    sizeof(err)) == -ENOENT && c == NULL,
		      "a missing file loaded");
	}
	uxdp_obj_take_maps(b, a);
	for (i = 0; i < uxdp_obj_map_count(b); i++)
		CHECK(!uxdp_obj_map_is_borrowed(b, i) &&
		      uxdp_obj_map_is_borrowed(a, i),
		      "ownership of map %u not moved", i);
	uxdp_obj_close(a);
	/* The shared map outlived a, state included. */
	CHECK(uxdp_map_lookup_copy(uxdp_obj_map_by_name(b, "flows"), key,
				   out) == 0 && out[0] == 1,
	      "flows lost its entry with the first object");
	uxdp_obj_close(b);
}

/* demo_nf: its hash and array are shared, .bss and .rodata never. */
static void
check_global_data(const char *path)
{
	struct uxdp_obj *a = load(path, NULL), *b;
	unsigned int i, shared = 0, fresh = 0;

	b = a != NULL ? load(path, a) : NULL;
	CHECK(b != NULL, "two loads of %s", path);
	if (b == NULL) {
		uxdp_obj_close(a);
		return;
	}
	for (i = 0; i < uxdp_obj_map_count(b); i++) {
		const char *name = uxdp_map_name(uxdp_obj_map_at(b, i));
		int global = strchr(name, '.') != NULL;

		CHECK(uxdp_obj_map_is_borrowed(b, i) == !global,
		      "%s: borrowed %d", name, uxdp_obj_map_is_borrowed(b, i));
		if (uxdp_obj_map_is_borrowed(b, i))
			shared++;
		else
			fresh++;
	}
	CHECK(shared == 2 && fresh >= 2, "%u shared, %u fresh", shared, fresh);
	/* Without take, closing b leaves a's maps intact. */
	uxdp_obj_close(b);
	CHECK(uxdp_map_count(uxdp_obj_map_by_name(a, "verdicts")) == 5,
	      "a's array damaged by closing b");
	uxdp_obj_close(a);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s flow_filter.o demo_nf.o\n", argv[0]);
		return 2;
	}
	check_same_object(argv[1]);
	check_global_data(argv[2]);
	return test_summary();
}
