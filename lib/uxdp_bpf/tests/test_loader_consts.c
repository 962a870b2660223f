/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * `volatile const` settings (struct uxdp_obj_opts.consts) and the
 * sections a loader must read past.
 *
 * Settings: the bytes of the .rodata maps after a load are compared with
 * libbpf's reading of the same object (bpf_object__open_file(), whose
 * initial values a skeleton would write into), with the expected values
 * written there by plain C stores; a run of the program, which stamps
 * every constant into the packet, shows that the program sees them. Every
 * refusal is checked for its errno and for the words of its message.
 *
 * Usage: test_loader_consts --consts O --nobtf O --extra O --typesonly O
 */

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "uxdp_bpf_internal.h"
#include "test_loader_defs.h"
#include "test_loader_util.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PKT_LEN 64

struct paths {
	const char *consts;
	const char *nobtf;
	const char *extra;
	const char *typesonly;
};

static int
load(const char *path, const struct uxdp_const_set *sets, unsigned int n,
     struct uxdp_obj **obj, char *err)
{
	struct uxdp_obj_opts opts = { .consts = sets, .n_consts = n };

	err[0] = '\0';
	*obj = NULL;
	return uxdp_obj_load(path, &opts, obj, err, UXDP_ERR_MAX);
}

/* The map of a global data section, by libbpf's name suffix. */
static struct uxdp_map *
section_map(struct uxdp_obj *obj, const char *sec)
{
	unsigned int i;

	for (i = 0; i < uxdp_obj_map_count(obj); i++) {
		struct uxdp_map *m = uxdp_obj_map_at(obj, i);
		const char *name = uxdp_map_name(m);
		size_t nl = strlen(name), sl = strlen(sec);

		if (strcmp(name, sec) == 0 ||
		    (nl > sl && strcmp(name + nl - sl, sec) == 0))
			return m;
	}
	return NULL;
}

static const uint8_t *
map_bytes(struct uxdp_obj *obj, const char *sec, uint32_t *size)
{
	struct uxdp_map *m = section_map(obj, sec);
	const uint32_t zero = 0;

	if (m == NULL)
		return NULL;
	*size = uxdp_map_get_def(m)->value_size;
	return uxdp_map_lookup(m, &zero);
}

/* libbpf's reading of the object: the initial value of a data section
 * and the offset of a variable in it (libbpf fixes DATASEC offsets from
 * the symbol table at open). */
struct lb_view {
	struct bpf_object *obj;
};

static struct bpf_map *
lb_map(struct lb_view *v, const char *sec)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, v->obj) {
		const char *name = bpf_map__name(map);
		size_t nl = strlen(name), sl = strlen(sec);

		if (strcmp(name, sec) == 0 ||
		    (nl > sl && strcmp(name + nl - sl, sec) == 0))
			return map;
	}
	return NULL;
}

static uint8_t *
lb_var(struct lb_view *v, const char *sec, const char *var, size_t *size)
{
	const struct btf *btf = bpf_object__btf(v->obj);
	const struct btf_var_secinfo *vsi;
	const struct btf_type *t;
	struct bpf_map *map = lb_map(v, sec);
	size_t map_size;
	uint8_t *data;
	int id;
	uint16_t i;

	id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	if (id <= 0 || map == NULL)
		return NULL;
	/* The image is libbpf's writable mmap()ed copy, which a skeleton
	 * writes through; the API only hands it out as const. */
	data = (uint8_t *)(uintptr_t)bpf_map__initial_value(map, &map_size);
	t = btf__type_by_id(btf, id);
	vsi = btf_var_secinfos(t);
	for (i = 0; i < btf_vlen(t); i++, vsi++) {
		const struct btf_type *vt = btf__type_by_id(btf, vsi->type);

		if (strcmp(btf__name_by_offset(btf, vt->name_off), var) == 0) {
			*size = vsi->size;
			return data + vsi->offset;
		}
	}
	return NULL;
}

#define LB_SET(view, sec, var, type, val) do { \
	size_t sz_ = 0; \
	uint8_t *p_ = lb_var(view, sec, var, &sz_); \
	type v_ = (val); \
	CHECK(p_ != NULL && sz_ == sizeof(v_), "libbpf: no %s in %s", var, sec); \
	if (p_ != NULL && sz_ == sizeof(v_)) \
		memcpy(p_, &v_, sizeof(v_)); \
} while (0)

