/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "run_hex.h"
#include "run_json.h"
#include "run_maps.h"

static bool
map_type_is_percpu(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return true;
	default:
		return false;
	}
}

/* Maps whose keys are the indexes 0..max_entries-1 and always exist: a
 * dump of those lists only the entries that hold something. */
static bool
map_type_is_array_like(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP:
		return true;
	default:
		return false;
	}
}

static int
find_map(const struct run_map_ops *ops, void *ctx, const char *name,
	 struct run_map_info *info)
{
	unsigned int i, n = ops->count(ctx);

	for (i = 0; i < n; i++) {
		if (ops->info(ctx, i, info) == 0 && strcmp(info->name, name) == 0)
			return (int)i;
	}
	return -ENOENT;
}

/* MAP:KEY:VALUE:PROG: the program's reference into bytes 4..7 of the
 * devmap value (struct bpf_devmap_val's bpf_prog). */
static int
set_prog_ref(const struct run_map_ops *ops, void *ctx,
	     const struct run_map_update *u, const struct run_map_info *info,
	     const char *tool)
{
	uint32_t ref;
	int ret;

	if ((info->type != BPF_MAP_TYPE_DEVMAP &&
	     info->type != BPF_MAP_TYPE_DEVMAP_HASH) || info->value_size != 8) {
		fprintf(stderr, "%s: --map-update %s: a program needs a devmap with 8-byte values (struct bpf_devmap_val)\n",
			tool, u->map);
		return RUN_EXIT_USAGE;
	}
	if (ops->prog_ref == NULL) {
		fprintf(stderr, "%s: --map-update %s: this tool cannot name programs in maps\n",
			tool, u->map);
		return RUN_EXIT_USAGE;
	}
	ret = ops->prog_ref(ctx, u->prog, &ref);
	if (ret < 0) {
		fprintf(stderr, "%s: --map-update %s: no loaded program '%s'\n",
			tool, u->map, u->prog);
		return RUN_EXIT_USAGE;
	}
	memcpy(u->value + 4, &ref, sizeof(ref));
	return 0;
}

int
run_maps_apply_updates(const struct run_map_ops *ops, void *ctx,
		       const struct run_opts *o, const char *tool)
{
	const struct run_map_update *u;
	struct run_map_info info;
	unsigned int i;
	int idx, ret;

	for (i = 0; i < o->n_updates; i++) {
		u = &o->updates[i];
		idx = find_map(ops, ctx, u->map, &info);
		if (idx < 0) {
			fprintf(stderr, "%s: --map-update: the object has no map '%s'\n",
				tool, u->map);
			return RUN_EXIT_USAGE;
		}
		if (map_type_is_percpu(info.type)) {
			fprintf(stderr, "%s: --map-update: per-CPU map '%s' is not supported\n",
				tool, u->map);
			return RUN_EXIT_USAGE;
		}
		if (u->key_len != info.key_size) {
			fprintf(stderr, "%s: --map-update %s: %zu-byte key, the map's keys have %" PRIu32 " bytes\n",
				tool, u->map, u->key_len, info.key_size);
			return RUN_EXIT_USAGE;
		}
		if (u->value_len != info.value_size) {
			fprintf(stderr, "%s: --map-update %s: %zu-byte value, the map's values have %" PRIu32 " bytes\n",
				tool, u->map, u->value_len, info.value_size);
			return RUN_EXIT_USAGE;
		}
		if (u->prog != NULL) {
			ret = set_prog_ref(ops, ctx, u, &info, tool);
			if (ret != 0)
				return ret;
		}
		ret = ops->update(ctx, (unsigned int)idx, u->key, u->value);
		if (ret < 0) {
			fprintf(stderr, "%s: --map-update %s: update failed: %s\n",
				tool, u->map, strerror(-ret));
			return 1;
		}
	}
	return 0;
}

static bool
all_zero(const uint8_t *bytes, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (bytes[i] != 0)
			return false;
	}
	return true;
}

