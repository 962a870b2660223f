/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * First stage of loading: read the file, check that it is a BPF
 * relocatable object, and collect its sections, symbols and the
 * relocations of its code sections. Every size, index and offset read
 * from the file is checked here, so later stages can trust them.
 */

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"

/* Far beyond any BPF object a compiler emits; bounds what a wrong path
 * (a disk image, a pipe) makes us read into memory. */
#define LDR_MAX_FILE_SIZE (256u << 20)

static int
read_file(struct ldr_ctx *ctx)
{
	struct stat st;
	size_t done = 0;
	int fd, ret = 0;

	fd = open(ctx->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return uxdp_set_err(ctx->err, ctx->err_len, errno,
				    "%s: cannot open: %s", ctx->path,
				    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				   "%s: not a regular file", ctx->path);
		goto out;
	}
	if (st.st_size == 0 || (uint64_t)st.st_size > LDR_MAX_FILE_SIZE) {
		ret = uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				   "%s: not a BPF object (size %lld bytes)",
				   ctx->path, (long long)st.st_size);
		goto out;
	}
	ctx->image_size = st.st_size;
	ctx->image = malloc(ctx->image_size);
	if (ctx->image == NULL) {
		ret = uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				   "%s: out of memory", ctx->path);
		goto out;
	}
	while (done < ctx->image_size) {
		ssize_t n = read(fd, ctx->image + done,
				 ctx->image_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = uxdp_set_err(ctx->err, ctx->err_len, EIO,
					   "%s: short read", ctx->path);
			goto out;
		}
		done += n;
	}
out:
	close(fd);
	return ret;
}

/* The caller's bytes (uxdp_obj_load_mem()), copied so that the image is
 * owned and freed the same way as a file's. */
static int
copy_mem(struct ldr_ctx *ctx)
{
	if (ctx->mem_size == 0 || ctx->mem_size > LDR_MAX_FILE_SIZE)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: not a BPF object (size %zu bytes)",
				    ctx->path, ctx->mem_size);
	ctx->image = malloc(ctx->mem_size);
	if (ctx->image == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	memcpy(ctx->image, ctx->mem, ctx->mem_size);
	ctx->image_size = ctx->mem_size;
	return 0;
}

static int
check_header(struct ldr_ctx *ctx, Elf *elf)
{
	GElf_Ehdr ehdr;
	const char *why = NULL;

	if (elf_kind(elf) != ELF_K_ELF)
		why = "not an ELF file";
	else if (gelf_getclass(elf) != ELFCLASS64)
		why = "not a 64-bit ELF file";
	else if (gelf_getehdr(elf, &ehdr) == NULL)
		why = "unreadable ELF header";
	else if (ehdr.e_ident[EI_DATA] != ELFDATA2LSB)
		why = "not little-endian (compile with -target bpf or bpfel)";
	else if (ehdr.e_machine != EM_BPF)
		why = "not a BPF object (e_machine is not EM_BPF)";
	else if (ehdr.e_type != ET_REL)
		why = "not a relocatable object (ET_REL)";
	if (why != NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL, "%s: %s",
				    ctx->path, why);
	return 0;
}

bool
ldr_sec_is_code(const struct ldr_section *sec)
{
	return sec->type == SHT_PROGBITS && (sec->flags & SHF_EXECINSTR);
}

static int
collect_sections(struct ldr_ctx *ctx, Elf *elf)
{
	size_t shstrndx, n, i;

	if (elf_getshdrnum(elf, &n) != 0 ||
	    elf_getshdrstrndx(elf, &shstrndx) != 0)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: bad section header table: %s",
				    ctx->path, elf_errmsg(-1));
	if (n == 0)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: no section headers (truncated file?)",
				    ctx->path);
	if (shstrndx == SHN_UNDEF || shstrndx >= n)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: bad section name table index %zu",
				    ctx->path, shstrndx);
	ctx->secs = calloc(n, sizeof(*ctx->secs));
	if (ctx->secs == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	ctx->n_secs = n;
	ctx->secs[0].name = "";

	for (i = 1; i < n; i++) {
		struct ldr_section *sec = &ctx->secs[i];
		Elf_Scn *scn = elf_getscn(elf, i);
		GElf_Shdr sh;

		if (scn == NULL || gelf_getshdr(scn, &sh) == NULL)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: section %zu: bad header",
					    ctx->path, i);
		sec->name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (sec->name == NULL)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: section %zu: bad name offset %u",
					    ctx->path, i, sh.sh_name);
		sec->type = sh.sh_type;
		sec->flags = sh.sh_flags;
		sec->size = sh.sh_size;
		if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
			continue;
		if (sh.sh_offset > ctx->image_size ||
		    sh.sh_size > ctx->image_size - sh.sh_offset)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: section %zu '%s': %llu bytes at offset %llu lie past the end of the file (%zu bytes)",
					    ctx->path, i, sec->name,
					    (unsigned long long)sh.sh_size,
					    (unsigned long long)sh.sh_offset,
					    ctx->image_size);
		/* Read bytes straight from our copy of the file: the bounds
		 * are checked above and nothing needs libelf's conversion,
		 * since the object and the host are both little-endian. */
		sec->data = ctx->image + sh.sh_offset;
		if (ldr_sec_is_code(sec) && sec->size % sizeof(struct bpf_insn))
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: code section %zu '%s': size %llu is not a multiple of 8",
					    ctx->path, i, sec->name,
					    (unsigned long long)sec->size);
		if (strcmp(sec->name, ".BTF") == 0)
			ctx->btf_sec = i;
	}
	return 0;
}

