/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Regression cases of the loader fuzzer (tests/fuzz/), each input rebuilt
 * here from its parts by a small ELF writer rather than kept as a binary,
 * and uxdp_obj_load_mem() checked against uxdp_obj_load() on the real
 * objects given on the command line.
 *
 * Usage: test_loader_fuzzed OBJECT...
 */

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>

#include "uxdp_bpf_internal.h"
#include "test_loader_util.h"

/* ---- A minimal ELF64 little-endian BPF relocatable object writer ---- */

#define EB_MAX_SECS 16
#define EB_STRTAB 1 /* section 1: names of sections and symbols */

struct elf_builder {
	uint8_t buf[16384];
	size_t len;
	Elf64_Shdr sh[EB_MAX_SECS];
	unsigned int n_sh;
	char str[1024];
	size_t str_len;
};

static uint32_t
eb_str(struct elf_builder *b, const char *s)
{
	uint32_t off = b->str_len;

	memcpy(b->str + b->str_len, s, strlen(s) + 1);
	b->str_len += strlen(s) + 1;
	return off;
}

static void
eb_init(struct elf_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->len = sizeof(Elf64_Ehdr);
	b->str_len = 1; /* offset 0 is the empty name */
	b->n_sh = 2;    /* null section, then .strtab (written last) */
	b->sh[EB_STRTAB].sh_name = eb_str(b, ".strtab");
	b->sh[EB_STRTAB].sh_type = SHT_STRTAB;
	b->sh[EB_STRTAB].sh_addralign = 1;
}

/* Append a section whose bytes are data (size bytes; NULL for NOBITS). */
static unsigned int
eb_section(struct elf_builder *b, const char *name, uint32_t type,
	   uint64_t flags, const void *data, size_t size, uint32_t link,
	   uint32_t info, uint64_t entsize)
{
	Elf64_Shdr *sh = &b->sh[b->n_sh];

	b->len = (b->len + 7) & ~(size_t)7;
	sh->sh_name = eb_str(b, name);
	sh->sh_type = type;
	sh->sh_flags = flags;
	sh->sh_offset = b->len;
	sh->sh_size = size;
	sh->sh_link = link;
	sh->sh_info = info;
	sh->sh_addralign = 8;
	sh->sh_entsize = entsize;
	if (data != NULL && type != SHT_NOBITS) {
		memcpy(b->buf + b->len, data, size);
		b->len += size;
	}
	return b->n_sh++;
}

/* Write the string table, the section headers and the ELF header. */
static size_t
eb_finish(struct elf_builder *b)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b->buf;

	b->sh[EB_STRTAB].sh_offset = b->len;
	b->sh[EB_STRTAB].sh_size = b->str_len;
	memcpy(b->buf + b->len, b->str, b->str_len);
	b->len = (b->len + b->str_len + 7) & ~(size_t)7;

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_REL;
	eh->e_machine = EM_BPF;
	eh->e_version = EV_CURRENT;
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = b->n_sh;
	eh->e_shstrndx = EB_STRTAB;
	eh->e_shoff = b->len;
	memcpy(b->buf + b->len, b->sh, b->n_sh * sizeof(Elf64_Shdr));
	b->len += b->n_sh * sizeof(Elf64_Shdr);
	return b->len;
}

static Elf64_Sym
eb_sym(struct elf_builder *b, const char *name, unsigned char bind,
       unsigned char type, uint16_t shndx, uint64_t value, uint64_t size)
{
	Elf64_Sym s = {
		.st_name = name != NULL ? eb_str(b, name) : 0,
		.st_info = ELF64_ST_INFO(bind, type),
		.st_shndx = shndx,
		.st_value = value,
		.st_size = size,
	};

	return s;
}

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* Load from memory; a success is closed. Returns the result, err set. */
static int
load_mem(const void *b, size_t n, char *err, size_t err_len,
	 unsigned int *n_progs)
{
	struct uxdp_obj *obj = NULL;
	int ret;

	err[0] = '\0';
	ret = uxdp_obj_load_mem(b, n, "fuzzed.o", NULL, &obj, err, err_len);
	if (n_progs != NULL)
		*n_progs = uxdp_obj_prog_count(obj);
	if (ret < 0)
		CHECK(obj == NULL && err[0] != '\0',
		      "refusal %d left an object or no message", ret);
	uxdp_obj_close(obj);
	return ret;
}