/* One key or value as the backend's JSON text; the buffer grows until
 * the text fits (a byte can take a few characters, "-128,"). */
static int
print_formatted(FILE *f, const struct run_map_ops *ops, void *ctx,
		unsigned int idx, bool is_key, const uint8_t *data, size_t size)
{
	size_t len = 64 + size * 8;
	char *text = NULL, *grown;
	int ret;

	do {
		grown = realloc(text, len);
		if (grown == NULL) {
			free(text);
			return -ENOMEM;
		}
		text = grown;
		ret = ops->format(ctx, idx, is_key, data, size, text, len);
		len *= 4;
	} while (ret == -ENOSPC && len < ((size_t)64 << 20));
	if (ret >= 0)
		fputs(text, f);
	free(text);
	return ret < 0 ? ret : 0;
}

/* --btf-json: , "formatted": {"key": JSON, "value(s)": ...} */
static int
print_entry_formatted(FILE *f, const struct run_map_ops *ops, void *ctx,
		      unsigned int idx, const struct run_map_info *info,
		      unsigned int n_cpus, const uint8_t *key,
		      const uint8_t *value)
{
	size_t stride = (info->value_size + 7) / 8 * 8;
	unsigned int cpu;
	int ret;

	fputs(", \"formatted\": {\"key\": ", f);
	ret = print_formatted(f, ops, ctx, idx, true, key, info->key_size);
	if (!map_type_is_percpu(info->type)) {
		fputs(", \"value\": ", f);
		if (ret == 0)
			ret = print_formatted(f, ops, ctx, idx, false, value,
					      info->value_size);
		fputc('}', f);
		return ret;
	}
	fputs(", \"values\": [", f);
	for (cpu = 0; cpu < n_cpus && ret == 0; cpu++) {
		if (cpu > 0)
			fputs(", ", f);
		ret = print_formatted(f, ops, ctx, idx, false,
				      value + cpu * stride, info->value_size);
	}
	fputs("]}", f);
	return ret;
}

static void
print_entry(FILE *f, const struct run_map_info *info, unsigned int n_cpus,
	    const uint8_t *key, const uint8_t *value)
{
	size_t stride = (info->value_size + 7) / 8 * 8;
	unsigned int cpu;

	fputs("{\"key\": \"", f);
	run_hex_print(f, key, info->key_size);
	if (!map_type_is_percpu(info->type)) {
		fputs("\", \"value\": \"", f);
		run_hex_print(f, value, info->value_size);
		fputc('"', f);
		return;
	}
	fputs("\", \"values\": [", f);
	for (cpu = 0; cpu < n_cpus; cpu++) {
		fputs(cpu == 0 ? "\"" : ", \"", f);
		run_hex_print(f, value + cpu * stride, info->value_size);
		fputc('"', f);
	}
	fputc(']', f);
}

