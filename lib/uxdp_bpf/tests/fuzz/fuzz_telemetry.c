/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * libFuzzer target over the text that reaches uxdp from outside: the
 * telemetry commands that take parameters (map_dump, map_lookup,
 * map_update, map_delete and their field splitter), the net_uxdp devargs
 * (rte_kvargs and every handler: const=, map_update=, ...), the
 * map_update= text form, `volatile const` settings (uxdp_const_parse and
 * uxdp_const_encode), BTF-aware JSON (uxdp_btf_parse and a render/parse
 * round trip), hex (uxdp_hex_decode, uxdp-run's run_hex_decode) and
 * uxdp-run's command line (run_opts_parse). No EAL: the telemetry
 * handlers see one fake net_uxdp port, port 0, whose program object is
 * test_btf_json.o (maps of every BTF kind; heap maps), which the build
 * puts next to the fuzzer.
 *
 * Input: the first byte picks the parser, the second a variant (map,
 * key or value, command), the rest is the text (up to its first NUL;
 * NULs separate the arguments of a command line).
 *
 * Invariants beyond "no crash, no leak": a refusal always comes with a
 * message; telemetry handlers always reply; a BTF render
 * of parsed bytes parses back to bytes that render to the same text.
 *
 * UXDP_FUZZ_TEL_OBJ overrides the object's path (default: found from
 * argv[0], test_btf_json.o in the fuzzer's directory).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <rte_log.h>
#include <rte_telemetry.h>

#include "uxdp_ethdev.h"
#include "uxdp_telemetry.h"
#include "uxdp_btf_json.h"
#include "uxdp_hex.h"
#include "run_hex.h"
#include "run_opts.h"

/* The PMD's log type lives in uxdp_ethdev.c, which is not linked here. */
int uxdp_logtype;

/* uxdp_telemetry.c's /uxdp/info needs the PMD's counters and swap state:
 * never called here (the command is reached only through the socket). */
void
uxdp_stats_sum(struct rte_eth_dev *dev, struct uxdp_rxq_stats *sum)
{
	(void)dev;
	memset(sum, 0, sizeof(*sum));
}

unsigned int
uxdp_xstat_count(void)
{
	return 0;
}

const char *
uxdp_xstat_name(unsigned int i)
{
	(void)i;
	return "";
}

uint64_t
uxdp_xstat_value(const struct uxdp_rxq_stats *s, unsigned int i)
{
	(void)s;
	(void)i;
	return 0;
}

unsigned int
uxdp_swap_reap(struct pmd_internals *priv)
{
	(void)priv;
	return 0;
}

/* uxdp_telemetry_swap.c is not linked (a swap loads files named by its
 * parameters): the symbol the registration in uxdp_telemetry.c needs. */
int
uxdp_tel_prog_swap(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	return uxdp_tel_error(d, "not in the fuzzer");
}

enum parser {
	P_TELEMETRY,
	P_DEVARGS,
	P_MAP_UPDATE,
	P_CONST,
	P_BTF_JSON,
	P_HEX,
	P_RUN_OPTS,
	P_COUNT,
};

static struct pmd_internals *port;
static char obj_path[PATH_MAX];

static void
load_port(void)
{
	char err[UXDP_ERR_MAX];

	port = calloc(1, sizeof(*port));
	if (port == NULL)
		abort();
	if (uxdp_obj_load(obj_path, NULL, &port->obj, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_telemetry: %s: %s (set UXDP_FUZZ_TEL_OBJ)\n",
			obj_path, err);
		exit(1);
	}
	port->prog = uxdp_obj_find_prog(port->obj, NULL, err, sizeof(err));
	snprintf(port->sub_name, sizeof(port->sub_name), "net_null0");
	snprintf(port->prog_path, sizeof(port->prog_path), "%s", obj_path);
	uxdp_registry_add(port);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("UXDP_FUZZ_TEL_OBJ");
	const char *slash;

	if (env != NULL) {
		snprintf(obj_path, sizeof(obj_path), "%s", env);
	} else {
		slash = strrchr((*argv)[0], '/');
		snprintf(obj_path, sizeof(obj_path), "%.*stest_btf_json.o",
			 slash != NULL ? (int)(slash - (*argv)[0] + 1) : 0,
			 (*argv)[0]);
	}
	(void)argc;
	rte_log_set_global_level(RTE_LOG_EMERG);
	load_port();
	return 0;
}

/* ---- telemetry ---- */

/*
 * DPDK frees the containers of a reply (those added with keep == 0) while
 * it writes the reply out as JSON, which needs the socket. This harness
 * frees them itself, walking the reply with the layout of struct
 * rte_tel_data of DPDK 22.11 (lib/telemetry/telemetry_data.h, not
 * installed): a type, a count, then a string, dict entries or array
 * values.
 */
enum tel_kind {
	TEL_NULL, TEL_STRING, TEL_DICT, TEL_ARRAY_STRING, TEL_ARRAY_INT,
	TEL_ARRAY_U64, TEL_ARRAY_CONTAINER,
};

struct tel_container {
	struct rte_tel_data *data;
	int keep;
};

union tel_value {
	char sval[RTE_TEL_MAX_STRING_LEN];
	int ival;
	uint64_t u64val;
	struct tel_container container;
};

struct tel_dict_entry {
	char name[RTE_TEL_MAX_STRING_LEN];
	enum rte_tel_value_type type;
	union tel_value value;
};

struct tel_data {
	enum tel_kind type;
	unsigned int data_len;
	union {
		char str[RTE_TEL_MAX_SINGLE_STRING_LEN];
		struct tel_dict_entry dict[RTE_TEL_MAX_DICT_ENTRIES];
		union tel_value array[RTE_TEL_MAX_ARRAY_ENTRIES];
	} data;
};

static void
tel_free_reply(struct rte_tel_data *reply)
{
	struct tel_data *t = (struct tel_data *)reply;
	unsigned int i;

	if (t->type == TEL_DICT) {
		for (i = 0; i < t->data_len; i++) {
			struct tel_dict_entry *e = &t->data.dict[i];

			if (e->type == RTE_TEL_CONTAINER &&
			    !e->value.container.keep)
				tel_free_reply(e->value.container.data);
		}
	} else if (t->type == TEL_ARRAY_CONTAINER) {
		for (i = 0; i < t->data_len; i++)
			if (!t->data.array[i].container.keep)
				tel_free_reply(t->data.array[i].container.data);
	}
	rte_tel_data_free(reply);
}

static void
telemetry(uint8_t variant, const char *params)
{
	static const telemetry_cb cmds[] = {
		uxdp_tel_map_dump, uxdp_tel_map_lookup, uxdp_tel_map_update,
		uxdp_tel_map_delete,
	};
	struct rte_tel_data *d;

	if (variant % 5 == 4) {
		char buf[256], *fields[8];
		int n;

		snprintf(buf, sizeof(buf), "%s", params);
		n = uxdp_tel_split(buf, fields, 8);
		if (n > 8)
			abort();
		return;
	}
	d = rte_tel_data_alloc();
	if (d == NULL)
		return;
	/* Handlers reply with data or an error dict, never fail. */
	if (cmds[variant % 5](variant % 5 == 0 ? "/uxdp/map_dump" : "/uxdp/x",
			      params, d) != 0)
		abort();
	tel_free_reply(d);
}

/* ---- devargs, map_update=, const ---- */

static void
devargs(const char *text)
{
	struct uxdp_devargs *a = malloc(sizeof(*a));

	if (a == NULL)
		return;
	uxdp_devargs_parse("net_uxdp0", text, a);
	free(a);
}

static void
map_update(const char *text)
{
	struct uxdp_map_update u;

	if (uxdp_map_update_parse(text, &u) == 0 &&
	    (u.key_len > sizeof(u.key) || u.value_len > sizeof(u.value) ||
	     strlen(u.name) == 0))
		abort();
}

static void
const_text(uint8_t variant, const char *text)
{
	static const struct uxdp_const_type types[] = {
		{ 1, 1, 0, 0 }, { 1, 1, 1, 0 }, { 2, 1, 0, 0 }, { 2, 1, 1, 0 },
		{ 4, 1, 0, 0 }, { 4, 1, 1, 0 }, { 8, 1, 0, 0 }, { 8, 1, 1, 0 },
		{ 1, 1, 0, 1 }, { 16, 0, 0, 0 }, { 3, 0, 0, 0 },
	};
	const struct uxdp_const_type *type =
		&types[variant % (sizeof(types) / sizeof(types[0]))];
	struct uxdp_const_set set;
	char err[UXDP_ERR_MAX] = "";
	uint8_t *out;

	if (uxdp_const_parse(text, variant & 0x80 ? ':' : '=', &set, err,
			     sizeof(err)) < 0) {
		if (err[0] == '\0')
			abort();
		return;
	}
	/* An exact-size buffer: ASan sees a write past the variable. */
	out = malloc(type->size);
	if (out != NULL) {
		err[0] = '\0';
		if (uxdp_const_encode(&set, type, out, err, sizeof(err)) < 0 &&
		    err[0] == '\0')
			abort();
		free(out);
	}
	uxdp_const_set_free(&set);
}

/* ---- BTF JSON ---- */

static void
btf_json(uint8_t variant, const char *text)
{
	const struct btf *btf = uxdp_obj_btf(port->obj);
	unsigned int n_maps = uxdp_obj_map_count(port->obj);
	struct uxdp_map *map;
	const struct uxdp_map_def *def;
	uint32_t key_id, value_id, id, size;
	char err[UXDP_ERR_MAX] = "";
	static char t1[65536], t2[65536];
	uint8_t *b1, *b2;
	int r1, r2;

	if (n_maps == 0)
		return;
	map = uxdp_obj_map_at(port->obj, (variant >> 1) % n_maps);
	def = uxdp_map_get_def(map);
	if (uxdp_obj_map_btf_ids(port->obj, map, &key_id, &value_id) < 0)
		abort();
	id = variant & 1 ? value_id : key_id;
	size = variant & 1 ? def->value_size : def->key_size;
	if (size == 0)
		return;
	/* Without a type, the parse takes hex in a JSON string. */
	if (id == 0)
		btf = NULL;
	b1 = malloc(size);
	b2 = malloc(size);
	if (b1 == NULL || b2 == NULL)
		goto out;
	if (uxdp_btf_parse(btf, id, text, b1, size, err, sizeof(err)) < 0) {
		if (err[0] == '\0')
			abort();
		goto out;
	}
	r1 = uxdp_btf_render(btf, id, b1, size, t1, sizeof(t1));
	if (r1 < 0)
		goto out;
	if (uxdp_btf_parse(btf, id, t1, b2, size, err, sizeof(err)) < 0) {
		fprintf(stderr, "render gave '%s', which does not parse: %s\n",
			t1, err);
		abort();
	}
	r2 = uxdp_btf_render(btf, id, b2, size, t2, sizeof(t2));
	if (r2 != r1 || strcmp(t1, t2) != 0) {
		fprintf(stderr, "round trip: '%s' then '%s'\n", t1, t2);
		abort();
	}
out:
	free(b1);
	free(b2);
}

/* ---- hex ---- */

static void
hex(const char *text)
{
	size_t n = strlen(text), len;
	uint8_t out[64], *bytes = NULL;
	long r = uxdp_hex_decode(text, n, out, sizeof(out));

	if (r > (long)sizeof(out) || (r >= 0 && (size_t)r * 2 != n))
		abort();
	if (run_hex_decode(text, &bytes, &len) == 0 && len > n / 2)
		abort();
	free(bytes);
}

/* ---- uxdp-run's command line ---- */

static void
run_opts(const uint8_t *data, size_t size)
{
	static const struct run_opts_spec spec = {
		.tool_name = "uxdp-run",
		.usage = "usage\n",
		.has_engine = true,
		.has_btf_json = true,
		.has_mbuf = true,
	};
	char *buf, *argv[33];
	int argc = 0, saved_out, saved_err, devnull;
	struct run_opts o;
	size_t i;

	buf = malloc(size + 1);
	if (buf == NULL)
		return;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"uxdp-run";
	argv[argc++] = buf;
	for (i = 0; i < size && argc < 32; i++)
		if (buf[i] == '\0')
			argv[argc++] = buf + i + 1;
	argv[argc] = NULL;
	/* Usage errors go to stderr, --help to stdout: silence both. */
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	devnull = open("/dev/null", O_WRONLY);
	if (devnull >= 0) {
		dup2(devnull, 1);
		dup2(devnull, 2);
	}
	run_opts_parse(argc, argv, &spec, &o);
	fflush(stdout);
	fflush(stderr);
	if (devnull >= 0) {
		dup2(saved_out, 1);
		dup2(saved_err, 2);
		close(devnull);
	}
	close(saved_out);
	close(saved_err);
	run_opts_free(&o);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t which, variant;
	char *text;

	if (size < 2)
		return 0;
	which = data[0] % P_COUNT;
	variant = data[1];
	data += 2;
	size -= 2;
	if (which == P_RUN_OPTS) {
		run_opts(data, size);
		return 0;
	}
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	switch (which) {
	case P_TELEMETRY:
		telemetry(variant, text);
		break;
	case P_DEVARGS:
		devargs(text);
		break;
	case P_MAP_UPDATE:
		map_update(text);
		break;
	case P_CONST:
		const_text(variant, text);
		break;
	case P_BTF_JSON:
		btf_json(variant, text);
		break;
	default:
		hex(text);
		break;
	}
	free(text);
	return 0;
}