static int
collect_symbols(struct ldr_ctx *ctx, Elf *elf, size_t symtab)
{
	Elf_Scn *scn = elf_getscn(elf, symtab);
	Elf_Data *data;
	GElf_Shdr sh;
	size_t i, n;

	if (scn == NULL || gelf_getshdr(scn, &sh) == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: bad symbol table header", ctx->path);
	if (sh.sh_entsize != sizeof(Elf64_Sym) ||
	    sh.sh_size % sizeof(Elf64_Sym) != 0)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: symbol table '%s': bad entry size",
				    ctx->path, ctx->secs[symtab].name);
	if (sh.sh_link == 0 || sh.sh_link >= ctx->n_secs ||
	    ctx->secs[sh.sh_link].type != SHT_STRTAB)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: symbol table '%s': bad string table index %u",
				    ctx->path, ctx->secs[symtab].name,
				    sh.sh_link);
	data = elf_getdata(scn, NULL);
	n = sh.sh_size / sizeof(Elf64_Sym);
	if (n == 0)
		return 0;
	if (data == NULL || data->d_size != sh.sh_size)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: symbol table '%s': unreadable: %s",
				    ctx->path, ctx->secs[symtab].name,
				    elf_errmsg(-1));
	ctx->syms = calloc(n, sizeof(*ctx->syms));
	if (ctx->syms == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	ctx->n_syms = n;

	for (i = 0; i < n; i++) {
		struct ldr_sym *s = &ctx->syms[i];
		GElf_Sym sym;

		if (gelf_getsym(data, i, &sym) == NULL)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: symbol %zu: unreadable",
					    ctx->path, i);
		s->name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (s->name == NULL)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: symbol %zu: bad name offset %u",
					    ctx->path, i, sym.st_name);
		/* Reserved indexes (SHN_ABS, SHN_COMMON) pass through and
		 * are refused where such a symbol is used; SHN_XINDEX
		 * objects (more than 65279 sections) are not BPF objects. */
		if (sym.st_shndx == SHN_XINDEX ||
		    (sym.st_shndx < SHN_LORESERVE &&
		     sym.st_shndx >= ctx->n_secs))
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: symbol %zu '%s': bad section index %u",
					    ctx->path, i, s->name, sym.st_shndx);
		/* In a relocatable object a symbol's value is an offset
		 * into its section; bounding it here keeps the offset
		 * arithmetic of later stages far from overflow. */
		if (sym.st_shndx != SHN_UNDEF && sym.st_shndx < ctx->n_secs &&
		    sym.st_value > ctx->secs[sym.st_shndx].size)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: symbol %zu '%s': offset %llu lies past the end of section '%s'",
					    ctx->path, i, s->name,
					    (unsigned long long)sym.st_value,
					    ctx->secs[sym.st_shndx].name);
		s->value = sym.st_value;
		s->size = sym.st_size;
		s->shndx = sym.st_shndx;
		s->type = GELF_ST_TYPE(sym.st_info);
		s->bind = GELF_ST_BIND(sym.st_info);
	}
	return 0;
}

static int
cmp_rel(const void *a, const void *b)
{
	const struct ldr_rel *ra = a, *rb = b;

	return ra->offset < rb->offset ? -1 : ra->offset > rb->offset;
}

/* Collect the relocations of one code section. Relocations of other
 * sections (.BTF, .BTF.ext, DWARF) are for linkers and debuggers, not
 * for a loader, and are never read. */