/* The entries of one map as a JSON array. */
static int
dump_one(FILE *f, const struct run_map_ops *ops, void *ctx, unsigned int idx,
	 const struct run_map_info *info, bool btf_json, char *err,
	 size_t err_len)
{
	bool percpu = map_type_is_percpu(info->type);
	unsigned int n_cpus = percpu ? ops->n_cpus(ctx) : 1;
	size_t value_len = percpu ? (size_t)(info->value_size + 7) / 8 * 8 * n_cpus :
				    info->value_size;
	uint8_t *key = NULL, *next = NULL, *value = NULL;
	bool first = true, have_key = false;
	uint64_t seen = 0;
	int ret = 0;

	fputc('[', f);
	/* Maps without keys (queues, ring buffers) have nothing to list. */
	if (info->key_size == 0)
		goto out;
	if (percpu && n_cpus == 0) {
		snprintf(err, err_len, "map %s: per-CPU values cannot be dumped: the number of CPUs is unknown",
			 info->name);
		return -ENOTSUP;
	}
	key = calloc(1, info->key_size);
	next = calloc(1, info->key_size);
	value = calloc(1, value_len ? value_len : 1);
	if (key == NULL || next == NULL || value == NULL) {
		snprintf(err, err_len, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	for (;;) {
		ret = ops->next_key(ctx, idx, have_key ? key : NULL, next);
		if (ret == -ENOENT) {
			ret = 0;
			break;
		}
		if (ret < 0) {
			snprintf(err, err_len, "map %s: get_next_key: %s",
				 info->name, strerror(-ret));
			goto out;
		}
		/* A map holds at most max_entries keys: more means the
		 * iteration went round in circles. */
		if (++seen > info->max_entries) {
			snprintf(err, err_len, "map %s: get_next_key returned more than max_entries (%" PRIu32 ") keys",
				 info->name, info->max_entries);
			ret = -ELOOP;
			goto out;
		}
		memcpy(key, next, info->key_size);
		have_key = true;
		ret = ops->lookup(ctx, idx, key, value);
		if (ret == -ENOENT && map_type_is_array_like(info->type))
			continue; /* an empty slot (devmap and the like) */
		if (ret < 0) {
			snprintf(err, err_len, "map %s: lookup of a key get_next_key returned: %s",
				 info->name, strerror(-ret));
			goto out;
		}
		if (map_type_is_array_like(info->type) && all_zero(value, value_len))
			continue;
		if (!first)
			fputs(", ", f);
		first = false;
		print_entry(f, info, n_cpus, key, value);
		if (btf_json && ops->format != NULL) {
			ret = print_entry_formatted(f, ops, ctx, idx, info,
						    n_cpus, key, value);
			if (ret < 0) {
				snprintf(err, err_len, "map %s: cannot format an entry: %s",
					 info->name, strerror(-ret));
				goto out;
			}
		}
		fputc('}', f);
	}
out:
	fputc(']', f);
	free(key);
	free(next);
	free(value);
	return ret;
}

int
run_maps_dump(FILE *f, const struct run_map_ops *ops, void *ctx,
	      bool btf_json, char *err, size_t err_len)
{
	unsigned int i, n = ops->count(ctx);
	struct run_map_info info;
	char *text = NULL;
	size_t text_len = 0;
	FILE *mem;
	int ret = 0;

	/* Build the line in memory so that an error leaves no half line. */
	mem = open_memstream(&text, &text_len);
	if (mem == NULL) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	fputs("{\"maps\": {", mem);
	for (i = 0; i < n && ret == 0; i++) {
		ret = ops->info(ctx, i, &info);
		if (ret < 0) {
			snprintf(err, err_len, "map %u: no information: %s", i,
				 strerror(-ret));
			break;
		}
		if (i > 0)
			fputs(", ", mem);
		run_json_string(mem, info.name);
		fputs(": ", mem);
		ret = dump_one(mem, ops, ctx, i, &info, btf_json, err, err_len);
	}
	fputs("}}\n", mem);
	fclose(mem);
	if (ret == 0)
		fputs(text, f);
	free(text);
	return ret;
}

int
run_maps_list(FILE *f, const struct run_map_ops *ops, void *ctx)
{
	unsigned int i, n = ops->count(ctx);
	struct run_map_info info;
	int ret;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		ret = ops->info(ctx, i, &info);
		if (ret < 0)
			return ret;
		fputs(i > 0 ? ", {\"name\": " : "{\"name\": ", f);
		run_json_string(f, info.name);
		fputs(", \"type\": ", f);
		run_json_string(f, info.type_name);
		fprintf(f, ", \"key_size\": %" PRIu32 ", \"value_size\": %" PRIu32
			", \"max_entries\": %" PRIu32 ", \"flags\": %" PRIu32 "}",
			info.key_size, info.value_size, info.max_entries,
			info.flags);
	}
	fputc(']', f);
	return 0;
}