/* The whole section as uxdp holds it equals libbpf's image. */
static void
check_section(struct uxdp_obj *obj, struct lb_view *v, const char *sec,
	      const char *what)
{
	uint32_t usize = 0;
	const uint8_t *u = map_bytes(obj, sec, &usize);
	struct bpf_map *map = lb_map(v, sec);
	size_t lsize = 0;
	const uint8_t *l = map != NULL ? bpf_map__initial_value(map, &lsize)
				       : NULL;

	CHECK(u != NULL && l != NULL && usize == lsize &&
	      memcmp(u, l, lsize) == 0,
	      "%s: section %s: uxdp map (%u bytes) differs from libbpf's image (%zu bytes)",
	      what, sec, usize, lsize);
}

/* Run the program over a zeroed packet: the verdict and the stamp. */
static uint32_t
run_stamp(struct uxdp_obj *obj, uint8_t *pkt)
{
	static uint8_t frame[UXDP_XDP_FRAME_SIZE];
	struct uxdp_xdp_buff buff = { 0 };
	char err[UXDP_ERR_MAX];
	struct uxdp_prog *prog = uxdp_obj_find_prog(obj, NULL, err,
						    sizeof(err));

	if (prog == NULL)
		return UINT32_MAX;
	memset(frame, 0, sizeof(frame));
	buff.data_hard_start = frame;
	buff.data = frame + UXDP_XDP_HEADROOM;
	buff.data_meta = buff.data;
	buff.data_end = frame + UXDP_XDP_HEADROOM + PKT_LEN;
	buff.data_hard_end = frame + UXDP_XDP_FRAME_SIZE - UXDP_XDP_TAILROOM;
	{
		uint32_t ret = uxdp_prog_run(prog, &buff);

		memcpy(pkt, buff.data, PKT_LEN);
		return ret;
	}
}

