/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * .kconfig externs: `extern T NAME __kconfig;` variables whose values the
 * loader provides, libbpf style. They live in one internal array map,
 * named like the other global data maps (loader_map_name.c gives
 * "<obj>.kconfig" as libbpf 1.1 does), read-only for programs, created
 * after the global data maps; each extern's place in its value follows
 * libbpf's layout (by alignment, largest first, then by size, then by
 * name), so map dumps compare byte for byte with the kernel's.
 *
 * Values, as libbpf gives them:
 *  - LINUX_KERNEL_VERSION: KERNEL_VERSION(a, b, c) of the running kernel
 *    (/proc/version_signature on Ubuntu, else uname -r), c capped at 255;
 *  - LINUX_HAS_BPF_COOKIE and LINUX_HAS_SYSCALL_WRAPPER: true (uxdp
 *    targets Linux >= 5.15 on x86-64, which has both);
 *  - other LINUX_* externs: 0 when weak, refused otherwise;
 *  - CONFIG_*: from /boot/config-$(uname -r), else /proc/config.gz: y, n
 *    and m for bool, tristate (enum libbpf_tristate) and char externs,
 *    numbers for integer and char externs, quoted strings for char
 *    arrays (cut to fit, NUL-terminated); a CONFIG_ the file lacks is 0
 *    when weak, refused otherwise;
 *  - any other name is refused, weak or not.
 * One difference: libbpf refuses an object with CONFIG_ externs when no
 * kernel config file exists; uxdp then gives weak ones 0 and refuses only
 * strong ones, naming the files it looked for.
 *
 * Other externs (kfuncs, .ksyms variables, plain externs) are not
 * handled here: loader_link.c refuses them where the code uses them.
 */

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>
#include <bpf/btf.h>

#include "loader.h"

#define KCONFIG_SEC ".kconfig"
#define CONFIG_PREFIX "CONFIG_"
#define LINUX_PREFIX "LINUX_"
#define KCFG_LINE_MAX 4096
/* libbpf's KERNEL_VERSION(), with the sublevel capped as the kernel's. */
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

/* The extern types libbpf accepts. */
enum ldr_kcfg_type {
	KCFG_UNKNOWN,
	KCFG_CHAR,     /* a 1-byte integer that is not bool */
	KCFG_BOOL,
	KCFG_INT,      /* 1, 2, 4 or 8 bytes */
	KCFG_TRISTATE, /* enum libbpf_tristate */
	KCFG_CHAR_ARR,
};

enum { TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2 };

/* The kind of an extern's type, its size and alignment. Computed here
 * rather than with btf__align_of(), which follows malformed BTF without
 * checks: only the few types libbpf accepts need it. in_array: resolving
 * an array's element, which must be a char, never another array (so a
 * malformed array of itself ends here instead of recursing). */
static int
kcfg_type(const struct btf *btf, uint32_t id, bool in_array, bool *is_signed,
	  uint32_t *size, uint32_t *align)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int depth;

	for (depth = 0; t != NULL && (btf_is_mod(t) || btf_is_typedef(t));
	     depth++) {
		if (depth == 32)
			return KCFG_UNKNOWN;
		t = btf__type_by_id(btf, t->type);
	}
	if (t == NULL)
		return KCFG_UNKNOWN;
	*is_signed = false;
	*size = *align = t->size;
	if (btf_is_int(t)) {
		uint8_t enc = btf_int_encoding(t);

		if (enc & BTF_INT_BOOL)
			return t->size == 1 ? KCFG_BOOL : KCFG_UNKNOWN;
		*is_signed = enc & BTF_INT_SIGNED;
		if (t->size == 1)
			return KCFG_CHAR;
		if (t->size == 0 || t->size > 8 ||
		    (t->size & (t->size - 1)) != 0)
			return KCFG_UNKNOWN;
		return KCFG_INT;
	}
	if (btf_is_enum(t)) {
		const char *name = btf__name_by_offset(btf, t->name_off);

		return t->size == 4 && name != NULL &&
		       strcmp(name, "libbpf_tristate") == 0 ?
		       KCFG_TRISTATE : KCFG_UNKNOWN;
	}
	if (btf_is_array(t) && !in_array) {
		uint32_t n = btf_array(t)->nelems, elem_size, elem_align;
		bool elem_signed;

		if (n == 0 || n > UINT16_MAX ||
		    kcfg_type(btf, btf_array(t)->type, true, &elem_signed,
			      &elem_size, &elem_align) != KCFG_CHAR)
			return KCFG_UNKNOWN;
		*size = n;
		*align = 1;
		return KCFG_CHAR_ARR;
	}
	return KCFG_UNKNOWN;
}

