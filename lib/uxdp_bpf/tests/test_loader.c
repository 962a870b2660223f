/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp_obj_load() on real clang objects, checked against independent
 * readings of the same files: libbpf's bpf_object__open_file() (which
 * parses without loading into the kernel) for map names, definitions,
 * initial values, program order and per-program code, BTF for variable
 * offsets, and libelf for the code of subprograms.
 *
 * Usage: test_loader --maps O --legacy O --progs O --extern O --kfunc O
 *                    --noxdp O
 */

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "uxdp_bpf_internal.h"
#include "test_loader_defs.h"
#include "test_loader_util.h"

struct paths {
	const char *maps;
	const char *legacy;
	const char *progs;
	const char *ext;
	const char *kfunc;
	const char *noxdp;
};

static uint64_t
imm64(const struct bpf_insn *insn)
{
	return (uint64_t)(uint32_t)insn[0].imm |
	       (uint64_t)(uint32_t)insn[1].imm << 32;
}

static bool
is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static bool
is_pseudo_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) &&
	       insn->src_reg == BPF_PSEUDO_CALL;
}

static struct uxdp_obj *
load_ok(const char *path)
{
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	int ret;

	ret = uxdp_obj_load(path, NULL, &obj, err, sizeof(err));
	CHECK(ret == 0 && obj != NULL, "load %s: %d %s", path, ret, err);
	return ret == 0 ? obj : NULL;
}

/* The value of a one-entry map, as programs address it. */
static uint8_t *
value0(struct uxdp_map *map)
{
	const uint32_t zero = 0;

	return uxdp_map_lookup(map, &zero);
}

/* Maps: names, definitions and initial values equal libbpf's, in the same
 * order. Run on copies of the object under several file names, since
 * internal map names depend on it. */
static void
test_maps_match_libbpf(const char *path)
{
	struct uxdp_obj *obj = load_ok(path);
	struct bpf_object *bo;
	struct bpf_map *bm;
	unsigned int i = 0;

	if (obj == NULL)
		return;
	bo = bpf_object__open_file(path, NULL);
	CHECK(bo != NULL, "libbpf cannot open %s", path);
	if (bo == NULL) {
		uxdp_obj_close(obj);
		return;
	}
	bpf_object__for_each_map(bm, bo) {
		struct uxdp_map *m = uxdp_obj_map_at(obj, i++);
		const struct uxdp_map_def *d;
		const void *init;
		size_t init_size = 0;

		CHECK(m != NULL, "%s: libbpf has map '%s' at %u, uxdp has none",
		      path, bpf_map__name(bm), i - 1);
		if (m == NULL)
			continue;
		d = uxdp_map_get_def(m);
		CHECK(strcmp(uxdp_map_name(m), bpf_map__name(bm)) == 0,
		      "%s: map %u: uxdp '%s', libbpf '%s'", path, i - 1,
		      uxdp_map_name(m), bpf_map__name(bm));
		CHECK(d->type == (uint32_t)bpf_map__type(bm) &&
		      d->key_size == bpf_map__key_size(bm) &&
		      d->value_size == bpf_map__value_size(bm) &&
		      d->max_entries == bpf_map__max_entries(bm) &&
		      d->map_flags == bpf_map__map_flags(bm),
		      "%s: map '%s': uxdp type %u key %u value %u entries %u flags 0x%x, libbpf %d %u %u %u 0x%x",
		      path, bpf_map__name(bm), d->type, d->key_size,
		      d->value_size, d->max_entries, d->map_flags,
		      bpf_map__type(bm), bpf_map__key_size(bm),
		      bpf_map__value_size(bm), bpf_map__max_entries(bm),
		      bpf_map__map_flags(bm));
		CHECK(uxdp_obj_map_by_name(obj, bpf_map__name(bm)) == m,
		      "%s: map_by_name('%s')", path, bpf_map__name(bm));
		/* libbpf fills .kconfig only when it loads into a kernel:
		 * test_loader_core compares the values with the kernel's. */
		if (strstr(bpf_map__name(bm), ".kconfig") != NULL)
			continue;
		/* libbpf keeps the initial bytes of global data maps. */
		init = bpf_map__initial_value(bm, &init_size);
		if (init != NULL) {
			const uint8_t *v = value0(m);

			CHECK(v != NULL && init_size == d->value_size &&
			      memcmp(v, init, init_size) == 0,
			      "%s: map '%s': initial value differs from libbpf's",
			      path, bpf_map__name(bm));
		}
	}
	CHECK(i > 0 && i == uxdp_obj_map_count(obj),
	      "%s: libbpf has %u maps, uxdp %u", path, i,
	      uxdp_obj_map_count(obj));
	bpf_object__close(bo);
	uxdp_obj_close(obj);
}

