/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp_obj_load() on broken files: it must refuse or load, never crash,
 * and every refusal must say something. Inputs: every prefix of a good
 * object (in 64 steps and around the ELF header), seeded random byte
 * changes, targeted corruptions of one field each (whose refusal must
 * name what is wrong), a non-ELF file, an empty file, a directory and a
 * missing file. Run it under valgrind to check error paths for leaks.
 *
 * Usage: test_loader_malformed OBJECT...
 */

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "uxdp_bpf_internal.h"
#include "test_loader_util.h"

#define TRUNCATION_STEPS 64
/* Overridable at build time for longer fuzzing sessions. */
#ifndef RANDOM_RUNS
#define RANDOM_RUNS 300
#endif
#ifndef RANDOM_SEED
#define RANDOM_SEED 0x5eed1234u
#endif

static char tmp_dir[] = "/tmp/uxdp_test_malformed.XXXXXX";
static char tmp_file[PATH_MAX];

struct image {
	uint8_t *b;
	size_t n;
};

static int
read_image(const char *path, struct image *img)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	img->n = st.st_size;
	img->b = malloc(img->n);
	if (img->b == NULL || read(fd, img->b, img->n) != (ssize_t)img->n) {
		close(fd);
		free(img->b);
		return -EIO;
	}
	close(fd);
	return 0;
}

static void
write_tmp(const void *b, size_t n)
{
	int fd = open(tmp_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || (n > 0 && write(fd, b, n) != (ssize_t)n)) {
		fprintf(stderr, "cannot write %s: %s\n", tmp_file,
			strerror(errno));
		exit(2);
	}
	close(fd);
}

/* Load path; a success is used a little and closed. Returns the result
 * and leaves the message in err. */
static int
try_load(const char *path, char *err, size_t err_len)
{
	struct uxdp_obj *obj = NULL;
	unsigned int i;
	int ret;

	err[0] = '\0';
	ret = uxdp_obj_load(path, NULL, &obj, err, err_len);
	if (ret == 0) {
		uxdp_obj_find_prog(obj, NULL, NULL, 0);
		for (i = 0; i < uxdp_obj_prog_count(obj); i++)
			uxdp_prog_insn_count(uxdp_obj_prog_at(obj, i));
		uxdp_obj_close(obj);
	} else {
		CHECK(obj == NULL, "%s: failed load left an object", path);
	}
	return ret;
}

static void
expect_refusal(const char *what, const char *path, const char *needle)
{
	char err[UXDP_ERR_MAX];
	int ret = try_load(path, err, sizeof(err));

	CHECK(ret < 0 && strstr(err, needle) != NULL,
	      "%s: got %d '%s', expected a refusal mentioning '%s'", what,
	      ret, err, needle);
}

static void
test_truncations(const struct image *img)
{
	char err[UXDP_ERR_MAX];
	size_t step = img->n / TRUNCATION_STEPS, len;
	static const size_t around_header[] = { 1, 4, 16, 63, 64, 65 };
	unsigned int i;

	if (step == 0)
		step = 1;
	/* clang writes the section header table last, so every proper
	 * prefix lacks part of it and must be refused. */
	for (len = 0; len < img->n; len += step) {
		write_tmp(img->b, len);
		CHECK(try_load(tmp_file, err, sizeof(err)) < 0 && err[0] != '\0',
		      "prefix of %zu/%zu bytes: not refused with a message",
		      len, img->n);
	}
	for (i = 0; i < sizeof(around_header) / sizeof(around_header[0]); i++) {
		write_tmp(img->b, around_header[i]);
		CHECK(try_load(tmp_file, err, sizeof(err)) < 0 && err[0] != '\0',
		      "prefix of %zu bytes: not refused with a message",
		      around_header[i]);
	}
}

