/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Hostile ELF objects (issue #9), beyond test_loader_malformed's samples:
 * a good object truncated at every single offset, and every section
 * header of it given hostile sizes, offsets, links and entry sizes one
 * field at a time (2^64 - 1, 2^63, 2^32, past the end of the file, one
 * byte past it, 0), plus a header announcing 65535 sections or a section
 * table past the end. Each load goes through uxdp_obj_load_mem() and must
 * end as a refusal with a message (or, where the field does not matter
 * to the loader, a load), quickly and without touching memory outside
 * the image: the image is copied into a buffer that ends at an
 * inaccessible page, so a read past its end faults here instead of
 * passing unseen. Run under valgrind or ASan to see leaks on the
 * refusal paths.
 *
 * Usage: test_loader_hostile OBJECT...
 */

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include <rte_log.h>

#include "uxdp_bpf_internal.h"
#include "test_loader_util.h"

/* A load of a small object takes well under a millisecond; one that
 * takes this long walked something it should have refused. */
#define SLOW_LOAD_NS (2ull * 1000 * 1000 * 1000)

struct guarded {
	uint8_t *map;
	size_t map_len;
};

/* len bytes at the very end of fresh pages followed by a PROT_NONE page. */
static uint8_t *
guarded_copy(struct guarded *g, const uint8_t *src, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data_pages = (len + page - 1) / page;

	if (data_pages == 0)
		data_pages = 1;
	g->map_len = (data_pages + 1) * page;
	g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->map == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	mprotect(g->map + data_pages * page, page, PROT_NONE);
	memcpy(g->map + data_pages * page - len, src, len);
	return g->map + data_pages * page - len;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* 1 loaded, 0 refused with a message, -1 something wrong (reported). */
static int
try_mem(const uint8_t *img, size_t len, const char *what)
{
	struct guarded g;
	struct uxdp_obj *obj = NULL;
	char err[UXDP_ERR_MAX] = "";
	uint8_t *buf = guarded_copy(&g, img, len);
	uint64_t t0 = now_ns(), took;
	int ret;

	ret = uxdp_obj_load_mem(buf, len, "hostile.o", NULL, &obj, err,
				sizeof(err));
	took = now_ns() - t0;
	munmap(g.map, g.map_len);
	CHECK(took < SLOW_LOAD_NS, "%s: load took %.2f s", what, took / 1e9);
	if (ret < 0) {
		CHECK(obj == NULL && err[0] != '\0',
		      "%s: refusal %d without %s", what, ret,
		      obj != NULL ? "a NULL object" : "a message");
		return obj == NULL && err[0] != '\0' ? 0 : -1;
	}
	CHECK(ret == 0 && obj != NULL, "%s: load returned %d", what, ret);
	uxdp_obj_close(obj);
	return 1;
}

static int
read_file(const char *path, uint8_t **out, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	*len = st.st_size;
	*out = malloc(*len);
	if (*out == NULL || read(fd, *out, *len) != (ssize_t)*len) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

static void
every_prefix(const uint8_t *img, size_t len, const char *name)
{
	unsigned int loaded = 0, refused = 0;
	char what[128];
	size_t n;

	for (n = 0; n < len; n++) {
		snprintf(what, sizeof(what), "%s cut at %zu/%zu", name, n, len);
		switch (try_mem(img, n, what)) {
		case 1:
			loaded++;
			break;
		case 0:
			refused++;
			break;
		default:
			break;
		}
	}
	/* clang writes the section header table last: no proper prefix
	 * holds a whole object. */
	CHECK(loaded == 0, "%s: %u proper prefixes loaded", name, loaded);
	printf("%s: %zu prefixes, %u refused with a message\n", name, len,
	       refused);
}

/* UXDP_TEST_VERBOSE=1: name every hostile field that still loads. */
static int verbose;

static const uint64_t hostile_u64[] = {
	UINT64_MAX, 1ull << 63, 1ull << 32, UINT32_MAX, 0,
};

static void
hostile_section_fields(const uint8_t *good, size_t len, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)good;
	uint8_t *img = malloc(len);
	unsigned int i, v, runs = 0, loaded = 0;
	char what[160];

	if (img == NULL)
		exit(1);
	for (i = 0; i < eh->e_shnum; i++) {
		size_t at = eh->e_shoff + (size_t)i * sizeof(Elf64_Shdr);
		uint64_t values[sizeof(hostile_u64) / sizeof(hostile_u64[0]) + 2];
		unsigned int n_values = 0, field;

		for (v = 0; v < sizeof(hostile_u64) / sizeof(hostile_u64[0]); v++)
			values[n_values++] = hostile_u64[v];
		values[n_values++] = len;     /* the end of the file */
		values[n_values++] = len + 1; /* one past it */
		/* sh_offset, sh_size, sh_link, sh_info, sh_entsize, sh_name */
		for (field = 0; field < 6; field++) {
			for (v = 0; v < n_values; v++) {
				Elf64_Shdr *sh;

				memcpy(img, good, len);
				sh = (Elf64_Shdr *)(img + at);
				switch (field) {
				case 0:
					sh->sh_offset = values[v];
					break;
				case 1:
					sh->sh_size = values[v];
					break;
				case 2:
					sh->sh_link = (uint32_t)values[v];
					break;
				case 3:
					sh->sh_info = (uint32_t)values[v];
					break;
				case 4:
					sh->sh_entsize = values[v];
					break;
				default:
					sh->sh_name = (uint32_t)values[v];
					break;
				}
				snprintf(what, sizeof(what),
					 "%s section %u field %u = %#llx", name,
					 i, field, (unsigned long long)values[v]);
				if (try_mem(img, len, what) == 1) {
					loaded++;
					if (verbose)
						printf("loaded: %s\n", what);
				}
				runs++;
			}
		}
	}
	printf("%s: %u hostile section fields, %u still loaded (fields the loader does not use)\n",
	       name, runs, loaded);
	free(img);
}

static void
hostile_header(const uint8_t *good, size_t len, const char *name)
{
	uint8_t *img = malloc(len);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	char what[128];

	if (img == NULL)
		exit(1);
	memcpy(img, good, len);
	eh->e_shnum = UINT16_MAX;
	snprintf(what, sizeof(what), "%s with e_shnum 65535", name);
	CHECK(try_mem(img, len, what) == 0, "%s: not refused", what);
	memcpy(img, good, len);
	eh->e_shoff = len - sizeof(Elf64_Shdr) / 2;
	snprintf(what, sizeof(what), "%s with its section table past the end",
		 name);
	CHECK(try_mem(img, len, what) == 0, "%s: not refused", what);
	memcpy(img, good, len);
	eh->e_shstrndx = eh->e_shnum;
	snprintf(what, sizeof(what), "%s with e_shstrndx out of range", name);
	CHECK(try_mem(img, len, what) == 0, "%s: not refused", what);
	memcpy(img, good, len);
	eh->e_shentsize = sizeof(Elf64_Shdr) / 2;
	snprintf(what, sizeof(what), "%s with a short e_shentsize", name);
	try_mem(img, len, what);
	free(img);
}

static int
quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

int
main(int argc, char **argv)
{
	int i;

	verbose = getenv("UXDP_TEST_VERBOSE") != NULL;
	libbpf_set_print(quiet_libbpf);
	rte_log_set_global_level(RTE_LOG_EMERG);
	if (argc < 2) {
		fprintf(stderr, "usage: %s OBJECT...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 :
			argv[i];
		uint8_t *img = NULL;
		size_t len = 0;

		if (read_file(argv[i], &img, &len) < 0) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 1;
		}
		CHECK(try_mem(img, len, name) == 1, "%s: the intact object does not load",
		      name);
		every_prefix(img, len, name);
		if (len >= sizeof(Elf64_Ehdr)) {
			hostile_section_fields(img, len, name);
			hostile_header(img, len, name);
		}
		free(img);
	}
	return test_summary();
}