static uint64_t
le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* As libbpf freezes .rodata: the control plane can no longer write it
 * (-EPERM, the syscall's answer on a frozen map), and its bytes stay. */
static void
check_frozen(struct uxdp_obj *obj)
{
	struct uxdp_map *m = section_map(obj, ".rodata");
	uint8_t value[4096];
	uint32_t size = 0;
	const uint8_t *before = map_bytes(obj, ".rodata", &size);
	const uint32_t zero = 0;

	CHECK(m != NULL && before != NULL && size <= sizeof(value),
	      "frozen: no .rodata map");
	if (m == NULL || before == NULL || size > sizeof(value))
		return;
	CHECK(uxdp_map_is_frozen(m), "frozen: .rodata is not frozen");
	memcpy(value, before, size);
	value[0] ^= 0xff;
	CHECK(uxdp_map_update(m, &zero, value, 0) == -EPERM,
	      "frozen: an update of .rodata was not refused with -EPERM");
	CHECK(uxdp_map_delete(m, &zero) == -EPERM,
	      "frozen: a delete on .rodata was not refused with -EPERM");
	CHECK(map_bytes(obj, ".rodata", &size)[0] != value[0],
	      "frozen: .rodata changed");
}

static void
test_defaults(const char *path)
{
	struct uxdp_obj_opts zero_opts;
	struct uxdp_obj *obj = NULL;
	char err[UXDP_ERR_MAX];
	uint8_t pkt[PKT_LEN];
	int ret;

	/* Zero-initialised options set nothing. */
	memset(&zero_opts, 0, sizeof(zero_opts));
	ret = uxdp_obj_load(path, &zero_opts, &obj, err, sizeof(err));
	CHECK(ret == 0, "defaults: load: %d %s", ret, err);
	if (ret < 0)
		return;
	CHECK(run_stamp(obj, pkt) == XDP_PASS, "defaults: verdict");
	CHECK(pkt[CONSTS_OFF_U8] == CONSTS_U8_INIT, "defaults: u8 %#x",
	      pkt[CONSTS_OFF_U8]);
	CHECK(le(pkt + CONSTS_OFF_U16, 2) == CONSTS_U16_INIT, "defaults: u16");
	CHECK((int32_t)le(pkt + CONSTS_OFF_S32, 4) == CONSTS_S32_INIT,
	      "defaults: s32");
	CHECK(le(pkt + CONSTS_OFF_U64, 8) == CONSTS_U64_INIT, "defaults: u64");
	CHECK(le(pkt + CONSTS_OFF_MODE, 4) == 1, "defaults: enum");
	CHECK(memcmp(pkt + CONSTS_OFF_NAME, CONSTS_NAME_INIT,
		     CONSTS_NAME_LEN) == 0, "defaults: name");
	CHECK(pkt[CONSTS_OFF_FLAG] == 0, "defaults: bool");
	CHECK((int8_t)pkt[CONSTS_OFF_S8] == CONSTS_S8_INIT, "defaults: s8");
	CHECK((int32_t)le(pkt + CONSTS_OFF_LEVEL, 4) == -2,
	      "defaults: signed enum");
	check_frozen(obj);
	uxdp_obj_close(obj);
}

static void
test_set_all(const char *path)
{
	static const uint8_t verdict_bytes[4] = { XDP_TX, 0, 0, 0 };
	const struct uxdp_const_set sets[] = {
		{ .name = "cfg_u8", .value = "200" },
		{ .name = "cfg_u16", .value = "0xfffe" },
		{ .name = "cfg_s32", .value = "-2147483648" },
		{ .name = "cfg_u64", .value = "18446744073709551615" },
		{ .name = "cfg_mode", .value = "70000" },
		{ .name = "cfg_name", .value = "hex:6c6f61643a29" },
		{ .name = "cfg_flag", .value = "1" },
		{ .name = "cfg_s8", .value = "-128" },
		{ .name = "cfg_level", .value = "-0x7fffffff" },
		{ .name = "cfg_verdict", .bytes = verdict_bytes,
		  .size = sizeof(verdict_bytes) },
		/* A later setting of the same variable wins. */
		{ .name = "cfg_u8", .value = "0x2a" },
	};
	struct lb_view view = { 0 };
	struct uxdp_obj *obj = NULL;
	char err[UXDP_ERR_MAX];
	uint8_t pkt[PKT_LEN];
	int ret;

	ret = load(path, sets, ARRAY_LEN(sets), &obj, err);
	CHECK(ret == 0, "set all: load: %d %s", ret, err);
	if (ret < 0)
		return;

	/* The skeleton's way, with libbpf and C stores. */
	view.obj = bpf_object__open_file(path, NULL);
	CHECK(view.obj != NULL, "libbpf cannot open %s", path);
	if (view.obj != NULL) {
		LB_SET(&view, ".rodata", "cfg_u8", uint8_t, 0x2a);
		LB_SET(&view, ".rodata", "cfg_u16", uint16_t, 0xfffe);
		LB_SET(&view, ".rodata", "cfg_s32", int32_t, INT32_MIN);
		LB_SET(&view, ".rodata", "cfg_u64", uint64_t, UINT64_MAX);
		LB_SET(&view, ".rodata", "cfg_mode", uint32_t, 70000);
		{
			size_t sz = 0;
			uint8_t *p = lb_var(&view, ".rodata", "cfg_name", &sz);

			CHECK(p != NULL && sz == CONSTS_NAME_LEN, "libbpf: cfg_name");
			if (p != NULL && sz == CONSTS_NAME_LEN)
				memcpy(p, "load:)", CONSTS_NAME_LEN);
		}
		LB_SET(&view, ".rodata", "cfg_flag", uint8_t, 1);
		LB_SET(&view, ".rodata.cfg", "cfg_s8", int8_t, -128);
		LB_SET(&view, ".rodata.cfg", "cfg_level", int32_t, -0x7fffffff);
		LB_SET(&view, ".rodata.cfg", "cfg_verdict", uint32_t, XDP_TX);
		check_section(obj, &view, ".rodata", "set all");
		check_section(obj, &view, ".rodata.cfg", "set all");
		/* Writable sections are untouched. */
		check_section(obj, &view, ".data", "set all");
		bpf_object__close(view.obj);
	}

	CHECK(run_stamp(obj, pkt) == XDP_TX, "set all: verdict");
	CHECK(pkt[CONSTS_OFF_U8] == 0x2a, "set all: u8 %#x", pkt[CONSTS_OFF_U8]);
	CHECK(le(pkt + CONSTS_OFF_U16, 2) == 0xfffe, "set all: u16");
	CHECK((int32_t)le(pkt + CONSTS_OFF_S32, 4) == INT32_MIN,
	      "set all: s32");
	CHECK(le(pkt + CONSTS_OFF_U64, 8) == UINT64_MAX, "set all: u64");
	CHECK(le(pkt + CONSTS_OFF_MODE, 4) == 70000, "set all: enum");
	CHECK(memcmp(pkt + CONSTS_OFF_NAME, "load:)", CONSTS_NAME_LEN) == 0,
	      "set all: name");
	CHECK(pkt[CONSTS_OFF_FLAG] == 1, "set all: bool");
	CHECK((int8_t)pkt[CONSTS_OFF_S8] == -128, "set all: s8");
	CHECK((int32_t)le(pkt + CONSTS_OFF_LEVEL, 4) == -0x7fffffff,
	      "set all: signed enum");
	uxdp_obj_close(obj);
}

struct bad_case {
	const char *name;
	const char *value;
	int ret;
	const char *words[3];
};

static void
test_refusals(const char *path)
{
	static const uint8_t two[2] = { 1, 2 };
	static const struct bad_case cases[] = {
		{ "nope", "1", -ENOENT,
		  { "no .rodata variable named 'nope'",
		    "have: cfg_u8, cfg_u16", "cfg_verdict" } },
		{ "rw_data", "1", -EINVAL, { "'rw_data'", "'.data'", "at run time" } },
		{ "rw_bss", "1", -EINVAL, { "'rw_bss'", "'.bss'", "not in .rodata" } },
		{ "_license", "1", -EINVAL, { "'_license'", "section 'license'", "not in .rodata" } },
		{ "cfg_u8", "256", -EINVAL, { "'cfg_u8'", "256", "does not fit" } },
		{ "cfg_u8", "-1", -EINVAL, { "'cfg_u8'", "negative", "unsigned" } },
		{ "cfg_u16", "0x10000", -EINVAL, { "'cfg_u16'", "does not fit" } },
		{ "cfg_s32", "2147483648", -EINVAL, { "'cfg_s32'", "does not fit a 4-byte signed integer" } },
		{ "cfg_s32", "-2147483649", -EINVAL, { "'cfg_s32'", "does not fit" } },
		{ "cfg_u64", "18446744073709551616", -EINVAL, { "'cfg_u64'", "does not fit" } },
		{ "cfg_s8", "-129", -EINVAL, { "'cfg_s8'", "does not fit", ".rodata.cfg" } },
		{ "cfg_s8", "128", -EINVAL, { "'cfg_s8'", "does not fit" } },
		{ "cfg_mode", "-1", -EINVAL, { "'cfg_mode'", "unsigned" } },
		{ "cfg_flag", "2", -EINVAL, { "'cfg_flag'", "bool" } },
		{ "cfg_name", "hex:6162", -EINVAL, { "'cfg_name'", "has 2 bytes", "has 6" } },
		{ "cfg_name", "5", -EINVAL, { "'cfg_name'", "not an integer or enum", "hex:<6 bytes>" } },
		{ "cfg_u16", "hex:0102ff", -EINVAL, { "'cfg_u16'", "has 3 bytes", "has 2" } },
		{ "cfg_u16", "12ab", -EINVAL, { "'cfg_u16'", "not an integer" } },
	};
	struct uxdp_obj *obj = NULL;
	char err[UXDP_ERR_MAX];
	size_t i, j;
	int ret;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		const struct bad_case *c = &cases[i];
		const struct uxdp_const_set set = { .name = c->name,
						    .value = c->value };

		ret = load(path, &set, 1, &obj, err);
		CHECK(ret == c->ret && obj == NULL,
		      "%s=%s: want %d, got %d (%s)", c->name, c->value,
		      c->ret, ret, err);
		CHECK(strstr(err, path) != NULL, "%s=%s: message '%s' does not name the file",
		      c->name, c->value, err);
		for (j = 0; j < ARRAY_LEN(c->words) && c->words[j] != NULL; j++)
			CHECK(strstr(err, c->words[j]) != NULL,
			      "%s=%s: message '%s' lacks '%s'", c->name,
			      c->value, err, c->words[j]);
		uxdp_obj_close(obj);
	}

	{
		const struct uxdp_const_set set = { .name = "cfg_u32",
						    .bytes = two, .size = 2 };

		ret = load(path, &set, 1, &obj, err);
		CHECK(ret == -ENOENT, "unknown name with bytes: %d %s", ret, err);
		uxdp_obj_close(obj);
	}
	{
		const struct uxdp_const_set set = { .name = "cfg_s32",
						    .bytes = two, .size = 2 };

		ret = load(path, &set, 1, &obj, err);
		CHECK(ret == -EINVAL && strstr(err, "2 bytes given, the variable has 4") != NULL,
		      "short bytes: %d %s", ret, err);
		uxdp_obj_close(obj);
	}
	{
		struct uxdp_obj_opts opts = { .n_consts = 1 };

		ret = uxdp_obj_load(path, &opts, &obj, err, sizeof(err));
		CHECK(ret == -EINVAL && obj == NULL, "n_consts without consts: %d %s",
		      ret, err);
	}
}