static uint32_t
next_random(uint32_t *state)
{
	/* xorshift32: reproducible across libcs, unlike rand(). */
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void
test_random_changes(const struct image *img)
{
	uint8_t *copy = malloc(img->n);
	uint32_t state = RANDOM_SEED;
	char err[UXDP_ERR_MAX];
	unsigned int run, loaded = 0;

	for (run = 0; copy != NULL && run < RANDOM_RUNS; run++) {
		unsigned int k, changes = 1 + next_random(&state) % 4;

		memcpy(copy, img->b, img->n);
		for (k = 0; k < changes; k++)
			copy[next_random(&state) % img->n] = next_random(&state);
		write_tmp(copy, img->n);
		if (try_load(tmp_file, err, sizeof(err)) == 0)
			loaded++;
		else
			CHECK(err[0] != '\0', "random run %u: empty message", run);
	}
	free(copy);
	/* Changes in DWARF or padding leave the object loadable: a run that
	 * refused everything would suggest spurious strictness. */
	CHECK(loaded > 0 && loaded < RANDOM_RUNS,
	      "random changes: %u of %u loaded", loaded, RANDOM_RUNS);
}

/* Offsets of named ELF structures in a little-endian ELF64 image, found
 * without the code under test. */
static const Elf64_Ehdr *
ehdr(const struct image *img)
{
	return (const Elf64_Ehdr *)img->b;
}

static Elf64_Shdr *
shdr(const struct image *img, size_t i)
{
	return (Elf64_Shdr *)(img->b + ehdr(img)->e_shoff +
			      i * sizeof(Elf64_Shdr));
}

static const char *
sec_name(const struct image *img, size_t i)
{
	const Elf64_Shdr *strs = shdr(img, ehdr(img)->e_shstrndx);

	return (const char *)img->b + strs->sh_offset + shdr(img, i)->sh_name;
}

static Elf64_Shdr *
find_sec(const struct image *img, const char *name)
{
	size_t i;

	for (i = 1; i < ehdr(img)->e_shnum; i++)
		if (strcmp(sec_name(img, i), name) == 0)
			return shdr(img, i);
	return NULL;
}

static Elf64_Sym *
find_sym(const struct image *img, const char *name)
{
	const Elf64_Shdr *symtab = find_sec(img, ".symtab");
	const Elf64_Shdr *strtab;
	size_t i;

	if (symtab == NULL)
		return NULL;
	strtab = shdr(img, symtab->sh_link);
	for (i = 0; i < symtab->sh_size / sizeof(Elf64_Sym); i++) {
		Elf64_Sym *s = (Elf64_Sym *)(img->b + symtab->sh_offset) + i;

		if (strcmp((const char *)img->b + strtab->sh_offset + s->st_name,
			   name) == 0)
			return s;
	}
	return NULL;
}

/* The relocation of code section sec against symbol name. */
static Elf64_Rel *
find_rel(const struct image *img, const char *sec, const char *name)
{
	char rel_name[64];
	const Elf64_Shdr *rsh, *symtab = find_sec(img, ".symtab");
	const Elf64_Sym *want = find_sym(img, name);
	size_t i;

	snprintf(rel_name, sizeof(rel_name), ".rel%s", sec);
	rsh = find_sec(img, rel_name);
	if (rsh == NULL || symtab == NULL || want == NULL)
		return NULL;
	for (i = 0; i < rsh->sh_size / sizeof(Elf64_Rel); i++) {
		Elf64_Rel *r = (Elf64_Rel *)(img->b + rsh->sh_offset) + i;
		const Elf64_Sym *s = (const Elf64_Sym *)
			(img->b + symtab->sh_offset) + ELF64_R_SYM(r->r_info);

		if (s == want)
			return r;
	}
	return NULL;
}

/* One field changed at a time; the refusal must point at it. */
static void
test_targeted(const struct image *good)
{
	struct image img = { malloc(good->n), good->n };
	Elf64_Shdr *sh;
	Elf64_Rel *rel;
	Elf64_Sym *sym;

	if (img.b == NULL)
		return;
#define RESET() memcpy(img.b, good->b, good->n)
#define TRY(what, needle) do { \
	write_tmp(img.b, img.n); \
	expect_refusal(what, tmp_file, needle); \
} while (0)

	RESET();
	((Elf64_Ehdr *)img.b)->e_machine = EM_X86_64;
	TRY("e_machine", "EM_BPF");
	RESET();
	img.b[EI_CLASS] = ELFCLASS32;
	TRY("EI_CLASS", "64-bit");
	RESET();
	img.b[EI_DATA] = ELFDATA2MSB;
	TRY("EI_DATA", "little-endian");
	RESET();
	((Elf64_Ehdr *)img.b)->e_type = ET_EXEC;
	TRY("e_type", "relocatable");

	RESET();
	sh = find_sec(&img, "xdp");
	CHECK(sh != NULL, "no xdp section in the test object");
	if (sh != NULL) {
		sh->sh_offset = img.n - 8;
		TRY("sh_offset of xdp", "'xdp'");
		RESET();
		sh = find_sec(&img, "xdp");
		sh->sh_size += 4;
		TRY("sh_size of xdp", "'xdp'");
	}

	RESET();
	sh = find_sec(&img, ".relxdp");
	CHECK(sh != NULL, "no .relxdp section in the test object");
	if (sh != NULL) {
		rel = (Elf64_Rel *)(img.b + sh->sh_offset);
		rel->r_info = ELF64_R_INFO(0xfffff, ELF64_R_TYPE(rel->r_info));
		TRY("relocation symbol", "bad symbol index");
		RESET();
		sh = find_sec(&img, ".relxdp");
		rel = (Elf64_Rel *)(img.b + sh->sh_offset);
		rel->r_offset += 3;
		TRY("relocation offset", "offset");
		RESET();
		sh = find_sec(&img, ".relxdp");
		rel = (Elf64_Rel *)(img.b + sh->sh_offset);
		rel->r_offset = find_sec(&img, "xdp")->sh_size;
		TRY("relocation past the section", "offset");
		RESET();
		sh = find_sec(&img, ".relxdp");
		rel = (Elf64_Rel *)(img.b + sh->sh_offset);
		rel->r_offset = 0; /* the ctx load, not a call or ld_imm64 */
		TRY("relocation on a plain instruction", "neither");
		RESET();
		sh = find_sec(&img, ".relxdp");
		sh->sh_info = 0xffff;
		TRY("relocation target", "target section");
	}

	RESET();
	sym = find_sym(&img, "xdp_maps");
	CHECK(sym != NULL, "no xdp_maps symbol in the test object");
	if (sym != NULL) {
		sym->st_size = 1ull << 40;
		TRY("function size", "xdp_maps");
		RESET();
		sym = find_sym(&img, "xdp_maps");
		sym->st_name = 0x7fffffff;
		TRY("symbol name offset", "bad name offset");
		RESET();
		sym = find_sym(&img, "xdp_maps");
		sym->st_shndx = 0x7000;
		TRY("symbol section", "bad section index");
	}

	RESET();
	rel = find_rel(&img, "xdp", "counters");
	CHECK(rel != NULL, "no relocation against counters in the test object");
	if (rel != NULL) {
		/* The ld_imm64's imm adds to the symbol's offset: now it
		 * points between two map definitions. */
		struct bpf_insn *insn = (struct bpf_insn *)
			(img.b + find_sec(&img, "xdp")->sh_offset + rel->r_offset);

		insn->imm = 8;
		TRY("map reference offset", "no map defined at offset");
	}

	RESET();
	sh = find_sec(&img, ".BTF");
	CHECK(sh != NULL, "no .BTF section in the test object");
	if (sh != NULL) {
		memset(img.b + sh->sh_offset, 0xff, 8);
		TRY("BTF header", "BTF");
	}

	RESET();
	((Elf64_Ehdr *)img.b)->e_shstrndx = 0x7000;
	TRY("e_shstrndx", "section");
	RESET();
	((Elf64_Ehdr *)img.b)->e_shoff = img.n;
	TRY("e_shoff", "section");
#undef TRY
#undef RESET
	free(img.b);
}

