/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * PROG_ARRAY, ARRAY_OF_MAPS and HASH_OF_MAPS against the kernel: the same
 * definitions and operations go to kernel maps (bpf() through libbpf) and
 * to uxdp maps, and the return codes must be equal. Values are objects:
 * the kernel takes fds of real programs and maps (made here: a two
 * instruction XDP program, small maps), uxdp takes the ids of the
 * equivalent uxdp objects (programs are stand-ins in the id registry).
 * Ids read back differ by nature; the test checks that both sides read
 * back "an object" or -ENOENT in the same slots.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "uxdp_map.h"
#include "map_test.h"

/* One object on both sides: a kernel fd and a uxdp id. */
struct pair {
	int fd;
	uint32_t id;
	struct uxdp_map *map; /* uxdp side, when a map */
};

static int
errno_rc(int ret)
{
	return ret < 0 ? -errno : ret;
}

static int
pair_map(struct pair *p, uint32_t type, uint32_t key_size,
	 uint32_t value_size, uint32_t max_entries, uint32_t flags,
	 const struct pair *inner)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags,
		    .inner_map_fd = inner != NULL ? inner->fd : 0);
	struct uxdp_map_def def = {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max_entries, .map_flags = flags,
		.inner_map_id = inner != NULL ? inner->id : 0,
	};
	int kret, uret;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	kret = errno_rc(bpf_map_create(type, "fd_diff", key_size, value_size,
				       max_entries, &opts));
	uret = uxdp_map_create("fd_diff", &def, UXDP_MEM_HEAP, &p->map);
	if ((kret >= 0 ? 0 : kret) != uret)
		fprintf(stderr, "create type %u key %u value %u max %u flags 0x%x inner %d: kernel %d, uxdp %d\n",
			type, key_size, value_size, max_entries, flags,
			inner != NULL, kret, uret);
	CHECK_EQ(kret >= 0 ? 0 : kret, uret);
	p->fd = kret;
	p->id = uxdp_map_id(p->map);
	return uret;
}

static void
pair_close(struct pair *p)
{
	if (p->fd >= 0)
		close(p->fd);
	uxdp_map_destroy(p->map);
	p->fd = -1;
	p->map = NULL;
}

static int prog_stand_in;

static void
pair_prog(struct pair *p)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 2 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	memset(p, 0, sizeof(*p));
	p->fd = errno_rc(bpf_prog_load(BPF_PROG_TYPE_XDP, "fd_diff", "GPL",
				       insns, 2, NULL));
	CHECK(p->fd >= 0);
	CHECK_EQ(uxdp_id_alloc(UXDP_ID_PROG, &prog_stand_in, &p->id), 0);
}

/* Equal results of one update; v is the value object (NULL: a bad fd /
 * an unknown id). */
static void
diff_update(const struct pair *m, uint32_t key_size, uint64_t key,
	    const struct pair *v, uint64_t flags, const char *what)
{
	uint32_t kv = v != NULL ? (uint32_t)v->fd : 0x3fffffff;
	uint32_t uv = v != NULL ? v->id : 0x3fffffff;
	int kret, uret;

	(void)key_size;
	kret = errno_rc(bpf_map_update_elem(m->fd, &key, &kv, flags));
	uret = uxdp_map_update(m->map, &key, &uv, flags);
	if (kret != uret)
		fprintf(stderr, "update %s: kernel %d, uxdp %d\n", what, kret,
			uret);
	CHECK_EQ(uret, kret);
}

static void
diff_delete(const struct pair *m, uint64_t key, const char *what)
{
	int kret = errno_rc(bpf_map_delete_elem(m->fd, &key));
	int uret = uxdp_map_delete(m->map, &key);

	if (kret != uret)
		fprintf(stderr, "delete %s: kernel %d, uxdp %d\n", what, kret,
			uret);
	CHECK_EQ(uret, kret);
}

/* Both hold an object at key, or neither does (same error). */
static void
diff_lookup(const struct pair *m, uint64_t key, const char *what)
{
	uint32_t kv = 0, uv = 0;
	int kret = errno_rc(bpf_map_lookup_elem(m->fd, &key, &kv));
	int uret = uxdp_map_lookup_copy(m->map, &key, &uv);

	if (kret != uret)
		fprintf(stderr, "lookup %s: kernel %d, uxdp %d\n", what, kret,
			uret);
	CHECK_EQ(uret, kret);
	if (kret == 0)
		CHECK(kv != 0 && uv != 0);
}