static void
test_nobtf(const char *path)
{
	const struct uxdp_const_set set = { .name = "cfg_u8", .value = "1" };
	struct uxdp_obj *obj = NULL;
	char err[UXDP_ERR_MAX];
	int ret;

	ret = load(path, NULL, 0, &obj, err);
	CHECK(ret == 0, "no BTF, nothing set: load: %d %s", ret, err);
	uxdp_obj_close(obj);
	ret = load(path, &set, 1, &obj, err);
	CHECK(ret == -EINVAL && obj == NULL && strstr(err, "no BTF") != NULL &&
	      strstr(err, "'cfg_u8'") != NULL && strstr(err, path) != NULL,
	      "no BTF: %d '%s'", ret, err);
}

static void
test_parse(void)
{
	static const struct {
		const char *arg;
		char sep;
		const char *name;
		const char *value;
		const char *word;
	} cases[] = {
		{ "drop_udp_dport=53", '=', "drop_udp_dport", "53", NULL },
		{ "a=hex:00ff", '=', "a", "hex:00ff", NULL },
		{ "a=-0x10", '=', "a", "-0x10", NULL },
		{ "a=1=2", '=', NULL, NULL, "neither" },
		{ "port:8080", ':', "port", "8080", NULL },
		{ "a:hex:0a", ':', "a", "hex:0a", NULL },
		{ "novalue", '=', NULL, NULL, "expected NAME=VALUE" },
		{ "=5", '=', NULL, NULL, "expected NAME=VALUE" },
		{ "a=", '=', NULL, NULL, "no value" },
		{ "a=12ab", '=', NULL, NULL, "neither" },
		{ "a=0x", '=', NULL, NULL, "neither" },
		{ "a=-", '=', NULL, NULL, "neither" },
		{ "a=hex:abc", '=', NULL, NULL, "neither" },
		{ "a=hex:", '=', NULL, NULL, "neither" },
		{ "a=hex:zz", '=', NULL, NULL, "neither" },
	};
	struct uxdp_const_set set;
	char err[UXDP_ERR_MAX];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		err[0] = '\0';
		ret = uxdp_const_parse(cases[i].arg, cases[i].sep, &set, err,
				       sizeof(err));
		if (cases[i].name != NULL) {
			CHECK(ret == 0 && strcmp(set.name, cases[i].name) == 0 &&
			      strcmp(set.value, cases[i].value) == 0,
			      "parse '%s': %d %s", cases[i].arg, ret, err);
			uxdp_const_set_free(&set);
			CHECK(set.name == NULL, "free zeroes the set");
		} else {
			CHECK(ret == -EINVAL && strstr(err, cases[i].word) != NULL &&
			      strstr(err, cases[i].arg) != NULL,
			      "parse '%s': want -EINVAL with '%s', got %d '%s'",
			      cases[i].arg, cases[i].word, ret, err);
		}
	}
	CHECK(uxdp_const_parse(NULL, '=', &set, err, sizeof(err)) == -EINVAL,
	      "parse NULL");
}