/* The builder itself: a well-formed one-program object loads. */
static void
test_builder_sanity(void)
{
	static const struct bpf_insn code[] = { MOV64_IMM(0, 2), EXIT() };
	struct elf_builder b;
	Elf64_Sym syms[2];
	char err[UXDP_ERR_MAX];
	unsigned int xdp, n_progs = 0;
	int ret;

	eb_init(&b);
	xdp = eb_section(&b, "xdp", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
			 code, sizeof(code), 0, 0, 0);
	memset(&syms[0], 0, sizeof(syms[0]));
	syms[1] = eb_sym(&b, "prog", STB_GLOBAL, STT_FUNC, xdp, 0,
			 sizeof(code));
	eb_section(&b, ".symtab", SHT_SYMTAB, 0, syms, sizeof(syms),
		   EB_STRTAB, 1, sizeof(Elf64_Sym));
	eb_finish(&b);
	ret = load_mem(b.buf, b.len, err, sizeof(err), &n_progs);
	CHECK(ret == 0 && n_progs == 1, "built object: %d '%s', %u programs",
	      ret, err, n_progs);
}

/* Fuzzer input: a global function symbol with an empty name (st_name
 * pointing at a NUL) in an XDP section. libbpf accepts it, and so does
 * uxdp: the program exists, its section selects it, and since an empty
 * selector means "the first program" the empty name cannot. */
static void
test_unnamed_program(void)
{
	static const struct bpf_insn code[] = {
		MOV64_IMM(0, 1), EXIT(), MOV64_IMM(0, 2), EXIT(),
	};
	struct uxdp_obj *obj = NULL;
	struct elf_builder b;
	Elf64_Sym syms[3];
	char err[UXDP_ERR_MAX];
	unsigned int a, z;
	int ret;

	eb_init(&b);
	a = eb_section(&b, "xdp/a", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
		       code, 2 * sizeof(code[0]), 0, 0, 0);
	z = eb_section(&b, "xdp/z", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
		       code + 2, 2 * sizeof(code[0]), 0, 0, 0);
	memset(&syms[0], 0, sizeof(syms[0]));
	syms[1] = eb_sym(&b, "named", STB_GLOBAL, STT_FUNC, a, 0,
			 2 * sizeof(code[0]));
	syms[2] = eb_sym(&b, NULL, STB_GLOBAL, STT_FUNC, z, 0,
			 2 * sizeof(code[0]));
	eb_section(&b, ".symtab", SHT_SYMTAB, 0, syms, sizeof(syms),
		   EB_STRTAB, 1, sizeof(Elf64_Sym));
	eb_finish(&b);

	ret = uxdp_obj_load_mem(b.buf, b.len, "unnamed.o", NULL, &obj, err,
				sizeof(err));
	CHECK(ret == 0 && uxdp_obj_prog_count(obj) == 2,
	      "unnamed program: %d '%s'", ret, err);
	if (ret == 0 && uxdp_obj_prog_count(obj) == 2) {
		struct uxdp_prog *p = uxdp_obj_find_prog(obj, "xdp/z", NULL, 0);

		CHECK(p != NULL && uxdp_prog_name(p)[0] == '\0',
		      "unnamed program not found by its section");
		CHECK(uxdp_obj_find_prog(obj, "", NULL, 0) ==
		      uxdp_obj_prog_at(obj, 0),
		      "empty selector is not the first program");
	}
	uxdp_obj_close(obj);
}

/* ---- .kconfig externs over hand-made BTF (code review findings) ---- */

/* A .BTF section: char, then `array_elem` as the array's element type
 * (2 = the array itself), a VAR CONFIG_X of the array, a DATASEC
 * .kconfig holding it. */
