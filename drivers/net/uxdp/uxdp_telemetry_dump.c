/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * /uxdp/map_dump,<port>,<map>[,<cursor>[,<count>[,btf]]]: a page of
 * entries in get_next_key order as parallel columns (keys, values), the
 * cursor of the next page in next_cursor (-1 at the end). A page stops at
 * count entries, at RTE_TEL_MAX_ARRAY_ENTRIES, or when the reply would
 * outgrow UXDP_TEL_REPLY_BUDGET, whichever comes first: DPDK would drop
 * the rest silently. Per-CPU maps give one value column per slot
 * (values_cpu<N>, the slots listed in "cpus") instead of "values".
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uxdp_btf_json.h"
#include "uxdp_telemetry.h"

#define DUMP_DEFAULT_COUNT 64
#define USAGE "usage: /uxdp/map_dump,<port>,<map>[,<cursor>[,<count>[,btf]]]"

struct dump {
	struct uxdp_map *map;
	const struct uxdp_map_def *def;
	uint32_t value_stride;        /* per-CPU: round_up(value_size, 8) */
	unsigned int n_cols;          /* value columns: 1, or one per slot */
	unsigned int slots[UXDP_TEL_SLOTS_MAX];
	struct rte_tel_data *keys;
	struct rte_tel_data *values[UXDP_TEL_SLOTS_MAX];
	/* with "btf" */
	const struct btf *btf;
	uint32_t key_id;
	uint32_t value_id;
	struct rte_tel_data *keys_btf;
	struct rte_tel_data *values_btf[UXDP_TEL_SLOTS_MAX];
};

static void
dump_free(struct dump *x)
{
	unsigned int c;

	rte_tel_data_free(x->keys);
	rte_tel_data_free(x->keys_btf);
	for (c = 0; c < x->n_cols; c++) {
		rte_tel_data_free(x->values[c]);
		rte_tel_data_free(x->values_btf[c]);
	}
}

static struct rte_tel_data *
string_array(void)
{
	struct rte_tel_data *a = rte_tel_data_alloc();

	if (a != NULL)
		rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	return a;
}

static int
dump_alloc(struct dump *x, bool with_btf)
{
	unsigned int c;
	bool ok;

	x->keys = string_array();
	ok = x->keys != NULL;
	if (with_btf) {
		x->keys_btf = string_array();
		ok = ok && x->keys_btf != NULL;
	}
	for (c = 0; c < x->n_cols; c++) {
		x->values[c] = string_array();
		ok = ok && x->values[c] != NULL;
		if (with_btf) {
			x->values_btf[c] = string_array();
			ok = ok && x->values_btf[c] != NULL;
		}
	}
	return ok ? 0 : -ENOMEM;
}

/* The BTF renderings of one entry: their size in the reply, and with add
 * also into the btf columns. */
static size_t
add_btf(struct dump *x, const uint8_t *key, const uint8_t *value, bool add)
{
	char json[RTE_TEL_MAX_STRING_LEN];
	size_t extra;
	unsigned int c;

	extra = uxdp_tel_btf_text(x->btf, x->key_id, key, x->def->key_size,
				  json) + 8;
	if (add)
		uxdp_tel_array_str(x->keys_btf, json);
	for (c = 0; c < x->n_cols; c++) {
		extra += uxdp_tel_btf_text(x->btf, x->value_id,
					   value + x->slots[c] * x->value_stride,
					   x->def->value_size, json) + 8;
		if (add)
			uxdp_tel_array_str(x->values_btf[c], json);
	}
	return extra;
}

/* Where the last page stopped: the key at index pos of map. A request
 * for the next page starts there instead of walking pos keys again, so
 * paging through a map takes linear time. Telemetry lock held. */
static struct {
	const struct uxdp_map *map;
	uint64_t pos;
	uint8_t key[UXDP_TEL_KEY_MAX];
} resume;

void
uxdp_tel_dump_forget(void)
{
	resume.map = NULL;
}

/* Add up to count entries from index cursor; returns the next cursor, or
 * -1 when the walk reached the end. */
static int64_t
dump_entries(struct dump *x, uint64_t cursor, uint64_t count, uint8_t *value)
{
	const struct uxdp_map_def *def = x->def;
	uint8_t key[UXDP_TEL_KEY_MAX], prev[UXDP_TEL_KEY_MAX];
	char hex[RTE_TEL_MAX_STRING_LEN];
	size_t used = 0, per_entry, extra;
	uint64_t pos = 0, added = 0;
	unsigned int c;
	int got;

	per_entry = 2 * def->key_size + 16 +
		    x->n_cols * (2 * def->value_size + 8);
	/* Resume only where the saved key is still in the map: from a
	 * missing key get_next_key would restart at the first one. */
	if (cursor > 0 && resume.map == x->map && resume.pos == cursor &&
	    uxdp_map_lookup_copy(x->map, resume.key, value) == 0) {
		memcpy(key, resume.key, def->key_size);
		pos = cursor;
		got = 0;
	} else {
		got = uxdp_map_get_next_key(x->map, NULL, key);
	}
	for (; got == 0; pos++) {
		if (pos >= cursor) {
			if (added == count ||
			    added == RTE_TEL_MAX_ARRAY_ENTRIES ||
			    used + per_entry > UXDP_TEL_REPLY_BUDGET)
				goto stop;
			if (uxdp_map_lookup_copy(x->map, key, value) == 0) {
				extra = x->keys_btf != NULL ?
					add_btf(x, key, value, false) : 0;
				if (used + per_entry + extra > UXDP_TEL_REPLY_BUDGET)
					goto stop;
				if (x->keys_btf != NULL)
					add_btf(x, key, value, true);
				uxdp_tel_hex(key, def->key_size, hex);
				uxdp_tel_array_str(x->keys, hex);
				for (c = 0; c < x->n_cols; c++) {
					uxdp_tel_hex(value + x->slots[c] *
						     x->value_stride,
						     def->value_size, hex);
					uxdp_tel_array_str(x->values[c],
								      hex);
				}
				used += per_entry + extra;
				added++;
			} /* else deleted meanwhile */
		}
		memcpy(prev, key, def->key_size);
		got = uxdp_map_get_next_key(x->map, prev, key);
	}
	resume.map = NULL;
	return -1;
stop:
	resume.map = x->map;
	resume.pos = pos;
	memcpy(resume.key, key, def->key_size);
	return (int64_t)pos;
}