/* The BTF VAR or FUNC of an extern symbol and the DATASEC holding it. */
static int
extern_btf(const struct btf *btf, const char *name, uint32_t *var_id,
	   const char **sec_name)
{
	uint32_t i, j, n = btf__type_cnt(btf);

	*var_id = 0;
	for (i = 1; i < n && *var_id == 0; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);
		const char *tname = btf__name_by_offset(btf, t->name_off);

		if ((btf_is_var(t) || btf_is_func(t)) && tname != NULL &&
		    strcmp(tname, name) == 0)
			*var_id = i;
	}
	for (i = 1; i < n && *var_id != 0; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);
		const struct btf_var_secinfo *vs;

		if (!btf_is_datasec(t))
			continue;
		vs = btf_var_secinfos(t);
		for (j = 0; j < btf_vlen(t); j++, vs++) {
			if (vs->type == *var_id) {
				*sec_name = btf__name_by_offset(btf, t->name_off);
				return *sec_name != NULL ? 0 : -EINVAL;
			}
		}
	}
	return -ENOENT;
}

static int
add_extern(struct ldr_ctx *ctx, size_t sym_idx, uint32_t var_id)
{
	const struct ldr_sym *sym = &ctx->syms[sym_idx];
	const struct btf_type *var = btf__type_by_id(ctx->btf, var_id);
	struct ldr_extern *e;

	if (!btf_is_var(var))
		return uxdp_set_err(ctx->err, ctx->err_len, ENOTSUP,
				    "%s: extern function '%s' in section '.kconfig': only variables live there",
				    ctx->path, sym->name);
	e = &ctx->externs[ctx->n_externs];
	memset(e, 0, sizeof(*e));
	e->name = sym->name;
	e->sym = sym_idx;
	e->weak = sym->bind == STB_WEAK;
	e->type = kcfg_type(ctx->btf, var->type, false, &e->is_signed,
			    &e->size, &e->align);
	if (e->type == KCFG_UNKNOWN)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOTSUP,
				    "%s: .kconfig extern '%s': unsupported type (bool, char, an integer of 1 to 8 bytes, enum libbpf_tristate or a char array)",
				    ctx->path, sym->name);
	ctx->n_externs++;
	return 0;
}