static int
copy_file(const char *from, const char *to)
{
	char buf[4096];
	int in, out, ret = 0;
	ssize_t n;

	in = open(from, O_RDONLY);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			ret = -EIO;
	if (in < 0 || out < 0)
		ret = -errno;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}

/* Internal map names take a prefix from the file name: try names that
 * exercise truncation, sanitising, hidden files and no extension. */
static void
test_map_names_by_file_name(const char *path)
{
	static const char *const names[] = {
		"a+b c.d-e.o", "0123456789abcdef0123.o", ".hidden.o",
		"noext", "x.o", "ab-cd_ef.bpf.o",
	};
	char dir[] = "/tmp/uxdp_test_loader.XXXXXX";
	char copy[PATH_MAX];
	size_t i;

	CHECK(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(copy, sizeof(copy), "%s/%s", dir, names[i]);
		CHECK(copy_file(path, copy) == 0, "copy to %s", copy);
		test_maps_match_libbpf(copy);
		unlink(copy);
	}
	rmdir(dir);
}

/* The libbpf map whose value is the DATASEC of a global data section,
 * and its index, which is also uxdp's index (checked above). */
static const struct btf_type *
map_datasec(const struct btf *btf, const struct bpf_map *bm)
{
	const struct btf_type *t;
	uint32_t id = bpf_map__btf_value_type_id(bm);

	if (btf == NULL || id == 0)
		return NULL;
	t = btf__type_by_id(btf, id);
	return t != NULL && btf_is_datasec(t) ? t : NULL;
}

struct addr_set {
	uint64_t *v;
	size_t n;
};

static bool
addr_set_has(const struct addr_set *s, uint64_t v)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return true;
	return false;
}

/* Every ld_imm64 of the program resolves to a map handle or to the
 * address of a variable inside a global data map, at the offset BTF gives
 * the variable. */
static void
test_data_relocations(const char *path)
{
	struct uxdp_obj *obj = load_ok(path);
	const struct bpf_insn *orig, *insns;
	struct addr_set set = { 0 };
	struct bpf_program *bp;
	struct uxdp_prog *prog;
	struct bpf_object *bo;
	struct bpf_map *bm;
	const struct btf *btf;
	size_t n_orig, i;
	unsigned int mi = 0;
	uint32_t n;

	if (obj == NULL)
		return;
	bo = bpf_object__open_file(path, NULL);
	prog = uxdp_obj_find_prog(obj, "xdp_maps", NULL, 0);
	bp = bo != NULL ? bpf_object__find_program_by_name(bo, "xdp_maps") :
			  NULL;
	CHECK(prog != NULL && bp != NULL, "%s: program xdp_maps", path);
	if (prog == NULL || bp == NULL)
		goto out;
	orig = bpf_program__insns(bp);
	n_orig = bpf_program__insn_cnt(bp);
	insns = prog->insns;
	n = uxdp_prog_insn_count(prog);
	CHECK(n == n_orig, "xdp_maps: uxdp %u insns, libbpf %zu", n, n_orig);
	set.v = calloc(n, sizeof(*set.v));
	for (i = 0; i + 1 < n && i + 1 < n_orig; i++) {
		if (!is_ld_imm64(&orig[i]))
			continue;
		CHECK(is_ld_imm64(&insns[i]) && insns[i].src_reg == 0,
		      "xdp_maps insn %zu: not a resolved ld_imm64", i);
		set.v[set.n++] = imm64(&insns[i]);
		i++;
	}
	CHECK(set.n >= 3, "xdp_maps: %zu ld_imm64, expected maps and globals",
	      set.n);

	/* Each address is a map handle or lies in a data map's value. */
	for (i = 0; i < set.n; i++) {
		bool known = false;
		unsigned int k;

		for (k = 0; k < uxdp_obj_map_count(obj) && !known; k++) {
			struct uxdp_map *m = uxdp_obj_map_at(obj, k);
			const struct uxdp_map_def *d = uxdp_map_get_def(m);
			uint64_t base;

			if (set.v[i] == (uintptr_t)m) {
				known = true;
				continue;
			}
			if (d->type != BPF_MAP_TYPE_ARRAY || d->max_entries != 1)
				continue;
			base = (uintptr_t)value0(m);
			known = set.v[i] >= base &&
				set.v[i] < base + d->value_size;
		}
		CHECK(known, "xdp_maps: ld_imm64 value 0x%llx is neither a map nor a global",
		      (unsigned long long)set.v[i]);
	}
	/* The program uses every map of the object. */
	btf = bpf_object__btf(bo);
	bpf_object__for_each_map(bm, bo) {
		struct uxdp_map *m = uxdp_obj_map_at(obj, mi++);
		const struct btf_type *sec = map_datasec(btf, bm);
		const struct btf_var_secinfo *vsi;
		uint64_t base;
		bool any = false;
		uint16_t k;

		if (m == NULL)
			continue;
		if (strchr(bpf_map__name(bm), '.') == NULL) {
			CHECK(addr_set_has(&set, (uintptr_t)m),
			      "xdp_maps: no ld_imm64 of map '%s'",
			      bpf_map__name(bm));
			continue;
		}
		base = (uintptr_t)value0(m);
		for (k = 0; k < set.n; k++)
			any |= set.v[k] >= base &&
			       set.v[k] < base + bpf_map__value_size(bm);
		CHECK(any, "xdp_maps: no reference into map '%s'",
		      bpf_map__name(bm));
		if (sec == NULL)
			continue; /* string literals: no variables */
		vsi = btf_var_secinfos(sec);
		for (k = 0; k < btf_vlen(sec); k++, vsi++) {
			const struct btf_type *var = btf__type_by_id(btf,
								     vsi->type);
			const char *name = btf__name_by_offset(btf,
							       var->name_off);

			CHECK(addr_set_has(&set, base + vsi->offset),
			      "xdp_maps: variable '%s' (offset %u of '%s') not addressed",
			      name, vsi->offset, bpf_map__name(bm));
		}
	}
out:
	free(set.v);
	bpf_object__close(bo);
	uxdp_obj_close(obj);
}

