/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * One map element through telemetry, as bpftool map lookup|update|delete:
 *   /uxdp/map_lookup,<port>,<map>,<key>
 *   /uxdp/map_update,<port>,<map>,<key>,<value>[,<flags>]
 *   /uxdp/map_delete,<port>,<map>,<key>
 * Keys and values are hex (memory byte order) or JSON typed by the map's
 * BTF (uxdp_tel_read_bytes()); commas inside JSON do not split the
 * parameters. Maps without keys (queue, stack, bloom filter) take "-" as
 * key: lookup peeks, update pushes. A per-CPU update writes the one value
 * into every slot (bpftool does the same); a per-CPU lookup shows each
 * slot of uxdp_tel_slots().
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_btf_json.h"
#include "uxdp_telemetry.h"

struct elem {
	struct pmd_internals *port;
	struct uxdp_map *map;
	const struct uxdp_map_def *def;
	const struct btf *btf;
	uint32_t key_id;
	uint32_t value_id;
	uint8_t key[UXDP_TEL_KEY_MAX];
	const void *keyp;      /* key, or NULL for maps without keys */
};

/* Port, map and key (fields 0..2) of every element command; false with an
 * error reply. Caller holds the lock. */
static bool
elem_open(struct rte_tel_data *d, char **f, struct elem *e)
{
	char err[RTE_TEL_MAX_STRING_LEN];

	e->port = uxdp_tel_port(f[0], d);
	if (e->port == NULL)
		return false;
	e->map = uxdp_tel_map(e->port, f[1], d);
	if (e->map == NULL)
		return false;
	e->def = uxdp_map_get_def(e->map);
	e->btf = uxdp_obj_btf(e->port->obj);
	e->key_id = e->value_id = 0;
	uxdp_obj_map_btf_ids(e->port->obj, e->map, &e->key_id, &e->value_id);
	if (e->def->key_size > UXDP_TEL_KEY_MAX ||
	    e->def->value_size > UXDP_TEL_VALUE_MAX) {
		uxdp_tel_error(d, "map: '%s' has %u-byte keys and %u-byte values; telemetry takes keys up to %u and values up to %u bytes",
			       f[1], e->def->key_size, e->def->value_size,
			       UXDP_TEL_KEY_MAX, UXDP_TEL_VALUE_MAX);
		return false;
	}
	if (e->def->key_size == 0) {
		if (strcmp(f[2], "-") != 0 && f[2][0] != '\0') {
			uxdp_tel_error(d, "key: map '%s' has no keys; give '-'",
				       f[1]);
			return false;
		}
		e->keyp = NULL;
		return true;
	}
	if (uxdp_tel_read_bytes(f[2], e->btf, e->key_id, e->key,
				e->def->key_size, "key", err, sizeof(err)) < 0) {
		uxdp_tel_error(d, "%s", err);
		return false;
	}
	e->keyp = e->key;
	return true;
}

/* Split params into exactly min..max fields; false with a usage reply. */
static bool
elem_params(const char *params, char *buf, size_t len, char **f, int min,
	    int max, int *n, const char *usage, struct rte_tel_data *d)
{
	if (params == NULL || strlen(params) >= len) {
		uxdp_tel_error(d, "%s", usage);
		return false;
	}
	strcpy(buf, params);
	*n = uxdp_tel_split(buf, f, max);
	if (*n < min) {
		uxdp_tel_error(d, "%s", usage);
		return false;
	}
	return true;
}

static const char *
errno_text(int err)
{
	switch (err) {
	case ENOENT: return "no such entry (ENOENT)";
	case EEXIST: return "the key exists (EEXIST, flags noexist)";
	case E2BIG: return "the map is full (E2BIG)";
	case EINVAL: return "invalid for this map (EINVAL)";
	case ENOMEM: return "out of memory (ENOMEM)";
	case ENOTSUP: return "not supported by this map type (ENOTSUP)";
	default: return strerror(err);
	}
}