static size_t
kconfig_btf(uint8_t *out, uint32_t array_elem)
{
	static const char strs[] = "\0char\0CONFIG_X\0.kconfig";
	const uint32_t name_char = 1, name_var = 6, name_sec = 15;
	const uint32_t types[] = {
		/* [1] INT char, 1 byte, signed, 8 bits */
		name_char, BTF_KIND_INT << 24, 1,
		(BTF_INT_SIGNED << 24) | 8,
		/* [2] ARRAY of array_elem, index char, 4 elements */
		0, BTF_KIND_ARRAY << 24, 0, array_elem, 1, 4,
		/* [3] VAR CONFIG_X: [2], global extern */
		name_var, BTF_KIND_VAR << 24, 2, BTF_VAR_GLOBAL_EXTERN,
		/* [4] DATASEC .kconfig: [3] at 0, 4 bytes */
		name_sec, (BTF_KIND_DATASEC << 24) | 1, 0, 3, 0, 4,
	};
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(h), .type_off = 0,
		.type_len = sizeof(types), .str_off = sizeof(types),
		.str_len = sizeof(strs),
	};

	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), types, sizeof(types));
	memcpy(out + sizeof(h) + sizeof(types), strs, sizeof(strs));
	return sizeof(h) + sizeof(types) + sizeof(strs);
}

/* One XDP program and n_ext undefined CONFIG_X symbols. */
static int
load_kconfig(uint32_t array_elem, unsigned int n_ext, char *err,
	     size_t err_len)
{
	static const struct bpf_insn code[] = { MOV64_IMM(0, 2), EXIT() };
	struct elf_builder b;
	Elf64_Sym syms[4];
	uint8_t btf[256];
	unsigned int xdp, i;

	eb_init(&b);
	xdp = eb_section(&b, "xdp", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
			 code, sizeof(code), 0, 0, 0);
	eb_section(&b, ".BTF", SHT_PROGBITS, 0, btf,
		   kconfig_btf(btf, array_elem), 0, 0, 0);
	memset(&syms[0], 0, sizeof(syms[0]));
	syms[1] = eb_sym(&b, "prog", STB_GLOBAL, STT_FUNC, xdp, 0,
			 sizeof(code));
	for (i = 0; i < n_ext && i < 2; i++)
		syms[2 + i] = eb_sym(&b, "CONFIG_X", STB_WEAK, STT_NOTYPE,
				     SHN_UNDEF, 0, 0);
	eb_section(&b, ".symtab", SHT_SYMTAB, 0, syms,
		   (2 + i) * sizeof(syms[0]), EB_STRTAB, 1,
		   sizeof(Elf64_Sym));
	eb_finish(&b);
	return load_mem(b.buf, b.len, err, err_len, NULL);
}

static void
test_kconfig_btf(void)
{
	char err[UXDP_ERR_MAX];
	int ret;

	/* the builder's BTF is right: a weak char[4] extern loads */
	ret = load_kconfig(1, 1, err, sizeof(err));
	CHECK(ret == 0, "well-formed .kconfig char array: %d '%s'", ret, err);
	/* an array of itself used to recurse until the stack overflowed */
	ret = load_kconfig(2, 1, err, sizeof(err));
	CHECK(ret == -ENOTSUP && strstr(err, "unsupported type") != NULL,
	      "array of itself: %d '%s'", ret, err);
	/* duplicate symbols used to grow the externs' map past its size */
	ret = load_kconfig(1, 2, err, sizeof(err));
	CHECK(ret == -EINVAL && strstr(err, "appears twice") != NULL,
	      "duplicate extern: %d '%s'", ret, err);
}

/* ---- uxdp_obj_load_mem() against uxdp_obj_load() ---- */

static uint8_t *
read_whole(const char *path, size_t *n)
{
	struct stat st;
	uint8_t *b;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	*n = st.st_size;
	b = malloc(*n + 1);
	if (b != NULL && read(fd, b, *n) != (ssize_t)*n) {
		free(b);
		b = NULL;
	}
	close(fd);
	return b;
}