/* Encoding alone: a 16-byte integer and little-endian order. */
static void
test_encode(void)
{
	const struct uxdp_const_type i128 = { .size = 16, .is_integer = 1,
					      .is_signed = 1 };
	const struct uxdp_const_type u16 = { .size = 2, .is_integer = 1 };
	struct uxdp_const_set set = { .name = "x", .value = "-2" };
	char err[UXDP_ERR_MAX];
	uint8_t out[16], want[16];

	memset(want, 0xff, sizeof(want));
	want[0] = 0xfe;
	CHECK(uxdp_const_encode(&set, &i128, out, err, sizeof(err)) == 0 &&
	      memcmp(out, want, 16) == 0, "encode -2 as s128: %s", err);
	set.value = "0x0102";
	CHECK(uxdp_const_encode(&set, &u16, out, err, sizeof(err)) == 0 &&
	      out[0] == 2 && out[1] == 1, "encode 0x0102 little-endian");
	set.value = "010";
	CHECK(uxdp_const_encode(&set, &u16, out, err, sizeof(err)) == 0 &&
	      out[0] == 10 && out[1] == 0, "a leading 0 is decimal");
}

static bool
has_section(const char *path, const char *prefix)
{
	bool found = false;
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	Elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf != NULL && elf_getshdrstrndx(elf, &shstrndx) == 0) {
		while (!found && (scn = elf_nextscn(elf, scn)) != NULL) {
			GElf_Shdr sh;
			const char *name;

			if (gelf_getshdr(scn, &sh) == NULL)
				continue;
			name = elf_strptr(elf, shstrndx, sh.sh_name);
			found = name != NULL &&
				strncmp(name, prefix, strlen(prefix)) == 0;
		}
	}
	if (elf != NULL)
		elf_end(elf);
	close(fd);
	return found;
}