static void
diff_next_keys(const struct pair *m, uint32_t max)
{
	uint32_t k, kn, un;
	int kret, uret;

	for (k = 0; k <= max + 1; k++) {
		kret = errno_rc(bpf_map_get_next_key(m->fd, &k, &kn));
		uret = uxdp_map_get_next_key(m->map, &k, &un);
		CHECK_EQ(uret, kret);
		if (kret == 0)
			CHECK_EQ(un, kn);
	}
}

static void
diff_create_rules(const struct pair *arr_tmpl)
{
	static const struct { uint32_t key, value, max, flags; } cases[] = {
		{ 4, 4, 4, 0 }, { 8, 4, 4, 0 }, { 4, 8, 4, 0 }, { 4, 4, 0, 0 },
		{ 2, 4, 4, 0 }, { 4, 4, 4, BPF_F_RDONLY },
		{ 4, 4, 4, BPF_F_WRONLY }, { 4, 4, 4, BPF_F_RDONLY_PROG },
		{ 4, 4, 4, BPF_F_WRONLY_PROG }, { 4, 4, 4, BPF_F_MMAPABLE },
		{ 4, 4, 4, BPF_F_INNER_MAP }, { 4, 4, 4, BPF_F_NO_PREALLOC },
		{ 4, 4, 4, BPF_F_RDONLY | BPF_F_WRONLY },
		{ 4, 4, 4, BPF_F_PRESERVE_ELEMS },
	};
	static const uint32_t types[] = {
		BPF_MAP_TYPE_PROG_ARRAY, BPF_MAP_TYPE_ARRAY_OF_MAPS,
	};
	struct pair p;
	size_t i, t;

	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			pair_map(&p, types[t], cases[i].key, cases[i].value,
				 cases[i].max, cases[i].flags,
				 types[t] == BPF_MAP_TYPE_ARRAY_OF_MAPS ?
				 arr_tmpl : NULL);
			pair_close(&p);
		}
	/* hash of maps: value must be 4 bytes, hash rules otherwise */
	pair_map(&p, BPF_MAP_TYPE_HASH_OF_MAPS, 8, 4, 4, 0, arr_tmpl);
	pair_close(&p);
	pair_map(&p, BPF_MAP_TYPE_HASH_OF_MAPS, 8, 8, 4, 0, arr_tmpl);
	pair_close(&p);
	pair_map(&p, BPF_MAP_TYPE_HASH_OF_MAPS, 8, 4, 4, BPF_F_NO_PREALLOC,
		 arr_tmpl);
	pair_close(&p);
	pair_map(&p, BPF_MAP_TYPE_HASH_OF_MAPS, 8, 4, 0, 0, arr_tmpl);
	pair_close(&p);
}

static void
diff_prog_array(void)
{
	struct pair pa, prog, other;
	uint32_t k;

	pair_prog(&prog);
	pair_map(&other, BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, NULL);
	pair_map(&pa, BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, NULL);
	diff_lookup(&pa, 0, "empty slot");
	diff_lookup(&pa, 4, "beyond max_entries");
	diff_update(&pa, 4, 1, &prog, BPF_ANY, "prog");
	diff_update(&pa, 4, 1, &prog, BPF_NOEXIST, "prog NOEXIST");
	diff_update(&pa, 4, 2, &prog, BPF_EXIST, "prog EXIST");
	diff_update(&pa, 4, 2, &prog, BPF_F_LOCK, "prog F_LOCK");
	diff_update(&pa, 4, 4, &prog, BPF_ANY, "index max_entries");
	diff_update(&pa, 4, 2, &other, BPF_ANY, "a map, not a program");
	diff_update(&pa, 4, 2, NULL, BPF_ANY, "no such fd / id");
	diff_lookup(&pa, 1, "set slot");
	diff_lookup(&pa, 2, "slot after failed updates");
	diff_next_keys(&pa, 4);
	diff_delete(&pa, 1, "set slot");
	diff_delete(&pa, 1, "emptied slot");
	diff_delete(&pa, 4, "beyond max_entries");
	diff_lookup(&pa, 1, "deleted slot");
	/* a prog array cannot be an inner map */
	for (k = 0; k < 1; k++) {
		struct pair aom;

		pair_map(&aom, BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 2, 0, &pa);
		pair_close(&aom);
	}
	pair_close(&pa);
	pair_close(&other);
	close(prog.fd);
	uxdp_id_release(prog.id);
}