static int
cmp_extern(const void *a, const void *b)
{
	const struct ldr_extern *x = a, *y = b;

	if (x->align != y->align)
		return x->align > y->align ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Externs of the symbol table whose BTF puts them in ".kconfig". */
static int
collect(struct ldr_ctx *ctx)
{
	size_t i;
	int ret;

	ctx->externs = calloc(ctx->n_syms + 1, sizeof(*ctx->externs));
	if (ctx->externs == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	for (i = 0; i < ctx->n_syms; i++) {
		const struct ldr_sym *s = &ctx->syms[i];
		const char *sec_name = NULL;
		uint32_t var_id;

		if (s->shndx != SHN_UNDEF || s->type != STT_NOTYPE ||
		    (s->bind != STB_GLOBAL && s->bind != STB_WEAK) ||
		    s->name[0] == '\0' || ctx->btf == NULL)
			continue;
		if (extern_btf(ctx->btf, s->name, &var_id, &sec_name) < 0 ||
		    strcmp(sec_name, KCONFIG_SEC) != 0)
			continue;
		ret = add_extern(ctx, i, var_id);
		if (ret < 0)
			return ret;
	}
	qsort(ctx->externs, ctx->n_externs, sizeof(*ctx->externs),
	      cmp_extern);
	/* Two symbols of one name share a BTF VAR, so they sort next to each
	 * other. A compiler never emits that; a crafted object could, to
	 * grow the map (see the size check in ldr_kconfig_create). */
	for (i = 1; i < ctx->n_externs; i++)
		if (strcmp(ctx->externs[i].name, ctx->externs[i - 1].name) == 0)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: .kconfig extern '%s' appears twice in the symbol table",
					    ctx->path, ctx->externs[i].name);
	return 0;
}

static int __attribute__((format(printf, 3, 4)))
ext_error(struct ldr_ctx *ctx, const struct ldr_extern *e,
	  const char *fmt, ...)
{
	char why[UXDP_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
			    "%s: .kconfig extern '%s': %s", ctx->path, e->name,
			    why);
}

static bool
fits(const struct ldr_extern *e, uint64_t v)
{
	unsigned int bits = e->size * 8;

	if (e->size >= 8)
		return true;
	if (e->is_signed)
		return v + (1ULL << (bits - 1)) < (1ULL << bits);
	return (v >> bits) == 0;
}

static int
set_num(struct ldr_ctx *ctx, struct ldr_extern *e, uint8_t *val, uint64_t v)
{
	if (e->type != KCFG_INT && e->type != KCFG_CHAR && e->type != KCFG_BOOL)
		return ext_error(ctx, e, "the number %llu needs an integer, char or bool type",
				 (unsigned long long)v);
	if (e->type == KCFG_BOOL && v > 1)
		return ext_error(ctx, e, "%llu is not a bool",
				 (unsigned long long)v);
	if (!fits(e, v))
		return ext_error(ctx, e, "%llu does not fit %u bytes",
				 (unsigned long long)v, e->size);
	/* little endian: the low bytes first */
	memcpy(val + e->offset, &v, e->size);
	e->set = true;
	return 0;
}

static int
set_tristate(struct ldr_ctx *ctx, struct ldr_extern *e, uint8_t *val, char c)
{
	uint32_t tri = c == 'y' ? TRI_YES : c == 'm' ? TRI_MODULE : TRI_NO;

	switch (e->type) {
	case KCFG_BOOL:
		if (c == 'm')
			return ext_error(ctx, e, "'m' needs a tristate or char type");
		val[e->offset] = c == 'y';
		break;
	case KCFG_TRISTATE:
		memcpy(val + e->offset, &tri, sizeof(tri));
		break;
	case KCFG_CHAR:
		val[e->offset] = c;
		break;
	default:
		return ext_error(ctx, e, "'%c' needs a bool, tristate or char type",
				 c);
	}
	e->set = true;
	return 0;
}

static int
set_string(struct ldr_ctx *ctx, struct ldr_extern *e, uint8_t *val,
	   const char *s)
{
	size_t len = strlen(s);

	if (e->type != KCFG_CHAR_ARR)
		return ext_error(ctx, e, "a string needs a char array type");
	if (len < 2 || s[len - 1] != '"')
		return ext_error(ctx, e, "bad string value %s", s);
	len -= 2;
	if (len >= e->size)
		len = e->size - 1; /* cut, as libbpf does */
	memcpy(val + e->offset, s + 1, len);
	val[e->offset + len] = '\0';
	e->set = true;
	return 0;
}

static struct ldr_extern *
find_extern(struct ldr_ctx *ctx, const char *name)
{
	size_t i;

	for (i = 0; i < ctx->n_externs; i++)
		if (strcmp(ctx->externs[i].name, name) == 0)
			return &ctx->externs[i];
	return NULL;
}

/* One "CONFIG_NAME=value" line of a kernel config. */
static int
config_line(struct ldr_ctx *ctx, uint8_t *val, char *line)
{
	struct ldr_extern *e;
	char *sep, *value, *end;
	uint64_t num;
	size_t len;

	if (strncmp(line, CONFIG_PREFIX, strlen(CONFIG_PREFIX)) != 0)
		return 0;
	len = strlen(line);
	if (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	sep = strchr(line, '=');
	if (sep == NULL)
		return 0;
	*sep = '\0';
	e = find_extern(ctx, line);
	if (e == NULL || e->set)
		return 0;
	value = sep + 1;
	switch (value[0]) {
	case '\0':
		return ext_error(ctx, e, "the kernel config gives no value");
	case 'y':
	case 'n':
	case 'm':
		return set_tristate(ctx, e, val, value[0]);
	case '"':
		return set_string(ctx, e, val, value);
	default:
		errno = 0;
		num = strtoull(value, &end, 0);
		if (errno != 0 || *end != '\0')
			return ext_error(ctx, e, "'%s' is not a number", value);
		if (e->type != KCFG_INT && e->type != KCFG_CHAR)
			return ext_error(ctx, e, "'%s' needs an integer type",
					 value);
		return set_num(ctx, e, val, num);
	}
}

/* /boot/config-$(uname -r), else /proc/config.gz (gzopen reads plain
 * files too). *found tells whether either exists. */
static int
read_config(struct ldr_ctx *ctx, uint8_t *val, bool *found)
{
	char path[PATH_MAX], *line;
	struct utsname uts;
	gzFile f = NULL;
	int ret = 0;

	*found = false;
	if (uname(&uts) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", uts.release);
		f = gzopen(path, "re");
	}
	if (f == NULL)
		f = gzopen("/proc/config.gz", "re");
	if (f == NULL)
		return 0;
	*found = true;
	line = malloc(KCFG_LINE_MAX);
	if (line == NULL) {
		gzclose(f);
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	}
	while (ret == 0 && gzgets(f, line, KCFG_LINE_MAX) != NULL)
		ret = config_line(ctx, val, line);
	free(line);
	gzclose(f);
	return ret;
}

static uint64_t
kernel_version(void)
{
	unsigned int a, b, c;
	struct utsname uts;
	FILE *f;

	/* Ubuntu's uname -r keeps the base version; its real one is here:
	 * "Ubuntu 5.4.0-12.15-generic 5.4.8". */
	f = fopen("/proc/version_signature", "re");
	if (f != NULL) {
		int n = fscanf(f, "%*s %*s %u.%u.%u", &a, &b, &c);

		fclose(f);
		if (n == 3)
			return KERNEL_VERSION(a, b, c);
	}
	if (uname(&uts) != 0 ||
	    sscanf(uts.release, "%u.%u.%u", &a, &b, &c) != 3)
		return 0;
	return KERNEL_VERSION(a, b, c);
}

/* Externs libbpf itself provides (not from the kernel config). */
static int
set_virtual(struct ldr_ctx *ctx, struct ldr_extern *e, uint8_t *val)
{
	uint64_t v;

	if (strcmp(e->name, "LINUX_KERNEL_VERSION") == 0) {
		v = kernel_version();
		if (v == 0)
			return ext_error(ctx, e, "cannot read the kernel version");
	} else if (strcmp(e->name, "LINUX_HAS_BPF_COOKIE") == 0 ||
		   strcmp(e->name, "LINUX_HAS_SYSCALL_WRAPPER") == 0) {
		v = 1;
	} else if (strncmp(e->name, LINUX_PREFIX, strlen(LINUX_PREFIX)) == 0 &&
		   e->weak) {
		return 0; /* unknown but weak: stays 0 */
	} else {
		return ext_error(ctx, e, "unknown extern: only CONFIG_* and the LINUX_* externs of libbpf exist%s",
				 e->weak ? " (weak or not)" : "");
	}
	return set_num(ctx, e, val, v);
}

static int
fill(struct ldr_ctx *ctx, uint8_t *val)
{
	bool need_config = false, found = false;
	size_t i;
	int ret;

	for (i = 0; i < ctx->n_externs; i++) {
		struct ldr_extern *e = &ctx->externs[i];

		if (strncmp(e->name, CONFIG_PREFIX, strlen(CONFIG_PREFIX)) == 0) {
			need_config = true;
			continue;
		}
		ret = set_virtual(ctx, e, val);
		if (ret < 0)
			return ret;
	}
	if (need_config) {
		ret = read_config(ctx, val, &found);
		if (ret < 0)
			return ret;
	}
	for (i = 0; i < ctx->n_externs; i++) {
		const struct ldr_extern *e = &ctx->externs[i];

		if (!e->set && !e->weak)
			return ext_error(ctx, e, "no value: %s (declare it __weak to get 0)",
					 !found ? "no kernel config (/boot/config-$(uname -r), /proc/config.gz)" :
					 "the kernel config does not set it");
	}
	return 0;
}

int
ldr_kconfig_create(struct ldr_ctx *ctx)
{
	struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_ARRAY,
		.key_size = sizeof(uint32_t),
		.max_entries = 1,
		/* read-only for programs; mmap()-able since the externs are
		 * global variables, as libbpf 1.1 flags it */
		.map_flags = BPF_F_RDONLY_PROG | BPF_F_MMAPABLE,
	};
	char name[UXDP_MAP_NAME_MAX];
	const uint32_t zero = 0;
	struct ldr_map *m;
	uint64_t off = 0;
	uint8_t *val;
	size_t i;
	int ret;

	ret = collect(ctx);
	if (ret < 0 || ctx->n_externs == 0)
		return ret;
	for (i = 0; i < ctx->n_externs; i++) {
		struct ldr_extern *e = &ctx->externs[i];

		off = (off + e->align - 1) / e->align * e->align;
		e->offset = off;
		off += e->size;
	}
	/* Each extern is at most 64 KiB; their sum still has to fit the
	 * map's 32-bit value size. */
	if (off > UINT32_MAX)
		return uxdp_set_err(ctx->err, ctx->err_len, E2BIG,
				    "%s: .kconfig externs take %llu bytes, more than a map value holds",
				    ctx->path, (unsigned long long)off);
	def.value_size = (uint32_t)off;
	if (ldr_internal_map_name(ctx->path, KCONFIG_SEC, name,
				  sizeof(name)) < 0)
		return uxdp_set_err(ctx->err, ctx->err_len, ENAMETOOLONG,
				    "%s: no map name for '.kconfig'", ctx->path);
	ret = ldr_map_add(ctx, name, &def, SHN_UNDEF, 0, &m);
	if (ret < 0)
		return ret;
	ctx->kconfig_map = ctx->n_maps - 1;
	val = calloc(1, off);
	if (val == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	ret = fill(ctx, val);
	if (ret == 0) {
		m->is_data = true;
		m->value_size = off;
		m->value = uxdp_map_lookup(m->map, &zero);
		ret = m->value == NULL ? -EFAULT :
		      uxdp_map_update(m->map, &zero, val, BPF_ANY);
		if (ret < 0)
			uxdp_set_err(ctx->err, ctx->err_len, -ret,
				     "%s: map '%s': cannot store the values: %s",
				     ctx->path, name, strerror(-ret));
	}
	free(val);
	return ret;
}

const struct ldr_extern *
ldr_kconfig_extern(const struct ldr_ctx *ctx, size_t sym)
{
	size_t i;

	for (i = 0; i < ctx->n_externs; i++)
		if (ctx->externs[i].sym == sym)
			return &ctx->externs[i];
	return NULL;
}
