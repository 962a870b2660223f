/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * /uxdp/ telemetry commands, answered from a registry of live net_uxdp
 * ports. DPDK's limits shape the replies: at most 16 KiB (larger replies are
 * silently truncated, so map dumps paginate with a cursor), dict keys of
 * [A-Za-z0-9_/] only (map names such as "prog.bss" go in values, never in
 * keys), and strings of at most RTE_TEL_MAX_STRING_LEN - 1 characters.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_telemetry.h>

#include "uxdp_btf_json.h"
#include "uxdp_ethdev.h"

/* Stay well below the 16 KiB reply limit, JSON punctuation included. */
#define REPLY_BUDGET 12000
#define DUMP_DEFAULT_COUNT 64
#define HEX_MAX_BYTES ((RTE_TEL_MAX_STRING_LEN - 1) / 2)

static TAILQ_HEAD(, pmd_internals) registry = TAILQ_HEAD_INITIALIZER(registry);
static rte_spinlock_t registry_lock = RTE_SPINLOCK_INITIALIZER;

void
uxdp_registry_add(struct pmd_internals *priv)
{
	rte_spinlock_lock(&registry_lock);
	TAILQ_INSERT_TAIL(&registry, priv, next);
	rte_spinlock_unlock(&registry_lock);
}

void
uxdp_registry_remove(struct pmd_internals *priv)
{
	struct pmd_internals *p;

	rte_spinlock_lock(&registry_lock);
	TAILQ_FOREACH(p, &registry, next) {
		if (p == priv) {
			TAILQ_REMOVE(&registry, priv, next);
			break;
		}
	}
	rte_spinlock_unlock(&registry_lock);
}

/* Caller holds registry_lock. */
static struct pmd_internals *
find_port(uint16_t port_id)
{
	struct pmd_internals *p;

	TAILQ_FOREACH(p, &registry, next)
		if (p->port_id == port_id)
			return p;
	return NULL;
}

/* Split "a,b,c" into at most max fields; returns the count or -1 when
 * there are more fields than max. */
static int
split_params(char *buf, char **fields, int max)
{
	int n = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return -1;
		fields[n++] = tok;
	}
	return n;
}

static int
parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
reply_error(struct rte_tel_data *d, const char *fmt, ...)
	__rte_format_printf(2, 3);

static int
reply_error(struct rte_tel_data *d, const char *fmt, ...)
{
	char msg[RTE_TEL_MAX_STRING_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "error", msg);
	return 0;
}

static void
hex_encode(const uint8_t *p, uint32_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	uint32_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * len] = '\0';
}

static int
cmd_list(const char *cmd __rte_unused, const char *params __rte_unused,
	 struct rte_tel_data *d)
{
	struct pmd_internals *p;

	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	rte_spinlock_lock(&registry_lock);
	TAILQ_FOREACH(p, &registry, next)
		rte_tel_data_add_array_int(d, p->port_id);
	rte_spinlock_unlock(&registry_lock);
	return 0;
}

/* Parse "<port>[,...]" and find the port; on failure fill an error reply
 * and return NULL. Caller holds registry_lock. */
static struct pmd_internals *
port_from_param(const char *param, struct rte_tel_data *d)
{
	struct pmd_internals *p;
	uint64_t id;

	if (parse_uint(param, UINT16_MAX, &id) != 0) {
		reply_error(d, "port: expected a port id, got '%s'",
			    param ? param : "");
		return NULL;
	}
	p = find_port((uint16_t)id);
	if (p == NULL)
		reply_error(d, "port: %" PRIu64 " is not a net_uxdp port", id);
	return p;
}

static void
add_counters(struct rte_tel_data *d, struct pmd_internals *p)
{
	struct uxdp_rxq_stats sum;

	uxdp_stats_sum(&rte_eth_devices[p->port_id], &sum);
	rte_tel_data_add_dict_u64(d, "xdp_pass", sum.pass);
	rte_tel_data_add_dict_u64(d, "xdp_drop", sum.drop);
	rte_tel_data_add_dict_u64(d, "xdp_tx", sum.tx);
	rte_tel_data_add_dict_u64(d, "xdp_aborted", sum.aborted);
	rte_tel_data_add_dict_u64(d, "xdp_tx_errors", sum.tx_errors);
	rte_tel_data_add_dict_u64(d, "xdp_nonlinear_drops", sum.nonlinear_drops);
}