static void
diff_of_maps(uint32_t outer_type, uint32_t tmpl_type, uint32_t tmpl_flags)
{
	struct pair tmpl, outer, same, bigger, other_type, other_flags;
	struct pair other_value, prog, nested;
	const char *o = outer_type == BPF_MAP_TYPE_ARRAY_OF_MAPS ? "aom" : "hom";

	pair_prog(&prog);
	pair_map(&tmpl, tmpl_type, 4, 8, 4, tmpl_flags, NULL);
	pair_map(&outer, outer_type, 4, 4, 3, 0, &tmpl);
	pair_map(&same, tmpl_type, 4, 8, 4, tmpl_flags, NULL);
	pair_map(&bigger, tmpl_type, 4, 8, 9, tmpl_flags, NULL);
	pair_map(&other_type, tmpl_type == BPF_MAP_TYPE_HASH ?
		 BPF_MAP_TYPE_ARRAY : BPF_MAP_TYPE_HASH, 4, 8, 4, 0, NULL);
	pair_map(&other_flags, tmpl_type, 4, 8, 4,
		 tmpl_flags ^ BPF_F_RDONLY_PROG, NULL);
	pair_map(&other_value, tmpl_type, 4, 16, 4, tmpl_flags, NULL);
	/* the template goes; the outer map keeps its definition */
	pair_close(&tmpl);

	diff_update(&outer, 4, 0, &same, BPF_ANY, o);
	diff_update(&outer, 4, 1, &bigger, BPF_ANY, "bigger inner");
	diff_update(&outer, 4, 1, &other_type, BPF_ANY, "other type");
	diff_update(&outer, 4, 1, &other_flags, BPF_ANY, "other flags");
	diff_update(&outer, 4, 1, &other_value, BPF_ANY, "other value");
	diff_update(&outer, 4, 1, &prog, BPF_ANY, "a program");
	diff_update(&outer, 4, 1, NULL, BPF_ANY, "no such fd / id");
	diff_update(&outer, 4, 1, NULL, BPF_NOEXIST, "bad fd and NOEXIST");
	diff_update(&outer, 4, 0, &same, BPF_NOEXIST, "NOEXIST on a set key");
	diff_update(&outer, 4, 2, &same, BPF_EXIST, "EXIST on an unset key");
	diff_update(&outer, 4, 2, &same, BPF_ANY, "key 2");
	diff_update(&outer, 4, 7, &same, BPF_ANY, "key 7");
	diff_update(&outer, 4, 8, &same, BPF_ANY, "key 8");
	diff_lookup(&outer, 0, "set");
	diff_lookup(&outer, 1, "unset");
	diff_lookup(&outer, 9, "out of range / absent");
	if (outer_type == BPF_MAP_TYPE_ARRAY_OF_MAPS)
		diff_next_keys(&outer, 3);
	diff_delete(&outer, 0, "set");
	diff_delete(&outer, 0, "deleted");
	diff_delete(&outer, 5, "never set");
	/* one level only */
	pair_map(&nested, outer_type, 4, 4, 2, 0, &outer);
	pair_close(&nested);

	pair_close(&outer);
	pair_close(&same);
	pair_close(&bigger);
	pair_close(&other_type);
	pair_close(&other_flags);
	pair_close(&other_value);
	close(prog.fd);
	uxdp_id_release(prog.id);
}

int
main(void)
{
	struct pair tmpl;
	int fd;

	fd = errno_rc(bpf_map_create(BPF_MAP_TYPE_ARRAY, "probe", 4, 4, 1,
				     NULL));
	if (fd < 0) {
		printf("SKIP: bpf(BPF_MAP_CREATE) is not available: %s\n",
		       strerror(-fd));
		return 77;
	}
	close(fd);

	pair_map(&tmpl, BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, NULL);
	diff_create_rules(&tmpl);
	pair_close(&tmpl);
	diff_prog_array();
	diff_of_maps(BPF_MAP_TYPE_ARRAY_OF_MAPS, BPF_MAP_TYPE_ARRAY, 0);
	diff_of_maps(BPF_MAP_TYPE_ARRAY_OF_MAPS, BPF_MAP_TYPE_ARRAY,
		     BPF_F_INNER_MAP);
	diff_of_maps(BPF_MAP_TYPE_ARRAY_OF_MAPS, BPF_MAP_TYPE_HASH, 0);
	/* per-CPU inner arrays may differ in max_entries, plain ones not */
	diff_of_maps(BPF_MAP_TYPE_ARRAY_OF_MAPS, BPF_MAP_TYPE_PERCPU_ARRAY, 0);
	diff_of_maps(BPF_MAP_TYPE_HASH_OF_MAPS, BPF_MAP_TYPE_ARRAY, 0);
	diff_of_maps(BPF_MAP_TYPE_HASH_OF_MAPS, BPF_MAP_TYPE_HASH, 0);
	return checks_summary();
}
