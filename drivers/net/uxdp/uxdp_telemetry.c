/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * /uxdp/ telemetry commands, answered from a registry of live net_uxdp
 * ports. DPDK's limits shape the replies: at most 16 KiB (larger replies are
 * silently truncated, so map dumps paginate with a cursor), dict keys of
 * [A-Za-z0-9_/] only (map names such as "prog.bss" go in values, never in
 * keys), strings of at most RTE_TEL_MAX_STRING_LEN - 1 characters and
 * arrays of at most RTE_TEL_MAX_ARRAY_ENTRIES. This file keeps the registry
 * and the shared helpers, and answers list, info and maps; map_dump,
 * the element commands and prog_swap live in uxdp_telemetry_*.c.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <ethdev_driver.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>

#include "uxdp_btf_json.h"
#include "uxdp_hex.h"
#include "uxdp_telemetry.h"

static TAILQ_HEAD(, pmd_internals) registry = TAILQ_HEAD_INITIALIZER(registry);
/* A mutex, not a spinlock: a swap holds it through a JIT compile. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

void
uxdp_tel_lock(void)
{
	pthread_mutex_lock(&registry_lock);
}

void
uxdp_tel_unlock(void)
{
	pthread_mutex_unlock(&registry_lock);
}

void
uxdp_registry_add(struct pmd_internals *priv)
{
	uxdp_tel_lock();
	TAILQ_INSERT_TAIL(&registry, priv, next);
	uxdp_tel_unlock();
}

void
uxdp_registry_remove(struct pmd_internals *priv)
{
	struct pmd_internals *p;

	uxdp_tel_lock();
	TAILQ_FOREACH(p, &registry, next) {
		if (p == priv) {
			TAILQ_REMOVE(&registry, priv, next);
			uxdp_tel_dump_forget();
			break;
		}
	}
	uxdp_tel_unlock();
}

int
uxdp_tel_split(char *buf, char **fields, int max)
{
	int n = 0, depth = 0;
	bool in_str = false, esc = false;
	char *c;

	if (max == 0)
		return -1;
	fields[n++] = buf;
	for (c = buf; *c != '\0'; c++) {
		if (in_str) {
			if (esc)
				esc = false;
			else if (*c == '\\')
				esc = true;
			else if (*c == '"')
				in_str = false;
			continue;
		}
		if (*c == '"')
			in_str = true;
		else if (*c == '{' || *c == '[')
			depth++;
		else if ((*c == '}' || *c == ']') && depth > 0)
			depth--;
		else if (*c == ',' && depth == 0) {
			if (n == max)
				return -1;
			*c = '\0';
			fields[n++] = c + 1;
		}
	}
	return n;
}

int
uxdp_tel_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Strings from outside (parameters, paths, ELF names, map data) may hold
 * bytes DPDK's JSON writer does not escape into valid JSON (non-ASCII,
 * control characters): they read as '?'. */
static void
printable(const char *in, char *out)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i < RTE_TEL_MAX_STRING_LEN - 1; i++)
		out[i] = in[i] >= 0x20 && in[i] < 0x7f ? in[i] : '?';
	out[i] = '\0';
}

void
uxdp_tel_dict_str(struct rte_tel_data *d, const char *name, const char *s)
{
	char safe[RTE_TEL_MAX_STRING_LEN];

	printable(s, safe);
	rte_tel_data_add_dict_string(d, name, safe);
}

void
uxdp_tel_array_str(struct rte_tel_data *d, const char *s)
{
	char safe[RTE_TEL_MAX_STRING_LEN];

	printable(s, safe);
	rte_tel_data_add_array_string(d, safe);
}