static int
cmd_info(const char *cmd __rte_unused, const char *params,
	 struct rte_tel_data *d)
{
	struct pmd_internals *p;
	const struct uxdp_prog *prog;

	rte_spinlock_lock(&registry_lock);
	p = port_from_param(params, d);
	if (p == NULL)
		goto out;
	prog = p->prog;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port", p->port_id);
	rte_tel_data_add_dict_string(d, "sub_device", p->sub_name);
	rte_tel_data_add_dict_int(d, "sub_port", p->sub_port_id);
	rte_tel_data_add_dict_string(d, "prog_file", p->args.prog);
	rte_tel_data_add_dict_string(d, "program", uxdp_prog_name(prog));
	rte_tel_data_add_dict_string(d, "section", uxdp_prog_section(prog));
	rte_tel_data_add_dict_int(d, "insns", uxdp_prog_insn_count(prog));
	rte_tel_data_add_dict_string(d, "engine",
		uxdp_prog_engine(prog) == UXDP_ENGINE_JIT ? "jit" : "interp");
	rte_tel_data_add_dict_u64(d, "ingress_ifindex", p->ingress_ifindex);
	add_counters(d, p);
out:
	rte_spinlock_unlock(&registry_lock);
	return 0;
}

static int
cmd_maps(const char *cmd __rte_unused, const char *params,
	 struct rte_tel_data *d)
{
	struct rte_tel_data *cols[7];
	static const char *const col_names[] = {
		"name", "type", "key_size", "value_size", "max_entries",
		"entries", "flags"
	};
	struct pmd_internals *p;
	unsigned int i, c;

	rte_spinlock_lock(&registry_lock);
	p = port_from_param(params, d);
	if (p == NULL)
		goto out;
	/* Parallel columns: map names cannot be dict keys. */
	for (c = 0; c < RTE_DIM(cols); c++) {
		cols[c] = rte_tel_data_alloc();
		if (cols[c] == NULL) {
			while (c-- > 0)
				rte_tel_data_free(cols[c]);
			reply_error(d, "out of memory");
			goto out;
		}
		rte_tel_data_start_array(cols[c], c < 2 ?
					 RTE_TEL_STRING_VAL : RTE_TEL_U64_VAL);
	}
	for (i = 0; i < uxdp_obj_map_count(p->obj); i++) {
		struct uxdp_map *m = uxdp_obj_map_at(p->obj, i);
		const struct uxdp_map_def *def = uxdp_map_get_def(m);

		rte_tel_data_add_array_string(cols[0], uxdp_map_name(m));
		rte_tel_data_add_array_string(cols[1], uxdp_map_type_name(def->type));
		rte_tel_data_add_array_u64(cols[2], def->key_size);
		rte_tel_data_add_array_u64(cols[3], def->value_size);
		rte_tel_data_add_array_u64(cols[4], def->max_entries);
		rte_tel_data_add_array_u64(cols[5], uxdp_map_count(m));
		rte_tel_data_add_array_u64(cols[6], def->map_flags);
	}
	rte_tel_data_start_dict(d);
	for (c = 0; c < RTE_DIM(cols); c++)
		rte_tel_data_add_dict_container(d, col_names[c], cols[c], 0);
out:
	rte_spinlock_unlock(&registry_lock);
	return 0;
}

/* map_dump's optional "btf": each key and value also as JSON text by the
 * map's BTF types (uxdp_btf_json.h), in keys_btf/values_btf. */
struct dump_btf {
	const struct btf *btf;
	uint32_t key_id;
	uint32_t value_id;
	struct rte_tel_data *keys;
	struct rte_tel_data *values;
};

/* JSON text of one key or value for a telemetry string, or "null" when it
 * does not fit one (RTE_TEL_MAX_STRING_LEN): the hex column has it all.
 * Returns the length the string takes in the reply, escapes included. */