static void
test_mem_matches_file(const char *path)
{
	struct uxdp_obj *from_file = NULL, *from_mem = NULL;
	char err_file[UXDP_ERR_MAX], err_mem[UXDP_ERR_MAX];
	const char *base = strrchr(path, '/');
	int ret_file, ret_mem;
	unsigned int i;
	uint8_t *b;
	size_t n;

	b = read_whole(path, &n);
	CHECK(b != NULL, "%s: cannot read", path);
	if (b == NULL)
		return;
	base = base != NULL ? base + 1 : path;
	ret_file = uxdp_obj_load(path, NULL, &from_file, err_file,
				 sizeof(err_file));
	/* Named like the file, the object gets the same map names. */
	ret_mem = uxdp_obj_load_mem(b, n, base, NULL, &from_mem, err_mem,
				    sizeof(err_mem));
	/* The loader copies the bytes: scribbling on them afterwards
	 * changes nothing that was loaded. */
	memset(b, 0xa5, n);
	CHECK(ret_file == ret_mem, "%s: file load %d '%s', memory load %d '%s'",
	      path, ret_file, err_file, ret_mem, err_mem);
	if (ret_file == 0 && ret_mem == 0) {
		CHECK(uxdp_obj_prog_count(from_file) ==
		      uxdp_obj_prog_count(from_mem) &&
		      uxdp_obj_map_count(from_file) ==
		      uxdp_obj_map_count(from_mem),
		      "%s: programs/maps differ between file and memory", path);
		for (i = 0; i < uxdp_obj_prog_count(from_file) &&
			    i < uxdp_obj_prog_count(from_mem); i++) {
			const struct uxdp_prog *pf, *pm;

			pf = uxdp_obj_prog_at(from_file, i);
			pm = uxdp_obj_prog_at(from_mem, i);
			CHECK(strcmp(pf->name, pm->name) == 0 &&
			      pf->n_insns == pm->n_insns,
			      "%s: program %u differs", path, i);
		}
		for (i = 0; i < uxdp_obj_map_count(from_file) &&
			    i < uxdp_obj_map_count(from_mem); i++)
			CHECK(strcmp(uxdp_map_name(uxdp_obj_map_at(from_file, i)),
				     uxdp_map_name(uxdp_obj_map_at(from_mem, i))) == 0,
			      "%s: map %u is named differently", path, i);
	}
	uxdp_obj_close(from_file);
	uxdp_obj_close(from_mem);
	free(b);
}

static void
test_mem_args(void)
{
	struct uxdp_obj *obj = (struct uxdp_obj *)&obj;
	char err[UXDP_ERR_MAX];
	static const uint8_t one = 0x7f;

	err[0] = '\0';
	CHECK(uxdp_obj_load_mem(NULL, 10, NULL, NULL, &obj, err,
				sizeof(err)) == -EINVAL && obj == NULL &&
	      strstr(err, "mem.o") != NULL,
	      "NULL buffer: '%s'", err);
	err[0] = '\0';
	CHECK(uxdp_obj_load_mem(&one, 0, "x.o", NULL, &obj, err,
				sizeof(err)) < 0 && obj == NULL &&
	      strstr(err, "size 0") != NULL, "empty buffer: '%s'", err);
	err[0] = '\0';
	CHECK(uxdp_obj_load_mem(&one, 1, "x.o", NULL, &obj, err,
				sizeof(err)) < 0 && obj == NULL &&
	      strstr(err, "x.o") != NULL, "one byte: '%s'", err);
}

int
main(int argc, char **argv)
{
	int i;

	/* Broken BTF makes libbpf's parser print warnings: noise here. */
	libbpf_set_print(NULL);
	test_builder_sanity();
	test_mem_args();
	test_unnamed_program();
	test_kconfig_btf();
	for (i = 1; i < argc; i++)
		test_mem_matches_file(argv[i]);
	return test_summary();
}