int
uxdp_tel_error(struct rte_tel_data *d, const char *fmt, ...)
{
	char msg[1024], part[RTE_TEL_MAX_STRING_LEN];
	const size_t chunk = RTE_TEL_MAX_STRING_LEN - 1;
	struct rte_tel_data *full;
	size_t len, off;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rte_tel_data_start_dict(d);
	len = strlen(msg);
	if (len <= chunk) {
		uxdp_tel_dict_str(d, "error", msg);
		return 0;
	}
	/* A telemetry string holds 127 characters: "error" gets the start
	 * (marked as cut), "error_full" the whole text in pieces to join. */
	snprintf(part, sizeof(part), "%.*s...", (int)(chunk - 3), msg);
	uxdp_tel_dict_str(d, "error", part);
	full = rte_tel_data_alloc();
	if (full == NULL)
		return 0;
	rte_tel_data_start_array(full, RTE_TEL_STRING_VAL);
	for (off = 0; off < len; off += chunk) {
		snprintf(part, sizeof(part), "%.*s", (int)chunk, msg + off);
		uxdp_tel_array_str(full, part);
	}
	rte_tel_data_add_dict_container(d, "error_full", full, 0);
	return 0;
}

void
uxdp_tel_hex(const uint8_t *p, uint32_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	uint32_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * len] = '\0';
}

/* Caller holds the lock. */
static struct pmd_internals *
find_port(uint16_t port_id)
{
	struct pmd_internals *p;

	TAILQ_FOREACH(p, &registry, next)
		if (p->port_id == port_id)
			return p;
	return NULL;
}

struct pmd_internals *
uxdp_tel_port(const char *param, struct rte_tel_data *d)
{
	struct pmd_internals *p;
	uint64_t id;

	if (uxdp_tel_parse_uint(param, UINT16_MAX, &id) != 0) {
		uxdp_tel_error(d, "port: expected a port id, got '%s'",
			       param ? param : "");
		return NULL;
	}
	p = find_port((uint16_t)id);
	if (p == NULL)
		uxdp_tel_error(d, "port: %" PRIu64 " is not a net_uxdp port", id);
	return p;
}

struct uxdp_map *
uxdp_tel_map(struct pmd_internals *p, const char *name, struct rte_tel_data *d)
{
	struct uxdp_map *m = uxdp_obj_map_by_name(p->obj, name);

	if (m == NULL)
		uxdp_tel_error(d, "map: port %u has no map '%s'", p->port_id,
			       name);
	return m;
}

unsigned int
uxdp_tel_slots(unsigned int *slots, unsigned int max)
{
	unsigned int n = 0, lcore;

	slots[n++] = 0;
	RTE_LCORE_FOREACH(lcore) {
		if (lcore != 0 && n < max && lcore < uxdp_map_nr_cpus())
			slots[n++] = lcore;
	}
	return n;
}

size_t
uxdp_tel_btf_text(const struct btf *btf, uint32_t id, const uint8_t *p,
		  uint32_t len, char *out)
{
	size_t n = 0, i;
	int ret;

	ret = uxdp_btf_render(btf, id, p, len, out, RTE_TEL_MAX_STRING_LEN);
	/* Kinds without a JSON form (floats) read as hex, as without BTF. */
	if (ret < 0 && ret != -ENOSPC)
		ret = uxdp_btf_render(NULL, 0, p, len, out,
				      RTE_TEL_MAX_STRING_LEN);
	if (ret < 0)
		strcpy(out, "null");
	/* DPDK escapes '"' and '\\' inside strings. */
	for (i = 0; out[i] != '\0'; i++)
		n += (out[i] == '"' || out[i] == '\\') ? 2 : 1;
	return n;
}