/* license, version, .xdp_run_config and DWARF are read past. */
static void
test_extra_sections(const char *path)
{
	static const char *const secs[] = {
		"license", "version", ".xdp_run_config", ".debug_info",
		".rel.debug_info",
	};
	struct uxdp_obj *obj = NULL;
	struct bpf_object *lb;
	char err[UXDP_ERR_MAX];
	uint8_t pkt[PKT_LEN];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_LEN(secs); i++)
		CHECK(has_section(path, secs[i]), "%s has no section %s: the test would prove nothing",
		      path, secs[i]);
	ret = load(path, NULL, 0, &obj, err);
	CHECK(ret == 0, "extra sections: load: %d %s", ret, err);
	if (ret < 0)
		return;
	CHECK(uxdp_obj_prog_count(obj) == 1, "extra: %u programs",
	      uxdp_obj_prog_count(obj));
	CHECK(uxdp_obj_map_count(obj) == 0, "extra: %u maps (none of these sections is a map)",
	      uxdp_obj_map_count(obj));
	CHECK(run_stamp(obj, pkt) == XDP_DROP, "extra: the program runs");
	/* libbpf agrees there is nothing else to load. */
	lb = bpf_object__open_file(path, NULL);
	CHECK(lb != NULL, "libbpf cannot open %s", path);
	if (lb != NULL) {
		struct bpf_map *m;
		unsigned int n = 0;

		bpf_object__for_each_map(m, lb)
			n++;
		CHECK(n == uxdp_obj_map_count(obj), "extra: libbpf has %u maps", n);
		bpf_object__close(lb);
	}
	uxdp_obj_close(obj);
}

static void
test_types_only(const char *path)
{
	const struct uxdp_const_set set = { .name = "x", .value = "1" };
	struct uxdp_obj *obj = NULL;
	char err[UXDP_ERR_MAX];
	int ret;

	CHECK(has_section(path, ".BTF") && has_section(path, "version"),
	      "%s lacks .BTF or version", path);
	ret = load(path, NULL, 0, &obj, err);
	CHECK(ret == 0, "types only: load: %d %s", ret, err);
	if (ret < 0)
		return;
	CHECK(uxdp_obj_prog_count(obj) == 0 && uxdp_obj_map_count(obj) == 0,
	      "types only: %u programs, %u maps", uxdp_obj_prog_count(obj),
	      uxdp_obj_map_count(obj));
	err[0] = '\0';
	CHECK(uxdp_obj_find_prog(obj, NULL, err, sizeof(err)) == NULL &&
	      strstr(err, "no XDP program") != NULL && strstr(err, path) != NULL,
	      "types only: find_prog: '%s'", err);
	uxdp_obj_close(obj);
	ret = load(path, &set, 1, &obj, err);
	CHECK(ret == -ENOENT && strstr(err, "have: none") != NULL,
	      "types only: set x: %d '%s'", ret, err);
}

int
main(int argc, char **argv)
{
	struct paths p = { 0 };
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		const char **dst = NULL;

		if (strcmp(argv[i], "--consts") == 0)
			dst = &p.consts;
		else if (strcmp(argv[i], "--nobtf") == 0)
			dst = &p.nobtf;
		else if (strcmp(argv[i], "--extra") == 0)
			dst = &p.extra;
		else if (strcmp(argv[i], "--typesonly") == 0)
			dst = &p.typesonly;
		if (dst != NULL)
			*dst = argv[i + 1];
	}
	if (p.consts == NULL || p.nobtf == NULL || p.extra == NULL ||
	    p.typesonly == NULL) {
		fprintf(stderr, "usage: %s --consts O --nobtf O --extra O --typesonly O\n",
			argv[0]);
		return 2;
	}
	libbpf_set_print(NULL);
	test_parse();
	test_encode();
	test_defaults(p.consts);
	test_set_all(p.consts);
	test_refusals(p.consts);
	test_nobtf(p.nobtf);
	test_extra_sections(p.extra);
	test_types_only(p.typesonly);
	return test_summary();
}