static void
dump_reply(struct rte_tel_data *d, struct dump *x, int64_t next)
{
	char name[32];
	unsigned int c;
	bool percpu = uxdp_map_type_is_percpu(x->def->type);

	rte_tel_data_start_dict(d);
	uxdp_tel_dict_str(d, "map", uxdp_map_name(x->map));
	uxdp_tel_dict_str(d, "type",
				     uxdp_map_type_name(x->def->type));
	rte_tel_data_add_dict_container(d, "keys", x->keys, 0);
	if (x->keys_btf != NULL)
		rte_tel_data_add_dict_container(d, "keys_btf", x->keys_btf, 0);
	if (percpu) {
		struct rte_tel_data *cpus = rte_tel_data_alloc();

		if (cpus != NULL) {
			rte_tel_data_start_array(cpus, RTE_TEL_INT_VAL);
			for (c = 0; c < x->n_cols; c++)
				rte_tel_data_add_array_int(cpus, x->slots[c]);
			rte_tel_data_add_dict_container(d, "cpus", cpus, 0);
		}
	}
	for (c = 0; c < x->n_cols; c++) {
		if (percpu)
			snprintf(name, sizeof(name), "values_cpu%u", x->slots[c]);
		else
			snprintf(name, sizeof(name), "values");
		rte_tel_data_add_dict_container(d, name, x->values[c], 0);
		if (x->values_btf[c] == NULL)
			continue;
		if (percpu)
			snprintf(name, sizeof(name), "values_btf_cpu%u",
				 x->slots[c]);
		else
			snprintf(name, sizeof(name), "values_btf");
		rte_tel_data_add_dict_container(d, name, x->values_btf[c], 0);
	}
	rte_tel_data_add_dict_int(d, "next_cursor", (int)RTE_MIN(next, INT32_MAX));
}

int
uxdp_tel_map_dump(const char *cmd __rte_unused, const char *params,
		  struct rte_tel_data *d)
{
	char buf[256], *f[5];
	uint64_t cursor = 0, count = DUMP_DEFAULT_COUNT;
	struct dump x;
	struct pmd_internals *p;
	uint8_t *value = NULL;
	int64_t next;
	int n;

	if (params == NULL || strlen(params) >= sizeof(buf))
		return uxdp_tel_error(d, USAGE);
	strcpy(buf, params);
	n = uxdp_tel_split(buf, f, RTE_DIM(f));
	if (n < 2)
		return uxdp_tel_error(d, USAGE);
	if (n >= 3 && uxdp_tel_parse_uint(f[2], INT32_MAX, &cursor) != 0)
		return uxdp_tel_error(d, "cursor: expected a non-negative integer, got '%s'", f[2]);
	if (n >= 4 && (uxdp_tel_parse_uint(f[3], 4096, &count) != 0 || count == 0))
		return uxdp_tel_error(d, "count: expected an integer in [1, 4096], got '%s'", f[3]);
	if (n == 5 && strcmp(f[4], "btf") != 0)
		return uxdp_tel_error(d, "format: expected 'btf', got '%s'", f[4]);

	memset(&x, 0, sizeof(x));
	uxdp_tel_lock();
	p = uxdp_tel_port(f[0], d);
	if (p == NULL)
		goto out;
	x.map = uxdp_tel_map(p, f[1], d);
	if (x.map == NULL)
		goto out;
	x.def = uxdp_map_get_def(x.map);
	if (x.def->key_size > UXDP_TEL_KEY_MAX ||
	    x.def->value_size > UXDP_TEL_HEX_MAX_BYTES) {
		uxdp_tel_error(d, "map: '%s' has %u-byte keys and %u-byte values; telemetry shows keys up to %u and values up to %u bytes",
			       f[1], x.def->key_size, x.def->value_size,
			       UXDP_TEL_KEY_MAX, UXDP_TEL_HEX_MAX_BYTES);
		goto out;
	}
	x.value_stride = x.def->value_size;
	x.n_cols = 1;
	if (uxdp_map_type_is_percpu(x.def->type)) {
		x.value_stride = RTE_ALIGN_CEIL(x.def->value_size, 8);
		x.n_cols = uxdp_tel_slots(x.slots, RTE_DIM(x.slots));
	}
	value = calloc(uxdp_map_nr_cpus(), RTE_ALIGN_CEIL(x.def->value_size, 8) + 8);
	if (value == NULL || dump_alloc(&x, n == 5) != 0) {
		dump_free(&x);
		uxdp_tel_error(d, "out of memory");
		goto out;
	}
	if (n == 5) {
		x.btf = uxdp_obj_btf(p->obj);
		uxdp_obj_map_btf_ids(p->obj, x.map, &x.key_id, &x.value_id);
	}
	next = dump_entries(&x, cursor, count, value);
	dump_reply(d, &x, next);
out:
	uxdp_tel_unlock();
	free(value);
	return 0;
}