/* libbpf 1.x refuses legacy "maps" sections, so the reference is the
 * header the object was compiled with. */
static void
test_legacy_maps(const char *path)
{
	struct uxdp_obj *obj = load_ok(path);
	struct uxdp_map *arr, *hash;
	const struct uxdp_map_def *d;
	struct uxdp_prog *prog;
	struct addr_set set = { 0 };
	uint32_t i;

	if (obj == NULL)
		return;
	CHECK(uxdp_obj_map_count(obj) == 2, "legacy: %u maps",
	      uxdp_obj_map_count(obj));
	arr = uxdp_obj_map_at(obj, 0);
	hash = uxdp_obj_map_at(obj, 1);
	CHECK(arr != NULL && strcmp(uxdp_map_name(arr), "legacy_array") == 0,
	      "legacy: first map is not legacy_array");
	CHECK(hash != NULL && strcmp(uxdp_map_name(hash), "legacy_hash") == 0,
	      "legacy: second map is not legacy_hash");
	if (arr == NULL || hash == NULL)
		goto out;
	d = uxdp_map_get_def(arr);
	CHECK(d->type == BPF_MAP_TYPE_ARRAY &&
	      d->key_size == LEGACY_ARRAY_KEY_SIZE &&
	      d->value_size == LEGACY_ARRAY_VALUE_SIZE &&
	      d->max_entries == LEGACY_ARRAY_ENTRIES && d->map_flags == 0,
	      "legacy_array: definition %u %u %u %u 0x%x", d->type,
	      d->key_size, d->value_size, d->max_entries, d->map_flags);
	d = uxdp_map_get_def(hash);
	CHECK(d->type == BPF_MAP_TYPE_HASH &&
	      d->key_size == LEGACY_HASH_KEY_SIZE &&
	      d->value_size == LEGACY_HASH_VALUE_SIZE &&
	      d->max_entries == LEGACY_HASH_ENTRIES &&
	      d->map_flags == LEGACY_HASH_FLAGS,
	      "legacy_hash: definition %u %u %u %u 0x%x", d->type,
	      d->key_size, d->value_size, d->max_entries, d->map_flags);
	prog = uxdp_obj_find_prog(obj, NULL, NULL, 0);
	CHECK(prog != NULL, "legacy: no program");
	if (prog == NULL)
		goto out;
	set.v = calloc(prog->n_insns, sizeof(*set.v));
	for (i = 0; i + 1 < prog->n_insns; i++) {
		if (!is_ld_imm64(&prog->insns[i]))
			continue;
		set.v[set.n++] = imm64(&prog->insns[i]);
		i++;
	}
	CHECK(addr_set_has(&set, (uintptr_t)arr) &&
	      addr_set_has(&set, (uintptr_t)hash),
	      "legacy: ld_imm64 do not carry both map handles");
	free(set.v);
out:
	uxdp_obj_close(obj);
}

