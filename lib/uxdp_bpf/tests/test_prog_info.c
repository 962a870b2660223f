/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp_prog_map_ref_count/at (prog_info.c) over corpus objects: every
 * reference names a map of the object, variable references point at the
 * variable's initial value, subprogram references are found too, and the
 * edges of the API (past the end, NULL) fail as documented.
 * Usage: test_prog_info globals.o calls.o
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "uxdp_bpf.h"
#include "test_loader_util.h"

/* The reference of prog to the map named name, or -1. */
static int
find_ref(const struct uxdp_prog *prog, const char *name,
	 struct uxdp_map_ref *out)
{
	unsigned int i, n = uxdp_prog_map_ref_count(prog);

	for (i = 0; i < n; i++) {
		if (uxdp_prog_map_ref_at(prog, i, out) == 0 &&
		    strcmp(uxdp_map_name(out->map), name) == 0)
			return (int)i;
	}
	return -1;
}

/* Every reference is sane whatever the object. */
static void
check_all_refs(struct uxdp_obj *obj, struct uxdp_prog *prog)
{
	unsigned int i, n = uxdp_prog_map_ref_count(prog);
	struct uxdp_map_ref ref;
	uint32_t last = 0;

	for (i = 0; i < n; i++) {
		const struct uxdp_map_def *def;

		CHECK(uxdp_prog_map_ref_at(prog, i, &ref) == 0,
		      "%s: reference %u of %u not readable", uxdp_prog_name(prog),
		      i, n);
		CHECK(uxdp_obj_map_by_name(obj, uxdp_map_name(ref.map)) == ref.map,
		      "%s: reference %u: map %s is not the object's",
		      uxdp_prog_name(prog), i, uxdp_map_name(ref.map));
		CHECK(ref.insn < uxdp_prog_insn_count(prog) &&
		      (i == 0 || ref.insn > last),
		      "%s: reference %u at insn %u: out of order or range",
		      uxdp_prog_name(prog), i, ref.insn);
		def = uxdp_map_get_def(ref.map);
		if (ref.is_value)
			CHECK(def->max_entries == 1 && ref.off <= def->value_size,
			      "%s: reference %u: offset %llu outside map %s",
			      uxdp_prog_name(prog), i,
			      (unsigned long long)ref.off,
			      uxdp_map_name(ref.map));
		else
			CHECK(ref.off == 0, "%s: map reference %u with offset",
			      uxdp_prog_name(prog), i);
		last = ref.insn;
	}
	CHECK(uxdp_prog_map_ref_at(prog, n, &ref) == -ENOENT,
	      "%s: reference %u past the end", uxdp_prog_name(prog), n);
}

/* A variable reference reads the variable's initial value. */
static void
check_value(struct uxdp_prog *prog, const char *map, const void *want,
	    size_t len)
{
	struct uxdp_map_ref ref;
	const uint32_t zero = 0;
	const uint8_t *value;

	if (find_ref(prog, map, &ref) < 0) {
		CHECK(0, "%s: no reference to %s", uxdp_prog_name(prog), map);
		return;
	}
	CHECK(ref.is_value, "%s: %s referred to as a map", uxdp_prog_name(prog),
	      map);
	value = uxdp_map_lookup(ref.map, &zero);
	CHECK(value != NULL && memcmp(value + ref.off, want, len) == 0,
	      "%s: reference to %s (offset %llu) does not hold the variable",
	      uxdp_prog_name(prog), map, (unsigned long long)ref.off);
}

static void
test_globals(const char *path)
{
	/* globals.bpf.c: cfg_mode = 2 in .rodata.cfg, custom_word = 0xc0ffee
	 * in .data.custom, each alone in its section. */
	const uint8_t cfg_mode = 2;
	const uint32_t custom_word = 0xc0ffee;
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj;
	struct uxdp_prog *prog;

	if (uxdp_obj_load(path, NULL, &obj, err, sizeof(err)) < 0) {
		CHECK(0, "%s", err);
		return;
	}
	prog = uxdp_obj_find_prog(obj, "prog_globals", err, sizeof(err));
	CHECK(prog != NULL, "%s", err);
	if (prog != NULL) {
		CHECK(uxdp_prog_map_ref_count(prog) >= 6,
		      "prog_globals: %u references, want one per section at least",
		      uxdp_prog_map_ref_count(prog));
		check_all_refs(obj, prog);
		check_value(prog, ".rodata.cfg", &cfg_mode, sizeof(cfg_mode));
		check_value(prog, ".data.custom", &custom_word,
			    sizeof(custom_word));
	}
	uxdp_obj_close(obj);
}

static void
test_calls(const char *path)
{
	static const char *const in_subprogs[] = { "hits", "seen" };
	char err[UXDP_ERR_MAX];
	struct uxdp_map_ref ref;
	struct uxdp_obj *obj;
	struct uxdp_prog *prog;
	unsigned int i;

	if (uxdp_obj_load(path, NULL, &obj, err, sizeof(err)) < 0) {
		CHECK(0, "%s", err);
		return;
	}
	for (i = 0; i < uxdp_obj_prog_count(obj); i++)
		check_all_refs(obj, uxdp_obj_prog_at(obj, i));
	/* calls.bpf.c: only subprograms use these maps. */
	prog = uxdp_obj_find_prog(obj, "prog_tree", err, sizeof(err));
	CHECK(prog != NULL, "%s", err);
	for (i = 0; prog != NULL && i < 2; i++)
		CHECK(find_ref(prog, in_subprogs[i], &ref) >= 0 && !ref.is_value,
		      "prog_tree: no map reference to %s from its subprograms",
		      in_subprogs[i]);
	prog = uxdp_obj_find_prog(obj, "prog_plain", err, sizeof(err));
	CHECK(prog != NULL && uxdp_prog_map_ref_count(prog) == 0,
	      "prog_plain: references where there are none");
	uxdp_obj_close(obj);

	CHECK(uxdp_prog_map_ref_count(NULL) == 0, "count of NULL");
	CHECK(uxdp_prog_map_ref_at(NULL, 0, &ref) == -EINVAL, "NULL program");
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s globals.o calls.o\n", argv[0]);
		return 2;
	}
	test_globals(argv[1]);
	test_calls(argv[2]);
	return test_summary();
}