static size_t
format_btf(const struct btf *btf, uint32_t id, const uint8_t *p, uint32_t len,
	   char *out)
{
	size_t n = 0, i;
	int ret;

	ret = uxdp_btf_render(btf, id, p, len, out, RTE_TEL_MAX_STRING_LEN);
	/* Kinds without a JSON form (floats) read as hex, as without BTF. */
	if (ret < 0 && ret != -ENOSPC)
		ret = uxdp_btf_render(NULL, 0, p, len, out, RTE_TEL_MAX_STRING_LEN);
	if (ret < 0)
		strcpy(out, "null");
	/* DPDK escapes '"' and '\\' inside strings. */
	for (i = 0; out[i] != '\0'; i++)
		n += (out[i] == '"' || out[i] == '\\') ? 2 : 1;
	return n;
}

/* Fill keys/values with up to count entries after skipping cursor entries;
 * returns the next cursor, or -1 when the walk reached the end. */
static int64_t
dump_entries(struct uxdp_map *m, uint64_t cursor, uint64_t count,
	     struct rte_tel_data *keys, struct rte_tel_data *values,
	     struct dump_btf *fmt)
{
	const struct uxdp_map_def *def = uxdp_map_get_def(m);
	uint8_t key[512], next[512], value[HEX_MAX_BYTES];
	char hex[RTE_TEL_MAX_STRING_LEN];
	char kjson[RTE_TEL_MAX_STRING_LEN], vjson[RTE_TEL_MAX_STRING_LEN];
	uint64_t pos = 0, added = 0;
	size_t extra = 0;
	size_t used = 0, per_entry = 2 * (def->key_size + def->value_size) + 16;
	const void *prev = NULL;

	while (uxdp_map_get_next_key(m, prev, next) == 0) {
		memcpy(key, next, def->key_size);
		prev = key;
		if (pos++ < cursor)
			continue;
		if (added == count || used + per_entry > REPLY_BUDGET)
			return (int64_t)(pos - 1);
		if (uxdp_map_lookup_copy(m, key, value) != 0)
			continue; /* deleted meanwhile */
		if (fmt != NULL) {
			extra = format_btf(fmt->btf, fmt->key_id, key,
					   def->key_size, kjson) +
				format_btf(fmt->btf, fmt->value_id, value,
					   def->value_size, vjson) + 8;
			if (used + per_entry + extra > REPLY_BUDGET)
				return (int64_t)(pos - 1);
			rte_tel_data_add_array_string(fmt->keys, kjson);
			rte_tel_data_add_array_string(fmt->values, vjson);
		}
		hex_encode(key, def->key_size, hex);
		rte_tel_data_add_array_string(keys, hex);
		hex_encode(value, def->value_size, hex);
		rte_tel_data_add_array_string(values, hex);
		used += per_entry + extra;
		added++;
	}
	return -1;
}

static int
cmd_map_dump(const char *cmd __rte_unused, const char *params,
	     struct rte_tel_data *d)
{
	char buf[256], *f[5] = { NULL };
	struct dump_btf fmt = { NULL };
	uint64_t cursor = 0, count = DUMP_DEFAULT_COUNT;
	struct rte_tel_data *keys = NULL, *values = NULL;
	const struct uxdp_map_def *def;
	struct pmd_internals *p;
	struct uxdp_map *m;
	int64_t next;
	int n;

	if (params == NULL || strlen(params) >= sizeof(buf))
		return reply_error(d, "usage: /uxdp/map_dump,<port>,<map>[,<cursor>[,<count>[,btf]]]");
	strcpy(buf, params);
	n = split_params(buf, f, RTE_DIM(f));
	if (n < 2)
		return reply_error(d, "usage: /uxdp/map_dump,<port>,<map>[,<cursor>[,<count>[,btf]]]");
	if (n >= 3 && parse_uint(f[2], INT64_MAX, &cursor) != 0)
		return reply_error(d, "cursor: expected a non-negative integer, got '%s'", f[2]);
	if (n >= 4 && (parse_uint(f[3], 4096, &count) != 0 || count == 0))
		return reply_error(d, "count: expected an integer in [1, 4096], got '%s'", f[3]);
	if (n == 5 && strcmp(f[4], "btf") != 0)
		return reply_error(d, "format: expected 'btf', got '%s'", f[4]);

