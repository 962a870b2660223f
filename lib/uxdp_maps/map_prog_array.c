/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BPF_MAP_TYPE_PROG_ARRAY: the slots bpf_tail_call() jumps through. Each
 * slot holds a program id (map_fd_array.c); this library knows nothing of
 * programs beyond the registry saying that an id is one. Programs never
 * look prog arrays up (the kernel verifier allows only bpf_tail_call on
 * them), so the data-path lookup finds nothing.
 */

#include <errno.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"

/* An fd that is open but not a program is -EINVAL in the kernel, an fd
 * that is not open -EBADF: ids follow the same split. */
static int
check_prog_id(struct uxdp_map *map, uint32_t id)
{
	enum uxdp_id_kind kind = uxdp_id_kind_of(id);

	(void)map;
	if (kind == UXDP_ID_NONE)
		return -EBADF;
	return kind == UXDP_ID_PROG ? 0 : -EINVAL;
}

static void *
prog_array_lookup(struct uxdp_map *map, const void *key)
{
	(void)map;
	(void)key;
	return NULL;
}

static int
prog_array_update(struct uxdp_map *map, const void *key, const void *value,
		  uint64_t flags)
{
	return uxdp_fd_array_update(map, key, value, flags, check_prog_id);
}

static int
prog_array_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	return uxdp_fd_array_lookup_copy(map, key, value, UXDP_ID_PROG);
}

const struct uxdp_map_ops uxdp_map_prog_array_ops = {
	.size = uxdp_fd_array_size,
	.init = uxdp_fd_array_init,
	.lookup = prog_array_lookup,
	.update = prog_array_update,
	.delete = uxdp_fd_array_delete,
	.get_next_key = uxdp_array_get_next_key,
	.lookup_copy = prog_array_lookup_copy,
	.count = uxdp_fd_array_count,
};