int
uxdp_tel_read_bytes(const char *text, const struct btf *btf, uint32_t type_id,
		    uint8_t *out, uint32_t len, const char *what, char *err,
		    size_t err_len)
{
	char why[UXDP_ERR_MAX];
	size_t n, i;

	if (strncmp(text, "json:", 5) == 0)
		text += 5;
	else if (text[0] != '{' && text[0] != '[' && text[0] != '"')
		goto hex;
	if (btf == NULL || type_id == 0) {
		snprintf(err, err_len, "%s: the map has no BTF type for it; give hex bytes",
			 what);
		return -EINVAL;
	}
	if (uxdp_btf_parse(btf, type_id, text, out, len, why, sizeof(why)) < 0) {
		snprintf(err, err_len, "%s: %s", what, why);
		return -EINVAL;
	}
	return 0;
hex:
	if (strncmp(text, "0x", 2) == 0)
		text += 2;
	n = strlen(text);
	if (n != 2 * (size_t)len) {
		snprintf(err, err_len, "%s: expected %u bytes as %u hex digits (or JSON), got %zu characters",
			 what, len, 2 * len, n);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		int hi = uxdp_hex_digit(text[2 * i]);
		int lo = uxdp_hex_digit(text[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			snprintf(err, err_len, "%s: '%c%c' at byte %zu is not hex",
				 what, text[2 * i], text[2 * i + 1], i);
			return -EINVAL;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* Columns of the ports: map and program names go in values, never in
 * keys. */
static int
cmd_list(const char *cmd __rte_unused, const char *params,
	 struct rte_tel_data *d)
{
	static const char *const names[] = {
		"port", "sub_port", "sub_device", "program", "engine",
	};
	struct rte_tel_data *cols[RTE_DIM(names)];
	struct pmd_internals *p;
	unsigned int c;

	if (params != NULL && params[0] != '\0')
		return uxdp_tel_error(d, "params: /uxdp/list takes none, got '%s'",
				      params);
	for (c = 0; c < RTE_DIM(cols); c++) {
		cols[c] = rte_tel_data_alloc();
		if (cols[c] == NULL) {
			while (c-- > 0)
				rte_tel_data_free(cols[c]);
			return uxdp_tel_error(d, "out of memory");
		}
		rte_tel_data_start_array(cols[c], c < 2 ? RTE_TEL_INT_VAL :
					 RTE_TEL_STRING_VAL);
	}
	uxdp_tel_lock();
	TAILQ_FOREACH(p, &registry, next) {
		rte_tel_data_add_array_int(cols[0], p->port_id);
		rte_tel_data_add_array_int(cols[1], p->sub_port_id);
		uxdp_tel_array_str(cols[2], p->sub_name);
		uxdp_tel_array_str(cols[3], uxdp_prog_name(p->prog));
		uxdp_tel_array_str(cols[4],
			uxdp_prog_engine(p->prog) == UXDP_ENGINE_JIT ?
			"jit" : "interp");
	}
	uxdp_tel_unlock();
	rte_tel_data_start_dict(d);
	for (c = 0; c < RTE_DIM(cols); c++)
		rte_tel_data_add_dict_container(d, names[c], cols[c], 0);
	return 0;
}

/* Verdict counters in total and per RX queue (parallel arrays). */
static void
add_counters(struct rte_tel_data *d, struct pmd_internals *p)
{
	static const char *const names[] = {
		"rxq_pass", "rxq_drop", "rxq_tx", "rxq_redirect", "rxq_aborted",
	};
	struct rte_eth_dev *dev = &rte_eth_devices[p->port_id];
	struct rte_tel_data *cols[RTE_DIM(names)];
	struct uxdp_rxq_stats sum;
	unsigned int c;
	uint16_t q;

	/* The same counters, in the same order, as the xstats. */
	uxdp_stats_sum(dev, &sum);
	for (c = 0; c < uxdp_xstat_count(); c++)
		rte_tel_data_add_dict_u64(d, uxdp_xstat_name(c),
					  uxdp_xstat_value(&sum, c));
	rte_tel_data_add_dict_int(d, "rx_queues", dev->data->nb_rx_queues);
	for (c = 0; c < RTE_DIM(cols); c++) {
		cols[c] = rte_tel_data_alloc();
		if (cols[c] == NULL) {
			while (c-- > 0)
				rte_tel_data_free(cols[c]);
			return;
		}
		rte_tel_data_start_array(cols[c], RTE_TEL_U64_VAL);
	}
	for (q = 0; q < dev->data->nb_rx_queues &&
	     q < RTE_TEL_MAX_ARRAY_ENTRIES; q++) {
		const struct uxdp_rxq *rxq = dev->data->rx_queues[q];
		struct uxdp_rxq_stats s = { 0 };

		if (rxq != NULL)
			s = rxq->stats;
		rte_tel_data_add_array_u64(cols[0], s.pass);
		rte_tel_data_add_array_u64(cols[1], s.drop);
		rte_tel_data_add_array_u64(cols[2], s.tx);
		rte_tel_data_add_array_u64(cols[3], s.redirect);
		rte_tel_data_add_array_u64(cols[4], s.aborted);
	}
	for (c = 0; c < RTE_DIM(cols); c++)
		rte_tel_data_add_dict_container(d, names[c], cols[c], 0);
}

static int
cmd_info(const char *cmd __rte_unused, const char *params,
	 struct rte_tel_data *d)
{
	struct pmd_internals *p;
	const struct uxdp_prog *prog;

	uxdp_tel_lock();
	p = uxdp_tel_port(params, d);
	if (p == NULL)
		goto out;
	prog = p->prog;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port", p->port_id);
	uxdp_tel_dict_str(d, "sub_device", p->sub_name);
	rte_tel_data_add_dict_int(d, "sub_port", p->sub_port_id);
	uxdp_tel_dict_str(d, "prog_file", p->prog_path);
	uxdp_tel_dict_str(d, "program", uxdp_prog_name(prog));
	uxdp_tel_dict_str(d, "section", uxdp_prog_section(prog));
	rte_tel_data_add_dict_int(d, "insns", uxdp_prog_insn_count(prog));
	uxdp_tel_dict_str(d, "engine",
		uxdp_prog_engine(prog) == UXDP_ENGINE_JIT ? "jit" : "interp");
	/* The mode the program got: kernel, sandbox or none (auto resolved). */
	uxdp_tel_dict_str(d, "verify", uxdp_verify_name(uxdp_prog_verify(prog)));
	rte_tel_data_add_dict_u64(d, "load_ns", p->load_ns);
	rte_tel_data_add_dict_u64(d, "jit_ns", uxdp_prog_jit_ns(prog));
	rte_tel_data_add_dict_int(d, "maps", uxdp_obj_map_count(p->obj));
	rte_tel_data_add_dict_u64(d, "ingress_ifindex", p->ingress_ifindex);
	rte_tel_data_add_dict_u64(d, "swaps", p->swaps);
	rte_tel_data_add_dict_int(d, "retired_programs", uxdp_swap_reap(p));
	uxdp_tel_dict_str(d, "last_swap_error", p->last_swap_error);
	add_counters(d, p);
out:
	uxdp_tel_unlock();
	return 0;
}

/* "struct flow_key", "__u32", "char[16]": the declared name of a BTF
 * type, "" without one. */
static void
btf_type_name(const struct btf *btf, uint32_t id, char *out, size_t len)
{
	const struct btf_type *t = btf != NULL && id != 0 ?
		btf__type_by_id(btf, id) : NULL;
	const char *name, *kind = "";

	out[0] = '\0';
	if (t == NULL)
		return;
	name = btf__name_by_offset(btf, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
		kind = "struct ";
		break;
	case BTF_KIND_UNION:
		kind = "union ";
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		kind = "enum ";
		break;
	case BTF_KIND_ARRAY: {
		char elem[64];

		btf_type_name(btf, btf_array(t)->type, elem, sizeof(elem));
		snprintf(out, len, "%s[%u]", elem, btf_array(t)->nelems);
		return;
	}
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
		btf_type_name(btf, t->type, out, len);
		return;
	default:
		break;
	}
	snprintf(out, len, "%s%s", kind, name != NULL && name[0] != '\0' ?
		 name : "<anon>");
}

static int
cmd_maps(const char *cmd __rte_unused, const char *params,
	 struct rte_tel_data *d)
{
	static const char *const col_names[] = {
		"name", "type", "key_type", "value_type", "key_size",
		"value_size", "max_entries", "entries", "flags", "memzone",
	};
	struct rte_tel_data *cols[RTE_DIM(col_names)];
	struct pmd_internals *p;
	unsigned int i, c;

	uxdp_tel_lock();
	p = uxdp_tel_port(params, d);
	if (p == NULL)
		goto out;
	/* Parallel columns: map names cannot be dict keys. */
	for (c = 0; c < RTE_DIM(cols); c++) {
		cols[c] = rte_tel_data_alloc();
		if (cols[c] == NULL) {
			while (c-- > 0)
				rte_tel_data_free(cols[c]);
			uxdp_tel_error(d, "out of memory");
			goto out;
		}
		rte_tel_data_start_array(cols[c], c < 4 || c == 9 ?
					 RTE_TEL_STRING_VAL : RTE_TEL_U64_VAL);
	}
	for (i = 0; i < uxdp_obj_map_count(p->obj); i++) {
		struct uxdp_map *m = uxdp_obj_map_at(p->obj, i);
		const struct uxdp_map_def *def = uxdp_map_get_def(m);
		const struct btf *btf = uxdp_obj_btf(p->obj);
		uint32_t kid = 0, vid = 0;
		char tname[128];

		uxdp_obj_map_btf_ids(p->obj, m, &kid, &vid);
		uxdp_tel_array_str(cols[0], uxdp_map_name(m));
		uxdp_tel_array_str(cols[1], uxdp_map_type_name(def->type));
		btf_type_name(btf, kid, tname, sizeof(tname));
		uxdp_tel_array_str(cols[2], tname);
		btf_type_name(btf, vid, tname, sizeof(tname));
		uxdp_tel_array_str(cols[3], tname);
		rte_tel_data_add_array_u64(cols[4], def->key_size);
		rte_tel_data_add_array_u64(cols[5], def->value_size);
		rte_tel_data_add_array_u64(cols[6], def->max_entries);
		rte_tel_data_add_array_u64(cols[7], uxdp_map_count(m));
		rte_tel_data_add_array_u64(cols[8], def->map_flags);
		/* What a secondary process attaches to (uxdp_map_attach()),
		 * unique where map names repeat across ports. */
		uxdp_tel_array_str(cols[9],
			uxdp_map_memzone_name(m) ? uxdp_map_memzone_name(m) : "");
	}
	rte_tel_data_start_dict(d);
	for (c = 0; c < RTE_DIM(cols); c++)
		rte_tel_data_add_dict_container(d, col_names[c], cols[c], 0);
out:
	uxdp_tel_unlock();
	return 0;
}

RTE_INIT(uxdp_telemetry_init)
{
	rte_telemetry_register_cmd("/uxdp/list", cmd_list,
		"Returns the net_uxdp ports: port, sub_port, sub_device, program, engine columns. Takes no parameters");
	rte_telemetry_register_cmd("/uxdp/info", cmd_info,
		"Returns the program, load and JIT times and verdict counters (total and per RX queue) of a port. Parameters: int port_id");
	rte_telemetry_register_cmd("/uxdp/maps", cmd_maps,
		"Returns the maps of a port's program. Parameters: int port_id");
	rte_telemetry_register_cmd("/uxdp/map_dump", uxdp_tel_map_dump,
		"Returns map entries as hex (and with btf as JSON by BTF too). Parameters: port_id,map[,cursor[,count[,btf]]]");
	rte_telemetry_register_cmd("/uxdp/map_lookup", uxdp_tel_map_lookup,
		"Returns one entry. Parameters: port_id,map,key (hex or JSON)");
	rte_telemetry_register_cmd("/uxdp/map_update", uxdp_tel_map_update,
		"Writes one entry. Parameters: port_id,map,key,value[,any|noexist|exist|lock] (hex or JSON)");
	rte_telemetry_register_cmd("/uxdp/map_delete", uxdp_tel_map_delete,
		"Deletes one entry. Parameters: port_id,map,key (hex or JSON)");
	rte_telemetry_register_cmd("/uxdp/prog_swap", uxdp_tel_prog_swap,
		"Replaces a port's program under traffic, keeping compatible maps. Parameters: port_id,file[,program or section]");
}