/* The code of a function as the ELF file has it, read with libelf. */
static struct bpf_insn *
elf_func_code(const char *path, const char *name, size_t *count)
{
	struct bpf_insn *code = NULL;
	Elf_Scn *scn = NULL;
	Elf *elf;
	int fd;

	*count = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	while (elf != NULL && (scn = elf_nextscn(elf, scn)) != NULL) {
		Elf_Data *data = elf_getdata(scn, NULL);
		GElf_Shdr sh;
		size_t i;

		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_SYMTAB)
			continue;
		for (i = 0; data != NULL && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			Elf_Data *code_data;
			const char *s;

			if (gelf_getsym(data, i, &sym) == NULL)
				continue;
			s = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (s == NULL || strcmp(s, name) != 0 ||
			    GELF_ST_TYPE(sym.st_info) != STT_FUNC)
				continue;
			code_data = elf_getdata(elf_getscn(elf, sym.st_shndx),
						NULL);
			code = malloc(sym.st_size);
			if (code_data == NULL || code == NULL)
				break;
			memcpy(code, (uint8_t *)code_data->d_buf + sym.st_value,
			       sym.st_size);
			*count = sym.st_size / sizeof(*code);
			break;
		}
		break;
	}
	if (elf != NULL)
		elf_end(elf);
	close(fd);
	return code;
}

/* Same instruction, except the immediates of calls and ld_imm64 (which
 * linking rewrites) and loads (which the ctx rewrite may change). */
static bool
same_code(const struct bpf_insn *a, const struct bpf_insn *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (BPF_CLASS(a[i].code) == BPF_LDX)
			continue;
		if (a[i].code != b[i].code || a[i].dst_reg != b[i].dst_reg ||
		    a[i].src_reg != b[i].src_reg || a[i].off != b[i].off)
			return false;
		if (a[i].code != (BPF_JMP | BPF_CALL) && !is_ld_imm64(&a[i]) &&
		    a[i].imm != b[i].imm)
			return false;
		if (is_ld_imm64(&a[i]))
			i++;
	}
	return true;
}

struct expect_prog {
	const char *name;
	const char *section;
	const char *callees[2]; /* every function it calls, transitively */
};

/* Linking: the program's own code (compared with libbpf's copy) followed
 * by one copy of each function it calls, with every call pointing at the
 * copy of its callee. */
static void
check_linked(const char *path, struct uxdp_prog *prog, struct bpf_program *bp,
	     const struct expect_prog *exp)
{
	size_t own = bpf_program__insn_cnt(bp), expect_n = own;
	struct bpf_insn *callee_code[2] = { NULL, NULL };
	size_t callee_n[2] = { 0, 0 };
	uint32_t targets[16], n_targets = 0, pc, n = prog->n_insns;
	unsigned int c, n_callees = 0;
	bool found[2] = { false, false };

	for (c = 0; c < 2 && exp->callees[c] != NULL; c++) {
		callee_code[c] = elf_func_code(path, exp->callees[c],
					       &callee_n[c]);
		CHECK(callee_code[c] != NULL, "no code for '%s'",
		      exp->callees[c]);
		expect_n += callee_n[c];
		n_callees++;
	}
	CHECK(n == expect_n, "%s: %u insns, expected %zu own + callees = %zu",
	      exp->name, n, own, expect_n);
	CHECK(n >= own && same_code(prog->insns, bpf_program__insns(bp), own),
	      "%s: own code differs from libbpf's", exp->name);

	for (pc = 0; pc < n; pc++) {
		int64_t t;
		uint32_t k;
		bool dup = false;

		if (!is_pseudo_call(&prog->insns[pc]))
			continue;
		t = (int64_t)pc + prog->insns[pc].imm + 1;
		CHECK(t >= (int64_t)own && t < n,
		      "%s: call at %u goes to %lld, outside the appended subprograms [%zu, %u)",
		      exp->name, pc, (long long)t, own, n);
		if (t < (int64_t)own || t >= n)
			continue;
		for (k = 0; k < n_targets; k++)
			dup |= targets[k] == t;
		if (!dup && n_targets < 16)
			targets[n_targets++] = t;
	}
	/* One target per callee: a function called twice is linked once. */
	CHECK(n_targets == n_callees, "%s: %u distinct call targets, %u callees",
	      exp->name, n_targets, n_callees);
	for (c = 0; c < n_targets; c++) {
		unsigned int k;

		for (k = 0; k < n_callees; k++) {
			if (found[k] || callee_code[k] == NULL ||
			    targets[c] + callee_n[k] > n)
				continue;
			if (same_code(&prog->insns[targets[c]], callee_code[k],
				      callee_n[k])) {
				found[k] = true;
				break;
			}
		}
		CHECK(k < n_callees, "%s: call target %u holds no callee's code",
		      exp->name, targets[c]);
	}
	for (c = 0; c < n_callees; c++)
		free(callee_code[c]);
}

