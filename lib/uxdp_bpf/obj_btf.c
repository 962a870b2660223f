/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * What a loaded object keeps of its BTF: the types, and which of them
 * each map's keys and values are, so that dumps can be formatted
 * (uxdp_btf_json.h) long after the ELF file is gone.
 */

#include <errno.h>

#include "uxdp_bpf_internal.h"

const struct btf *
uxdp_obj_btf(const struct uxdp_obj *obj)
{
	return obj != NULL ? obj->btf : NULL;
}

int
uxdp_obj_map_btf_ids(const struct uxdp_obj *obj, const struct uxdp_map *map,
		     uint32_t *key_type_id, uint32_t *value_type_id)
{
	unsigned int i;

	if (obj == NULL || map == NULL)
		return -EINVAL;
	for (i = 0; i < obj->n_maps; i++) {
		if (obj->maps[i] != map)
			continue;
		if (key_type_id != NULL)
			*key_type_id = obj->map_btf != NULL && obj->btf != NULL ?
				       obj->map_btf[i].key : 0;
		if (value_type_id != NULL)
			*value_type_id = obj->map_btf != NULL && obj->btf != NULL ?
					 obj->map_btf[i].value : 0;
		return 0;
	}
	return -ENOENT;
}
