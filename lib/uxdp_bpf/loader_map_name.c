/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Names of the maps made from global data sections (.data, .rodata, .bss
 * and custom .data.* / .rodata.* sections). Users, tools and tests refer
 * to these maps by the names libbpf gives them (bpf_map__name()), so uxdp
 * gives the same ones. The rule below is libbpf 1.1's, checked against
 * the installed libbpf by lib/uxdp_bpf/tests/test_loader.c:
 *
 * - A custom section (a second '.' after the leading one, such as
 *   ".rodata.str1.1" or ".data.custom") keeps its section name, whole.
 * - ".data", ".rodata" and ".bss" get a prefix from the object name: the
 *   file's base name, at most 15 characters, cut at its first '.'. The
 *   suffix is given max(7, strlen(section)) of the 15 characters a kernel
 *   map name may have, the prefix what remains (so ".bss" also leaves 8),
 *   and every character other than [A-Za-z0-9_.] becomes '_'.
 *   "ldr-maps-obj.o" gives "ldr_maps.bss" and "ldr_maps.rodata".
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "loader.h"

/* BPF_OBJ_NAME_LEN minus its NUL: the longest name the kernel keeps. */
#define KERNEL_NAME_MAX 15
/* The suffix share stays 7 even for the shorter ".bss". */
#define SUFFIX_MIN 7

static size_t
min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

int
ldr_internal_map_name(const char *path, const char *sec_name, char *name,
		      size_t name_len)
{
	char obj_name[KERNEL_NAME_MAX + 1];
	const char *base = strrchr(path, '/');
	size_t sfx_len, pfx_len;
	char *p;
	int n;

	if (sec_name[0] != '\0' && strchr(sec_name + 1, '.') != NULL) {
		n = snprintf(name, name_len, "%s", sec_name);
		return n >= 0 && (size_t)n < name_len ? 0 : -ENAMETOOLONG;
	}

	base = base != NULL ? base + 1 : path;
	snprintf(obj_name, sizeof(obj_name), "%s", base);
	p = strchr(obj_name, '.');
	if (p != NULL)
		*p = '\0';

	sfx_len = strlen(sec_name);
	if (sfx_len < SUFFIX_MIN)
		sfx_len = SUFFIX_MIN;
	sfx_len = min_size(sfx_len, KERNEL_NAME_MAX);
	pfx_len = min_size(KERNEL_NAME_MAX - sfx_len, strlen(obj_name));
	n = snprintf(name, name_len, "%.*s%.*s", (int)pfx_len, obj_name,
		     (int)sfx_len, sec_name);
	if (n < 0 || (size_t)n >= name_len)
		return -ENAMETOOLONG;
	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			*p = '_';
	return 0;
}
