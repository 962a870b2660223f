/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * `volatile const` settings for an object opened by libbpf: what a libbpf
 * skeleton does between open and load. Shared by the kernel verification
 * layer (verify_kernel.c) and the kernel oracle (uxdp-kernel-run --set),
 * so that the kernel judges the same .rodata bytes uxdp runs with. The variable is found in libbpf's BTF (whose
 * DATASEC offsets libbpf has fixed up from the symbol table at open),
 * and its bytes are written into bpf_map__initial_value() of the internal
 * map of its section; bpf_object__load() then creates the map with them
 * and freezes .rodata. Only the reading of VALUE is shared with uxdp
 * (uxdp_const_encode()), so that both tools take the same text the same
 * way; finding the variable is this file's own, libbpf's view.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "uxdp_kernel_consts.h"

/* libbpf truncates map names to BPF_OBJ_NAME_LEN - 1 characters. */
#define MAP_NAME_MAX 15
#define CHAIN_MAX 32

static bool
is_rodata(const char *sec)
{
	return strcmp(sec, ".rodata") == 0 ||
	       strncmp(sec, ".rodata.", strlen(".rodata.")) == 0;
}

/* libbpf names the map of ".rodata" "<object>.rodata" and keeps a
 * custom section's name (".rodata.cfg"), cut to 15 characters. */
static struct bpf_map *
section_map(struct bpf_object *obj, const char *sec)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t nl = strlen(name);

		if (!bpf_map__is_internal(map))
			continue;
		if (strcmp(sec, ".rodata") == 0) {
			if (nl >= strlen(sec) &&
			    strcmp(name + nl - strlen(sec), sec) == 0)
				return map;
		} else if (strcmp(name, sec) == 0 ||
			   (nl == MAP_NAME_MAX &&
			    strncmp(name, sec, MAP_NAME_MAX) == 0)) {
			return map;
		}
	}
	return NULL;
}

static void
classify(const struct btf *btf, uint32_t id, uint32_t size,
	 struct uxdp_const_type *ct)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int i;

	memset(ct, 0, sizeof(*ct));
	ct->size = size;
	for (i = 0; t != NULL && i < CHAIN_MAX &&
	     (btf_is_mod(t) || btf_is_typedef(t)); i++)
		t = btf__type_by_id(btf, t->type);
	if (t == NULL || t->size != size)
		return;
	if (btf_is_int(t)) {
		ct->is_integer = 1;
		ct->is_signed = (btf_int_encoding(t) & BTF_INT_SIGNED) != 0;
		ct->is_bool = (btf_int_encoding(t) & BTF_INT_BOOL) != 0;
	} else if (btf_is_enum(t) || btf_is_enum64(t)) {
		ct->is_integer = 1;
		ct->is_signed = btf_kflag(t);
	}
}

/* The variable called name: its DATASEC id and secinfo, preferring a
 * read-only section. */
static const struct btf_var_secinfo *
find_var(const struct btf *btf, const char *name, const char **sec)
{
	const struct btf_var_secinfo *found = NULL;
	uint32_t id, n = btf__type_cnt(btf);

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vsi;
		const char *sec_name;
		uint16_t i;

		if (!btf_is_datasec(t))
			continue;
		sec_name = btf__name_by_offset(btf, t->name_off);
		vsi = btf_var_secinfos(t);
		for (i = 0; i < btf_vlen(t); i++, vsi++) {
			const struct btf_type *v = btf__type_by_id(btf, vsi->type);

			if (!btf_is_var(v) ||
			    strcmp(btf__name_by_offset(btf, v->name_off), name) != 0)
				continue;
			if (found == NULL || (is_rodata(sec_name) && !is_rodata(*sec))) {
				found = vsi;
				*sec = sec_name;
			}
		}
	}
	return found;
}

int
uxdp_kernel_set_consts(struct bpf_object *obj, const char *path,
		       const struct uxdp_const_set *consts, unsigned int n,
		       char *err, size_t err_len)
{
	const struct btf *btf = bpf_object__btf(obj);
	char why[UXDP_ERR_MAX];
	unsigned int i;

	if (n == 0)
		return 0;
	if (btf == NULL) {
		snprintf(err, err_len, "%s: cannot set '%s': the object has no BTF",
			 path, consts[0].name);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		const struct uxdp_const_set *set = &consts[i];
		const struct btf_var_secinfo *vsi;
		struct uxdp_const_type ct;
		const char *sec = NULL;
		struct bpf_map *map;
		const uint8_t *image;
		size_t size = 0;
		uint8_t *data;
		int ret;

		why[0] = '\0';
		vsi = find_var(btf, set->name, &sec);
		if (vsi == NULL) {
			snprintf(err, err_len, "%s: no .rodata variable named '%s'",
				 path, set->name);
			return -ENOENT;
		}
		if (!is_rodata(sec)) {
			snprintf(err, err_len, "%s: '%s' is in section '%s', not in .rodata",
				 path, set->name, sec);
			return -EINVAL;
		}
		map = section_map(obj, sec);
		image = map != NULL ? bpf_map__initial_value(map, &size) : NULL;
		if (image == NULL || vsi->offset > size ||
		    vsi->size > size - vsi->offset) {
			snprintf(err, err_len, "%s: '%s': libbpf has no map for section '%s' holding it",
				 path, set->name, sec);
			return -EINVAL;
		}
		classify(btf, btf__type_by_id(btf, vsi->type)->type, vsi->size,
			 &ct);
		/* libbpf hands out its image read-only: change a copy and
		 * give it back, as bpf_map__set_initial_value() expects. */
		data = malloc(size);
		if (data == NULL) {
			snprintf(err, err_len, "out of memory");
			return -ENOMEM;
		}
		memcpy(data, image, size);
		ret = uxdp_const_encode(set, &ct, data + vsi->offset, why,
					sizeof(why));
		if (ret < 0)
			snprintf(err, err_len, "%s: section '%s': %s", path,
				 sec, why);
		else
			ret = bpf_map__set_initial_value(map, data, size);
		free(data);
		if (ret < 0) {
			if (why[0] == '\0' || ret != -EINVAL)
				snprintf(err, err_len, "%s: '%s': libbpf refused the new initial value of '%s': %s",
					 path, set->name, sec, strerror(-ret));
			return ret;
		}
	}
	return 0;
}