	rte_spinlock_lock(&registry_lock);
	p = port_from_param(f[0], d);
	if (p == NULL)
		goto out;
	m = uxdp_obj_map_by_name(p->obj, f[1]);
	if (m == NULL) {
		reply_error(d, "map: port %u has no map '%s'", p->port_id, f[1]);
		goto out;
	}
	def = uxdp_map_get_def(m);
	if (def->key_size > 512 || def->value_size > HEX_MAX_BYTES) {
		reply_error(d, "map: '%s' has %u-byte keys and %u-byte values; telemetry shows keys up to 512 and values up to %u bytes",
			    f[1], def->key_size, def->value_size, HEX_MAX_BYTES);
		goto out;
	}
	/* A per-CPU value copies uxdp_map_nr_cpus() slots: far more than
	 * the value buffer and a reply line hold. */
	if (uxdp_map_type_is_percpu(def->type)) {
		reply_error(d, "map: '%s' is per-CPU; telemetry does not dump per-CPU values yet",
			    f[1]);
		goto out;
	}
	keys = rte_tel_data_alloc();
	values = rte_tel_data_alloc();
	if (keys == NULL || values == NULL) {
		rte_tel_data_free(keys);
		rte_tel_data_free(values);
		reply_error(d, "out of memory");
		goto out;
	}
	rte_tel_data_start_array(keys, RTE_TEL_STRING_VAL);
	rte_tel_data_start_array(values, RTE_TEL_STRING_VAL);
	if (n == 5) {
		fmt.btf = uxdp_obj_btf(p->obj);
		uxdp_obj_map_btf_ids(p->obj, m, &fmt.key_id, &fmt.value_id);
		fmt.keys = rte_tel_data_alloc();
		fmt.values = rte_tel_data_alloc();
		if (fmt.keys == NULL || fmt.values == NULL) {
			rte_tel_data_free(keys);
			rte_tel_data_free(values);
			rte_tel_data_free(fmt.keys);
			rte_tel_data_free(fmt.values);
			reply_error(d, "out of memory");
			goto out;
		}
		rte_tel_data_start_array(fmt.keys, RTE_TEL_STRING_VAL);
		rte_tel_data_start_array(fmt.values, RTE_TEL_STRING_VAL);
	}
	next = dump_entries(m, cursor, count, keys, values,
			    n == 5 ? &fmt : NULL);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "map", uxdp_map_name(m));
	rte_tel_data_add_dict_string(d, "type", uxdp_map_type_name(def->type));
	rte_tel_data_add_dict_container(d, "keys", keys, 0);
	rte_tel_data_add_dict_container(d, "values", values, 0);
	if (n == 5) {
		rte_tel_data_add_dict_container(d, "keys_btf", fmt.keys, 0);
		rte_tel_data_add_dict_container(d, "values_btf", fmt.values, 0);
	}
	rte_tel_data_add_dict_int(d, "next_cursor", (int)RTE_MIN(next, INT32_MAX));
out:
	rte_spinlock_unlock(&registry_lock);
	return 0;
}

RTE_INIT(uxdp_telemetry_init)
{
	rte_telemetry_register_cmd("/uxdp/list", cmd_list,
		"Returns the port ids of net_uxdp ports. Takes no parameters");
	rte_telemetry_register_cmd("/uxdp/info", cmd_info,
		"Returns the program and verdict counters of a port. Parameters: int port_id");
	rte_telemetry_register_cmd("/uxdp/maps", cmd_maps,
		"Returns the maps of a port's program. Parameters: int port_id");
	rte_telemetry_register_cmd("/uxdp/map_dump", cmd_map_dump,
		"Returns map entries as hex (and with btf as JSON by BTF too). Parameters: port_id,map[,cursor[,count[,btf]]]");
}