static int
collect_relocations(struct ldr_ctx *ctx, Elf *elf, size_t idx,
		    size_t symtab)
{
	Elf_Scn *scn = elf_getscn(elf, idx);
	const char *name = ctx->secs[idx].name;
	struct ldr_section *target;
	Elf_Data *data;
	GElf_Shdr sh;
	size_t i, n;

	if (scn == NULL || gelf_getshdr(scn, &sh) == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: section %zu '%s': bad header",
				    ctx->path, idx, name);
	if (sh.sh_info == 0 || sh.sh_info >= ctx->n_secs)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: relocation section %zu '%s': bad target section index %u",
				    ctx->path, idx, name, sh.sh_info);
	target = &ctx->secs[sh.sh_info];
	if (!ldr_sec_is_code(target))
		return 0;
	if (sh.sh_type == SHT_RELA)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOTSUP,
				    "%s: relocation section '%s': RELA relocations are not used by BPF",
				    ctx->path, name);
	if (symtab == 0 || sh.sh_link != symtab)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: relocation section '%s': bad symbol table index %u",
				    ctx->path, name, sh.sh_link);
	if (target->rels != NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: section '%s' has two relocation sections",
				    ctx->path, target->name);
	if (sh.sh_entsize != sizeof(Elf64_Rel) ||
	    sh.sh_size % sizeof(Elf64_Rel) != 0)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: relocation section '%s': bad entry size",
				    ctx->path, name);
	n = sh.sh_size / sizeof(Elf64_Rel);
	if (n == 0)
		return 0;
	data = elf_getdata(scn, NULL);
	if (data == NULL || data->d_size != sh.sh_size)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: relocation section '%s': unreadable: %s",
				    ctx->path, name, elf_errmsg(-1));
	target->rels = calloc(n, sizeof(*target->rels));
	if (target->rels == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	target->n_rels = n;

	for (i = 0; i < n; i++) {
		struct ldr_rel *r = &target->rels[i];
		GElf_Rel rel;

		if (gelf_getrel(data, i, &rel) == NULL)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: relocation section '%s': entry %zu unreadable",
					    ctx->path, name, i);
		r->offset = rel.r_offset;
		r->sym = GELF_R_SYM(rel.r_info);
		r->type = GELF_R_TYPE(rel.r_info);
		if (r->offset % sizeof(struct bpf_insn) != 0 ||
		    r->offset >= target->size)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: relocation section '%s': entry %zu: offset %llu is not an instruction of '%s' (%llu bytes)",
					    ctx->path, name, i,
					    (unsigned long long)r->offset,
					    target->name,
					    (unsigned long long)target->size);
		if (r->sym == 0 || r->sym >= ctx->n_syms)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: relocation section '%s': entry %zu: bad symbol index %u",
					    ctx->path, name, i, r->sym);
	}
	qsort(target->rels, n, sizeof(*target->rels), cmp_rel);
	for (i = 1; i < n; i++)
		if (target->rels[i].offset == target->rels[i - 1].offset)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: section '%s': two relocations for instruction %llu",
					    ctx->path, target->name,
					    (unsigned long long)(target->rels[i].offset /
								 sizeof(struct bpf_insn)));
	return 0;
}

int
ldr_elf_read(struct ldr_ctx *ctx)
{
	size_t i, symtab = 0;
	Elf *elf;
	int ret;

	ret = ctx->mem != NULL ? copy_mem(ctx) : read_file(ctx);
	if (ret < 0)
		return ret;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOTSUP,
				    "libelf is too old: %s", elf_errmsg(-1));
	elf = elf_memory((char *)ctx->image, ctx->image_size);
	if (elf == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: not an ELF file: %s", ctx->path,
				    elf_errmsg(-1));
	ctx->elf = elf;
	ret = check_header(ctx, elf);
	if (ret < 0)
		return ret;
	ret = collect_sections(ctx, elf);
	if (ret < 0)
		return ret;

	for (i = 1; i < ctx->n_secs; i++) {
		if (ctx->secs[i].type != SHT_SYMTAB)
			continue;
		if (symtab != 0)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: more than one symbol table",
					    ctx->path);
		symtab = i;
	}
	if (symtab != 0) {
		ret = collect_symbols(ctx, elf, symtab);
		if (ret < 0)
			return ret;
	}
	for (i = 1; i < ctx->n_secs; i++) {
		if (ctx->secs[i].type != SHT_REL &&
		    ctx->secs[i].type != SHT_RELA)
			continue;
		ret = collect_relocations(ctx, elf, i, symtab);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void
ldr_elf_release(struct ldr_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->n_secs; i++)
		free(ctx->secs[i].rels);
	free(ctx->secs);
	free(ctx->syms);
	free(ctx->funcs);
	if (ctx->elf != NULL)
		elf_end(ctx->elf);
	free(ctx->image);
	ctx->secs = NULL;
	ctx->syms = NULL;
	ctx->funcs = NULL;
	ctx->elf = NULL;
	ctx->image = NULL;
}

const struct ldr_rel *
ldr_rel_at(const struct ldr_section *sec, uint64_t offset)
{
	size_t lo = 0, hi = sec->n_rels;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sec->rels[mid].offset == offset)
			return &sec->rels[mid];
		if (sec->rels[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *
ldr_sym_label(const struct ldr_ctx *ctx, const struct ldr_sym *sym)
{
	if (sym->type == STT_SECTION && sym->shndx < ctx->n_secs)
		return ctx->secs[sym->shndx].name;
	return sym->name[0] != '\0' ? sym->name : "(unnamed)";
}