/* value and, with BTF, value_btf of one value (or one slot). */
static void
add_value(struct rte_tel_data *vals, struct rte_tel_data *vals_btf,
	  const struct elem *e, const uint8_t *v)
{
	char text[RTE_TEL_MAX_STRING_LEN];

	if (e->def->value_size <= UXDP_TEL_HEX_MAX_BYTES) {
		uxdp_tel_hex(v, e->def->value_size, text);
		uxdp_tel_array_str(vals, text);
	} else {
		uxdp_tel_array_str(vals, "null");
	}
	if (vals_btf != NULL) {
		uxdp_tel_btf_text(e->btf, e->value_id, v, e->def->value_size,
				  text);
		uxdp_tel_array_str(vals_btf, text);
	}
}

int
uxdp_tel_map_lookup(const char *cmd __rte_unused, const char *params,
		    struct rte_tel_data *d)
{
	static const char usage[] = "usage: /uxdp/map_lookup,<port>,<map>,<key>";
	unsigned int slots[UXDP_TEL_SLOTS_MAX], n_slots = 1, s;
	struct rte_tel_data *vals = NULL, *vals_btf = NULL, *cpus = NULL;
	char buf[1024], *f[3], text[RTE_TEL_MAX_STRING_LEN];
	uint8_t *value = NULL;
	struct elem e;
	bool percpu;
	int n, ret;

	if (!elem_params(params, buf, sizeof(buf), f, 3, 3, &n, usage, d))
		return 0;
	uxdp_tel_lock();
	if (!elem_open(d, f, &e))
		goto out;
	percpu = uxdp_map_type_is_percpu(e.def->type);
	value = calloc(percpu ? uxdp_map_nr_cpus() : 1,
		       RTE_ALIGN_CEIL(e.def->value_size, 8) + 8);
	vals = rte_tel_data_alloc();
	cpus = rte_tel_data_alloc();
	if (e.value_id != 0)
		vals_btf = rte_tel_data_alloc();
	if (value == NULL || vals == NULL || cpus == NULL ||
	    (e.value_id != 0 && vals_btf == NULL)) {
		rte_tel_data_free(vals);
		rte_tel_data_free(vals_btf);
		rte_tel_data_free(cpus);
		uxdp_tel_error(d, "out of memory");
		goto out;
	}
	ret = uxdp_map_lookup_copy(e.map, e.keyp, value);
	if (ret < 0) {
		rte_tel_data_free(vals);
		rte_tel_data_free(vals_btf);
		rte_tel_data_free(cpus);
		uxdp_tel_error(d, "key: lookup in '%s': %s", f[1],
			       errno_text(-ret));
		goto out;
	}
	rte_tel_data_start_array(vals, RTE_TEL_STRING_VAL);
	rte_tel_data_start_array(cpus, RTE_TEL_INT_VAL);
	if (vals_btf != NULL)
		rte_tel_data_start_array(vals_btf, RTE_TEL_STRING_VAL);
	slots[0] = 0;
	if (percpu)
		n_slots = uxdp_tel_slots(slots, RTE_DIM(slots));
	for (s = 0; s < n_slots; s++) {
		add_value(vals, vals_btf, &e, value + slots[s] *
			  RTE_ALIGN_CEIL(e.def->value_size, 8));
		rte_tel_data_add_array_int(cpus, slots[s]);
	}
	rte_tel_data_start_dict(d);
	uxdp_tel_dict_str(d, "map", uxdp_map_name(e.map));
	if (e.keyp != NULL && e.def->key_size <= UXDP_TEL_HEX_MAX_BYTES) {
		uxdp_tel_hex(e.key, e.def->key_size, text);
		uxdp_tel_dict_str(d, "key", text);
	}
	if (e.keyp != NULL && e.key_id != 0) {
		uxdp_tel_btf_text(e.btf, e.key_id, e.key, e.def->key_size, text);
		uxdp_tel_dict_str(d, "key_btf", text);
	}
	/* One value: "value" strings; per-CPU: "values" by "cpus". */
	if (percpu) {
		rte_tel_data_add_dict_container(d, "cpus", cpus, 0);
		rte_tel_data_add_dict_container(d, "values", vals, 0);
		if (vals_btf != NULL)
			rte_tel_data_add_dict_container(d, "values_btf",
							vals_btf, 0);
	} else {
		rte_tel_data_free(cpus);
		if (e.def->value_size <= UXDP_TEL_HEX_MAX_BYTES) {
			uxdp_tel_hex(value, e.def->value_size, text);
			uxdp_tel_dict_str(d, "value", text);
		}
		if (vals_btf != NULL) {
			uxdp_tel_btf_text(e.btf, e.value_id, value,
					  e.def->value_size, text);
			uxdp_tel_dict_str(d, "value_btf", text);
		}
		rte_tel_data_free(vals);
		rte_tel_data_free(vals_btf);
	}
out:
	uxdp_tel_unlock();
	free(value);
	return 0;
}

