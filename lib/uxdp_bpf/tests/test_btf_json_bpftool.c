/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp's BTF-aware JSON against bpftool's: the object's maps are created
 * in the kernel by libbpf and filled with the same bytes uxdp renders,
 * `bpftool -j map dump` prints them, and btf_json_compare.py checks that
 * every "formatted" key and value equals uxdp's as parsed JSON (bitfields,
 * which bpftool prints as "0x.." strings, compare by value).
 * Usage: test_btf_json_bpftool OBJ.o btf_json_compare.py
 * Exits 77 (skip) with the reason when bpftool or bpf() is unavailable.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "uxdp_bpf.h"
#include "uxdp_btf_json.h"
#include "test_btf_json_util.h"

#define SKIP 77

static int
quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* One map filled on both sides: key/value pairs of the map's sizes. */
struct fill {
	const char *map;  /* libbpf's name */
	const char *umap; /* uxdp's, when it differs (global data) */
	const void *keys[2];
	const void *values[2];
	unsigned int n;
};

/* bpftool's dump of a kernel map, appended to f as a JSON value. */
static int
bpftool_dump(struct bpf_map *m, FILE *f)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	char cmd[128], buf[4096];
	size_t n, total = 0;
	FILE *p;

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_map__fd(m), &info, &len) < 0)
		return -errno;
	snprintf(cmd, sizeof(cmd), "bpftool -j map dump id %u", info.id);
	p = popen(cmd, "r");
	if (p == NULL)
		return -errno;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		fwrite(buf, 1, n, f);
		total += n;
	}
	return pclose(p) == 0 && total > 0 ? 0 : -EIO;
}

static int
uxdp_side(struct uxdp_obj *obj, const struct fill *fl, FILE *f)
{
	struct uxdp_map *m = uxdp_obj_map_by_name(obj, fl->umap != NULL ?
						  fl->umap : fl->map);
	const struct uxdp_map_def *def;
	uint32_t kid, vid;
	char text[4096];
	unsigned int i;

	if (m == NULL || uxdp_obj_map_btf_ids(obj, m, &kid, &vid) < 0)
		return -ENOENT;
	def = uxdp_map_get_def(m);
	fputc('[', f);
	for (i = 0; i < fl->n; i++) {
		fprintf(f, "%s{\"key\":", i > 0 ? "," : "");
		if (uxdp_btf_render(uxdp_obj_btf(obj), kid, fl->keys[i],
				    def->key_size, text, sizeof(text)) < 0)
			return -EINVAL;
		fprintf(f, "%s,\"value\":", text);
		if (uxdp_btf_render(uxdp_obj_btf(obj), vid, fl->values[i],
				    def->value_size, text, sizeof(text)) < 0)
			return -EINVAL;
		fprintf(f, "%s}", text);
	}
	fputc(']', f);
	return 0;
}

int
main(int argc, char **argv)
{
	struct btfj_key k;
	struct btfj_value v, v0;
	uint32_t int_keys[2] = { 1, 3 }, color_keys[2] = { 3, 4 };
	int64_t int_values[2] = { INT64_MIN, 77 };
	int32_t color_values[2] = { BTFJ_BLUE, 5 };
	struct btfj_key k0 = { .id = 1, .proto = 17 };
	char err[UXDP_ERR_MAX], path[] = "/tmp/uxdp-btfjson-XXXXXX", cmd[512];
	/* .data: glob_count = 9, glob_name = "uxdp" */
	uint8_t data_value[10] = { 9, 0, 0, 0, 'u', 'x', 'd', 'p', 0, 0 };
	uint32_t data_key = 0;
	struct fill fills[4];
	struct bpf_object *kobj;
	struct uxdp_obj *obj;
	unsigned int i, j;
	FILE *f;
	int fd, ret;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OBJ.o btf_json_compare.py\n", argv[0]);
		return 2;
	}
	if (system("bpftool version >/dev/null 2>&1") != 0) {
		printf("SKIP: bpftool is not installed\n");
		return SKIP;
	}
	btfj_fill(&k, &v);
	/* bpftool 7.1 prints a backslash in a char array as "\n" (its
	 * string escaping is wrong there): no backslash for this test. */
	memcpy(v.ins[1].tag, "b\"c", 3);
	/* A second value: zero but for strings and a named ENUM64. */
	memset(&v0, 0, sizeof(v0));
	memcpy(v0.name, "lo", 2);
	v0.big = BTFJ_BIG_HIGH;
	v0.bf_c = 33;
	fills[0] = (struct fill){ "kinds", NULL, { &k, &k0 }, { &v, &v0 }, 2 };
	fills[1] = (struct fill){ "ints", NULL, { &int_keys[0], &int_keys[1] },
				  { &int_values[0], &int_values[1] }, 2 };
	fills[2] = (struct fill){ "colors", NULL,
				  { &color_keys[0], &color_keys[1] },
				  { &color_values[0], &color_values[1] }, 2 };
	fills[3] = (struct fill){ ".data", "test_btf.data", { &data_key },
				  { data_value }, 1 };

	libbpf_set_print(quiet);
	kobj = bpf_object__open_file(argv[1], NULL);
	if (kobj == NULL) {
		fprintf(stderr, "libbpf cannot open %s\n", argv[1]);
		return 1;
	}
	ret = bpf_object__load(kobj);
	if (ret < 0) {
		printf("SKIP: the kernel cannot load %s (bpf(): %s)\n", argv[1],
		       strerror(-ret));
		bpf_object__close(kobj);
		return SKIP;
	}
	if (uxdp_obj_load(argv[1], NULL, &obj, err, sizeof(err)) < 0) {
		fprintf(stderr, "uxdp: %s\n", err);
		return 1;
	}
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL) {
		perror("mkstemp");
		return 1;
	}
	fputc('[', f);
	for (i = 0; i < 4; i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(kobj,
								 fills[i].map);
		const struct uxdp_map_def *def = uxdp_map_get_def(
			uxdp_obj_map_by_name(obj, fills[i].umap != NULL ?
					     fills[i].umap : fills[i].map));

		for (j = 0; m != NULL && j < fills[i].n; j++) {
			if (bpf_map__update_elem(m, fills[i].keys[j],
						 def->key_size,
						 fills[i].values[j],
						 def->value_size, BPF_ANY) < 0) {
				fprintf(stderr, "%s: kernel update: %s\n",
					fills[i].map, strerror(errno));
				return 1;
			}
		}
		fprintf(f, "%s{\"map\":\"%s\",\"bpftool\":", i > 0 ? "," : "",
			fills[i].map);
		if (m == NULL || bpftool_dump(m, f) < 0) {
			fprintf(stderr, "%s: bpftool map dump failed\n",
				fills[i].map);
			return 1;
		}
		fputs(",\"uxdp\":", f);
		if (uxdp_side(obj, &fills[i], f) < 0) {
			fprintf(stderr, "%s: uxdp cannot render\n", fills[i].map);
			return 1;
		}
		fputc('}', f);
	}
	fputs("]\n", f);
	fclose(f);
	uxdp_obj_close(obj);
	bpf_object__close(kobj);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s", argv[2], path);
	ret = system(cmd);
	unlink(path);
	return ret == 0 ? 0 : 1;
}
