/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * A loaded object: finding its programs and maps, and freeing it. Objects
 * come from the ELF loader or are built directly (raw instructions); both
 * own heap-allocated programs whose code is malloc'ed, and maps that only
 * uxdp_map_destroy() may free.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include <bpf/btf.h>

#include "uxdp_bpf_internal.h"

void
uxdp_obj_close(struct uxdp_obj *obj)
{
	unsigned int i;

	if (obj == NULL)
		return;
	for (i = 0; i < obj->n_progs; i++) {
		if (obj->progs[i] == NULL)
			continue;
		uxdp_jit_release(obj->progs[i]);
		/* Prog-array slots holding its id now find nothing. */
		uxdp_id_release(obj->progs[i]->id);
		free(obj->progs[i]->insns);
		free(obj->progs[i]->mem_guard);
		free(obj->progs[i]);
	}
	free(obj->progs);
	for (i = 0; i < obj->n_maps; i++)
		if (obj->map_borrowed == NULL || !obj->map_borrowed[i])
			uxdp_map_destroy(obj->maps[i]);
	free(obj->maps);
	free(obj->map_btf);
	free(obj->map_borrowed);
	btf__free(obj->btf);
	free(obj);
}

int
uxdp_obj_map_is_borrowed(const struct uxdp_obj *obj, unsigned int i)
{
	return obj != NULL && i < obj->n_maps && obj->map_borrowed != NULL &&
	       obj->map_borrowed[i];
}

void
uxdp_obj_take_maps(struct uxdp_obj *obj, struct uxdp_obj *from)
{
	unsigned int i, j;

	if (obj == NULL || from == NULL)
		return;
	for (i = 0; i < obj->n_maps; i++) {
		if (!uxdp_obj_map_is_borrowed(obj, i))
			continue;
		for (j = 0; j < from->n_maps; j++) {
			if (from->maps[j] != obj->maps[i])
				continue;
			/* from->map_borrowed exists: obj loaded after it, so
			 * from has at least one map and the array. */
			from->map_borrowed[j] = true;
			obj->map_borrowed[i] = false;
		}
	}
}

/* "name (section), ..." for refusal messages. */
static void
list_progs(const struct uxdp_obj *obj, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < obj->n_progs && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s (%s)",
				 i > 0 ? ", " : "", obj->progs[i]->name,
				 obj->progs[i]->section);

		if (n < 0)
			break;
		used += n;
	}
}

struct uxdp_prog *
uxdp_obj_find_prog(struct uxdp_obj *obj, const char *sel, char *err,
		   size_t err_len)
{
	char avail[UXDP_ERR_MAX];
	unsigned int i;

	if (obj == NULL) {
		uxdp_set_err(err, err_len, EINVAL, "no object");
		return NULL;
	}
	if (obj->n_progs == 0) {
		uxdp_set_err(err, err_len, ENOENT, "%s: no XDP program",
			     obj->path);
		return NULL;
	}
	if (sel == NULL || sel[0] == '\0') {
		/* The first program a device could run: devmap programs run
		 * only from map entries. */
		for (i = 0; i < obj->n_progs; i++)
			if (obj->progs[i]->attach_type == BPF_XDP)
				return obj->progs[i];
		return obj->progs[0];
	}
	/* A function name is the more precise choice, so it wins over a
	 * section name that happens to be equal. */
	for (i = 0; i < obj->n_progs; i++)
		if (strcmp(obj->progs[i]->name, sel) == 0)
			return obj->progs[i];
	for (i = 0; i < obj->n_progs; i++)
		if (strcmp(obj->progs[i]->section, sel) == 0)
			return obj->progs[i];
	list_progs(obj, avail, sizeof(avail));
	uxdp_set_err(err, err_len, ENOENT,
		     "%s: no XDP program named or in section '%s'; available: %s",
		     obj->path, sel, avail);
	return NULL;
}

unsigned int
uxdp_obj_prog_count(const struct uxdp_obj *obj)
{
	return obj != NULL ? obj->n_progs : 0;
}

struct uxdp_prog *
uxdp_obj_prog_at(struct uxdp_obj *obj, unsigned int i)
{
	return obj != NULL && i < obj->n_progs ? obj->progs[i] : NULL;
}

unsigned int
uxdp_obj_map_count(const struct uxdp_obj *obj)
{
	return obj != NULL ? obj->n_maps : 0;
}

struct uxdp_map *
uxdp_obj_map_at(struct uxdp_obj *obj, unsigned int i)
{
	return obj != NULL && i < obj->n_maps ? obj->maps[i] : NULL;
}

struct uxdp_map *
uxdp_obj_map_by_name(struct uxdp_obj *obj, const char *name)
{
	unsigned int i;

	if (obj == NULL || name == NULL)
		return NULL;
	for (i = 0; i < obj->n_maps; i++)
		if (strcmp(uxdp_map_name(obj->maps[i]), name) == 0)
			return obj->maps[i];
	return NULL;
}

const char *
uxdp_prog_name(const struct uxdp_prog *prog)
{
	return prog->name;
}

const char *
uxdp_prog_section(const struct uxdp_prog *prog)
{
	return prog->section;
}

uint32_t
uxdp_prog_attach_type(const struct uxdp_prog *prog)
{
	return prog->attach_type;
}

uint32_t
uxdp_prog_id(const struct uxdp_prog *prog)
{
	return prog->id;
}

uint32_t
uxdp_prog_insn_count(const struct uxdp_prog *prog)
{
	return prog->n_insns;
}