static int
parse_flags(const char *s, uint64_t *flags)
{
	if (s == NULL || strcmp(s, "any") == 0)
		*flags = BPF_ANY;
	else if (strcmp(s, "noexist") == 0)
		*flags = BPF_NOEXIST;
	else if (strcmp(s, "exist") == 0)
		*flags = BPF_EXIST;
	else if (strcmp(s, "lock") == 0)
		*flags = BPF_F_LOCK;
	else
		return uxdp_tel_parse_uint(s, UINT32_MAX, flags);
	return 0;
}

/* The reply to a change: the map, what happened, its entries now. */
static void
reply_changed(struct rte_tel_data *d, struct uxdp_map *map, const char *result)
{
	rte_tel_data_start_dict(d);
	uxdp_tel_dict_str(d, "map", uxdp_map_name(map));
	uxdp_tel_dict_str(d, "result", result);
	rte_tel_data_add_dict_u64(d, "entries", uxdp_map_count(map));
}

int
uxdp_tel_map_update(const char *cmd __rte_unused, const char *params,
		    struct rte_tel_data *d)
{
	static const char usage[] = "usage: /uxdp/map_update,<port>,<map>,<key>,<value>[,any|noexist|exist|lock]";
	char buf[1024], *f[5], err[RTE_TEL_MAX_STRING_LEN];
	uint8_t *value = NULL, *all = NULL;
	uint32_t stride, cpu;
	uint64_t flags;
	struct elem e;
	int n, ret;

	if (!elem_params(params, buf, sizeof(buf), f, 4, 5, &n, usage, d))
		return 0;
	if (parse_flags(n == 5 ? f[4] : NULL, &flags) != 0)
		return uxdp_tel_error(d, "flags: expected any, noexist, exist, lock or a number, got '%s'",
				      f[4]);
	uxdp_tel_lock();
	if (!elem_open(d, f, &e))
		goto out;
	stride = RTE_ALIGN_CEIL(e.def->value_size, 8);
	value = calloc(1, stride + 8);
	if (value == NULL) {
		uxdp_tel_error(d, "out of memory");
		goto out;
	}
	if (uxdp_tel_read_bytes(f[3], e.btf, e.value_id, value,
				e.def->value_size, "value", err,
				sizeof(err)) < 0) {
		uxdp_tel_error(d, "%s", err);
		goto out;
	}
	if (uxdp_map_type_is_percpu(e.def->type)) {
		all = calloc(uxdp_map_nr_cpus(), stride);
		if (all == NULL) {
			uxdp_tel_error(d, "out of memory");
			goto out;
		}
		for (cpu = 0; cpu < uxdp_map_nr_cpus(); cpu++)
			memcpy(all + cpu * stride, value, e.def->value_size);
	}
	ret = uxdp_map_update(e.map, e.keyp, all != NULL ? all : value, flags);
	if (ret < 0) {
		uxdp_tel_error(d, "map: update of '%s': %s", f[1],
			       errno_text(-ret));
		goto out;
	}
	reply_changed(d, e.map, "updated");
out:
	uxdp_tel_unlock();
	free(value);
	free(all);
	return 0;
}

int
uxdp_tel_map_delete(const char *cmd __rte_unused, const char *params,
		    struct rte_tel_data *d)
{
	static const char usage[] = "usage: /uxdp/map_delete,<port>,<map>,<key>";
	char buf[1024], *f[3];
	struct elem e;
	int n, ret;

	if (!elem_params(params, buf, sizeof(buf), f, 3, 3, &n, usage, d))
		return 0;
	uxdp_tel_lock();
	if (!elem_open(d, f, &e))
		goto out;
	ret = uxdp_map_delete(e.map, e.keyp);
	if (ret < 0) {
		uxdp_tel_error(d, "key: delete in '%s': %s", f[1],
			       errno_text(-ret));
		goto out;
	}
	reply_changed(d, e.map, "deleted");
out:
	uxdp_tel_unlock();
	return 0;
}
