/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef RUN_MAPS_H
#define RUN_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "run_opts.h"

/* What the shared code needs to know about one map. */
struct run_map_info {
	const char *name;
	const char *type_name; /* "array", "hash", ... */
	uint32_t type;         /* BPF_MAP_TYPE_* */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
};

/*
 * How the shared code reaches the maps of a loaded object: uxdp-run backs
 * this with lib/uxdp_maps, the kernel oracle with bpf() map commands, so
 * both dump and update by the same rules. Maps are numbered 0..count-1.
 * Calls return 0 or -errno.
 */
struct run_map_ops {
	unsigned int (*count)(void *ctx);
	int (*info)(void *ctx, unsigned int idx, struct run_map_info *info);
	/* key NULL gives the first key; -ENOENT after the last one. */
	int (*next_key)(void *ctx, unsigned int idx, const void *key, void *next);
	/* Copy a value out: for per-CPU maps n_cpus values, each
	 * round_up(value_size, 8) bytes apart, as the bpf() syscall does. */
	int (*lookup)(void *ctx, unsigned int idx, const void *key, void *value);
	/* BPF_ANY update, as bpf_map_update_elem() from user space. */
	int (*update)(void *ctx, unsigned int idx, const void *key,
		      const void *value);
	/* --map-update MAP:KEY:VALUE:PROG: what names program name (function
	 * or section) in a devmap value, uxdp's id or the kernel's fd;
	 * -ENOENT when there is none. NULL: the backend cannot. */
	int (*prog_ref)(void *ctx, const char *name, uint32_t *ref);
	/* CPUs a per-CPU value spans; 0 when the backend cannot tell. */
	unsigned int (*n_cpus)(void *ctx);
	/* --btf-json: one key (is_key) or value of size bytes as JSON text
	 * (uxdp_btf_render()); returns its length, -ENOSPC when out_len is
	 * too small. NULL in backends without BTF formatting. */
	int (*format)(void *ctx, unsigned int idx, bool is_key,
		      const void *data, size_t size, char *out, size_t out_len);
};

/* Exit status for --map-update problems of the user's making. */
#define RUN_EXIT_USAGE 2

/*
 * Apply every --map-update in command-line order, before any packet.
 * Returns 0, RUN_EXIT_USAGE for an unknown map or wrong key/value length,
 * or 1 when the map refused the update; the reason goes to stderr.
 */
int run_maps_apply_updates(const struct run_map_ops *ops, void *ctx,
			   const struct run_opts *o, const char *tool);

/*
 * Print the --dump-maps line {"maps": {"NAME": [{"key": ..., "value": ...}]}}:
 * every entry of hash-like maps, every non-zero entry of array-like ones,
 * per-CPU values as "values": [one hex string per CPU]. With btf_json
 * (and ops->format) each entry also gets "formatted": {"key": JSON,
 * "value": JSON} ("values": [JSON per CPU] for per-CPU maps). Nothing is
 * printed on error: -errno and a message in err.
 */
int run_maps_dump(FILE *f, const struct run_map_ops *ops, void *ctx,
		  bool btf_json, char *err, size_t err_len);

/* The "maps": [...] member of --list (without the key). */
int run_maps_list(FILE *f, const struct run_map_ops *ops, void *ctx);

#endif /* RUN_MAPS_H */