static void
test_programs(const char *path)
{
	static const struct expect_prog exp[] = {
		{ "xdp_first", "xdp", { "sub_static", "sub_global" } },
		{ "xdp_second", "xdp", { "sub_global", "sub_static" } },
		{ "xdp_frags_prog", "xdp.frags", { NULL } },
		{ "xdp_devmap_prog", "xdp/devmap", { "sub_static" } },
		{ "xdp_legacy_prog", "xdp_legacy", { NULL } },
		{ "xdp_frags_other", "xdp.frags/other", { NULL } },
		{ "xdp_dash_prog", "xdp-dash", { "sub_global", "sub_static" } },
	};
	const size_t n_exp = sizeof(exp) / sizeof(exp[0]);
	struct uxdp_obj *obj = load_ok(path);
	char err[UXDP_ERR_MAX];
	struct bpf_program *bp;
	struct bpf_object *bo;
	struct uxdp_prog *p;
	unsigned int i = 0;
	size_t e;

	if (obj == NULL)
		return;
	bo = bpf_object__open_file(path, NULL);
	CHECK(bo != NULL, "libbpf cannot open %s", path);
	if (bo == NULL)
		goto out;
	/* Same programs in the same order as libbpf, minus the non-XDP
	 * ones (tc, kprobe), which uxdp skips. */
	bpf_object__for_each_program(bp, bo) {
		const char *sec = bpf_program__section_name(bp);

		if (strncmp(sec, "xdp", 3) != 0)
			continue;
		p = uxdp_obj_prog_at(obj, i++);
		CHECK(p != NULL && strcmp(uxdp_prog_name(p), bpf_program__name(bp)) == 0 &&
		      strcmp(uxdp_prog_section(p), sec) == 0,
		      "program %u: uxdp '%s' in '%s', libbpf '%s' in '%s'",
		      i - 1, p != NULL ? uxdp_prog_name(p) : "(none)",
		      p != NULL ? uxdp_prog_section(p) : "",
		      bpf_program__name(bp), sec);
		for (e = 0; p != NULL && e < n_exp; e++)
			if (strcmp(exp[e].name, uxdp_prog_name(p)) == 0)
				check_linked(path, p, bp, &exp[e]);
	}
	CHECK(i == n_exp && uxdp_obj_prog_count(obj) == n_exp,
	      "%u XDP programs per libbpf, uxdp %u, expected %zu", i,
	      uxdp_obj_prog_count(obj), n_exp);

	/* Multi-buffer semantics for the xdp.frags sections, those libbpf
	 * loads with BPF_F_XDP_HAS_FRAGS (and xdp.frags/<name>, which libbpf
	 * refuses and uxdp loads as XDP), for no other. */
	for (e = 0; e < n_exp; e++) {
		bool want = strncmp(exp[e].section, "xdp.frags", 9) == 0;

		p = uxdp_obj_find_prog(obj, exp[e].name, err, sizeof(err));
		CHECK(p != NULL && uxdp_prog_has_frags(p) == want,
		      "program '%s' in '%s': has_frags %d, want %d",
		      exp[e].name, exp[e].section,
		      p != NULL ? uxdp_prog_has_frags(p) : -1, want);
	}
	CHECK(!uxdp_prog_has_frags(NULL), "has_frags(NULL) is false");

	/* Selection: first in section order, by name, by section, name
	 * before section, and a refusal listing what there is. */
	p = uxdp_obj_find_prog(obj, NULL, err, sizeof(err));
	CHECK(p != NULL && strcmp(p->name, "xdp_first") == 0,
	      "find_prog(NULL) is not the first XDP program");
	p = uxdp_obj_find_prog(obj, "xdp_second", err, sizeof(err));
	CHECK(p != NULL && strcmp(p->name, "xdp_second") == 0,
	      "find_prog by name");
	p = uxdp_obj_find_prog(obj, "xdp.frags", err, sizeof(err));
	CHECK(p != NULL && strcmp(p->name, "xdp_frags_prog") == 0,
	      "find_prog by section");
	p = uxdp_obj_find_prog(obj, "xdp", err, sizeof(err));
	CHECK(p != NULL && strcmp(p->name, "xdp_first") == 0,
	      "find_prog by a section with two programs");
	/* Name-before-section is not shown here: clang refuses to compile a
	 * function named like a section of the same object. */
	p = uxdp_obj_find_prog(obj, "xdp-dash", err, sizeof(err));
	CHECK(p != NULL && strcmp(p->name, "xdp_dash_prog") == 0,
	      "find_prog by a legacy section name");
	err[0] = '\0';
	p = uxdp_obj_find_prog(obj, "tc_prog", err, sizeof(err));
	CHECK(p == NULL && strstr(err, "tc_prog") != NULL &&
	      strstr(err, "xdp_first") != NULL,
	      "find_prog(tc_prog): %p '%s'", (void *)p, err);
	CHECK(uxdp_obj_find_prog(obj, "kprobe/do_nothing", NULL, 0) == NULL,
	      "a kprobe program was loaded");
out:
	bpf_object__close(bo);
	uxdp_obj_close(obj);
}