static void
test_not_objects(void)
{
	static const char text[] = "this is not an ELF object\n";
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj = NULL;

	write_tmp(text, sizeof(text) - 1);
	expect_refusal("text file", tmp_file, "ELF");
	write_tmp("", 0);
	expect_refusal("empty file", tmp_file, "size 0");
	expect_refusal("directory", tmp_dir, "regular file");
	expect_refusal("missing file", "/nonexistent/uxdp.o", "cannot open");
	CHECK(uxdp_obj_load(NULL, NULL, &obj, err, sizeof(err)) < 0 &&
	      err[0] != '\0', "NULL path accepted");
	/* A zero-length error buffer is never written. */
	CHECK(uxdp_obj_load("/nonexistent/uxdp.o", NULL, &obj, err, 0) < 0,
	      "missing file with no error buffer");
}

int
main(int argc, char **argv)
{
	struct image img;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s OBJECT...\n", argv[0]);
		return 2;
	}
	if (mkdtemp(tmp_dir) == NULL) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		return 2;
	}
	snprintf(tmp_file, sizeof(tmp_file), "%s/obj.o", tmp_dir);
	/* Broken BTF makes libbpf's parser print warnings: noise here. */
	libbpf_set_print(NULL);

	for (i = 1; i < argc; i++) {
		if (read_image(argv[i], &img) < 0) {
			fprintf(stderr, "cannot read %s\n", argv[i]);
			return 2;
		}
		test_truncations(&img);
		test_random_changes(&img);
		/* Targeted changes are written for the maps object. */
		if (find_sym(&img, "xdp_maps") != NULL)
			test_targeted(&img);
		free(img.b);
	}
	test_not_objects();
	unlink(tmp_file);
	rmdir(tmp_dir);
	return test_summary();
}