static void
test_refused(const char *path, const char *symbol)
{
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = (struct uxdp_obj *)&err;
	int ret;

	ret = uxdp_obj_load(path, NULL, &obj, err, sizeof(err));
	CHECK(ret < 0 && obj == NULL, "%s loaded (%d)", path, ret);
	CHECK(strstr(err, symbol) != NULL && strstr(err, "insn") != NULL,
	      "%s: message does not name '%s' and the instruction: '%s'",
	      path, symbol, err);
	if (ret == 0)
		uxdp_obj_close(obj);
}

static void
test_no_xdp(const char *path)
{
	struct uxdp_obj *obj = load_ok(path);
	char err[UXDP_ERR_MAX] = "";

	if (obj == NULL)
		return;
	CHECK(uxdp_obj_prog_count(obj) == 0, "noxdp: %u programs",
	      uxdp_obj_prog_count(obj));
	CHECK(uxdp_obj_find_prog(obj, NULL, err, sizeof(err)) == NULL &&
	      strstr(err, "no XDP program") != NULL,
	      "noxdp: find_prog(NULL): '%s'", err);
	CHECK(uxdp_obj_map_count(obj) == 1, "noxdp: %u maps",
	      uxdp_obj_map_count(obj));
	uxdp_obj_close(obj);
	test_maps_match_libbpf(path);
}

int
main(int argc, char **argv)
{
	struct paths p = { 0 };
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		const char **dst = NULL;

		if (strcmp(argv[i], "--maps") == 0)
			dst = &p.maps;
		else if (strcmp(argv[i], "--legacy") == 0)
			dst = &p.legacy;
		else if (strcmp(argv[i], "--progs") == 0)
			dst = &p.progs;
		else if (strcmp(argv[i], "--extern") == 0)
			dst = &p.ext;
		else if (strcmp(argv[i], "--kfunc") == 0)
			dst = &p.kfunc;
		else if (strcmp(argv[i], "--noxdp") == 0)
			dst = &p.noxdp;
		if (dst != NULL)
			*dst = argv[i + 1];
	}
	if (p.maps == NULL || p.legacy == NULL || p.progs == NULL ||
	    p.ext == NULL || p.kfunc == NULL || p.noxdp == NULL) {
		fprintf(stderr, "usage: %s --maps O --legacy O --progs O --extern O --kfunc O --noxdp O\n",
			argv[0]);
		return 2;
	}
	/* libbpf's own warnings about objects are noise here. */
	libbpf_set_print(NULL);

	test_maps_match_libbpf(p.maps);
	test_map_names_by_file_name(p.maps);
	test_data_relocations(p.maps);
	test_legacy_maps(p.legacy);
	test_programs(p.progs);
	/* .kconfig externs load, their map is libbpf's. */
	test_maps_match_libbpf(p.ext);
	test_refused(p.kfunc, "uxdp_test_missing_kfunc");
	test_no_xdp(p.noxdp);
	return test_summary();
}
